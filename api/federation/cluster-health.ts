// A member cluster's status from one probe, as Karmada's cluster status controller computes it:
// the Ready condition (with a grace period, so one failed probe is not an outage), the taints that
// keep new work off an unhealthy member, and node and resource summaries from its nodes and pods.
import { add, formatAmount, ZERO, type Amount } from "../admission/amount.ts";
import { amountsOf, podRequests } from "../admission/resources.ts";
import { setCondition } from "../controllers/common/conditions.ts";
import type { KubeObject } from "../types.ts";
import {
  TAINT_NOT_READY,
  TAINT_UNREACHABLE,
  type Condition,
  type MemberClusterStatus,
  type ResourceList,
  type Taint,
} from "./types.ts";

/** How long a member may fail its probes before it is NotReady (Karmada's cluster failure threshold). */
export const FAILURE_GRACE_MS = 40_000;
/** How often members are probed (Karmada's --cluster-status-update-frequency). */
export const PROBE_INTERVAL_MS = 10_000;

export type Probe =
  | {
      outcome: "ready";
      kubernetesVersion?: string;
      nodes: KubeObject[];
      pods: KubeObject[];
      apiEnablements?: MemberClusterStatus["apiEnablements"];
    }
  /** It answered, but /readyz (and /healthz) said it is not ready. */
  | { outcome: "not-ready"; message: string }
  /** No answer, a network error, or a credential it refused. */
  | { outcome: "unreachable"; message: string };

export interface HealthInput {
  status: MemberClusterStatus | undefined;
  taints: Taint[] | undefined;
  probe: Probe;
  /** When probes started failing (undefined: the last one succeeded). */
  failingSince: number | undefined;
  now: number;
}

export interface HealthResult {
  status: MemberClusterStatus;
  taints: Taint[];
}

const READY = "Ready";

export function clusterHealth(input: HealthInput): HealthResult {
  const { probe, now } = input;
  const previous = input.status ?? {};
  const previousReady = previous.conditions?.find((c) => c.type === READY);
  const stamp = new Date(now).toISOString();

  let ready: Condition;
  let status: MemberClusterStatus = { ...previous };
  if (probe.outcome === "ready") {
    ready = {
      type: READY,
      status: "True",
      reason: "ClusterReady",
      message: "cluster is healthy and ready to accept workloads",
    };
    status = {
      ...status,
      kubernetesVersion: probe.kubernetesVersion ?? previous.kubernetesVersion,
      apiEnablements: probe.apiEnablements ?? previous.apiEnablements,
      nodeSummary: nodeSummary(probe.nodes),
      resourceSummary: resourceSummary(probe.nodes, probe.pods),
    };
  } else {
    const withinGrace =
      previousReady?.status === "True" &&
      input.failingSince !== undefined &&
      now - input.failingSince < FAILURE_GRACE_MS;
    ready = withinGrace
      ? previousReady
      : {
          type: READY,
          status: "False",
          reason: probe.outcome === "unreachable" ? "ClusterNotReachable" : "ClusterNotReady",
          message: probe.message,
        };
  }
  ready = {
    ...ready,
    lastTransitionTime:
      previousReady && previousReady.status === ready.status ? previousReady.lastTransitionTime : stamp,
  };
  status.conditions = setCondition(previous.conditions, ready);
  return { status, taints: taintsFor(input.taints ?? [], ready, probe, stamp) };
}

/** Karmada's built-in taints: not-ready when the member says it isn't, unreachable when it can't say. */
function taintsFor(current: Taint[], ready: Condition, probe: Probe, stamp: string): Taint[] {
  const wanted =
    ready.status === "True" ? undefined : probe.outcome === "unreachable" ? TAINT_UNREACHABLE : TAINT_NOT_READY;
  const kept = current.filter((t) => (t.key !== TAINT_NOT_READY && t.key !== TAINT_UNREACHABLE) || t.key === wanted);
  if (wanted && !kept.some((t) => t.key === wanted && t.effect === "NoSchedule")) {
    kept.push({ key: wanted, effect: "NoSchedule", timeAdded: stamp });
  }
  return kept;
}

const isReadyNode = (node: KubeObject) =>
  ((node.status as { conditions?: Condition[] } | undefined)?.conditions ?? []).some(
    (c) => c.type === "Ready" && c.status === "True",
  );

function nodeSummary(nodes: KubeObject[]): MemberClusterStatus["nodeSummary"] {
  return { totalNum: nodes.length, readyNum: nodes.filter(isReadyNode).length };
}

const SUMMARIZED = ["cpu", "memory", "pods", "ephemeral-storage"];

/** Allocatable of the ready, schedulable nodes; allocated: requests of the pods bound to them that still run. */
function resourceSummary(nodes: KubeObject[], pods: KubeObject[]): MemberClusterStatus["resourceSummary"] {
  const usable = nodes.filter(
    (n) => isReadyNode(n) && !(n.spec as { unschedulable?: boolean } | undefined)?.unschedulable,
  );
  const usableNames = new Set(usable.map((n) => n.metadata.name));
  const allocatable = new Map<string, Amount>();
  for (const node of usable) {
    for (const [name, amount] of amountsOf((node.status as { allocatable?: unknown } | undefined)?.allocatable)) {
      if (SUMMARIZED.includes(name)) allocatable.set(name, add(allocatable.get(name) ?? ZERO, amount));
    }
  }
  const allocated = new Map<string, Amount>();
  let podCount = 0;
  for (const pod of pods) {
    const nodeName = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
    const phase = (pod.status as { phase?: string } | undefined)?.phase;
    if (!nodeName || !usableNames.has(nodeName) || phase === "Succeeded" || phase === "Failed") continue;
    podCount += 1;
    for (const [name, amount] of podRequests(pod)) {
      if (SUMMARIZED.includes(name)) allocated.set(name, add(allocated.get(name) ?? ZERO, amount));
    }
  }
  allocated.set("pods", { nanos: BigInt(podCount) * 1_000_000_000n, binary: false });
  return { allocatable: toList(allocatable), allocated: toList(allocated) };
}

function toList(amounts: Map<string, Amount>): ResourceList {
  const list: ResourceList = {};
  for (const [name, amount] of [...amounts].sort(([a], [b]) => a.localeCompare(b))) list[name] = formatAmount(amount);
  return list;
}
