// NodeResourcesFit: the pod's requests must fit in the node's allocatable minus what its pods
// already request, pod count included. Its score is the LeastAllocated strategy.
import type { FilterPlugin, ScorePlugin } from "../framework.ts";
import type { NodeInfo } from "../node-info.ts";
import { unresolvable, unschedulable } from "../status.ts";
import type { PodInfo } from "../types.ts";
import { leastAllocatedScore } from "./least-allocated.ts";

export const NAME = "NodeResourcesFit";
export const TOO_MANY_PODS = "Too many pods";
export const insufficient = (resource: string) => `Insufficient ${resource}`;

export interface InsufficientResource {
  resource: string;
  reason: string;
  requested: number;
  used: number;
  capacity: number;
}

/** Every resource the pod does not fit in on this node (empty when it fits). */
export function insufficientResources(pod: PodInfo, node: NodeInfo): InsufficientResource[] {
  const out: InsufficientResource[] = [];
  const view = node.node;
  if (!view) return out;
  const alloc = view.allocatable;
  if (node.podCount + 1 > alloc.pods) {
    out.push({ resource: "pods", reason: TOO_MANY_PODS, requested: 1, used: node.podCount, capacity: alloc.pods });
  }
  const req = pod.requests;
  const used = node.requested;
  const check = (resource: string, wanted: number, inUse: number, capacity: number) => {
    if (wanted > 0 && wanted > capacity - inUse)
      out.push({ resource, reason: insufficient(resource), requested: wanted, used: inUse, capacity });
  };
  check("cpu", req.milliCPU, used.milliCPU, alloc.milliCPU);
  check("memory", req.memory, used.memory, alloc.memory);
  check("ephemeral-storage", req.ephemeralStorage, used.ephemeralStorage, alloc.ephemeralStorage);
  for (const [name, wanted] of Object.entries(req.scalar ?? {})) {
    check(name, wanted, used.scalar?.[name] ?? 0, alloc.scalar?.[name] ?? 0);
  }
  return out;
}

export const nodeResourcesFit: FilterPlugin & ScorePlugin = {
  name: NAME,
  weight: 1,
  filter(ctx, node) {
    const missing = insufficientResources(ctx.pod, node);
    if (missing.length === 0) return null;
    const reasons = missing.map((m) => m.reason);
    // A request larger than the whole node can never fit, not even by preempting.
    const hopeless = missing.some((m) => m.requested > m.capacity);
    return hopeless ? unresolvable(...reasons) : unschedulable(...reasons);
  },
  score: (ctx, node) => leastAllocatedScore(ctx.pod, node),
};
