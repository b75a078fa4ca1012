// How many replicas a member cluster can take, and how a workload's replicas are divided between
// the clusters a placement chose (Karmada's Duplicated, static weight, dynamic weight and
// Aggregated strategies).
import { tryParseQuantity } from "../validation/quantity.ts";
import { clusterName, matchesAffinity } from "./cluster-filter.ts";
import type { MemberCluster, ReplicaSchedulingStrategy, ResourceList, TargetCluster } from "./types.ts";

// ---------------------------------------------------------------------------
// Capacity.

/** A quantity in whole units; cpu in millicores so "500m" requests divide exactly. */
function units(name: string, raw: string | undefined): number | undefined {
  const value = tryParseQuantity(raw);
  if (value === undefined) return undefined;
  return name === "cpu" ? Math.round(value * 1000) : Math.ceil(value);
}

/** allocatable − allocated − allocating for one resource; undefined when the cluster reports none. */
function free(summary: NonNullable<MemberCluster["status"]>["resourceSummary"], name: string): number | undefined {
  const allocatable = units(name, summary?.allocatable?.[name]);
  if (allocatable === undefined) return undefined;
  return allocatable - (units(name, summary?.allocated?.[name]) ?? 0) - (units(name, summary?.allocating?.[name]) ?? 0);
}

/**
 * Karmada's general estimator: how many more pods (with these per-pod `requests`, when given) fit
 * in the cluster by its `status.resourceSummary`. A cluster without a summary, or without room for
 * pods, can take none: as in Karmada, unknown capacity counts as none. Flotilla's cluster
 * controller fills the summary from the member's nodes, so Ready members do have one. Only
 * the Divided strategies that weigh capacity (dynamic weight, Aggregated) look at this.
 */
export function availableReplicas(cluster: MemberCluster, requests?: ResourceList): number {
  const summary = cluster.status?.resourceSummary;
  if (!summary) return 0;
  let fit = Math.max(free(summary, "pods") ?? 0, 0);
  for (const [name, raw] of Object.entries(requests ?? {})) {
    if (name === "pods") continue;
    const request = units(name, raw);
    if (request === undefined || request <= 0) continue;
    const left = free(summary, name) ?? 0;
    fit = Math.min(fit, left > 0 ? Math.floor(left / request) : 0);
  }
  return fit;
}

// ---------------------------------------------------------------------------
// Division.

export type DivisionKind = "Duplicated" | "StaticWeight" | "DynamicWeight" | "Aggregated";

/**
 * No replicaScheduling (or Duplicated): every cluster runs all replicas. Divided: Aggregated, or
 * Weighted — by available replicas when dynamicWeight is set, else by the static list, where an
 * absent list (or no preference at all) means equal weights.
 */
export function divisionKind(strategy: ReplicaSchedulingStrategy | undefined): DivisionKind {
  if (strategy?.replicaSchedulingType !== "Divided") return "Duplicated";
  if (strategy.replicaDivisionPreference === "Aggregated") return "Aggregated";
  return strategy.weightPreference?.dynamicWeight === "AvailableReplicas" ? "DynamicWeight" : "StaticWeight";
}

interface Weight {
  name: string;
  weight: number;
}

/**
 * `total` split in proportion to the weights, largest remainder first: floor shares, then one
 * more to the largest fractional parts; ties go to the larger weight, then the name. All weights
 * 0 means equal weights.
 */
export function splitByWeight(total: number, weights: readonly Weight[]): Map<string, number> {
  const usable = weights.some((w) => w.weight > 0) ? weights : weights.map((w) => ({ ...w, weight: 1 }));
  const sum = usable.reduce((n, w) => n + Math.max(w.weight, 0), 0);
  const shares = usable.map((w) => {
    const scaled = total * Math.max(w.weight, 0);
    // Remainders compare as numerators over the same `sum`: exact, no floating-point ties.
    return { ...w, replicas: Math.floor(scaled / sum), remainder: scaled % sum };
  });
  let left = total - shares.reduce((n, s) => n + s.replicas, 0);
  const byRemainder = [...shares].sort(
    (a, b) => b.remainder - a.remainder || b.weight - a.weight || compareNames(a.name, b.name),
  );
  for (const share of byRemainder) {
    if (left <= 0) break;
    share.replicas++;
    left--;
  }
  return new Map(shares.map((s) => [s.name, s.replicas]));
}

/** Non-zero entries, sorted by name: the shape of a ResourceBinding's `spec.clusters`. */
function targets(replicas: ReadonlyMap<string, number>): TargetCluster[] {
  return [...replicas]
    .filter(([, n]) => n > 0)
    .map(([name, n]) => ({ name, replicas: n }))
    .sort(byName);
}

const compareNames = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byName = (a: TargetCluster, b: TargetCluster) => compareNames(a.name, b.name);

/** Weight of each cluster: the largest weight of the entries whose targetCluster it matches, else 0. */
function staticWeights(clusters: readonly MemberCluster[], strategy: ReplicaSchedulingStrategy | undefined): Weight[] {
  const list = strategy?.weightPreference?.staticWeightList ?? [];
  return clusters.map((cluster) => ({
    name: clusterName(cluster),
    weight: list.reduce(
      (w, entry) => (matchesAffinity(cluster, entry.targetCluster) ? Math.max(w, entry.weight) : w),
      0,
    ),
  }));
}

/** The previous result restricted to clusters still chosen, with replicas. */
function keptPrevious(names: ReadonlySet<string>, previous: readonly TargetCluster[]): TargetCluster[] {
  return previous.filter((t) => names.has(t.name) && (t.replicas ?? 0) > 0);
}

const sumReplicas = (list: readonly TargetCluster[]) => list.reduce((n, t) => n + (t.replicas ?? 0), 0);

/**
 * Replicas still to place by capacity (dynamic weight, Aggregated) and why the clusters cannot
 * hold them, in Karmada's words; undefined when they can (or the strategy ignores capacity).
 */
export function capacityShortfall(
  replicas: number,
  clusters: readonly MemberCluster[],
  strategy: ReplicaSchedulingStrategy | undefined,
  available: ReadonlyMap<string, number>,
  previous: readonly TargetCluster[] = [],
): string | undefined {
  const kind = divisionKind(strategy);
  if (kind !== "DynamicWeight" && kind !== "Aggregated") return undefined;
  const names = clusters.map(clusterName);
  const need = replicas - sumReplicas(keptPrevious(new Set(names), previous));
  const total = names.reduce((n, name) => n + (available.get(name) ?? 0), 0);
  return need > 0 && total < need ? `Clusters available replicas ${total} are not enough to schedule.` : undefined;
}

/**
 * Divides `replicas` between `clusters`. Duplicated gives every cluster all of them; static
 * weights are a pure function of the weights (the previous result plays no part).
 *
 * Dynamic weight and Aggregated follow Karmada's "steady" assignment so that replicas do not move
 * needlessly: the previous result (on clusters still chosen) is kept as is when its total matches;
 * a scale-down shrinks it in proportion to what each cluster runs (Aggregated first drops the
 * smallest shares it can do without); a scale-up — and a first schedule, or replicas whose cluster
 * was lost — places only the missing replicas, weighted by `available` (free capacity), and adds
 * them to what runs. Aggregated places them on as few clusters as can hold them: clusters it
 * already uses first, then the biggest. Callers check `capacityShortfall` first; here a shortfall
 * still yields a full (over-committed) division.
 */
export function divideReplicas(
  replicas: number,
  clusters: readonly MemberCluster[],
  strategy: ReplicaSchedulingStrategy | undefined,
  available: ReadonlyMap<string, number>,
  previous: readonly TargetCluster[] = [],
): TargetCluster[] {
  const kind = divisionKind(strategy);
  if (kind === "Duplicated") return clusters.map((c) => ({ name: clusterName(c), replicas })).sort(byName);
  if (replicas <= 0) return [];
  if (kind === "StaticWeight") return targets(splitByWeight(replicas, staticWeights(clusters, strategy)));

  const names = clusters.map(clusterName);
  const kept = keptPrevious(new Set(names), previous);
  const assigned = sumReplicas(kept);
  if (kept.length > 0 && assigned === replicas) return targets(asMap(kept));
  if (assigned > replicas) return targets(scaleDown(replicas, kind, kept));

  const added = placeByCapacity(replicas - assigned, kind, names, available, new Set(kept.map((t) => t.name)));
  const merged = asMap(kept);
  for (const [name, n] of added) merged.set(name, (merged.get(name) ?? 0) + n);
  return targets(merged);
}

const asMap = (list: readonly TargetCluster[]) => new Map(list.map((t) => [t.name, t.replicas ?? 0]));

function scaleDown(replicas: number, kind: DivisionKind, kept: readonly TargetCluster[]): Map<string, number> {
  let from = [...kept].sort((a, b) => (b.replicas ?? 0) - (a.replicas ?? 0) || byName(a, b));
  if (kind === "Aggregated") from = fewestHolding(from, replicas, (t) => t.replicas ?? 0);
  return splitByWeight(
    replicas,
    from.map((t) => ({ name: t.name, weight: t.replicas ?? 0 })),
  );
}

function placeByCapacity(
  replicas: number,
  kind: DivisionKind,
  names: readonly string[],
  available: ReadonlyMap<string, number>,
  used: ReadonlySet<string>,
): Map<string, number> {
  const free = (name: string) => Math.max(available.get(name) ?? 0, 0);
  let order = [...names].sort(
    (a, b) => Number(used.has(b)) - Number(used.has(a)) || free(b) - free(a) || compareNames(a, b),
  );
  if (kind === "Aggregated") order = fewestHolding(order, replicas, free);
  return splitByWeight(
    replicas,
    order.map((name) => ({ name, weight: free(name) })),
  );
}

/** The shortest prefix of `ordered` whose sizes add up to `need` (all of it when none does). */
function fewestHolding<T>(ordered: readonly T[], need: number, size: (item: T) => number): T[] {
  let sum = 0;
  for (const [i, item] of ordered.entries()) {
    sum += size(item);
    if (sum >= need) return ordered.slice(0, i + 1);
  }
  return [...ordered];
}
