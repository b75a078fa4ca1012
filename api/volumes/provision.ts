// Dynamic provisioning for WaitForFirstConsumer claims, the way rancher's local-path provisioner
// does it: a hostPath volume in a directory of the chosen node, pinned to that node by node
// affinity, pre-bound to its claim. The PV is named after the claim's uid, so provisioning the
// same claim twice (a retried scheduling cycle) finds the first PV instead of making another.
import type { KubeObject } from "../types.ts";
import { asArray, asString, isRecord, type JsonObject } from "../validation/shape.ts";
import { specOf } from "./claims.ts";
import { LOCAL_PATH_PROVISIONER } from "./storage-class.ts";

/**
 * Where provisioned directories live, as the PV states it. Each node keeps them under its own
 * state directory (`<stateDir>/local-path/`) and maps this prefix there (see node-daemon/volumes).
 */
export const LOCAL_PATH_ROOT = "/var/lib/flotilla/local-path";
export const HOSTNAME_LABEL = "kubernetes.io/hostname";

export const PROVISIONED_BY = "pv.kubernetes.io/provisioned-by";
export const BIND_COMPLETED = "pv.kubernetes.io/bind-completed";
export const BOUND_BY_CONTROLLER = "pv.kubernetes.io/bound-by-controller";
export const SELECTED_NODE = "volume.kubernetes.io/selected-node";
export const STORAGE_PROVISIONER = "volume.kubernetes.io/storage-provisioner";
export const BETA_STORAGE_PROVISIONER = "volume.beta.kubernetes.io/storage-provisioner";

export const provisionedVolumeName = (claim: KubeObject) => `pvc-${claim.metadata.uid ?? ""}`;

/** `pvc-<uid>_<namespace>_<name>`, rancher's directory name (the PV's name comes first). */
export const localPathDirectory = (claim: KubeObject) =>
  `${provisionedVolumeName(claim)}_${claim.metadata.namespace ?? ""}_${claim.metadata.name ?? ""}`;

function requestedStorage(claim: KubeObject): string {
  const resources = specOf(claim).resources;
  const requests = isRecord(resources) && isRecord(resources.requests) ? resources.requests : {};
  const storage = requests.storage;
  return typeof storage === "string" ? storage : storage === undefined ? "" : String(storage);
}

/** The node a volume is pinned to: its hostname label when it has one, else its name. */
export function nodePinning(node: { name: string; labels: Record<string, string> }): JsonObject {
  const hostname = node.labels[HOSTNAME_LABEL];
  const term =
    hostname !== undefined
      ? { matchExpressions: [{ key: HOSTNAME_LABEL, operator: "In", values: [hostname] }] }
      : { matchFields: [{ key: "metadata.name", operator: "In", values: [node.name] }] };
  return { required: { nodeSelectorTerms: [term] } };
}

/** The PV local-path provisions for `claim` on `node` (status is written separately: create resets it). */
export function provisionedVolume(
  claim: KubeObject,
  storageClass: KubeObject,
  node: { name: string; labels: Record<string, string> },
): KubeObject {
  const spec = specOf(claim);
  return {
    apiVersion: "v1",
    kind: "PersistentVolume",
    metadata: {
      name: provisionedVolumeName(claim),
      annotations: { [PROVISIONED_BY]: LOCAL_PATH_PROVISIONER },
    },
    spec: {
      capacity: { storage: requestedStorage(claim) },
      accessModes: asArray(spec.accessModes).filter((m): m is string => typeof m === "string"),
      persistentVolumeReclaimPolicy: asString(storageClass.reclaimPolicy) || "Delete",
      storageClassName: storageClass.metadata.name ?? "",
      volumeMode: asString(spec.volumeMode) || "Filesystem",
      hostPath: { path: `${LOCAL_PATH_ROOT}/${localPathDirectory(claim)}`, type: "DirectoryOrCreate" },
      claimRef: {
        apiVersion: "v1",
        kind: "PersistentVolumeClaim",
        namespace: claim.metadata.namespace ?? "",
        name: claim.metadata.name ?? "",
        uid: claim.metadata.uid ?? "",
        resourceVersion: claim.metadata.resourceVersion ?? "",
      },
      nodeAffinity: nodePinning(node),
    },
  };
}

/** What binding a claim to a volume writes into the claim (spec, annotations, status). */
export interface ClaimBinding {
  name: string;
  uid: string;
  volumeName: string;
  capacity: Record<string, unknown>;
  accessModes: string[];
  /** Set when the volume was provisioned for this pod's node. */
  provisioned?: { node: string; provisioner: string };
}

export function claimBinding(
  claim: KubeObject,
  pv: KubeObject,
  provisioned?: ClaimBinding["provisioned"],
): ClaimBinding {
  const spec = specOf(pv);
  return {
    name: claim.metadata.name ?? "",
    uid: claim.metadata.uid ?? "",
    volumeName: pv.metadata.name ?? "",
    capacity: isRecord(spec.capacity) ? { ...spec.capacity } : {},
    accessModes: asArray(spec.accessModes).filter((m): m is string => typeof m === "string"),
    ...(provisioned ? { provisioned } : {}),
  };
}

/** The claim with the binding applied: spec.volumeName and the binder's annotations (status is separate). */
export function boundClaim(claim: KubeObject, binding: ClaimBinding): KubeObject {
  const next = structuredClone(claim);
  next.spec = { ...specOf(claim), volumeName: binding.volumeName };
  const annotations: Record<string, string> = { ...(next.metadata.annotations ?? {}) };
  annotations[BIND_COMPLETED] = "yes";
  annotations[BOUND_BY_CONTROLLER] = "yes";
  if (binding.provisioned) {
    annotations[SELECTED_NODE] = binding.provisioned.node;
    annotations[STORAGE_PROVISIONER] = binding.provisioned.provisioner;
    annotations[BETA_STORAGE_PROVISIONER] = binding.provisioned.provisioner;
  }
  next.metadata.annotations = annotations;
  return next;
}

export const boundClaimStatus = (binding: ClaimBinding): JsonObject => ({
  phase: "Bound",
  accessModes: binding.accessModes,
  capacity: binding.capacity,
});
