// Pods nominated to a node by preemption (status.nominatedNodeName) and not bound yet. The space
// their victims free is theirs: while such a pod waits, other pods of no higher priority are
// filtered as if it already ran there (kube's nominator and RunFilterPluginsWithNominatedPods).
import type { PodInfo } from "./types.ts";

export class Nominator {
  private readonly byNode = new Map<string, Map<string, PodInfo>>();
  private readonly nodeOf = new Map<string, string>();

  /** Records `pod`'s nomination (`node` undefined or "": none), replacing any earlier one. */
  set(pod: PodInfo, node: string | undefined): void {
    this.remove(pod.key);
    if (!node) return;
    let pods = this.byNode.get(node);
    if (!pods) this.byNode.set(node, (pods = new Map()));
    pods.set(pod.key, pod);
    this.nodeOf.set(pod.key, node);
  }

  remove(key: string): void {
    const node = this.nodeOf.get(key);
    if (node === undefined) return;
    this.nodeOf.delete(key);
    const pods = this.byNode.get(node);
    pods?.delete(key);
    if (pods?.size === 0) this.byNode.delete(node);
  }

  /** Pods nominated to `node` that `pod` must leave room for: others of at least its priority. */
  ahead(node: string, pod: PodInfo): PodInfo[] {
    const pods = this.byNode.get(node);
    if (!pods) return [];
    const ahead: PodInfo[] = [];
    for (const other of pods.values()) if (other.key !== pod.key && other.priority >= pod.priority) ahead.push(other);
    return ahead;
  }

  get size(): number {
    return this.nodeOf.size;
  }
}
