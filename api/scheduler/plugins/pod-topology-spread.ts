// PodTopologySpread: topologySpreadConstraints. DoNotSchedule constraints filter nodes whose
// domain would exceed maxSkew over the least-loaded domain; ScheduleAnyway ones score nodes
// by how many matching pods their domain already holds.
import { matchesLabels } from "../../selectors/labels.ts";
import { MAX_NODE_SCORE, type CycleContext, type FilterPlugin, type ScorePlugin } from "../framework.ts";
import type { NodeInfo } from "../node-info.ts";
import { unresolvable, unschedulable } from "../status.ts";
import { firstUntolerated } from "../taints.ts";
import type { PodInfo, TopologySpreadConstraint } from "../types.ts";
import { requiredNodeAffinityMatches } from "./node-affinity.ts";

export const NAME = "PodTopologySpread";
export const ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
export const ERR_REASON_NODE_LABEL_NOT_MATCH = ERR_REASON_CONSTRAINTS_NOT_MATCH + " (missing required label)";

const TAINT_EFFECTS = new Set(["NoSchedule", "NoExecute"]);

interface SpreadCounts {
  constraints: TopologySpreadConstraint[];
  /** Per constraint: topology value → matching pods in that domain. */
  counts: Array<Map<string, number>>;
}

/** Whether `node` takes part in the spread of `pod` (node inclusion policies, required keys). */
function eligible(pod: PodInfo, node: NodeInfo, constraints: TopologySpreadConstraint[]): boolean {
  const view = node.node;
  if (!view) return false;
  for (const c of constraints) if (!(c.topologyKey in view.labels)) return false;
  if (constraints.some((c) => c.nodeAffinityPolicy === "Honor") && !requiredNodeAffinityMatches(pod, view))
    return false;
  if (
    constraints.some((c) => c.nodeTaintsPolicy === "Honor") &&
    firstUntolerated(view.taints, pod.tolerations ?? [], TAINT_EFFECTS) !== undefined
  )
    return false;
  return true;
}

/** Pods on `node` in the pod's namespace that `constraint` selects (terminating pods do not count). */
function matchingPods(pod: PodInfo, node: NodeInfo, constraint: TopologySpreadConstraint): number {
  let n = 0;
  for (const existing of node.pods.values()) {
    if (existing.terminating || existing.namespace !== pod.namespace) continue;
    if (matchesLabels(constraint.selector, existing.labels)) n++;
  }
  return n;
}

function countDomains(ctx: CycleContext, constraints: TopologySpreadConstraint[]): SpreadCounts {
  const counts = constraints.map(() => new Map<string, number>());
  for (const node of ctx.snapshot.nodes) {
    if (!eligible(ctx.pod, node, constraints)) continue;
    const labels = node.node!.labels;
    constraints.forEach((c, i) => {
      const value = labels[c.topologyKey]!;
      counts[i]!.set(value, (counts[i]!.get(value) ?? 0) + matchingPods(ctx.pod, node, c));
    });
  }
  return { constraints, counts };
}

/** The smallest count among the domains; 0 while fewer domains exist than minDomains asks. */
function minMatch(constraint: TopologySpreadConstraint, counts: Map<string, number>): number {
  if (constraint.minDomains !== undefined && counts.size < constraint.minDomains) return 0;
  let min = Infinity;
  for (const n of counts.values()) if (n < min) min = n;
  return min === Infinity ? 0 : min;
}

const hard = (pod: PodInfo) => (pod.topologySpread ?? []).filter((c) => c.whenUnsatisfiable === "DoNotSchedule");
const soft = (pod: PodInfo) => (pod.topologySpread ?? []).filter((c) => c.whenUnsatisfiable === "ScheduleAnyway");

interface FilterState extends SpreadCounts {
  mins: number[];
}

export const podTopologySpread: FilterPlugin & ScorePlugin = {
  name: NAME,
  weight: 2,
  preFilter(ctx) {
    const constraints = hard(ctx.pod);
    if (constraints.length === 0) return "skip";
    const counted = countDomains(ctx, constraints);
    const state: FilterState = { ...counted, mins: constraints.map((c, i) => minMatch(c, counted.counts[i]!)) };
    ctx.state.set(NAME, state);
    return null;
  },
  filter(ctx, node) {
    const state = ctx.state.get(NAME) as FilterState | undefined;
    const labels = node.node?.labels;
    if (!state || !labels) return null;
    for (let i = 0; i < state.constraints.length; i++) {
      const c = state.constraints[i]!;
      const value = labels[c.topologyKey];
      if (value === undefined) return unresolvable(ERR_REASON_NODE_LABEL_NOT_MATCH);
      const self = matchesLabels(c.selector, ctx.pod.labels) ? 1 : 0;
      const skew = (state.counts[i]!.get(value) ?? 0) + self - state.mins[i]!;
      if (skew > c.maxSkew) return unschedulable(ERR_REASON_CONSTRAINTS_NOT_MATCH);
    }
    return null;
  },
  preScore(ctx) {
    const constraints = soft(ctx.pod);
    if (constraints.length === 0) return false;
    ctx.state.set(NAME + "/score", countDomains(ctx, constraints));
    return true;
  },
  score(ctx, node) {
    const state = ctx.state.get(NAME + "/score") as SpreadCounts | undefined;
    const labels = node.node?.labels;
    if (!state || !labels) return 0;
    let total = 0;
    for (let i = 0; i < state.constraints.length; i++) {
      const c = state.constraints[i]!;
      const value = labels[c.topologyKey];
      if (value === undefined) return -1; // ignored node: scores 0 after normalizing
      // More domains weigh a constraint more (log(n+2)); maxSkew-1 keeps small skews equal.
      const weight = Math.log(state.counts[i]!.size + 2);
      total += (state.counts[i]!.get(value) ?? 0) * weight + (c.maxSkew - 1);
    }
    return total;
  },
  normalizeScore(_ctx, scores) {
    let min = Infinity;
    let max = 0;
    for (const s of scores) {
      if (s < 0) continue;
      if (s < min) min = s;
      if (s > max) max = s;
    }
    for (let i = 0; i < scores.length; i++) {
      const s = scores[i]!;
      if (s < 0) scores[i] = 0;
      else if (max === 0) scores[i] = MAX_NODE_SCORE;
      else scores[i] = Math.trunc((MAX_NODE_SCORE * (max + min - s)) / max);
    }
  },
};
