// Scaling a Deployment (kubectl scale, HPA) while ReplicaSets of several revisions run:
// with one active ReplicaSet it gets the new count; a saturated new ReplicaSet takes it all;
// otherwise (rolling update) the change is shared in proportion to each ReplicaSet's size,
// leftovers to the largest (Kubernetes' proportional scaling).
import { specReplicas, type Deployment, type ReplicaSet } from "../common/types.ts";
import { desiredReplicasOf, maxReplicasOf } from "./annotations.ts";
import { activeReplicaSets, byCreation, bySizeNewer, bySizeOlder, specReplicaCount } from "./replicasets.ts";
import { isRollingUpdate, maxSurge } from "./strategy.ts";

export interface ProportionalStep {
  rs: ReplicaSet;
  replicas: number;
  /** Write the replica annotations even when the size is unchanged. */
  always: boolean;
}

/** The only active ReplicaSet; with none active, the new one or else the newest old one. */
export function activeOrLatest(newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[]): ReplicaSet | undefined {
  if (!newRS && oldRSs.length === 0) return undefined;
  const newestFirst = [...oldRSs].sort((a, b) => byCreation(b, a));
  const active = activeReplicaSets([...newestFirst, newRS]);
  if (active.length === 0) return newRS ?? newestFirst[0];
  if (active.length === 1) return active[0];
  return undefined;
}

/** The new ReplicaSet has all the Deployment's replicas, all available. */
export function isSaturated(d: Deployment, rs: ReplicaSet | undefined): boolean {
  if (!rs) return false;
  const replicas = specReplicas(d);
  return (
    desiredReplicasOf(rs) === replicas &&
    specReplicas(rs) === replicas &&
    (rs.status?.availableReplicas ?? 0) === replicas
  );
}

/** A ReplicaSet's share of a scaling change, before rounding leftovers. */
function fraction(rs: ReplicaSet, d: Deployment): number {
  const replicas = specReplicas(d);
  if (replicas === 0) return -specReplicas(rs);
  const target = replicas + maxSurge(d);
  const annotated = maxReplicasOf(rs) ?? d.status?.replicas ?? 0;
  if (annotated === 0) return 0;
  return Math.round((specReplicas(rs) * target) / annotated) - specReplicas(rs);
}

function proportion(rs: ReplicaSet, d: Deployment, toAdd: number, added: number): number {
  if (specReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const share = fraction(rs, d);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(share, allowed) : Math.max(share, allowed);
}

/** The scaling steps for a changed spec.replicas (Kubernetes' `scale`). */
export function proportionalScaleSteps(
  d: Deployment,
  newRS: ReplicaSet | undefined,
  oldRSs: readonly ReplicaSet[],
): ProportionalStep[] {
  const single = activeOrLatest(newRS, oldRSs);
  if (single) {
    return specReplicas(single) === specReplicas(d) ? [] : [{ rs: single, replicas: specReplicas(d), always: false }];
  }
  if (isSaturated(d, newRS)) {
    return activeReplicaSets(oldRSs).map((rs) => ({ rs, replicas: 0, always: false }));
  }
  if (!isRollingUpdate(d)) return [];
  const all = activeReplicaSets([...oldRSs, newRS]);
  const allowed = specReplicas(d) > 0 ? specReplicas(d) + maxSurge(d) : 0;
  const toAdd = allowed - specReplicaCount(all);
  if (toAdd > 0) all.sort(bySizeNewer);
  else if (toAdd < 0) all.sort(bySizeOlder);
  let added = 0;
  const sizes = all.map((rs) => {
    if (toAdd === 0) return specReplicas(rs);
    const p = proportion(rs, d, toAdd, added);
    added += p;
    return specReplicas(rs) + p;
  });
  if (toAdd !== 0 && sizes.length > 0) sizes[0] = Math.max(0, sizes[0] + toAdd - added);
  return all.map((rs, i) => ({ rs, replicas: sizes[i], always: true }));
}
