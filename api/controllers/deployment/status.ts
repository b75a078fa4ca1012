// A Deployment's status from its ReplicaSets, and the Progressing / Available conditions as
// Kubernetes' deployment controller sets them (progress, completion, deadline exceeded).
import type { DeploymentStatus } from "kubernetes-types/apps/v1";
import { getCondition, removeCondition, setCondition } from "../common/conditions.ts";
import { specReplicas, type Condition, type Deployment, type ReplicaSet } from "../common/types.ts";
import { AVAILABLE, deploymentCondition, PROGRESSING, REASONS, REPLICA_FAILURE } from "./conditions.ts";
import { actualReplicaCount, availableReplicaCount, readyReplicaCount, specReplicaCount } from "./replicasets.ts";
import { hasProgressDeadline, maxUnavailable } from "./strategy.ts";

const conditionsOf = (status: DeploymentStatus | undefined): Condition[] => (status?.conditions ?? []) as Condition[];

/** Zero counters are omitted, as the API serialises them. */
function compact(status: Required<Omit<DeploymentStatus, "conditions" | "collisionCount">> & DeploymentStatus) {
  const out: DeploymentStatus = {};
  for (const key of [
    "observedGeneration",
    "replicas",
    "updatedReplicas",
    "readyReplicas",
    "availableReplicas",
    "unavailableReplicas",
  ] as const) {
    if (status[key] !== 0) out[key] = status[key];
  }
  if (status.conditions && status.conditions.length > 0) out.conditions = status.conditions;
  if (status.collisionCount !== undefined) out.collisionCount = status.collisionCount;
  return out;
}

/** Counts and the Available condition (Kubernetes' calculateStatus). */
export function calculateStatus(
  d: Deployment,
  all: readonly ReplicaSet[],
  newRS: ReplicaSet | undefined,
  now: Date,
): DeploymentStatus {
  const available = availableReplicaCount(all);
  const unavailable = Math.max(0, specReplicaCount(all) - available);
  let conditions = conditionsOf(d.status);
  if (available >= specReplicas(d) - maxUnavailable(d)) {
    conditions = setCondition(
      conditions,
      deploymentCondition(
        AVAILABLE,
        "True",
        REASONS.minimumReplicasAvailable,
        "Deployment has minimum availability.",
        now,
      ),
    );
  } else {
    conditions = setCondition(
      conditions,
      deploymentCondition(
        AVAILABLE,
        "False",
        REASONS.minimumReplicasUnavailable,
        "Deployment does not have minimum availability.",
        now,
      ),
    );
  }
  return compact({
    observedGeneration: d.metadata.generation ?? 0,
    replicas: actualReplicaCount(all),
    updatedReplicas: actualReplicaCount([newRS]),
    readyReplicas: readyReplicaCount(all),
    availableReplicas: available,
    unavailableReplicas: unavailable,
    conditions,
    collisionCount: d.status?.collisionCount,
  });
}

/** Every replica is updated and available, and the status is for the current generation. */
export function deploymentComplete(d: Deployment, status: DeploymentStatus): boolean {
  const replicas = specReplicas(d);
  return (
    (status.updatedReplicas ?? 0) === replicas &&
    (status.replicas ?? 0) === replicas &&
    (status.availableReplicas ?? 0) === replicas &&
    (status.observedGeneration ?? 0) >= (d.metadata.generation ?? 0)
  );
}

/** More updated, fewer old, more ready or more available than the stored status says. */
export function deploymentProgressing(d: Deployment, status: DeploymentStatus): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (status.replicas ?? 0) - (status.updatedReplicas ?? 0);
  return (
    (status.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    (status.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (status.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  );
}

/** When (ms) the current Progressing condition's deadline passes; undefined when none applies. */
export function progressDeadlineAt(d: Deployment, status: DeploymentStatus): number | undefined {
  if (!hasProgressDeadline(d)) return undefined;
  const condition = getCondition(conditionsOf(status), PROGRESSING);
  if (!condition || condition.reason === REASONS.newReplicaSetAvailable || condition.reason === REASONS.timedOut)
    return undefined;
  const from = Date.parse(condition.lastUpdateTime ?? "");
  if (Number.isNaN(from)) return undefined;
  return from + (d.spec.progressDeadlineSeconds ?? 0) * 1000;
}

export function deploymentTimedOut(d: Deployment, status: DeploymentStatus, now: Date): boolean {
  if (!hasProgressDeadline(d)) return false;
  const condition = getCondition(conditionsOf(status), PROGRESSING);
  if (!condition || condition.reason === REASONS.newReplicaSetAvailable) return false;
  if (condition.reason === REASONS.timedOut) return true;
  const at = progressDeadlineAt(d, status);
  return at !== undefined && at < now.getTime();
}

/** ReplicaFailure conditions of the new ReplicaSet, else of any ReplicaSet, as Deployment conditions. */
function replicaFailures(all: readonly ReplicaSet[], newRS: ReplicaSet | undefined): Condition[] {
  const convert = (c: Condition): Condition => ({
    type: c.type,
    status: c.status,
    lastUpdateTime: c.lastTransitionTime,
    lastTransitionTime: c.lastTransitionTime,
    reason: c.reason,
    message: c.message,
  });
  const failuresOf = (rs: ReplicaSet) =>
    ((rs.status?.conditions ?? []) as Condition[]).filter((c) => c.type === REPLICA_FAILURE).map(convert);
  const fromNew = newRS ? failuresOf(newRS) : [];
  return fromNew.length > 0 ? fromNew : all.flatMap(failuresOf);
}

/** The status a rollout step ends with (Kubernetes' syncRolloutStatus): counts plus Progressing. */
export function rolloutStatus(
  d: Deployment,
  all: readonly ReplicaSet[],
  newRS: ReplicaSet | undefined,
  now: Date,
): DeploymentStatus {
  const status = calculateStatus(d, all, newRS, now);
  let conditions = conditionsOf(status);
  if (!hasProgressDeadline(d)) conditions = removeCondition(conditions, PROGRESSING);
  const current = getCondition(conditionsOf(d.status), PROGRESSING);
  const complete =
    (status.replicas ?? 0) === (status.updatedReplicas ?? 0) && current?.reason === REASONS.newReplicaSetAvailable;
  if (hasProgressDeadline(d) && !complete) {
    const subject = newRS ? `ReplicaSet "${newRS.metadata.name}"` : `Deployment "${d.metadata.name}"`;
    if (deploymentComplete(d, status)) {
      conditions = setCondition(
        conditions,
        deploymentCondition(
          PROGRESSING,
          "True",
          REASONS.newReplicaSetAvailable,
          `${subject} has successfully progressed.`,
          now,
        ),
      );
    } else if (deploymentProgressing(d, status)) {
      const condition = deploymentCondition(
        PROGRESSING,
        "True",
        REASONS.replicaSetUpdated,
        `${subject} is progressing.`,
        now,
      );
      // Progress refreshes lastUpdateTime even when the reason stays the same.
      if (current?.status === "True") condition.lastTransitionTime = current.lastTransitionTime;
      conditions = [...removeCondition(conditions, PROGRESSING), condition];
    } else if (deploymentTimedOut(d, status, now)) {
      conditions = setCondition(
        conditions,
        deploymentCondition(PROGRESSING, "False", REASONS.timedOut, `${subject} has timed out progressing.`, now),
      );
    }
  }
  const failures = replicaFailures(all, newRS);
  conditions =
    failures.length > 0 ? setCondition(conditions, failures[0]) : removeCondition(conditions, REPLICA_FAILURE);
  const out: DeploymentStatus = { ...status };
  if (conditions.length > 0) out.conditions = conditions;
  else delete out.conditions;
  return out;
}
