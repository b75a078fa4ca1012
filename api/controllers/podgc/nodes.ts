// The node facts the pod garbage collector acts on: a node taken out of service by an operator
// (its terminating pods may go without waiting for it), and the quarantine before pods of a
// vanished node are removed (a node deleted and registered again must not lose its pods).
import { readyStatus } from "../../nodes/conditions.ts";
import { taintsOf } from "../../nodes/taints.ts";
import type { KubeObject } from "../../types.ts";

/** kube-controller-manager's pod GC quarantine. */
export const POD_GC_QUARANTINE_MS = 40_000;

/** The taint an operator puts on a node that is shut down for good (non-graceful node shutdown). */
export const TAINT_OUT_OF_SERVICE = "node.kubernetes.io/out-of-service";

/** Not Ready and tainted out-of-service: nothing on it will ever finish a pod's termination. */
export const isOutOfService = (node: KubeObject) =>
  readyStatus(node) !== "True" && taintsOf(node).some((t) => t.key === TAINT_OUT_OF_SERVICE);

export type OrphanVerdict = { action: "forget" } | { action: "wait"; ms: number } | { action: "delete" };

/**
 * What to do about the pods bound to a node name that has no Node: nothing once they are gone,
 * else wait out the quarantine counted from when the absence was first noticed, then delete them.
 */
export function orphanVerdict(podCount: number, noticedAt: number, now: number, quarantineMs: number): OrphanVerdict {
  if (podCount === 0) return { action: "forget" };
  const due = noticedAt + quarantineMs;
  return now < due ? { action: "wait", ms: due - now } : { action: "delete" };
}
