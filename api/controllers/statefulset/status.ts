// A StatefulSet's status from its pods (what `kubectl rollout status sts` reads): replicas
// (pods that exist), ready (Running and Ready), available (ready for minReadySeconds), current
// and updated (not terminating, at the current / update revision), the two revision names and
// the collision count. A RollingUpdate is complete once every pod is updated and ready: the
// update revision then becomes the current one.
import type { StatefulSetStatus } from "kubernetes-types/apps/v1";
import type { Pod } from "../common/types.ts";
import { availableLater, isRunningAndAvailable, isRunningAndReady, isTerminating, podRevision } from "./health.ts";
import { isOnDelete } from "./plan.ts";
import type { StatefulSet } from "./types.ts";

export interface StatusInput {
  set: StatefulSet;
  pods: readonly Pod[];
  currentRevision: string;
  updateRevision: string;
  collisionCount: number;
  now: Date;
}

export interface StatusResult {
  status: StatefulSetStatus;
  /** When (ms) a ready pod becomes available and the status needs recomputing. */
  recheckAt?: number;
}

export function computeStatefulSetStatus(input: StatusInput): StatusResult {
  const { set, now } = input;
  const minReady = set.spec.minReadySeconds ?? 0;
  let ready = 0;
  let available = 0;
  let current = 0;
  let updated = 0;
  let recheckAt: number | undefined;
  for (const pod of input.pods) {
    if (isRunningAndReady(pod)) {
      ready += 1;
      if (isRunningAndAvailable(pod, minReady, now)) available += 1;
      const later = availableLater(pod, minReady, now);
      if (later !== undefined) recheckAt = Math.min(recheckAt ?? Infinity, later);
    }
    if (isTerminating(pod)) continue;
    const revision = podRevision(pod);
    if (revision === input.currentRevision) current += 1;
    if (revision === input.updateRevision) updated += 1;
  }
  const replicas = input.pods.length;
  let currentRevision = input.currentRevision;
  if (!isOnDelete(set) && updated === replicas && ready === replicas) {
    current = updated;
    currentRevision = input.updateRevision;
  }
  const status: StatefulSetStatus = { replicas };
  if (set.metadata.generation !== undefined) status.observedGeneration = set.metadata.generation;
  if (ready > 0) status.readyReplicas = ready;
  if (current > 0) status.currentReplicas = current;
  if (updated > 0) status.updatedReplicas = updated;
  status.currentRevision = currentRevision;
  status.updateRevision = input.updateRevision;
  status.collisionCount = input.collisionCount;
  status.availableReplicas = available;
  const conditions = input.set.status?.conditions;
  if (conditions && conditions.length > 0) status.conditions = conditions;
  return recheckAt === undefined ? { status } : { status, recheckAt };
}
