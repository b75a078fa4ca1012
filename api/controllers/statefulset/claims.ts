// The PersistentVolumeClaims of a StatefulSet's pod, from spec.volumeClaimTemplates, and the
// owner references persistentVolumeClaimRetentionPolicy asks for: the set owns its claims when
// whenDeleted is Delete (deleting the set deletes them); the pod owns them when whenScaled is
// Delete and its ordinal was scaled away (deleting the pod deletes them). Otherwise neither,
// and the claims outlive both. The garbage collector does the deleting.
import type { OwnerReference } from "../../types.ts";
import type { Pod } from "../common/types.ts";
import { claimName } from "./identity.ts";
import type { PersistentVolumeClaim, StatefulSet } from "./types.ts";

export interface Retention {
  whenDeleted: "Retain" | "Delete";
  whenScaled: "Retain" | "Delete";
}

export function retentionOf(set: StatefulSet): Retention {
  const policy = set.spec.persistentVolumeClaimRetentionPolicy ?? {};
  return {
    whenDeleted: policy.whenDeleted === "Delete" ? "Delete" : "Retain",
    whenScaled: policy.whenScaled === "Delete" ? "Delete" : "Retain",
  };
}

/** The claims an ordinal needs (bodies to create): the template, named for the ordinal, with the selector's labels. */
export function claimsFor(set: StatefulSet, ordinal: number): PersistentVolumeClaim[] {
  return (set.spec.volumeClaimTemplates ?? []).map((template) => {
    const claim = structuredClone(template) as PersistentVolumeClaim;
    delete claim.status;
    const templateName = template.metadata?.name ?? "";
    claim.apiVersion = "v1";
    claim.kind = "PersistentVolumeClaim";
    claim.metadata = {
      ...(claim.metadata ?? {}),
      name: claimName(templateName, set, ordinal),
      labels: { ...(template.metadata?.labels ?? {}), ...(set.spec.selector?.matchLabels ?? {}) },
    };
    delete claim.metadata.namespace;
    return claim;
  });
}

const ownerRef = (owner: { metadata: { name?: string; uid?: string } }, apiVersion: string, kind: string) =>
  ({ apiVersion, kind, name: owner.metadata.name ?? "", uid: owner.metadata.uid ?? "" }) satisfies OwnerReference;

/**
 * The claim's owner references under the retention policy, or undefined when they already
 * match. `condemned`: the pod's ordinal is outside the set's range (scaled down).
 */
export function retentionOwnerRefs(
  claim: PersistentVolumeClaim,
  set: StatefulSet,
  pod: Pod,
  condemned: boolean,
): OwnerReference[] | undefined {
  const policy = retentionOf(set);
  const wantPod = policy.whenScaled === "Delete" && condemned;
  const wantSet = policy.whenDeleted === "Delete" && !wantPod;
  const refs = claim.metadata.ownerReferences ?? [];
  const setUid = set.metadata.uid;
  const podUid = pod.metadata.uid;
  const hasSet = refs.some((r) => r.uid === setUid);
  const hasPod = refs.some((r) => r.uid === podUid);
  if (hasSet === wantSet && hasPod === wantPod) return undefined;
  let next = refs.filter((r) => r.uid !== setUid && r.uid !== podUid);
  if (wantSet) next = [...next, ownerRef(set, "apps/v1", "StatefulSet")];
  if (wantPod) next = [...next, ownerRef(pod, "v1", "Pod")];
  return next;
}

/**
 * A claim left over from an earlier pod of the same name that the garbage collector is about
 * to delete (owned by a pod that no longer exists, or already being deleted): the new pod must
 * wait for it to go rather than mount it.
 */
export function isStaleClaim(claim: PersistentVolumeClaim, podName: string): boolean {
  if (claim.metadata.deletionTimestamp !== undefined) return true;
  return (claim.metadata.ownerReferences ?? []).some((r) => r.kind === "Pod" && r.name === podName);
}
