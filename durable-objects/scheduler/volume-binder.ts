// The scheduler's volume binding once a pod has a node (kube's VolumeBinding Reserve/PreBind):
// provisions a local-path PV on that node for each WaitForFirstConsumer claim (in this
// ClusterStore, synchronously) and answers the claim bindings that go with the pod's binding to
// its NamespaceStore. PVs are named after their claim's uid: a retry after a crash between
// "PV created" and "claim bound" finds the PV (VolumeBinding sees it as reserved) and reuses it.
import type { NodeView } from "../../api/scheduler/node-info.ts";
import type { PodInfo } from "../../api/scheduler/types.ts";
import { isStatus, resolvePodVolumes, type VolumeLister } from "../../api/scheduler/volumes.ts";
import type { KubeObject } from "../../api/types.ts";
import { VOLUMES, volumeReservedFor } from "../../api/volumes/claims.ts";
import {
  claimBinding,
  PROVISIONED_BY,
  provisionedVolume,
  provisionedVolumeName,
  type ClaimBinding,
} from "../../api/volumes/provision.ts";
import { LOCAL_PATH_PROVISIONER } from "../../api/volumes/storage-class.ts";
import type { ObjectWriter } from "../controllers/object-writer.ts";
import type { EventSpec, EventSubject } from "./pod-ops.ts";

export const PROVISIONER_COMPONENT = LOCAL_PATH_PROVISIONER;

export interface PreparedVolumes {
  claims: ClaimBinding[];
  /** Events about the claims (ProvisioningSucceeded), recorded with the binding. */
  events: Array<{ subject: EventSubject; event: EventSpec }>;
}

const claimSubject = (claim: KubeObject): EventSubject => ({
  apiVersion: "v1",
  kind: "PersistentVolumeClaim",
  name: claim.metadata.name ?? "",
  namespace: claim.metadata.namespace ?? "",
  ...(claim.metadata.uid ? { uid: claim.metadata.uid } : {}),
});

/** Provisions what the pod's claims need on `node`; throws when they cannot be bound there now. */
export function prepareVolumes(
  pod: PodInfo,
  node: NodeView,
  lister: VolumeLister,
  writer: ObjectWriter,
): PreparedVolumes {
  const prepared: PreparedVolumes = { claims: [], events: [] };
  if (!pod.claims || pod.claims.length === 0) return prepared;
  const volumes = resolvePodVolumes(pod.namespace, pod.claims, lister);
  if (isStatus(volumes)) throw new Error(volumes.reasons.join(", "));
  for (const reserved of volumes.bound) {
    if (!reserved.pending) continue;
    const provisioner = reserved.volume.metadata.annotations?.[PROVISIONED_BY];
    prepared.claims.push(
      claimBinding(reserved.claim, reserved.volume, provisioner ? { node: node.name, provisioner } : undefined),
    );
  }
  for (const wanted of volumes.provision) {
    const { claim, storageClass } = wanted;
    let volume = writer.get(VOLUMES, provisionedVolumeName(claim));
    if (volume && !volumeReservedFor(volume, claim))
      throw new Error(`volume ${volume.metadata.name} belongs to another claim`);
    if (!volume) {
      volume = writer.create(VOLUMES, provisionedVolume(claim, storageClass, node));
      if (!volume) throw new Error(`volume ${provisionedVolumeName(claim)} appeared meanwhile`);
      // Created volumes start Pending; this one is its claim's from birth.
      volume = writer.updateStatus(VOLUMES, { ...volume, status: { phase: "Bound" } });
      prepared.events.push({
        subject: claimSubject(claim),
        event: {
          type: "Normal",
          reason: "ProvisioningSucceeded",
          message: `Successfully provisioned volume ${volume.metadata.name}`,
          component: PROVISIONER_COMPONENT,
        },
      });
    }
    prepared.claims.push(claimBinding(claim, volume, { node: node.name, provisioner: LOCAL_PATH_PROVISIONER }));
  }
  return prepared;
}
