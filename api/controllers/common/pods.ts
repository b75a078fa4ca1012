// Facts about Pods the workload controllers share: active, ready, available.
import type { PodCondition } from "kubernetes-types/core/v1";
import type { Pod } from "./types.ts";

/** Not finished (Succeeded / Failed) and not being deleted: counts towards a controller's replicas. */
export function isPodActive(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== "Succeeded" && phase !== "Failed" && pod.metadata.deletionTimestamp === undefined;
}

export const readyConditionOf = (pod: Pod): PodCondition | undefined =>
  (pod.status?.conditions ?? []).find((c) => c.type === "Ready");

export const isPodReady = (pod: Pod): boolean => readyConditionOf(pod)?.status === "True";

/** When the pod became ready (the Ready condition's last transition), in ms; undefined if unknown. */
export function podReadySince(pod: Pod): number | undefined {
  const time = readyConditionOf(pod)?.lastTransitionTime;
  if (!time) return undefined;
  const ms = Date.parse(time);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * The time (ms) from which a ready pod counts as available: ready for more than
 * minReadySeconds. 0 = available now regardless of time; undefined = not ready (or never).
 */
export function podAvailableFrom(pod: Pod, minReadySeconds: number): number | undefined {
  if (!isPodReady(pod)) return undefined;
  if (minReadySeconds <= 0) return 0;
  const since = podReadySince(pod);
  if (since === undefined) return undefined;
  // Kubernetes: available once readySince + minReadySeconds is strictly before now.
  return since + minReadySeconds * 1000 + 1;
}

export function isPodAvailable(pod: Pod, minReadySeconds: number, now: Date): boolean {
  const from = podAvailableFrom(pod, minReadySeconds);
  return from !== undefined && from <= now.getTime();
}
