// A DaemonSet's pods grouped by the node each is meant for (bound or by its node affinity),
// next to what each node should run. Pods that finished and are being deleted no longer count.
import type { Pod } from "../common/types.ts";
import { nodeShouldRunDaemonPod, type NodeDecision } from "./eligibility.ts";
import { targetNodeName } from "./node-affinity.ts";
import type { DaemonSet, Node } from "./types.ts";

export interface NodeState extends NodeDecision {
  name: string;
  /** The DaemonSet's pods meant for this node. */
  pods: Pod[];
}

export interface NodeView {
  nodes: NodeState[];
  /** Pods meant for a node that does not exist (any more). */
  nodeless: Pod[];
}

const isTerminal = (pod: Pod) => pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed";

export function nodeView(ds: DaemonSet, nodes: readonly Node[], pods: readonly Pod[]): NodeView {
  const byNode = new Map<string, Pod[]>();
  for (const pod of pods) {
    if (isTerminal(pod) && pod.metadata.deletionTimestamp !== undefined) continue;
    const node = targetNodeName(pod);
    if (node === undefined) continue;
    const list = byNode.get(node);
    if (list) list.push(pod);
    else byNode.set(node, [pod]);
  }
  const states = nodes.map((node) => {
    const name = node.metadata.name ?? "";
    const state: NodeState = { name, pods: byNode.get(name) ?? [], ...nodeShouldRunDaemonPod(node, ds) };
    byNode.delete(name);
    return state;
  });
  return { nodes: states, nodeless: [...byNode.values()].flat() };
}

const createdAt = (pod: Pod) => Date.parse(pod.metadata.creationTimestamp ?? "") || 0;

/** Bound pods first, then oldest first, then by name (which pod of a node counts). */
export function byScheduledThenAge(a: Pod, b: Pod): number {
  const boundA = Boolean(a.spec?.nodeName);
  const boundB = Boolean(b.spec?.nodeName);
  if (boundA !== boundB) return boundA ? -1 : 1;
  const diff = createdAt(a) - createdAt(b);
  if (diff !== 0) return diff;
  const [na, nb] = [a.metadata.name ?? "", b.metadata.name ?? ""];
  return na < nb ? -1 : na > nb ? 1 : 0;
}
