// The pod's claims as the VolumeBinding plugin and the binder see them: which are bound (or
// reserved) to a volume and where that volume may be used, which wait to be provisioned on the
// chosen node, and why a pod cannot be placed at all (kube's volumebinding PreFilter checks).
import type { KubeObject } from "../types.ts";
import { asArray, asString, isRecord } from "../validation/shape.ts";
import { boundVolumeName, claimClassName, volumeNodeTerms, volumeReservedFor } from "../volumes/claims.ts";
import { provisionedVolumeName } from "../volumes/provision.ts";
import { LOCAL_PATH_PROVISIONER, waitsForFirstConsumer } from "../volumes/storage-class.ts";
import { parseNodeSelectorTerms } from "./node-selector.ts";
import { unresolvable } from "./status.ts";
import type { NodeSelectorTerm, Status } from "./types.ts";

/** Read access to claims, volumes and classes (the ClusterStore's mirror). */
export interface VolumeLister {
  claim(namespace: string, name: string): KubeObject | undefined;
  volume(name: string): KubeObject | undefined;
  storageClass(name: string): KubeObject | undefined;
}

export const ERR_UNBOUND_IMMEDIATE = "pod has unbound immediate PersistentVolumeClaims";
export const ERR_NODE_CONFLICT = "node(s) had volume node affinity conflict";
export const ERR_BIND_CONFLICT = "node(s) didn't find available persistent volumes to bind";
export const ERR_PV_NOT_EXIST = "node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)";

export interface BoundClaim {
  claim: KubeObject;
  volume: KubeObject;
  /** The volume's required node affinity (undefined: usable anywhere). */
  terms: NodeSelectorTerm[] | undefined;
  /** Reserved for the claim but the claim does not name it yet (binding completes it). */
  pending: boolean;
}

export interface ClaimToProvision {
  claim: KubeObject;
  storageClass: KubeObject;
  /** False: nothing here can provision for this class (only local-path is built in). */
  provisionable: boolean;
  /** allowedTopologies as node selector terms (undefined: any node). */
  topologies: NodeSelectorTerm[] | undefined;
}

export interface PodVolumes {
  bound: BoundClaim[];
  provision: ClaimToProvision[];
  /** A bound claim's volume does not exist. */
  missingVolume: boolean;
}

/** allowedTopologies' matchLabelExpressions ({key, values}) read as `In` node selector terms. */
function topologyTerms(sc: KubeObject): NodeSelectorTerm[] | undefined {
  const terms = asArray(sc.allowedTopologies).filter(isRecord);
  if (terms.length === 0) return undefined;
  return terms.map((term) => ({
    matchExpressions: asArray(term.matchLabelExpressions)
      .filter(isRecord)
      .map((e) => ({
        key: asString(e.key),
        operator: "In",
        values: asArray(e.values).filter((v): v is string => typeof v === "string"),
      })),
    matchFields: [],
  }));
}

const nodeTerms = (pv: KubeObject): NodeSelectorTerm[] | undefined => {
  const terms = volumeNodeTerms(pv);
  return terms === undefined ? undefined : parseNodeSelectorTerms(terms);
};

/** Resolves the pod's claims, or the status that rejects the pod on every node. */
export function resolvePodVolumes(
  namespace: string,
  claimNames: readonly string[],
  lister: VolumeLister,
): PodVolumes | Status {
  const result: PodVolumes = { bound: [], provision: [], missingVolume: false };
  let unboundImmediate = false;
  for (const name of claimNames) {
    const claim = lister.claim(namespace, name);
    if (!claim) return unresolvable(`persistentvolumeclaim "${name}" not found`);
    if (claim.metadata.deletionTimestamp !== undefined)
      return unresolvable(`persistentvolumeclaim "${name}" is being deleted`);
    const volumeName = boundVolumeName(claim);
    if (volumeName !== "") {
      const volume = lister.volume(volumeName);
      if (!volume) result.missingVolume = true;
      else result.bound.push({ claim, volume, terms: nodeTerms(volume), pending: false });
      continue;
    }
    const className = claimClassName(claim);
    const storageClass = className === "" ? undefined : lister.storageClass(className);
    // No class, a missing class or an Immediate one: binding is not the scheduler's to do.
    if (!storageClass || !waitsForFirstConsumer(storageClass)) {
      unboundImmediate = true;
      continue;
    }
    // A volume provisioned for this claim by an earlier attempt that did not get to bind it.
    const reserved = lister.volume(provisionedVolumeName(claim));
    if (reserved && volumeReservedFor(reserved, claim) && reserved.metadata.deletionTimestamp === undefined) {
      result.bound.push({ claim, volume: reserved, terms: nodeTerms(reserved), pending: true });
      continue;
    }
    result.provision.push({
      claim,
      storageClass,
      provisionable: asString(storageClass.provisioner) === LOCAL_PATH_PROVISIONER,
      topologies: topologyTerms(storageClass),
    });
  }
  if (unboundImmediate) return unresolvable(ERR_UNBOUND_IMMEDIATE);
  return result;
}

export const isStatus = (value: PodVolumes | Status): value is Status => "code" in value;
