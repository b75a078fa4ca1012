// What one StatefulSet reconcile does, decided from its pods (Kubernetes' updateStatefulSet):
// every ordinal of [start, start + replicas) gets a pod, in order; OrderedReady creates ordinal
// N only when 0..N-1 are Running and Ready (and available), and stops at the first pod not yet
// there. Pods beyond the range are removed from the highest ordinal down, one at a time under
// OrderedReady. A RollingUpdate then replaces pods not at the update revision from the highest
// ordinal down to the partition, one at a time, each waiting for the one before to be healthy;
// OnDelete leaves that to the user. Parallel does every step at once and waits for nothing.
import type { Pod } from "../common/types.ts";
import {
  availableLater,
  isFinished,
  isHealthy,
  isRunningAndAvailable,
  isRunningAndReady,
  isTerminating,
  podRevision,
} from "./health.ts";
import { ordinalOf, podName, replicasOf, startOrdinal } from "./identity.ts";
import type { StatefulSet } from "./types.ts";

export type Step =
  /** Create the ordinal's claims (missing ones) and pod, from the current or the update revision. */
  | { kind: "create"; ordinal: number; revision: "current" | "update" }
  /** Delete a pod: finished (to be replaced), scaled away, or at an old revision (rolling update). */
  | { kind: "delete"; pod: Pod; reason: "finished" | "condemned" | "update" }
  /** Make sure an existing pod's identity labels and claims (and their retention owners) are right. */
  | { kind: "repair"; pod: Pod }
  /** Set the claims' owners of a pod scaled away before it goes (whenScaled: Delete). */
  | { kind: "retain"; pod: Pod };

export interface Plan {
  steps: Step[];
  /** The pod the set is waiting for (OrderedReady / rolling update), for logs and tests. */
  waitingFor?: string;
  /** When (ms) a waited-for pod becomes available (minReadySeconds). */
  recheckAt?: number;
}

export interface PlanInput {
  set: StatefulSet;
  /** The set's pods (owned, named as members), terminating ones included. */
  pods: readonly Pod[];
  updateRevision: string;
  now: Date;
}

export const isParallel = (set: StatefulSet): boolean => set.spec.podManagementPolicy === "Parallel";
export const isOnDelete = (set: StatefulSet): boolean => set.spec.updateStrategy?.type === "OnDelete";
export const partitionOf = (set: StatefulSet): number =>
  isOnDelete(set) ? 0 : (set.spec.updateStrategy?.rollingUpdate?.partition ?? 0);

/** Which revision a new pod for `ordinal` is created from: below the partition the current one. */
export function revisionForNewPod(set: StatefulSet, ordinal: number): "current" | "update" {
  if (isOnDelete(set)) return "update";
  return ordinal < startOrdinal(set) + partitionOf(set) ? "current" : "update";
}

export function planStatefulSet(input: PlanInput): Plan {
  const { set, now } = input;
  const monotonic = !isParallel(set);
  const minReady = set.spec.minReadySeconds ?? 0;
  const start = startOrdinal(set);
  const end = start + replicasOf(set);
  const slots = new Map<number, Pod>();
  const condemned: Pod[] = [];
  for (const pod of input.pods) {
    const ordinal = ordinalOf(pod);
    if (ordinal < 0) continue;
    if (ordinal >= start && ordinal < end) slots.set(ordinal, pod);
    else condemned.push(pod);
  }
  condemned.sort((a, b) => ordinalOf(b) - ordinalOf(a));

  const steps: Step[] = [];
  const plan: Plan = { steps };
  const wait = (ordinalOrPod: number | Pod): Plan => {
    const pod = typeof ordinalOrPod === "number" ? slots.get(ordinalOrPod) : ordinalOrPod;
    plan.waitingFor = pod?.metadata.name ?? podName(set, ordinalOrPod as number);
    const at = pod ? availableLater(pod, minReady, now) : undefined;
    if (at !== undefined) plan.recheckAt = at;
    return plan;
  };
  if (set.metadata.deletionTimestamp !== undefined) return plan;

  const unhealthy = (pod: Pod) => !isHealthy(pod) || !isRunningAndAvailable(pod, minReady, now);
  // Scale-down reaches the pods beyond the range only when every pod in range is healthy
  // (OrderedReady); of those, the highest unhealthy one may still be removed.
  const firstUnhealthy = condemned.find(unhealthy);

  // Every ordinal in range, in order.
  for (let ordinal = start; ordinal < end; ordinal++) {
    const pod = slots.get(ordinal);
    if (!pod) {
      steps.push({ kind: "create", ordinal, revision: revisionForNewPod(set, ordinal) });
      if (monotonic) return wait(ordinal);
      continue;
    }
    if (isFinished(pod)) {
      if (!isTerminating(pod)) steps.push({ kind: "delete", pod, reason: "finished" });
      if (monotonic) return wait(pod);
      continue;
    }
    if (monotonic && (isTerminating(pod) || !isRunningAndReady(pod) || !isRunningAndAvailable(pod, minReady, now))) {
      return wait(pod);
    }
    if (!isTerminating(pod)) steps.push({ kind: "repair", pod });
  }

  // Scaled away: the claims' owners first, then the pods from the highest ordinal down.
  for (const pod of condemned) if (!isTerminating(pod)) steps.push({ kind: "retain", pod });
  for (const pod of condemned) {
    if (isTerminating(pod)) {
      if (monotonic) return wait(pod);
      continue;
    }
    if (monotonic && pod !== firstUnhealthy && unhealthy(pod)) {
      return wait(pod);
    }
    steps.push({ kind: "delete", pod, reason: "condemned" });
    if (monotonic) return plan;
  }

  if (isOnDelete(set)) return plan;
  // Rolling update: from the highest ordinal down to the partition.
  for (let ordinal = end - 1; ordinal >= start + partitionOf(set); ordinal--) {
    const pod = slots.get(ordinal);
    if (!pod) return wait(ordinal);
    if (podRevision(pod) !== input.updateRevision && !isTerminating(pod)) {
      steps.push({ kind: "delete", pod, reason: "update" });
      return plan;
    }
    if (unhealthy(pod)) return wait(pod);
  }
  return plan;
}
