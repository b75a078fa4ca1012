// A ReplicaSet's status from its active pods: replicas, fully labeled, ready, available
// (ready for more than minReadySeconds), observedGeneration, and the ReplicaFailure condition.
import type { ReplicaSetStatus } from "kubernetes-types/apps/v1";
import { formatTimestamp } from "../../lifecycle/object-meta.ts";
import { getCondition, removeCondition, setCondition } from "../common/conditions.ts";
import { isPodReady, podAvailableFrom } from "../common/pods.ts";
import type { Condition, Pod, ReplicaSet } from "../common/types.ts";

export const REPLICA_FAILURE = "ReplicaFailure";

/** A failure of the last attempt to create or delete pods. */
export interface ManageFailure {
  reason: "FailedCreate" | "FailedDelete";
  message: string;
}

export interface ReplicaSetStatusResult {
  status: ReplicaSetStatus;
  /** When (ms) a ready pod becomes available and the status needs recomputing. */
  recheckAt?: number;
}

const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 5 * 60 * 1000;

/**
 * When to try again after a failed create or delete (a quota, an admission refusal): Kubernetes
 * requeues with exponential backoff. Stateless here (alarms and evictions lose counters): wait as
 * long as the failure has lasted (from the ReplicaFailure condition), so the retries double —
 * 1 s, 2 s, 4 s … — up to 5 minutes.
 */
export function failureRetryDelay(rs: ReplicaSet, now: Date): number {
  const since = getCondition((rs.status?.conditions ?? []) as Condition[], REPLICA_FAILURE)?.lastTransitionTime;
  const lasted = since ? now.getTime() - Date.parse(since) : 0;
  return Math.min(RETRY_MAX_MS, Math.max(RETRY_MIN_MS, Number.isFinite(lasted) ? lasted : 0));
}

const hasAllLabels = (wanted: Record<string, string> | undefined, labels: Record<string, string> | undefined) =>
  Object.entries(wanted ?? {}).every(([k, v]) => labels?.[k] === v);

/** `pods` are the ReplicaSet's active, owned pods. Zero counters are omitted, as the API does. */
export function computeReplicaSetStatus(
  rs: ReplicaSet,
  pods: readonly Pod[],
  failure: ManageFailure | undefined,
  now: Date,
): ReplicaSetStatusResult {
  const minReadySeconds = rs.spec.minReadySeconds ?? 0;
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  let recheckAt: number | undefined;
  for (const pod of pods) {
    if (hasAllLabels(rs.spec.template?.metadata?.labels, pod.metadata.labels)) fullyLabeled += 1;
    if (!isPodReady(pod)) continue;
    ready += 1;
    const from = podAvailableFrom(pod, minReadySeconds);
    if (from === undefined) continue;
    if (from <= now.getTime()) available += 1;
    else recheckAt = Math.min(recheckAt ?? Infinity, from);
  }

  let conditions = (rs.status?.conditions ?? []) as Condition[];
  const current = getCondition(conditions, REPLICA_FAILURE);
  if (failure && !current) {
    conditions = setCondition(conditions, {
      type: REPLICA_FAILURE,
      status: "True",
      lastTransitionTime: formatTimestamp(now),
      reason: failure.reason,
      message: failure.message,
    });
  } else if (!failure && current) {
    conditions = removeCondition(conditions, REPLICA_FAILURE);
  }

  const status: ReplicaSetStatus = { replicas: pods.length };
  if (fullyLabeled > 0) status.fullyLabeledReplicas = fullyLabeled;
  if (ready > 0) status.readyReplicas = ready;
  if (available > 0) status.availableReplicas = available;
  if (rs.metadata.generation !== undefined) status.observedGeneration = rs.metadata.generation;
  if (conditions.length > 0) status.conditions = conditions;
  return recheckAt === undefined ? { status } : { status, recheckAt };
}
