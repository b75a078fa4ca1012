// Spread constraints: how many clusters, and how many regions / zones / providers / label values,
// a placement's clusters may span. Karmada's algorithm, simplified but deterministic:
//
// * Clusters are ranked: clusters of the previous result first (so a reschedule does not move a
//   workload for nothing, as Karmada's ClusterLocality score does), then by capacity (replicas
//   they could run), then by name.
// * Each group constraint (region, zone, provider, spreadByLabel), in the order given, picks the
//   fewest groups — at least minGroups, at most maxGroups — that together hold the cluster
//   constraint's minGroups clusters; like Karmada, more groups than needed are not taken. Groups
//   rank like clusters (previous clusters, capacity, size, name); when the top k groups hold too
//   few clusters, the lowest-ranked are swapped for bigger ones before trying k+1. Karmada searches
//   every combination; the swap finds the same answer in the common cases. Clusters without the
//   field (or label) belong to no group and drop out.
// * The cluster constraint then takes the best cluster of every chosen group, fills up to its
//   maxGroups by rank, and fails when fewer than its minGroups exist. Without group constraints,
//   when the chosen clusters cannot hold the replicas, the lowest-ranked are swapped for clusters
//   with more capacity (Karmada's selectClustersByAvailableResource).
// * Without a cluster constraint, every cluster of the chosen groups stays.
import { clusterName } from "./cluster-filter.ts";
import type { MemberCluster, SpreadConstraint } from "./types.ts";

export interface SpreadInput {
  clusters: readonly MemberCluster[];
  constraints: readonly SpreadConstraint[];
  /** Replicas each cluster could run for this workload (free capacity plus what it runs there now). */
  capacity: ReadonlyMap<string, number>;
  /** Clusters of the previous scheduling result. */
  previous?: ReadonlySet<string>;
  /** When replicas are divided by capacity: the chosen clusters should hold this many together. */
  needReplicas?: number;
}

export type SpreadResult = { ok: true; clusters: MemberCluster[] } | { ok: false; message: string };

interface Group {
  name: string;
  /** Ranked, best first. */
  clusters: MemberCluster[];
  previous: number;
  capacity: number;
}

type GroupKey = (cluster: MemberCluster) => string | undefined;

const nonEmpty = (value: string | undefined) => (value ? value : undefined);

/** The group a cluster falls in for a constraint; a multi-zone cluster counts in its first zone. */
function groupKeyOf(constraint: SpreadConstraint): { key: GroupKey; plural: string } | undefined {
  const label = constraint.spreadByLabel;
  if (label) return { key: (c) => c.metadata.labels?.[label], plural: `values of label ${label}` };
  switch (constraint.spreadByField) {
    case "region":
      return { key: (c) => nonEmpty(c.spec?.region), plural: "regions" };
    case "zone":
      return { key: (c) => nonEmpty(c.spec?.zone) ?? nonEmpty(c.spec?.zones?.[0]), plural: "zones" };
    case "provider":
      return { key: (c) => nonEmpty(c.spec?.provider), plural: "providers" };
    default:
      return undefined;
  }
}

const minGroupsOf = (constraint: SpreadConstraint) => Math.max(constraint.minGroups ?? 1, 1);
const maxGroupsOf = (constraint: SpreadConstraint, available: number) =>
  constraint.maxGroups && constraint.maxGroups > 0 ? constraint.maxGroups : available;

const tooFew = (plural: string, found: number, min: number) =>
  `the number of feasible ${plural} (${found}) is less than spreadConstraint.MinGroups (${min})`;

export function applySpreadConstraints(input: SpreadInput): SpreadResult {
  const capacityOf = (c: MemberCluster) => input.capacity.get(clusterName(c)) ?? 0;
  const isPrevious = (c: MemberCluster) => input.previous?.has(clusterName(c)) ?? false;
  const rank = (a: MemberCluster, b: MemberCluster) =>
    Number(isPrevious(b)) - Number(isPrevious(a)) ||
    capacityOf(b) - capacityOf(a) ||
    compareNames(clusterName(a), clusterName(b));

  // A later constraint on the same field replaces an earlier one, as Karmada keys them by field.
  const byField = new Map<string, SpreadConstraint>();
  for (const c of input.constraints) {
    const field = c.spreadByLabel ? `label:${c.spreadByLabel}` : c.spreadByField;
    if (field) byField.set(field, c);
  }
  const clusterConstraint = byField.get("cluster");
  const clusterTarget = clusterConstraint ? minGroupsOf(clusterConstraint) : 1;

  let candidates = [...input.clusters].sort(rank);
  let chosenGroups: Group[] | undefined;
  for (const constraint of byField.values()) {
    const grouping = groupKeyOf(constraint);
    if (!grouping) continue;
    const groups = groupClusters(candidates, grouping.key, isPrevious, capacityOf);
    const min = minGroupsOf(constraint);
    if (groups.length < min) return { ok: false, message: tooFew(grouping.plural, groups.length, min) };
    const chosen = chooseGroups(groups, min, maxGroupsOf(constraint, groups.length), clusterTarget);
    if (!chosen) {
      return {
        ok: false,
        message: `the number of clusters is less than the cluster spreadConstraint.MinGroups (${clusterTarget})`,
      };
    }
    chosenGroups = chosen;
    candidates = chosen.flatMap((g) => g.clusters).sort(rank);
  }

  if (!clusterConstraint) return { ok: true, clusters: candidates };
  const min = minGroupsOf(clusterConstraint);
  if (candidates.length < min) return { ok: false, message: tooFew("clusters", candidates.length, min) };
  const max = maxGroupsOf(clusterConstraint, candidates.length);
  const seeds = (chosenGroups ?? []).map((g) => g.clusters[0]!);
  const selected = [...new Set([...seeds, ...candidates])].slice(0, max);
  if (!chosenGroups && input.needReplicas !== undefined) {
    swapForCapacity(selected, candidates, input.needReplicas, capacityOf);
  }
  return { ok: true, clusters: selected };
}

const compareNames = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Groups of ranked clusters, best group first. */
function groupClusters(
  ranked: readonly MemberCluster[],
  key: GroupKey,
  isPrevious: (c: MemberCluster) => boolean,
  capacityOf: (c: MemberCluster) => number,
): Group[] {
  const groups = new Map<string, Group>();
  for (const cluster of ranked) {
    const name = key(cluster);
    if (name === undefined) continue;
    let group = groups.get(name);
    if (!group) groups.set(name, (group = { name, clusters: [], previous: 0, capacity: 0 }));
    group.clusters.push(cluster);
    group.previous += Number(isPrevious(cluster));
    group.capacity += capacityOf(cluster);
  }
  return [...groups.values()].sort(compareGroups);
}

const compareGroups = (a: Group, b: Group) =>
  b.previous - a.previous ||
  b.capacity - a.capacity ||
  b.clusters.length - a.clusters.length ||
  compareNames(a.name, b.name);

const clusterCount = (groups: readonly Group[]) => groups.reduce((n, g) => n + g.clusters.length, 0);

/** The fewest groups (between min and max) holding `target` clusters, or undefined. */
function chooseGroups(ranked: readonly Group[], min: number, max: number, target: number): Group[] | undefined {
  for (let k = min; k <= Math.min(max, ranked.length); k++) {
    const chosen = ranked.slice(0, k);
    const rest = ranked.slice(k);
    // Replace the lowest-ranked choices with the biggest groups left until the target is met.
    for (let i = chosen.length - 1; i >= 0 && clusterCount(chosen) < target; i--) {
      const bigger = largestIndex(rest, (g) => g.clusters.length, chosen[i]!.clusters.length);
      if (bigger < 0) continue;
      [chosen[i], rest[bigger]] = [rest[bigger]!, chosen[i]!];
    }
    if (clusterCount(chosen) >= target) return chosen.sort(compareGroups);
  }
  return undefined;
}

/** Index of the item with the largest size above `floor` (the first on ties), or -1. */
function largestIndex<T>(items: readonly T[], size: (item: T) => number, floor: number): number {
  let best = -1;
  let bestSize = floor;
  for (const [i, item] of items.entries()) {
    if (size(item) > bestSize) [best, bestSize] = [i, size(item)];
  }
  return best;
}

/** Swaps the lowest-ranked selected clusters for unselected ones with more capacity until `need` fits. */
function swapForCapacity(
  selected: MemberCluster[],
  ranked: readonly MemberCluster[],
  need: number,
  capacityOf: (c: MemberCluster) => number,
): void {
  const total = () => selected.reduce((n, c) => n + capacityOf(c), 0);
  const rest = ranked.filter((c) => !selected.includes(c));
  for (let i = selected.length - 1; i >= 0 && total() < need; i--) {
    const bigger = largestIndex(rest, capacityOf, capacityOf(selected[i]!));
    if (bigger < 0) continue;
    [selected[i], rest[bigger]] = [rest[bigger]!, selected[i]!];
  }
}
