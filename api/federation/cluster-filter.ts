// Which member clusters a placement may use: the federation scheduler's filter step (Karmada's
// TaintToleration and ClusterAffinity plugins, plus a Ready check) and the reasons a cluster was
// ruled out, rendered the way Karmada's FitError renders them.
import { firstUntolerated } from "../scheduler/taints.ts";
import type { Taint as SchedulerTaint } from "../scheduler/types.ts";
import { matchesAffinity } from "./affinity-match.ts";
import type { ClusterAffinity, MemberCluster, Placement, Taint, Toleration } from "./types.ts";

// One matcher for every ClusterAffinity in the federation (placements, override rules, static weights).
export { matchesAffinity };

export const NOT_READY = "cluster(s) were not ready";
export const AFFINITY_MISMATCH = "cluster(s) did not match the placement cluster affinity constraint";
export const untoleratedTaintReason = (taint: Taint) => `cluster(s) had untolerated taint {${taintString(taint)}}`;

/** core/v1 Taint.ToString(): `key=value:effect`, or `key:effect` without a value. */
export const taintString = (taint: Taint) =>
  taint.value ? `${taint.key}=${taint.value}:${taint.effect}` : `${taint.key}:${taint.effect}`;

/** Only these effects keep new work off a cluster; PreferNoSchedule is a preference, not a filter. */
const FILTER_EFFECTS: ReadonlySet<string> = new Set(["NoSchedule", "NoExecute"]);

export const clusterName = (cluster: MemberCluster) => cluster.metadata.name ?? "";

/** Ready=True; a cluster whose health is unknown or failing takes no new work. */
export function isClusterReady(cluster: MemberCluster): boolean {
  return (cluster.status?.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True");
}

/** The first NoSchedule/NoExecute taint of `cluster` that none of `tolerations` tolerates. */
export function untoleratedTaint(cluster: MemberCluster, tolerations: readonly Toleration[] = []): Taint | undefined {
  // Karmada's Taint has an optional value; core matching compares against "" when it is absent.
  const taints = cluster.spec?.taints ?? [];
  const normalized: SchedulerTaint[] = taints.map((t) => ({ ...t, value: t.value ?? "" }));
  const found = firstUntolerated(normalized, tolerations, FILTER_EFFECTS);
  return found && taints[normalized.indexOf(found)];
}

export const tolerates = (cluster: MemberCluster, tolerations: readonly Toleration[] = []): boolean =>
  untoleratedTaint(cluster, tolerations) === undefined;

export interface FilterOptions {
  tolerations?: readonly Toleration[];
  affinity?: ClusterAffinity;
  /**
   * Clusters the workload is already scheduled to. Their taints are not checked, as in Karmada:
   * a taint added later keeps new work off but does not by itself move what runs there (NoExecute
   * eviction is the failover controller's decision, made with a grace period).
   */
  scheduled?: ReadonlySet<string>;
}

/** Why `cluster` cannot take the placement (Ready, then Karmada's order: taints, affinity), or undefined. */
export function filterReason(cluster: MemberCluster, options: FilterOptions = {}): string | undefined {
  if (!isClusterReady(cluster)) return NOT_READY;
  if (!options.scheduled?.has(clusterName(cluster))) {
    const taint = untoleratedTaint(cluster, options.tolerations);
    if (taint) return untoleratedTaintReason(taint);
  }
  if (options.affinity && !matchesAffinity(cluster, options.affinity)) return AFFINITY_MISMATCH;
  return undefined;
}

export interface FilterOutcome {
  /** The feasible clusters, in input order. */
  clusters: MemberCluster[];
  /** Cluster name → why it was ruled out. */
  reasons: Map<string, string>;
}

export function filterClusters(clusters: readonly MemberCluster[], options: FilterOptions = {}): FilterOutcome {
  const outcome: FilterOutcome = { clusters: [], reasons: new Map() };
  for (const cluster of clusters) {
    const reason = filterReason(cluster, options);
    if (reason === undefined) outcome.clusters.push(cluster);
    else outcome.reasons.set(clusterName(cluster), reason);
  }
  return outcome;
}

/** Karmada's FitError: "0/3 clusters are available: 1 cluster(s) had …, 2 cluster(s) did not …." */
export function fitErrorMessage(total: number, reasons: ReadonlyMap<string, string>): string {
  if (total === 0 || reasons.size === 0) return `0/${total} clusters are available: no cluster exists.`;
  const counts = new Map<string, number>();
  for (const reason of reasons.values()) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  const histogram = [...counts].map(([reason, n]) => `${n} ${reason}`).sort();
  return `0/${total} clusters are available: ${histogram.join(", ")}.`;
}

export interface AffinityTerm {
  /** Set for `clusterAffinities` terms; absent for the single `clusterAffinity`. */
  affinityName?: string;
  affinity?: ClusterAffinity;
}

/** `clusterAffinities` (ordered fallbacks) when given, else the one `clusterAffinity` (maybe none). */
export function affinityTerms(placement: Placement): AffinityTerm[] {
  const terms = placement.clusterAffinities ?? [];
  if (terms.length === 0) return [{ affinity: placement.clusterAffinity }];
  return terms.map((term) => ({ affinityName: term.affinityName, affinity: term }));
}

export type FeasibleResult =
  { ok: true; clusters: MemberCluster[]; affinityName?: string } | { ok: false; message: string };

/**
 * Ready clusters that tolerate the placement's taints and match its affinity. With
 * `clusterAffinities`, the first term (in order) with a feasible cluster wins; when none has one,
 * the message is the first term's, as Karmada reports the first error.
 */
export function feasibleClusters(
  clusters: readonly MemberCluster[],
  placement: Placement = {},
  scheduled?: ReadonlySet<string>,
): FeasibleResult {
  let firstMessage: string | undefined;
  for (const term of affinityTerms(placement)) {
    const outcome = filterClusters(clusters, {
      tolerations: placement.clusterTolerations,
      ...(term.affinity ? { affinity: term.affinity } : {}),
      ...(scheduled ? { scheduled } : {}),
    });
    if (outcome.clusters.length > 0) {
      return term.affinityName === undefined
        ? { ok: true, clusters: outcome.clusters }
        : { ok: true, clusters: outcome.clusters, affinityName: term.affinityName };
    }
    firstMessage ??= fitErrorMessage(clusters.length, outcome.reasons);
  }
  return { ok: false, message: firstMessage ?? fitErrorMessage(clusters.length, new Map()) };
}
