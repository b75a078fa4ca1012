// A value seen through its shape: absent, a leaf (scalar, atomic map or list, or a list that
// cannot be keyed), a granular map, or a keyed list — and the children of the last two.
import { isObject } from "../types.ts";
import { listElements } from "./items.ts";
import { fieldElement, type PathElement } from "./path.ts";
import { fieldShape, mapShape, type FieldShape } from "./schema.ts";

export type Classified =
  | { type: "absent" }
  | { type: "leaf" }
  | { type: "map"; value: Record<string, unknown> }
  | { type: "list"; items: readonly unknown[]; elements: PathElement[] };

export interface Child {
  element: PathElement;
  value: unknown;
  shape: FieldShape;
}

/** Called when a list cannot be keyed: throw (applied configurations) or return (stored objects, atomic). */
export type OnProblem = (problem: string) => void;

export const lenient: OnProblem = () => {};

/** `null` is treated as absent everywhere, as a field set to null is absent from a typed object. */
export function classify(value: unknown, shape: FieldShape, onProblem: OnProblem = lenient): Classified {
  if (value === undefined || value === null) return { type: "absent" };
  if (Array.isArray(value)) {
    if (shape.list === "atomic") return { type: "leaf" };
    const keyed = listElements(value, shape);
    if ("problem" in keyed) {
      onProblem(keyed.problem);
      return { type: "leaf" };
    }
    return { type: "list", items: value, elements: keyed.elements };
  }
  if (isObject(value)) return shape.atomic ? { type: "leaf" } : { type: "map", value };
  return { type: "leaf" };
}

/** The present children of a map or list (none for leaves). */
export function childrenOf(node: Classified, shape: FieldShape): Child[] {
  if (node.type === "map") {
    const out: Child[] = [];
    for (const [key, value] of Object.entries(node.value)) {
      if (value === undefined || value === null) continue;
      out.push({ element: fieldElement(key), value, shape: fieldShape(shape.schema, key) });
    }
    return out;
  }
  if (node.type === "list") {
    const itemShape = mapShape(shape.list === "map" ? shape.schema : undefined);
    return node.items.map((value, i) => ({ element: node.elements[i], value, shape: itemShape }));
  }
  return [];
}
