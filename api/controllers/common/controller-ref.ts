// Owner references between controllers and what they manage: the controller reference a
// controller sets, and the adopt / release decisions of Kubernetes' ControllerRefManager.
import { matchesLabels, type LabelSelector } from "../../selectors/labels.ts";
import type { KubeObject, OwnerReference } from "../../types.ts";

export function controllerRef(owner: KubeObject, apiVersion: string, kind: string): OwnerReference {
  return {
    apiVersion,
    kind,
    name: owner.metadata.name ?? "",
    uid: owner.metadata.uid ?? "",
    controller: true,
    blockOwnerDeletion: true,
  };
}

export const controllerRefOf = (obj: KubeObject): OwnerReference | undefined =>
  (obj.metadata.ownerReferences ?? []).find((ref) => ref.controller === true);

export const isControlledBy = (obj: KubeObject, owner: KubeObject): boolean =>
  owner.metadata.uid !== undefined && controllerRefOf(obj)?.uid === owner.metadata.uid;

export interface ClaimPlan<T extends KubeObject> {
  /** Already controlled by the owner and still matching. */
  owned: T[];
  /** Orphans that match: the owner takes them. */
  adopt: T[];
  /** Controlled by the owner but no longer matching: the owner lets go. */
  release: T[];
}

/**
 * What an owner claims among candidates. Objects controlled by someone else are never
 * touched; an owner being deleted adopts nothing and releases nothing; an object being
 * deleted is not adopted.
 */
export function planClaim<T extends KubeObject>(
  owner: KubeObject,
  selector: LabelSelector | null,
  candidates: readonly T[],
): ClaimPlan<T> {
  const plan: ClaimPlan<T> = { owned: [], adopt: [], release: [] };
  const ownerDeleting = owner.metadata.deletionTimestamp !== undefined;
  for (const obj of candidates) {
    const ref = controllerRefOf(obj);
    const matches = matchesLabels(selector, obj.metadata.labels);
    if (ref) {
      if (ref.uid !== owner.metadata.uid) continue;
      if (matches) plan.owned.push(obj);
      else if (!ownerDeleting) plan.release.push(obj);
      continue;
    }
    if (ownerDeleting || !matches || obj.metadata.deletionTimestamp !== undefined) continue;
    plan.adopt.push(obj);
  }
  return plan;
}

/** The object with the owner's controller reference added (any reference with the same uid replaced). */
export function withControllerRef<T extends KubeObject>(obj: T, ref: OwnerReference): T {
  const copy = structuredClone(obj);
  copy.metadata.ownerReferences = [...(copy.metadata.ownerReferences ?? []).filter((r) => r.uid !== ref.uid), ref];
  return copy;
}

/** The object without references to the owner `uid`. */
export function withoutOwner<T extends KubeObject>(obj: T, uid: string): T {
  const copy = structuredClone(obj);
  const refs = (copy.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
  if (refs.length === 0) delete copy.metadata.ownerReferences;
  else copy.metadata.ownerReferences = refs;
  return copy;
}
