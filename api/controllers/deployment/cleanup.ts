// revisionHistoryLimit: the oldest old ReplicaSets beyond the limit are deleted, but only
// those fully scaled down, with no pods left and a status for their current generation.
import { specReplicas, type Deployment, type ReplicaSet } from "../common/types.ts";
import { byRevision } from "./replicasets.ts";
import { hasRevisionHistoryLimit } from "./strategy.ts";

export function replicaSetsToCleanUp(d: Deployment, oldRSs: readonly ReplicaSet[]): ReplicaSet[] {
  if (!hasRevisionHistoryLimit(d)) return [];
  const alive = oldRSs.filter((rs) => rs.metadata.deletionTimestamp === undefined);
  const excess = alive.length - (d.spec.revisionHistoryLimit ?? 0);
  if (excess <= 0) return [];
  return [...alive]
    .sort(byRevision)
    .slice(0, excess)
    .filter(
      (rs) =>
        (rs.status?.replicas ?? 0) === 0 &&
        specReplicas(rs) === 0 &&
        (rs.metadata.generation ?? 0) <= (rs.status?.observedGeneration ?? 0),
    );
}
