// NodeInfo: a node and what is placed on it (requests, host ports, pods with affinity),
// kept up to date incrementally as pods are bound, assumed and removed.
import type { KubeObject } from "../types.ts";
import { isRecord } from "../validation/shape.ts";
import { addResources, cloneResources, emptyResources, nodeAllocatable } from "./resources.ts";
import { parseTaints } from "./taints.ts";
import type { HostPort, PodInfo, Resources, Taint } from "./types.ts";

/** What the scheduler keeps of a Node object. */
export interface NodeView {
  name: string;
  labels: Record<string, string>;
  taints: Taint[];
  unschedulable: boolean;
  allocatable: Resources & { pods: number };
}

export function nodeViewFrom(node: KubeObject): NodeView {
  const spec = isRecord(node.spec) ? node.spec : {};
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(node.metadata.labels ?? {})) if (typeof v === "string") labels[k] = v;
  return {
    name: node.metadata.name ?? "",
    labels,
    taints: parseTaints(spec.taints),
    unschedulable: spec.unschedulable === true,
    allocatable: nodeAllocatable(node.status),
  };
}

/** Whether two views differ in anything scheduling looks at. */
export function nodeViewChanged(a: NodeView, b: NodeView): boolean {
  return JSON.stringify(a) !== JSON.stringify(b);
}

export class NodeInfo {
  readonly name: string;
  node: NodeView | undefined;
  readonly pods = new Map<string, PodInfo>();
  requested: Resources = emptyResources();
  nonZeroCPU = 0;
  nonZeroMemory = 0;
  usedPorts: HostPort[] = [];
  /**
   * The pods here with any (anti-)affinity terms, and those with required anti-affinity: the only
   * ones whose terms InterPodAffinity must weigh (kube's PodsWithAffinity / PodsWithRequiredAntiAffinity).
   */
  readonly affinityPods = new Map<string, PodInfo>();
  readonly requiredAntiAffinityPods = new Map<string, PodInfo>();

  constructor(name: string, node?: NodeView) {
    this.name = name;
    this.node = node;
  }

  /**
   * pods.size, kept beside the other counters: NodeResourcesFit reads it for hundreds of nodes per
   * pod, and a field of this object is cheaper to reach than the map's own size.
   */
  podCount = 0;

  addPod(pod: PodInfo): void {
    if (this.pods.has(pod.key)) this.removePod(pod.key);
    this.pods.set(pod.key, pod);
    this.podCount = this.pods.size;
    this.account(pod, 1);
  }

  removePod(key: string): PodInfo | undefined {
    const pod = this.pods.get(key);
    if (!pod) return undefined;
    this.pods.delete(key);
    this.podCount = this.pods.size;
    this.account(pod, -1);
    return pod;
  }

  private account(pod: PodInfo, sign: 1 | -1): void {
    addResources(this.requested, pod.requests, sign);
    this.nonZeroCPU += pod.nonZeroCPU * sign;
    this.nonZeroMemory += pod.nonZeroMemory * sign;
    if (pod.hostPorts.length > 0) {
      if (sign > 0) this.usedPorts = [...this.usedPorts, ...pod.hostPorts];
      else this.usedPorts = [...this.pods.values()].flatMap((p) => p.hostPorts);
    }
    const follow = (pods: Map<string, PodInfo>) => (sign > 0 ? pods.set(pod.key, pod) : pods.delete(pod.key));
    if (pod.requiredAffinity || pod.requiredAntiAffinity || pod.preferredAffinity || pod.preferredAntiAffinity)
      follow(this.affinityPods);
    if (pod.requiredAntiAffinity) follow(this.requiredAntiAffinityPods);
  }

  /** An independent copy (preemption simulates removing pods on it). */
  clone(): NodeInfo {
    const copy = new NodeInfo(this.name, this.node);
    for (const [key, pod] of this.pods) copy.pods.set(key, pod);
    copy.podCount = this.podCount;
    copy.requested = cloneResources(this.requested);
    copy.nonZeroCPU = this.nonZeroCPU;
    copy.nonZeroMemory = this.nonZeroMemory;
    copy.usedPorts = [...this.usedPorts];
    for (const [key, pod] of this.affinityPods) copy.affinityPods.set(key, pod);
    for (const [key, pod] of this.requiredAntiAffinityPods) copy.requiredAntiAffinityPods.set(key, pod);
    return copy;
  }
}
