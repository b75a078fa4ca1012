// Which pods a controller deletes first when it scales down (Kubernetes' ranking of active
// pods): unscheduled before scheduled; Pending before Unknown before Running; not ready
// before ready; lower pod-deletion-cost first; pods doubled up on a node with more related
// pods first; recently ready before long ready (log2 buckets of age); more container
// restarts first; newer before older (log2 buckets); then by uid.
import { isPodReady, podReadySince } from "./pods.ts";
import type { Pod } from "./types.ts";

export const DELETION_COST_ANNOTATION = "controller.kubernetes.io/pod-deletion-cost";

const PHASE_ORDINAL: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

const phaseOrdinal = (pod: Pod): number => PHASE_ORDINAL[pod.status?.phase ?? ""] ?? 0;

function deletionCost(pod: Pod): number {
  const raw = pod.metadata.annotations?.[DELETION_COST_ANNOTATION];
  if (raw === undefined || !/^-?\d+$/.test(raw)) return 0;
  return Number(raw);
}

/** The highest restart count of the pod's regular containers and of its restartable init (sidecar) containers. */
function maxRestarts(pod: Pod): { regular: number; sidecar: number } {
  const regular = Math.max(0, ...(pod.status?.containerStatuses ?? []).map((s) => s.restartCount ?? 0));
  const sidecarNames = new Set(
    (pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === "Always").map((c) => c.name),
  );
  const sidecar = Math.max(
    0,
    ...(pod.status?.initContainerStatuses ?? [])
      .filter((s) => sidecarNames.has(s.name))
      .map((s) => s.restartCount ?? 0),
  );
  return { regular, sidecar };
}

const timeOf = (text: string | undefined): number | undefined => {
  if (!text) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
};

/** log2 of the age in nanoseconds, as an integer bucket; -1 for no age. */
function ageBucket(time: number, now: number): number {
  const ns = (now - time) * 1e6;
  return ns > 0 ? Math.floor(Math.log2(ns)) : -1;
}

/** Negative when `a` goes first: `a` is "smaller" in Kubernetes' ActivePodsWithRanks order. */
function compare(a: Pod, rankA: number, b: Pod, rankB: number, now: number): number {
  const nodeA = a.spec?.nodeName ?? "";
  const nodeB = b.spec?.nodeName ?? "";
  if (nodeA !== nodeB && (nodeA === "" || nodeB === "")) return nodeA === "" ? -1 : 1;
  const phaseDiff = phaseOrdinal(a) - phaseOrdinal(b);
  if (phaseDiff !== 0) return phaseDiff;
  const readyA = isPodReady(a);
  const readyB = isPodReady(b);
  if (readyA !== readyB) return readyA ? 1 : -1;
  const costDiff = deletionCost(a) - deletionCost(b);
  if (costDiff !== 0) return costDiff;
  if (rankA !== rankB) return rankB - rankA;
  const uidOrder = () => {
    const [ua, ub] = [a.metadata.uid ?? "", b.metadata.uid ?? ""];
    return ua < ub ? -1 : ua > ub ? 1 : 0;
  };
  if (readyA && readyB) {
    const sinceA = podReadySince(a);
    const sinceB = podReadySince(b);
    if (sinceA !== sinceB) {
      // A pod with no ready time goes first; otherwise the more recently ready one, by log-age bucket.
      if (sinceA === undefined || sinceB === undefined) return sinceA === undefined ? -1 : 1;
      const diff = ageBucket(sinceA, now) - ageBucket(sinceB, now);
      return diff !== 0 ? diff : uidOrder();
    }
  }
  const restartsA = maxRestarts(a);
  const restartsB = maxRestarts(b);
  if (restartsA.regular !== restartsB.regular) return restartsB.regular - restartsA.regular;
  if (restartsA.sidecar !== restartsB.sidecar) return restartsB.sidecar - restartsA.sidecar;
  const createdA = timeOf(a.metadata.creationTimestamp);
  const createdB = timeOf(b.metadata.creationTimestamp);
  if (createdA !== createdB) {
    if (createdA === undefined || createdB === undefined) return createdA === undefined ? -1 : 1;
    const diff = ageBucket(createdA, now) - ageBucket(createdB, now);
    return diff !== 0 ? diff : uidOrder();
  }
  return 0;
}

/**
 * The pods in deletion order (first = delete first). `related` are the active pods of the
 * owner and its siblings (ReplicaSets of the same Deployment): a pod sharing its node with
 * more of them ranks earlier.
 */
export function rankPodsForDeletion(pods: readonly Pod[], related: readonly Pod[], now: Date): Pod[] {
  const perNode = new Map<string, number>();
  for (const pod of related) {
    const node = pod.spec?.nodeName ?? "";
    perNode.set(node, (perNode.get(node) ?? 0) + 1);
  }
  const ranked = pods.map((pod) => ({ pod, rank: perNode.get(pod.spec?.nodeName ?? "") ?? 0 }));
  ranked.sort((x, y) => compare(x.pod, x.rank, y.pod, y.rank, now.getTime()));
  return ranked.map((r) => r.pod);
}

/** The `count` pods to delete first. */
export const podsToDelete = (pods: readonly Pod[], related: readonly Pod[], count: number, now: Date): Pod[] =>
  count >= pods.length ? [...pods] : rankPodsForDeletion(pods, related, now).slice(0, count);
