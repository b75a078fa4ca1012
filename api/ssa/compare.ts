// What changed between two versions of an object, as three field sets: paths added, paths whose
// value changed (scalars and atomic values), and paths removed. An added or removed map, list or
// item brings every path below it.
import { emptySet, insert, type FieldSet } from "./fieldset.ts";
import { deepEqual } from "../lifecycle/object-meta.ts";
import type { PathElement } from "./path.ts";
import type { FieldShape } from "./schema.ts";
import { childrenOf, classify, type Child } from "./values.ts";

export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

/** Inserts `path` (unless it is the root) and every path below `value`. */
function addTree(set: FieldSet, value: unknown, shape: FieldShape, path: PathElement[]): void {
  if (path.length > 0) insert(set, path);
  addBelow(set, value, shape, path);
}

function addBelow(set: FieldSet, value: unknown, shape: FieldShape, path: PathElement[]): void {
  for (const child of childrenOf(classify(value, shape), shape)) {
    addTree(set, child.value, child.shape, [...path, child.element]);
  }
}

export function compare(before: unknown, after: unknown, shape: FieldShape): Comparison {
  const out: Comparison = { added: emptySet(), modified: emptySet(), removed: emptySet() };
  const walk = (a: unknown, b: unknown, s: FieldShape, path: PathElement[]) => {
    const left = classify(a, s);
    const right = classify(b, s);
    if (left.type === "absent" && right.type === "absent") return;
    if (left.type === "absent") return addTree(out.added, b, s, path);
    if (right.type === "absent") return addTree(out.removed, a, s, path);
    if (left.type !== right.type || left.type === "leaf") {
      if (deepEqual(a, b)) return;
      if (path.length > 0) insert(out.modified, path);
      if (left.type !== right.type) {
        addBelow(out.removed, a, s, path);
        addBelow(out.added, b, s, path);
      }
      return;
    }
    const index = (children: Child[]) => new Map(children.map((child) => [child.element, child]));
    const leftChildren = index(childrenOf(left, s));
    const rightChildren = index(childrenOf(right, s));
    for (const element of new Set([...leftChildren.keys(), ...rightChildren.keys()])) {
      const l = leftChildren.get(element);
      const r = rightChildren.get(element);
      walk(l?.value, r?.value, (l ?? r)!.shape, [...path, element]);
    }
  };
  walk(before, after, shape, []);
  return out;
}
