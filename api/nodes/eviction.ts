// Taint-based eviction: when a pod on a NoExecute-tainted node must go, from its tolerations.
import { tolerates } from "../scheduler/taints.ts";
import type { Taint, Toleration } from "../scheduler/types.ts";

export type EvictionTime = { at: "never" } | { at: "now" } | { at: number };

/**
 * A pod must leave at once if a NoExecute taint is not tolerated; otherwise after the smallest
 * tolerationSeconds among the tolerations that match, counted from when the taints appeared.
 * Tolerations without tolerationSeconds tolerate forever.
 */
export function evictionTime(tolerations: readonly Toleration[], taints: readonly Taint[], now: number): EvictionTime {
  const noExecute = taints.filter((t) => t.effect === "NoExecute");
  if (noExecute.length === 0) return { at: "never" };
  let minSeconds = Infinity;
  let since = Infinity;
  for (const taint of noExecute) {
    const matching = tolerations.filter((t) => tolerates(t, taint));
    if (matching.length === 0) return { at: "now" };
    for (const t of matching) {
      if (typeof t.tolerationSeconds === "number") minSeconds = Math.min(minSeconds, t.tolerationSeconds);
    }
    const added = taint.timeAdded ? Date.parse(taint.timeAdded) : NaN;
    since = Math.min(since, Number.isFinite(added) ? added : now);
  }
  if (minSeconds === Infinity) return { at: "never" };
  if (minSeconds <= 0) return { at: "now" };
  const at = since + minSeconds * 1000;
  return at <= now ? { at: "now" } : { at };
}
