// The path element of each item of a set or associative list. A list whose items cannot be keyed
// (an item misses a key field, a key repeats) is reported; an applied configuration with such a
// list is rejected, a stored object's list is then treated as atomic.
import { isObject } from "../types.ts";
import { keyElement, renderPath, valueElement, type PathElement } from "./path.ts";
import type { FieldShape } from "./schema.ts";

export type Keyed = { elements: PathElement[] } | { problem: string };

const isScalar = (value: unknown) =>
  typeof value === "string" || typeof value === "number" || typeof value === "boolean";

/** The element of one item of an associative list, or a description of why it has none. */
export function keyedElement(item: unknown, shape: FieldShape, index: number): PathElement | { problem: string } {
  if (!isObject(item)) return { problem: `element ${index}: associative list can only contain objects` };
  const key: Record<string, unknown> = {};
  for (const name of shape.keys) {
    const value = item[name] ?? shape.keyDefaults[name];
    if (value === undefined || value === null) {
      return {
        problem: `element ${index}: associative list with keys has an element that omits key field ${JSON.stringify(name)} (and doesn't have default value)`,
      };
    }
    if (!isScalar(value)) return { problem: `element ${index}: key field ${JSON.stringify(name)} must be a scalar` };
    key[name] = value;
  }
  return keyElement(key);
}

/** Elements of every item of a `set` or `map` list. */
export function listElements(list: readonly unknown[], shape: FieldShape): Keyed {
  const elements: PathElement[] = [];
  const seen = new Set<PathElement>();
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    let element: PathElement;
    if (shape.list === "set") {
      if (!isScalar(item)) return { problem: `element ${i}: set can only contain scalars` };
      element = valueElement(item);
    } else {
      const keyed = keyedElement(item, shape, i);
      if (typeof keyed !== "string") return keyed;
      element = keyed;
    }
    if (seen.has(element)) return { problem: `duplicate entries for key ${renderPath([element])}` };
    seen.add(element);
    elements.push(element);
  }
  return { elements };
}
