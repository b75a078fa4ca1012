// InterPodAffinity: required pod affinity / anti-affinity by topology domain (the incoming
// pod's terms, and existing pods' anti-affinity against it) filter nodes; preferred terms,
// in both directions, score them.
import { termSelects, type NamespaceLabels } from "../affinity-terms.ts";
import { MAX_NODE_SCORE, type CycleContext, type FilterPlugin, type ScorePlugin } from "../framework.ts";
import { unresolvable, unschedulable } from "../status.ts";
import type { AffinityTerm, PodInfo } from "../types.ts";
import { nodesWithAffinityPods } from "../snapshot.ts";

export const NAME = "InterPodAffinity";
export const ERR_REASON_AFFINITY = "node(s) didn't match pod affinity rules";
export const ERR_REASON_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";
export const ERR_REASON_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";
/** Weight of an existing pod's required affinity term that matches the incoming pod, in scoring. */
export const HARD_POD_AFFINITY_WEIGHT = 1;

/** topologyKey → topology value → count (or score). */
type TopologyCounts = Map<string, Map<string, number>>;

function bump(counts: TopologyCounts, key: string, value: string, by: number): void {
  let values = counts.get(key);
  if (!values) counts.set(key, (values = new Map()));
  values.set(value, (values.get(value) ?? 0) + by);
}

const countAt = (counts: TopologyCounts, key: string, value: string | undefined) =>
  value === undefined ? 0 : (counts.get(key)?.get(value) ?? 0);

interface FilterState {
  /** Domains holding an existing pod whose required anti-affinity selects the incoming pod. */
  existingAnti: TopologyCounts;
  /** Domains holding pods selected by the incoming pod's required (anti-)affinity terms. */
  affinity: TopologyCounts;
  anti: TopologyCounts;
  affinityMatchedAnywhere: boolean;
}

const selectsPod = (term: AffinityTerm, pod: PodInfo, nsLabels: NamespaceLabels) =>
  termSelects(term, pod.namespace, pod.labels, nsLabels);

function preFilterState(ctx: CycleContext): FilterState {
  const pod = ctx.pod;
  const nsLabels = ctx.snapshot.namespaceLabels;
  const state: FilterState = {
    existingAnti: new Map(),
    affinity: new Map(),
    anti: new Map(),
    affinityMatchedAnywhere: false,
  };
  const ownTerms = (pod.requiredAffinity?.length ?? 0) + (pod.requiredAntiAffinity?.length ?? 0) > 0;
  // Without terms of its own, only existing pods' anti-affinity can reject it.
  for (const node of ownTerms ? ctx.snapshot.nodes : nodesWithAffinityPods(ctx.snapshot)) {
    const labels = node.node?.labels;
    if (!labels) continue;
    if (node.requiredAntiAffinityPods.size > 0) {
      for (const existing of node.requiredAntiAffinityPods.values()) {
        for (const term of existing.requiredAntiAffinity ?? []) {
          const value = labels[term.topologyKey];
          if (value !== undefined && selectsPod(term, pod, nsLabels))
            bump(state.existingAnti, term.topologyKey, value, 1);
        }
      }
    }
    if (!ownTerms) continue;
    for (const existing of node.pods.values()) {
      for (const term of pod.requiredAffinity ?? []) {
        if (!selectsPod(term, existing, nsLabels)) continue;
        const value = labels[term.topologyKey];
        if (value !== undefined) {
          bump(state.affinity, term.topologyKey, value, 1);
          state.affinityMatchedAnywhere = true;
        }
      }
      for (const term of pod.requiredAntiAffinity ?? []) {
        const value = labels[term.topologyKey];
        if (value !== undefined && selectsPod(term, existing, nsLabels)) bump(state.anti, term.topologyKey, value, 1);
      }
    }
  }
  return state;
}

function satisfiesAffinity(ctx: CycleContext, state: FilterState, labels: Record<string, string>): boolean {
  const terms = ctx.pod.requiredAffinity;
  if (!terms) return true;
  let podsExist = true;
  for (const term of terms) {
    const value = labels[term.topologyKey];
    if (value === undefined) return false;
    if (countAt(state.affinity, term.topologyKey, value) <= 0) podsExist = false;
  }
  if (podsExist) return true;
  // The first pod of a group that selects itself may go anywhere its topology keys exist.
  return !state.affinityMatchedAnywhere && terms.every((t) => selectsPod(t, ctx.pod, ctx.snapshot.namespaceLabels));
}

function satisfiesAntiAffinity(ctx: CycleContext, state: FilterState, labels: Record<string, string>): boolean {
  for (const term of ctx.pod.requiredAntiAffinity ?? []) {
    if (countAt(state.anti, term.topologyKey, labels[term.topologyKey]) > 0) return false;
  }
  return true;
}

function satisfiesExistingAntiAffinity(state: FilterState, labels: Record<string, string>): boolean {
  for (const [key, values] of state.existingAnti) {
    const value = labels[key];
    if (value !== undefined && (values.get(value) ?? 0) > 0) return false;
  }
  return true;
}

interface ScoreState {
  scores: TopologyCounts;
}

/** Adds the preferred (and existing pods' required) affinity relations between `pod` and `existing`. */
function scoreExisting(
  scores: TopologyCounts,
  pod: PodInfo,
  existing: PodInfo,
  labels: Record<string, string>,
  nsLabels: NamespaceLabels,
): void {
  const add = (key: string, weight: number) => {
    const value = labels[key];
    if (value !== undefined && weight !== 0) bump(scores, key, value, weight);
  };
  for (const { weight, term } of pod.preferredAffinity ?? [])
    if (selectsPod(term, existing, nsLabels)) add(term.topologyKey, weight);
  for (const { weight, term } of pod.preferredAntiAffinity ?? [])
    if (selectsPod(term, existing, nsLabels)) add(term.topologyKey, -weight);
  for (const term of existing.requiredAffinity ?? [])
    if (selectsPod(term, pod, nsLabels)) add(term.topologyKey, HARD_POD_AFFINITY_WEIGHT);
  for (const { weight, term } of existing.preferredAffinity ?? [])
    if (selectsPod(term, pod, nsLabels)) add(term.topologyKey, weight);
  for (const { weight, term } of existing.preferredAntiAffinity ?? [])
    if (selectsPod(term, pod, nsLabels)) add(term.topologyKey, -weight);
}

export const interPodAffinity: FilterPlugin & ScorePlugin = {
  name: NAME,
  weight: 2,
  preFilter(ctx) {
    const state = preFilterState(ctx);
    const relevant =
      state.existingAnti.size > 0 ||
      ctx.pod.requiredAffinity !== undefined ||
      ctx.pod.requiredAntiAffinity !== undefined;
    if (!relevant) return "skip";
    ctx.state.set(NAME, state);
    return null;
  },
  filter(ctx, node) {
    const state = ctx.state.get(NAME) as FilterState | undefined;
    const labels = node.node?.labels;
    if (!state || !labels) return null;
    if (!satisfiesAffinity(ctx, state, labels)) return unresolvable(ERR_REASON_AFFINITY);
    if (!satisfiesAntiAffinity(ctx, state, labels)) return unschedulable(ERR_REASON_ANTI_AFFINITY);
    if (!satisfiesExistingAntiAffinity(state, labels)) return unschedulable(ERR_REASON_EXISTING_ANTI_AFFINITY);
    return null;
  },
  preScore(ctx, nodes) {
    const pod = ctx.pod;
    const hasPreferred = (pod.preferredAffinity?.length ?? 0) + (pod.preferredAntiAffinity?.length ?? 0) > 0;
    const nsLabels = ctx.snapshot.namespaceLabels;
    const scores: TopologyCounts = new Map();
    for (const node of hasPreferred ? ctx.snapshot.nodes : nodesWithAffinityPods(ctx.snapshot)) {
      const labels = node.node?.labels;
      if (!labels) continue;
      // Without preferred terms of its own, only existing pods' terms can score.
      for (const existing of (hasPreferred ? node.pods : node.affinityPods).values())
        scoreExisting(scores, pod, existing, labels, nsLabels);
    }
    if (scores.size === 0 || nodes.length === 0) return false;
    ctx.state.set(NAME + "/score", { scores } satisfies ScoreState);
    return true;
  },
  score(ctx, node) {
    const state = ctx.state.get(NAME + "/score") as ScoreState | undefined;
    const labels = node.node?.labels;
    if (!state || !labels) return 0;
    let total = 0;
    for (const [key, values] of state.scores) {
      const value = labels[key];
      if (value !== undefined) total += values.get(value) ?? 0;
    }
    return total;
  },
  normalizeScore(_ctx, scores) {
    let min = Infinity;
    let max = -Infinity;
    for (const s of scores) {
      if (s < min) min = s;
      if (s > max) max = s;
    }
    const diff = max - min;
    for (let i = 0; i < scores.length; i++) {
      scores[i] = diff > 0 ? Math.trunc((MAX_NODE_SCORE * (scores[i]! - min)) / diff) : 0;
    }
  },
};
