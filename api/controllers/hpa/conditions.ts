// HPA status conditions (AbleToScale, ScalingActive, ScalingLimited): reason and message always
// follow the latest sync; lastTransitionTime changes only when the status flips; a condition keeps
// its place in the list.
import type { HorizontalPodAutoscalerCondition } from "kubernetes-types/autoscaling/v2";

export type ConditionStatus = "True" | "False" | "Unknown";

export function setHPACondition(
  conditions: HorizontalPodAutoscalerCondition[],
  type: string,
  status: ConditionStatus,
  reason: string,
  message: string,
  now: string,
): HorizontalPodAutoscalerCondition[] {
  const next: HorizontalPodAutoscalerCondition = { type, status, lastTransitionTime: now, reason, message };
  const index = conditions.findIndex((c) => c.type === type);
  if (index < 0) return [...conditions, next];
  const current = conditions[index]!;
  if (current.status === status && current.lastTransitionTime !== undefined)
    next.lastTransitionTime = current.lastTransitionTime;
  return conditions.map((c, i) => (i === index ? next : c));
}
