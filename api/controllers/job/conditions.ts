// Status conditions as Kubernetes controllers keep them: a condition's lastTransitionTime
// changes only when its status does.
import { formatTimestamp } from "../../lifecycle/object-meta.ts";

export interface Condition {
  type: string;
  status: "True" | "False" | "Unknown";
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastProbeTime?: string;
  observedGeneration?: number;
}

export const findCondition = (conditions: Condition[] | undefined, type: string): Condition | undefined =>
  (conditions ?? []).find((c) => c.type === type);

export const isConditionTrue = (conditions: Condition[] | undefined, type: string): boolean =>
  findCondition(conditions, type)?.status === "True";

/**
 * Sets a condition (added at the end when new). Answers a new list; the old condition is kept
 * as it is when nothing but the probe time would change.
 */
export function setCondition(
  conditions: Condition[] | undefined,
  next: Omit<Condition, "lastTransitionTime" | "lastProbeTime">,
  now: Date,
  options: { probeTime?: boolean } = {},
): Condition[] {
  const list = [...(conditions ?? [])];
  const index = list.findIndex((c) => c.type === next.type);
  const previous = index >= 0 ? list[index] : undefined;
  const time = formatTimestamp(now);
  if (
    previous &&
    previous.status === next.status &&
    previous.reason === next.reason &&
    previous.message === next.message &&
    previous.observedGeneration === next.observedGeneration
  ) {
    return list;
  }
  const condition: Condition = { type: next.type, status: next.status };
  if (options.probeTime) condition.lastProbeTime = time;
  condition.lastTransitionTime =
    previous && previous.status === next.status ? (previous.lastTransitionTime ?? time) : time;
  if (next.reason !== undefined) condition.reason = next.reason;
  if (next.message !== undefined) condition.message = next.message;
  if (next.observedGeneration !== undefined) condition.observedGeneration = next.observedGeneration;
  if (index >= 0) list[index] = condition;
  else list.push(condition);
  return list;
}
