// Merges an applied configuration into the live object: the configuration's values win; granular
// maps merge key by key; sets and associative lists merge item by item (shared items merged
// recursively); atomic values are replaced. Neither input is modified.
import { setOwn } from "../patch/pointer.ts";
import { isObject } from "../types.ts";
import type { PathElement } from "./path.ts";
import type { FieldShape } from "./schema.ts";
import { childrenOf, classify, type Child, type OnProblem } from "./values.ts";

export function mergeConfiguration(live: unknown, config: unknown, shape: FieldShape, onProblem: OnProblem): unknown {
  return mergeValue(live, config, shape, onProblem);
}

function mergeValue(live: unknown, config: unknown, shape: FieldShape, onProblem: OnProblem): unknown {
  const applied = classify(config, shape, onProblem);
  if (applied.type === "absent") return structuredClone(live);
  if (applied.type === "leaf") return structuredClone(config);
  const current = classify(live, shape);
  if (applied.type === "map") {
    const out: Record<string, unknown> = current.type === "map" ? structuredClone(current.value) : {};
    for (const child of childrenOf(applied, shape)) {
      const name = child.element.slice(2);
      setOwn(
        out,
        name,
        mergeValue(Object.hasOwn(out, name) ? out[name] : undefined, child.value, child.shape, onProblem),
      );
    }
    return out;
  }
  const liveItems = current.type === "list" ? childrenOf(current, shape) : [];
  return mergeItems(liveItems, childrenOf(applied, shape), (l, c) => mergeValue(l?.value, c.value, c.shape, onProblem));
}

/**
 * Orders the merged list: items only in the live list keep their place among the live items;
 * applied items (shared or new) follow the applied order, each shared item coming out no later
 * than where the live list had it.
 */
function mergeItems(live: Child[], applied: Child[], merge: (l: Child | undefined, c: Child) => unknown): unknown[] {
  const liveByElement = new Map(live.map((child) => [child.element, child]));
  const appliedElements = new Set(applied.map((child) => child.element));
  const emitted = new Set<PathElement>();
  const out: unknown[] = [];
  let next = 0;
  const emitApplied = (until?: PathElement) => {
    while (next < applied.length) {
      const child = applied[next++];
      out.push(merge(liveByElement.get(child.element), child));
      emitted.add(child.element);
      if (child.element === until) return;
    }
  };
  for (const item of live) {
    if (!appliedElements.has(item.element)) out.push(structuredClone(item.value));
    else if (!emitted.has(item.element)) emitApplied(item.element);
  }
  emitApplied();
  return out;
}

/** The configuration without `null` map values (a field set to null is absent from a typed object). */
export function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) if (v !== null && v !== undefined) setOwn(out, key, withoutNulls(v));
  return out;
}
