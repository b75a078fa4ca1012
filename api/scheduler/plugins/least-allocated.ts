// LeastAllocated scoring (NodeResourcesFit's default strategy): prefer the node with the most
// room left, averaging cpu and memory: (allocatable - requested) * 100 / allocatable.
import { MAX_NODE_SCORE } from "../framework.ts";
import type { NodeInfo } from "../node-info.ts";
import type { PodInfo } from "../types.ts";

export const NAME = "LeastAllocated";

export function leastRequested(requested: number, capacity: number): number {
  if (capacity <= 0 || requested > capacity) return 0;
  return Math.trunc(((capacity - requested) * MAX_NODE_SCORE) / capacity);
}

/** Equal weights for cpu and memory (kube's default resource weights). */
export function leastAllocatedScore(pod: PodInfo, node: NodeInfo): number {
  const alloc = node.node?.allocatable;
  if (!alloc) return 0;
  const cpu = leastRequested(node.nonZeroCPU + pod.nonZeroCPU, alloc.milliCPU);
  const memory = leastRequested(node.nonZeroMemory + pod.nonZeroMemory, alloc.memory);
  return Math.trunc((cpu + memory) / 2);
}
