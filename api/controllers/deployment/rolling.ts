// Rolling-update arithmetic (Kubernetes' rolling updater): how far the new ReplicaSet may
// grow within maxSurge, and how many old pods may go without dropping below
// spec.replicas − maxUnavailable available.
//
// Kubernetes counts spec.replicas; a ReplicaSet scaled down whose controller has not yet
// removed the extra pods would then let the new one surge past the limit for a moment (and
// its stale availableReplicas would let old ones shrink too far). Here a ReplicaSet counts
// as max(spec, status) replicas and min(spec, status) available pods: the same numbers
// once its controller has caught up, never more pods or fewer available ones before.
import { specReplicas, type Deployment, type ReplicaSet } from "../common/types.ts";
import { byCreation, specReplicaCount } from "./replicasets.ts";
import { isRollingUpdate, maxSurge, maxUnavailable } from "./strategy.ts";

/** One ReplicaSet scaled to `replicas`. */
export interface ScaleStep {
  rs: ReplicaSet;
  replicas: number;
}

/** Σ max(spec.replicas, status.replicas): pods wanted or still present. */
const existingOrWanted = (sets: readonly ReplicaSet[]): number =>
  sets.reduce((n, rs) => n + Math.max(specReplicas(rs), rs.status?.replicas ?? 0), 0);

/** Σ min(spec.replicas, status.availableReplicas): available pods that will remain. */
const availableRemaining = (sets: readonly ReplicaSet[]): number =>
  sets.reduce((n, rs) => n + Math.min(specReplicas(rs), rs.status?.availableReplicas ?? 0), 0);

/** The new ReplicaSet's size for this step: up to the surge limit (RollingUpdate) or the full count (Recreate). */
export function newReplicaSetReplicas(
  d: Deployment,
  all: readonly ReplicaSet[],
  newRS: ReplicaSet | undefined,
): number {
  const replicas = specReplicas(d);
  if (!isRollingUpdate(d)) return replicas;
  const current = newRS ? specReplicas(newRS) : 0;
  const maxTotal = replicas + maxSurge(d);
  const total = existingOrWanted(all);
  if (total >= maxTotal) return current;
  const scaleUp = Math.min(maxTotal - total, replicas - current);
  return current + scaleUp;
}

/** How many old pods may be removed now without going below the availability floor. */
export function maxScaledDown(d: Deployment, all: readonly ReplicaSet[], newRS: ReplicaSet): number {
  const minAvailable = specReplicas(d) - maxUnavailable(d);
  const newUnavailable = specReplicas(newRS) - (newRS.status?.availableReplicas ?? 0);
  return specReplicaCount(all) - minAvailable - newUnavailable;
}

/** Old ReplicaSets' unavailable pods go first, oldest ReplicaSet first, up to `limit`. */
export function cleanupUnhealthySteps(oldRSs: readonly ReplicaSet[], limit: number): ScaleStep[] {
  const steps: ScaleStep[] = [];
  let total = 0;
  for (const rs of [...oldRSs].sort(byCreation)) {
    if (total >= limit) break;
    const replicas = specReplicas(rs);
    const available = rs.status?.availableReplicas ?? 0;
    if (replicas === 0 || available >= replicas) continue;
    const down = Math.min(limit - total, replicas - available);
    steps.push({ rs, replicas: replicas - down });
    total += down;
  }
  return steps;
}

/** Old ReplicaSets scaled down by what availability allows, oldest first. */
export function scaleDownOldSteps(
  d: Deployment,
  all: readonly ReplicaSet[],
  oldRSs: readonly ReplicaSet[],
): ScaleStep[] {
  const minAvailable = specReplicas(d) - maxUnavailable(d);
  const available = availableRemaining(all);
  if (available <= minAvailable) return [];
  const budget = available - minAvailable;
  const steps: ScaleStep[] = [];
  let total = 0;
  for (const rs of [...oldRSs].sort(byCreation)) {
    if (total >= budget) break;
    const replicas = specReplicas(rs);
    if (replicas === 0) continue;
    const down = Math.min(replicas, budget - total);
    steps.push({ rs, replicas: replicas - down });
    total += down;
  }
  return steps;
}
