// Garbage collection decisions (within one namespace), as Kubernetes' garbage collector
// makes them. Owners are classified as solid (present), dangling (gone, or replaced by an
// object with another uid) or waiting (being deleted in the foreground).
import { FOREGROUND_FINALIZER, ORPHAN_FINALIZER } from "../../lifecycle/delete.ts";
import type { KubeObject, OwnerReference } from "../../types.ts";

export type OwnerState = "solid" | "dangling" | "waiting";
export type Propagation = "Background" | "Foreground" | "Orphan";

export type DependentAction =
  | { action: "none" }
  | { action: "removeOwnerRefs"; uids: string[] }
  | { action: "delete"; propagationPolicy: Propagation };

/**
 * What to do with an object given the state of each of its owners. `hasDependents` says
 * whether it owns objects itself (a dependent of a foreground deletion then goes in the
 * foreground too, so the whole chain is removed bottom-up).
 */
export function decideForDependent(
  dependent: KubeObject,
  stateOf: (ref: OwnerReference) => OwnerState,
  hasDependents: boolean,
): DependentAction {
  const refs = dependent.metadata.ownerReferences ?? [];
  if (refs.length === 0 || dependent.metadata.deletionTimestamp) return { action: "none" };
  const solid: OwnerReference[] = [];
  const gone: OwnerReference[] = [];
  const waiting: OwnerReference[] = [];
  for (const ref of refs) {
    const state = stateOf(ref);
    if (state === "solid") solid.push(ref);
    else if (state === "dangling") gone.push(ref);
    else waiting.push(ref);
  }
  if (gone.length === 0 && waiting.length === 0) return { action: "none" };
  // Another owner still holds it: only the references to the departing owners go.
  if (solid.length > 0) return { action: "removeOwnerRefs", uids: [...gone, ...waiting].map((r) => r.uid) };
  if (waiting.length > 0 && hasDependents) return { action: "delete", propagationPolicy: "Foreground" };
  const finalizers = dependent.metadata.finalizers ?? [];
  if (finalizers.includes(ORPHAN_FINALIZER)) return { action: "delete", propagationPolicy: "Orphan" };
  if (finalizers.includes(FOREGROUND_FINALIZER)) return { action: "delete", propagationPolicy: "Foreground" };
  return { action: "delete", propagationPolicy: "Background" };
}

/** How an owner being deleted treats its dependents, if the garbage collector has work to do. */
export function deletionModeOf(owner: KubeObject): "orphan" | "foreground" | undefined {
  if (!owner.metadata.deletionTimestamp) return undefined;
  const finalizers = owner.metadata.finalizers ?? [];
  if (finalizers.includes(ORPHAN_FINALIZER)) return "orphan";
  if (finalizers.includes(FOREGROUND_FINALIZER)) return "foreground";
  return undefined;
}

/** Whether `dependent` holds up the foreground deletion of the owner with `ownerUid`. */
export const blocksOwner = (dependent: KubeObject, ownerUid: string): boolean =>
  (dependent.metadata.ownerReferences ?? []).some((r) => r.uid === ownerUid && r.blockOwnerDeletion === true);

export const referencesOwner = (dependent: KubeObject, ownerUid: string): boolean =>
  (dependent.metadata.ownerReferences ?? []).some((r) => r.uid === ownerUid);

/** A copy without the references to the given owners (ownerReferences dropped when none remain). */
export function withoutOwnerRefs(object: KubeObject, uids: string[]): KubeObject {
  const copy = structuredClone(object);
  const remaining = (copy.metadata.ownerReferences ?? []).filter((r) => !uids.includes(r.uid));
  if (remaining.length > 0) copy.metadata.ownerReferences = remaining;
  else delete copy.metadata.ownerReferences;
  return copy;
}
