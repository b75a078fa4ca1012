// The Deployment's condition types, reasons and messages (what `kubectl rollout status`,
// `kubectl describe` and `kubectl wait` read).
import { formatTimestamp } from "../../lifecycle/object-meta.ts";
import type { Condition } from "../common/types.ts";

export const PROGRESSING = "Progressing";
export const AVAILABLE = "Available";
export const REPLICA_FAILURE = "ReplicaFailure";

export const REASONS = {
  newReplicaSetCreated: "NewReplicaSetCreated",
  foundNewReplicaSet: "FoundNewReplicaSet",
  replicaSetUpdated: "ReplicaSetUpdated",
  newReplicaSetAvailable: "NewReplicaSetAvailable",
  timedOut: "ProgressDeadlineExceeded",
  paused: "DeploymentPaused",
  resumed: "DeploymentResumed",
  replicaSetCreateError: "ReplicaSetCreateError",
  minimumReplicasAvailable: "MinimumReplicasAvailable",
  minimumReplicasUnavailable: "MinimumReplicasUnavailable",
} as const;

export function deploymentCondition(
  type: string,
  status: Condition["status"],
  reason: string,
  message: string,
  now: Date,
): Condition {
  const time = formatTimestamp(now);
  return { type, status, lastUpdateTime: time, lastTransitionTime: time, reason, message };
}
