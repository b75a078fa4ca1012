// The scheduling framework's cycle for one pod: PreFilter, Filter over (a sample of) the nodes,
// PreScore/Score/NormalizeScore over the feasible ones, weighted sum, pick the best.
import type { NodeInfo } from "./node-info.ts";
import type { Snapshot } from "./snapshot.ts";
import type { PreFilterResult } from "./status.ts";
import type { MaybeStatus, PodInfo, Status } from "./types.ts";

export const MAX_NODE_SCORE = 100;

export interface CycleContext {
  readonly pod: PodInfo;
  readonly snapshot: Snapshot;
  /** Plugin-private data computed in PreFilter/PreScore, keyed by plugin name. */
  readonly state: Map<string, unknown>;
}

export interface FilterPlugin {
  readonly name: string;
  preFilter?(ctx: CycleContext): PreFilterResult;
  filter(ctx: CycleContext, node: NodeInfo): MaybeStatus;
}

export interface ScorePlugin {
  readonly name: string;
  readonly weight: number;
  /** False: nothing to score for this pod (every node scores 0). */
  preScore?(ctx: CycleContext, nodes: readonly NodeInfo[]): boolean;
  score(ctx: CycleContext, node: NodeInfo): number;
  /** Rescales the scores (in node order) to 0..MAX_NODE_SCORE, in place. */
  normalizeScore?(ctx: CycleContext, scores: number[]): void;
}

export interface Profile {
  schedulerName: string;
  filters: FilterPlugin[];
  scores: ScorePlugin[];
  /** kube's percentageOfNodesToScore; 0 = adaptive. */
  percentageOfNodesToScore: number;
}

/** Why a pod fits nowhere: every node's rejection, as FailedScheduling reports it. */
export interface Diagnosis {
  numAllNodes: number;
  nodeStatuses: Map<string, Status>;
  /** Set when a PreFilter rejected the pod outright. */
  preFilterMsg?: string;
  unschedulablePlugins: Set<string>;
  /** The preemption outcome, appended to the message. */
  postFilterMsg?: string;
}

export type ScheduleResult =
  { node: string; evaluatedNodes: number; feasibleNodes: number } | { node?: undefined; diagnosis: Diagnosis };

const MIN_FEASIBLE_NODES_TO_FIND = 100;
const MIN_FEASIBLE_PERCENTAGE = 5;

/** How many feasible nodes to look for before scoring (kube's adaptive sampling for big clusters). */
export function numFeasibleNodesToFind(numAllNodes: number, percentage = 0): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) return numAllNodes;
  let pct = percentage;
  if (pct <= 0) pct = Math.max(MIN_FEASIBLE_PERCENTAGE, 50 - Math.floor(numAllNodes / 125));
  if (pct >= 100) return numAllNodes;
  return Math.max(MIN_FEASIBLE_NODES_TO_FIND, Math.floor((numAllNodes * pct) / 100));
}

export function newCycle(pod: PodInfo, snapshot: Snapshot): CycleContext {
  return { pod, snapshot, state: new Map() };
}

/** Runs PreFilter of every plugin; answers the plugins to skip, or the rejecting status. */
export function runPreFilters(profile: Profile, ctx: CycleContext): { skip: Set<string> } | { status: Status } {
  const skip = new Set<string>();
  for (const plugin of profile.filters) {
    const result = plugin.preFilter?.(ctx) ?? null;
    if (result === "skip") skip.add(plugin.name);
    else if (result !== null) return { status: { ...result, plugin: result.plugin ?? plugin.name } };
  }
  return { skip };
}

/** Filter plugins in order; the first rejection decides (as kube's RunFilterPlugins). */
export function runFilters(
  profile: Profile,
  ctx: CycleContext,
  node: NodeInfo,
  skip: ReadonlySet<string>,
): MaybeStatus {
  for (const plugin of profile.filters) {
    if (skip.has(plugin.name)) continue;
    const status = plugin.filter(ctx, node);
    if (status !== null) return status.plugin ? status : { ...status, plugin: plugin.name };
  }
  return null;
}

/**
 * Filters `node` as kube's RunFilterPluginsWithNominatedPods: when pods of at least this pod's
 * priority are nominated to it, the pod must fit with them added (their room is reserved) and
 * also without them (filters such as inter-pod affinity may pass only thanks to them).
 */
export function filterWithNominated(
  profile: Profile,
  ctx: CycleContext,
  node: NodeInfo,
  skip: ReadonlySet<string>,
): MaybeStatus {
  const ahead = ctx.snapshot.nominatedAhead?.(node.name, ctx.pod) ?? [];
  if (ahead.length > 0) {
    const reserved = node.clone();
    for (const pod of ahead) reserved.addPod(pod);
    const status = runFilters(profile, ctx, reserved, skip);
    if (status !== null) return status;
  }
  return runFilters(profile, ctx, node, skip);
}

export class Scheduler {
  readonly profile: Profile;
  private readonly random: () => number;
  private nextStartNodeIndex = 0;

  constructor(profile: Profile, random: () => number = Math.random) {
    this.profile = profile;
    this.random = random;
  }

  schedule(pod: PodInfo, snapshot: Snapshot): ScheduleResult {
    const nodes = snapshot.nodes;
    const diagnosis: Diagnosis = {
      numAllNodes: nodes.length,
      nodeStatuses: new Map(),
      unschedulablePlugins: new Set(),
    };
    if (nodes.length === 0) return { diagnosis };
    const ctx = newCycle(pod, snapshot);
    const pre = runPreFilters(this.profile, ctx);
    if ("status" in pre) {
      diagnosis.preFilterMsg = pre.status.reasons.join(", ");
      for (const node of nodes) diagnosis.nodeStatuses.set(node.name, pre.status);
      if (pre.status.plugin) diagnosis.unschedulablePlugins.add(pre.status.plugin);
      return { diagnosis };
    }
    // A pod that preempted for a node tries that node first.
    if (pod.nominatedNodeName) {
      const nominated = snapshot.get(pod.nominatedNodeName);
      if (nominated?.node && filterWithNominated(this.profile, ctx, nominated, pre.skip) === null) {
        return { node: nominated.name, evaluatedNodes: 1, feasibleNodes: 1 };
      }
    }
    const wanted = numFeasibleNodesToFind(nodes.length, this.profile.percentageOfNodesToScore);
    const feasible: NodeInfo[] = [];
    const start = this.nextStartNodeIndex % nodes.length;
    let processed = 0;
    for (; processed < nodes.length && feasible.length < wanted; processed++) {
      const node = nodes[(start + processed) % nodes.length]!;
      const status = filterWithNominated(this.profile, ctx, node, pre.skip);
      if (status === null) feasible.push(node);
      else {
        diagnosis.nodeStatuses.set(node.name, status);
        if (status.plugin) diagnosis.unschedulablePlugins.add(status.plugin);
      }
    }
    this.nextStartNodeIndex = (start + processed) % nodes.length;
    if (feasible.length === 0) return { diagnosis };
    if (feasible.length === 1) return { node: feasible[0]!.name, evaluatedNodes: processed, feasibleNodes: 1 };
    const totals = this.scoreNodes(ctx, feasible);
    return { node: this.pick(feasible, totals), evaluatedNodes: processed, feasibleNodes: feasible.length };
  }

  /** Weighted sum of every score plugin's normalized scores, per feasible node. */
  scoreNodes(ctx: CycleContext, nodes: readonly NodeInfo[]): number[] {
    const totals = new Array<number>(nodes.length).fill(0);
    for (const plugin of this.profile.scores) {
      if (plugin.preScore && !plugin.preScore(ctx, nodes)) continue;
      const scores = nodes.map((node) => plugin.score(ctx, node));
      plugin.normalizeScore?.(ctx, scores);
      for (let i = 0; i < nodes.length; i++) totals[i]! += scores[i]! * plugin.weight;
    }
    return totals;
  }

  /** The highest total; ties broken at random (reservoir sampling, as kube's selectHost). */
  private pick(nodes: readonly NodeInfo[], totals: number[]): string {
    let best = 0;
    let ties = 1;
    for (let i = 1; i < nodes.length; i++) {
      if (totals[i]! > totals[best]!) {
        best = i;
        ties = 1;
      } else if (totals[i] === totals[best]) {
        ties += 1;
        if (this.random() * ties < 1) best = i;
      }
    }
    return nodes[best]!.name;
  }
}

/** kube's DefaultNormalizeScore: scale to 0..MAX by the highest score, optionally reversed. */
export function defaultNormalizeScore(scores: number[], reverse: boolean): void {
  let max = 0;
  for (const s of scores) if (s > max) max = s;
  if (max === 0) {
    if (reverse) scores.fill(MAX_NODE_SCORE);
    return;
  }
  for (let i = 0; i < scores.length; i++) {
    let s = Math.trunc((MAX_NODE_SCORE * scores[i]!) / max);
    if (reverse) s = MAX_NODE_SCORE - s;
    scores[i] = s;
  }
}
