// Status conditions as Kubernetes' workload controllers maintain them: setting a condition
// with the same status and reason changes nothing; a new reason keeps lastTransitionTime
// when the status is unchanged; the updated condition moves to the end of the list.
import type { Condition } from "./types.ts";

export const getCondition = (conditions: readonly Condition[] | undefined, type: string): Condition | undefined =>
  (conditions ?? []).find((c) => c.type === type);

/** Answers the new list, or the same array when nothing changes. */
export function setCondition(conditions: readonly Condition[] | undefined, condition: Condition): Condition[] {
  const list = [...(conditions ?? [])];
  const current = getCondition(list, condition.type);
  if (current && current.status === condition.status && current.reason === condition.reason) return list;
  const next = { ...condition };
  if (current && current.status === condition.status && current.lastTransitionTime !== undefined) {
    next.lastTransitionTime = current.lastTransitionTime;
  }
  return [...list.filter((c) => c.type !== condition.type), next];
}

export const removeCondition = (conditions: readonly Condition[] | undefined, type: string): Condition[] =>
  (conditions ?? []).filter((c) => c.type !== type);
