// The cluster as one scheduling cycle sees it. The cache implements it directly (a cycle is
// synchronous, so nothing changes under it); preemption wraps it to try "what if" states.
import type { NamespaceLabels } from "./affinity-terms.ts";
import type { NodeInfo } from "./node-info.ts";
import type { PodInfo } from "./types.ts";
import type { VolumeLister } from "./volumes.ts";

export interface Snapshot {
  /** Every node with a Node object, in a stable order. */
  readonly nodes: readonly NodeInfo[];
  get(name: string): NodeInfo | undefined;
  namespaceLabels: NamespaceLabels;
  /** Claims, volumes and classes (VolumeBinding); without it every claim is missing. */
  readonly volumes?: VolumeLister;
  /** Pods nominated to `node` (preemptors waiting for their victims) that `pod` must leave room for. */
  nominatedAhead?(node: string, pod: PodInfo): readonly PodInfo[];
  /**
   * The nodes holding pods with (anti-)affinity terms, where the snapshot keeps track of them
   * (kube's HavePodsWithAffinityNodeInfoList). Without it, see `nodesWithAffinityPods`.
   */
  nodesWithAffinityPods?(): readonly NodeInfo[];
}

/**
 * The only nodes whose pods' terms can matter to a pod without (anti-)affinity terms of its own:
 * InterPodAffinity looks at these instead of every node (5,000 nodes, a handful with such pods).
 */
export function nodesWithAffinityPods(snapshot: Snapshot): readonly NodeInfo[] {
  return snapshot.nodesWithAffinityPods?.() ?? snapshot.nodes.filter((node) => node.affinityPods.size > 0);
}

/** A fixed list of nodes (tests, benchmarks of the algorithm). */
export class ListSnapshot implements Snapshot {
  readonly nodes: readonly NodeInfo[];
  private readonly byName: Map<string, NodeInfo>;
  private readonly nsLabels: Record<string, Record<string, string>>;

  readonly volumes?: VolumeLister;

  constructor(nodes: NodeInfo[], namespaceLabels: Record<string, Record<string, string>> = {}, volumes?: VolumeLister) {
    this.nodes = nodes;
    this.volumes = volumes;
    this.byName = new Map(nodes.map((n) => [n.name, n]));
    this.nsLabels = namespaceLabels;
  }

  get(name: string): NodeInfo | undefined {
    return this.byName.get(name);
  }

  namespaceLabels: NamespaceLabels = (namespace) => this.nsLabels[namespace];
}

/** `base` with one node replaced (preemption's dry run with victims removed). */
export class OverlaySnapshot implements Snapshot {
  readonly nodes: readonly NodeInfo[];
  private readonly base: Snapshot;
  private readonly replacement: NodeInfo;

  constructor(base: Snapshot, replacement: NodeInfo) {
    this.base = base;
    this.replacement = replacement;
    this.nodes = base.nodes.map((n) => (n.name === replacement.name ? replacement : n));
  }

  get(name: string): NodeInfo | undefined {
    return name === this.replacement.name ? this.replacement : this.base.get(name);
  }

  get namespaceLabels(): NamespaceLabels {
    return this.base.namespaceLabels;
  }

  get volumes(): VolumeLister | undefined {
    return this.base.volumes;
  }

  nominatedAhead(node: string, pod: PodInfo): readonly PodInfo[] {
    return this.base.nominatedAhead?.(node, pod) ?? [];
  }

  nodesWithAffinityPods(): readonly NodeInfo[] {
    // The replacement is the base's node with pods removed: it never holds terms the base lacks.
    return nodesWithAffinityPods(this.base).map((n) => (n.name === this.replacement.name ? this.replacement : n));
  }
}
