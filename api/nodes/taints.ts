// The taints the node lifecycle controller owns: not-ready / unreachable (NoSchedule at once,
// NoExecute under the eviction rate limit) and unschedulable for cordoned nodes.
import { formatTimestamp } from "../lifecycle/object-meta.ts";
import type { KubeObject } from "../types.ts";
import { isRecord } from "../validation/shape.ts";
import { parseTaints } from "../scheduler/taints.ts";
import type { Taint } from "../scheduler/types.ts";

export const TAINT_NOT_READY = "node.kubernetes.io/not-ready";
export const TAINT_UNREACHABLE = "node.kubernetes.io/unreachable";
export const TAINT_UNSCHEDULABLE = "node.kubernetes.io/unschedulable";

const OWNED = new Set([TAINT_NOT_READY, TAINT_UNREACHABLE, TAINT_UNSCHEDULABLE]);

export const taintsOf = (node: KubeObject): Taint[] => parseTaints(isRecord(node.spec) ? node.spec.taints : undefined);

/**
 * Which condition taint a Ready status calls for: False → not-ready, Unknown → unreachable. A node
 * that has not reported yet gets none (it turns Unknown once its startup grace runs out).
 */
export function conditionTaintKey(ready: string | undefined): string | undefined {
  if (ready === "False") return TAINT_NOT_READY;
  if (ready === "Unknown") return TAINT_UNREACHABLE;
  return undefined;
}

export interface DesiredTaints {
  /** The full taint list to write. */
  taints: Taint[];
  /** The NoExecute taint the node should get but the rate limiter has not admitted yet. */
  pendingNoExecute?: string;
}

/**
 * The node's taints with the controller's own brought up to date. `admitNoExecute` is asked
 * before a new NoExecute taint is added (rate-limited evictions); existing ones are kept.
 */
export function desiredTaints(
  node: KubeObject,
  ready: string | undefined,
  now: Date,
  admitNoExecute: () => boolean,
): DesiredTaints {
  const current = taintsOf(node);
  const others = current.filter((t) => !OWNED.has(t.key));
  const owned: Taint[] = [];
  const spec = isRecord(node.spec) ? node.spec : {};
  const keep = (key: string, effect: string) => current.find((t) => t.key === key && t.effect === effect);
  if (spec.unschedulable === true)
    owned.push(
      keep(TAINT_UNSCHEDULABLE, "NoSchedule") ?? {
        key: TAINT_UNSCHEDULABLE,
        value: "",
        effect: "NoSchedule",
        timeAdded: formatTimestamp(now),
      },
    );
  const key = conditionTaintKey(ready);
  let pendingNoExecute: string | undefined;
  if (key !== undefined) {
    owned.push(keep(key, "NoSchedule") ?? { key, value: "", effect: "NoSchedule", timeAdded: formatTimestamp(now) });
    const existing = keep(key, "NoExecute");
    if (existing) owned.push(existing);
    else if (admitNoExecute()) owned.push({ key, value: "", effect: "NoExecute", timeAdded: formatTimestamp(now) });
    else pendingNoExecute = key;
  }
  return { taints: [...others, ...owned], ...(pendingNoExecute ? { pendingNoExecute } : {}) };
}

const taintId = (t: Taint) => `${t.key}\u0000${t.value}\u0000${t.effect}`;

export function sameTaints(a: Taint[], b: Taint[]): boolean {
  if (a.length !== b.length) return false;
  const ids = new Set(a.map(taintId));
  return b.every((t) => ids.has(taintId(t)));
}

/** The taint list as it is stored (no empty value, timeAdded kept). */
export const serializeTaints = (taints: Taint[]) =>
  taints.map((t) => ({
    key: t.key,
    ...(t.value ? { value: t.value } : {}),
    effect: t.effect,
    ...(t.timeAdded ? { timeAdded: t.timeAdded } : {}),
  }));
