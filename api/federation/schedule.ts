// The federation scheduler's one decision: for a binding's placement and replicas, which member
// clusters get the workload and how many replicas each. Pure: the binding controller reads the
// clusters and the previous result, calls this, and writes `spec.clusters` and the Scheduled
// condition (reason NoClusterFit or Unschedulable, with this message, on failure).
import { affinityTerms, clusterName, filterClusters, fitErrorMessage, type AffinityTerm } from "./cluster-filter.ts";
import { availableReplicas, capacityShortfall, divideReplicas, divisionKind } from "./replicas.ts";
import { applySpreadConstraints } from "./spread.ts";
import type { MemberCluster, Placement, ResourceList, TargetCluster } from "./types.ts";

export interface ScheduleInput {
  clusters: MemberCluster[];
  placement?: Placement;
  /** The template's replicas; 0 for kinds without replicas (ConfigMaps, Services, …). */
  replicas: number;
  /** The binding's current `spec.clusters`, kept where still valid so workloads do not move needlessly. */
  previous?: TargetCluster[];
  /** One replica's resource requests, for capacity estimates (Karmada's replicaRequirements). */
  requests?: ResourceList;
  /**
   * The clusterAffinities term used last time (status.schedulerObservedAffinityName). As in
   * Karmada, scheduling resumes from it rather than from the first term, so a workload that fell
   * back does not flap back the moment the preferred group recovers.
   */
  observedAffinityName?: string;
}

export type ScheduleFailure = {
  ok: false;
  /** NoClusterFit: no cluster passes the filters or spread constraints. Unschedulable: too little capacity. */
  reason: "NoClusterFit" | "Unschedulable";
  message: string;
};

export type ScheduleResult = { ok: true; clusters: TargetCluster[]; affinityName?: string } | ScheduleFailure;

/**
 * Tries the affinity terms in order (from the observed one on); the first that schedules wins.
 * When all fail, the first failure is the answer, as Karmada reports it.
 */
export function schedule(input: ScheduleInput): ScheduleResult {
  const placement = input.placement ?? {};
  const terms = affinityTerms(placement);
  const start = Math.max(
    terms.findIndex((t) => t.affinityName !== undefined && t.affinityName === input.observedAffinityName),
    0,
  );
  let firstFailure: ScheduleFailure | undefined;
  for (const term of terms.slice(start)) {
    const result = scheduleTerm(input, placement, term);
    if (result.ok) return term.affinityName === undefined ? result : { ...result, affinityName: term.affinityName };
    firstFailure ??= result;
  }
  return firstFailure!;
}

function scheduleTerm(
  input: ScheduleInput,
  placement: Placement,
  term: AffinityTerm,
): { ok: true; clusters: TargetCluster[] } | ScheduleFailure {
  const previous = input.previous ?? [];
  const scheduled = new Set(previous.map((t) => t.name));
  const filtered = filterClusters(input.clusters, {
    tolerations: placement.clusterTolerations,
    ...(term.affinity ? { affinity: term.affinity } : {}),
    scheduled,
  });
  if (filtered.clusters.length === 0) {
    return { ok: false, reason: "NoClusterFit", message: fitErrorMessage(input.clusters.length, filtered.reasons) };
  }

  const strategy = placement.replicaScheduling;
  const kind = divisionKind(strategy);
  const available = new Map(filtered.clusters.map((c) => [clusterName(c), availableReplicas(c, input.requests)]));

  let chosen = filtered.clusters;
  // Karmada ignores spread constraints when replicas are divided by static weights: the weights
  // already say where replicas go.
  const constraints = placement.spreadConstraints ?? [];
  if (constraints.length > 0 && kind !== "StaticWeight") {
    // A cluster's capacity for this workload includes the replicas it already runs.
    const capacity = new Map(available);
    for (const t of previous) if (capacity.has(t.name)) capacity.set(t.name, capacity.get(t.name)! + (t.replicas ?? 0));
    const byCapacity = input.replicas > 0 && (kind === "DynamicWeight" || kind === "Aggregated");
    const spread = applySpreadConstraints({
      clusters: chosen,
      constraints,
      capacity,
      previous: scheduled,
      ...(byCapacity ? { needReplicas: input.replicas } : {}),
    });
    if (!spread.ok) return { ok: false, reason: "NoClusterFit", message: spread.message };
    chosen = spread.clusters;
  }

  if (input.replicas <= 0) {
    // Kinds without replicas go to every chosen cluster as they are.
    const names = chosen.map(clusterName).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return { ok: true, clusters: names.map((name) => ({ name })) };
  }
  const shortfall = capacityShortfall(input.replicas, chosen, strategy, available, previous);
  if (shortfall) return { ok: false, reason: "Unschedulable", message: shortfall };
  return { ok: true, clusters: divideReplicas(input.replicas, chosen, strategy, available, previous) };
}
