// NodeResourcesBalancedAllocation: prefer nodes whose cpu and memory would be used in similar
// fractions once the pod lands: (1 - standard deviation of the fractions) * 100.
import { MAX_NODE_SCORE, type ScorePlugin } from "../framework.ts";
import type { NodeInfo } from "../node-info.ts";
import type { PodInfo } from "../types.ts";

export const NAME = "NodeResourcesBalancedAllocation";

const fraction = (requested: number, capacity: number) => (capacity <= 0 ? 1 : Math.min(1, requested / capacity));

export function balancedAllocationScore(pod: PodInfo, node: NodeInfo): number {
  const alloc = node.node?.allocatable;
  if (!alloc) return 0;
  const cpu = fraction(node.nonZeroCPU + pod.nonZeroCPU, alloc.milliCPU);
  const memory = fraction(node.nonZeroMemory + pod.nonZeroMemory, alloc.memory);
  // With two resources the standard deviation is half their difference.
  const std = Math.abs(cpu - memory) / 2;
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}

export const balancedAllocation: ScorePlugin = {
  name: NAME,
  weight: 1,
  score: (ctx, node) => balancedAllocationScore(ctx.pod, node),
};
