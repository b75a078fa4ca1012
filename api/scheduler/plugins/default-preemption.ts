// DefaultPreemption (PostFilter): when a pod fits nowhere, find a node where removing
// lower-priority pods would let it fit, keep as many of them as possible (reprieve), and pick
// the node whose victims matter least. The scheduler then nominates the node and deletes them.
import { fitErrorMessage } from "../fit-error.ts";
import { filterWithNominated, newCycle, runPreFilters, type Diagnosis, type Profile } from "../framework.ts";
import type { NodeInfo } from "../node-info.ts";
import { OverlaySnapshot, type Snapshot } from "../snapshot.ts";
import { unresolvable } from "../status.ts";
import type { PodInfo, Status } from "../types.ts";
import { matchesLabels, type LabelSelector } from "../../selectors/labels.ts";

export const NAME = "DefaultPreemption";
export const NOT_HELPFUL = "Preemption is not helpful for scheduling";
export const NO_VICTIMS = "No preemption victims found for incoming pod";
export const NOT_ELIGIBLE_POLICY = "not eligible due to preemptionPolicy=Never.";
export const NOT_ELIGIBLE_TERMINATING = "not eligible due to a terminating pod on the nominated node.";

const MIN_CANDIDATE_NODES_PERCENTAGE = 10;
const MIN_CANDIDATE_NODES_ABSOLUTE = 100;

/** A PodDisruptionBudget as preemption weighs it. */
export interface DisruptionBudget {
  namespace: string;
  selector: LabelSelector | null;
  disruptionsAllowed: number;
}

export interface Candidate {
  node: string;
  victims: PodInfo[];
  pdbViolations: number;
}

/** A candidate, or why there is none (and whether a stale nomination should be cleared). */
export type PreemptionResult = { candidate: Candidate } | { message: string; clearNomination: boolean };

const morePriority = (a: PodInfo, b: PodInfo) => b.priority - a.priority || a.created - b.created;

/** Whether `pod` may preempt at all (and is not already waiting for victims to leave). */
export function eligibleToPreempt(pod: PodInfo, snapshot: Snapshot, diagnosis: Diagnosis): string | undefined {
  if (pod.preemptionPolicy === "Never") return NOT_ELIGIBLE_POLICY;
  const nominated = pod.nominatedNodeName ? snapshot.get(pod.nominatedNodeName) : undefined;
  const status = nominated ? diagnosis.nodeStatuses.get(nominated.name) : undefined;
  if (nominated && status?.code !== "UnschedulableAndUnresolvable") {
    for (const other of nominated.pods.values()) {
      if (other.terminating && other.priority < pod.priority) return NOT_ELIGIBLE_TERMINATING;
    }
  }
  return undefined;
}

function fitsOn(profile: Profile, pod: PodInfo, snapshot: Snapshot, node: NodeInfo): Status | null {
  const ctx = newCycle(pod, new OverlaySnapshot(snapshot, node));
  const pre = runPreFilters(profile, ctx);
  if ("status" in pre) return pre.status;
  return filterWithNominated(profile, ctx, node, pre.skip);
}

/** Victims on one node, or why there are none. PDB-protected pods are reprieved first. */
export function selectVictimsOnNode(
  profile: Profile,
  pod: PodInfo,
  snapshot: Snapshot,
  node: NodeInfo,
  budgets: DisruptionBudget[],
): { candidate: Candidate } | { status: Status } {
  const trial = node.clone();
  const lower = [...trial.pods.values()].filter((p) => p.priority < pod.priority).sort(morePriority);
  if (lower.length === 0) return { status: unresolvable(NO_VICTIMS) };
  for (const victim of lower) trial.removePod(victim.key);
  const status = fitsOn(profile, pod, snapshot, trial);
  if (status !== null) return { status };

  const allowed = budgets.map((b) => b.disruptionsAllowed);
  const violates = (victim: PodInfo) => {
    let violation = false;
    budgets.forEach((b, i) => {
      if (b.namespace !== victim.namespace || !matchesLabels(b.selector, victim.labels)) return;
      allowed[i]! -= 1;
      if (allowed[i]! < 0) violation = true;
    });
    return violation;
  };
  const violating: PodInfo[] = [];
  const harmless: PodInfo[] = [];
  for (const victim of lower) (violates(victim) ? violating : harmless).push(victim);

  const victims: PodInfo[] = [];
  let pdbViolations = 0;
  const reprieve = (candidate: PodInfo, isViolating: boolean) => {
    trial.addPod(candidate);
    if (fitsOn(profile, pod, snapshot, trial) === null) return;
    trial.removePod(candidate.key);
    victims.push(candidate);
    if (isViolating) pdbViolations++;
  };
  for (const p of violating) reprieve(p, true);
  for (const p of harmless) reprieve(p, false);
  return { candidate: { node: node.name, victims: victims.sort(morePriority), pdbViolations } };
}

/** kube's pickOneNodeForPreemption criteria, in order. */
export function pickCandidate(candidates: Candidate[]): Candidate | undefined {
  const highest = (c: Candidate) => c.victims[0]?.priority ?? -Infinity;
  const sum = (c: Candidate) => c.victims.reduce((s, v) => s + v.priority + 2 ** 31, 0);
  const earliestOfHighest = (c: Candidate) => {
    const top = highest(c);
    return Math.min(...c.victims.filter((v) => v.priority === top).map((v) => v.created));
  };
  let best = candidates;
  const keep = (score: (c: Candidate) => number, prefer: "min" | "max") => {
    if (best.length <= 1) return;
    const values = best.map(score);
    const target = prefer === "min" ? Math.min(...values) : Math.max(...values);
    best = best.filter((_, i) => values[i] === target);
  };
  keep((c) => c.pdbViolations, "min");
  keep(highest, "min");
  keep(sum, "min");
  keep((c) => c.victims.length, "min");
  keep(earliestOfHighest, "max");
  return best[0];
}

export function preempt(
  profile: Profile,
  pod: PodInfo,
  snapshot: Snapshot,
  diagnosis: Diagnosis,
  budgets: DisruptionBudget[] = [],
  offset = 0,
): PreemptionResult {
  const ineligible = eligibleToPreempt(pod, snapshot, diagnosis);
  if (ineligible) return { message: `preemption: ${ineligible}`, clearNomination: false };
  const nodes = snapshot.nodes;
  const statuses = new Map<string, Status>();
  const candidates: Candidate[] = [];
  const wanted = Math.max(
    MIN_CANDIDATE_NODES_ABSOLUTE,
    Math.floor((nodes.length * MIN_CANDIDATE_NODES_PERCENTAGE) / 100),
  );
  for (let i = 0; i < nodes.length && candidates.length < wanted; i++) {
    const node = nodes[(offset + i) % nodes.length]!;
    const status = diagnosis.nodeStatuses.get(node.name);
    if (status && status.code !== "Unschedulable") {
      statuses.set(node.name, unresolvable(NOT_HELPFUL));
      continue;
    }
    const result = selectVictimsOnNode(profile, pod, snapshot, node, budgets);
    if ("candidate" in result) candidates.push(result.candidate);
    else statuses.set(node.name, result.status);
  }
  const chosen = pickCandidate(candidates);
  if (chosen) return { candidate: chosen };
  const message = fitErrorMessage({
    numAllNodes: nodes.length,
    nodeStatuses: statuses,
    unschedulablePlugins: new Set(),
  });
  return { message: `preemption: ${message}`, clearNomination: true };
}
