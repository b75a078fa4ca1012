// Removes fields from an object by path: what an applier stopped applying and nobody else owns.
// A granular map is kept while someone owns a field below it; containers the removal leaves
// empty go too (unless owned, or a top-level `metadata` / `spec`).
import { isObject } from "../types.ts";
import { has, hasMemberBelow, type FieldSet } from "./fieldset.ts";
import type { Path, PathElement } from "./path.ts";
import type { FieldShape } from "./schema.ts";
import { childrenOf, classify } from "./values.ts";

interface Step {
  /** The container holding the value at this step. */
  container: Record<string, unknown> | unknown[];
  /** Its key or index of the value. */
  at: string | number;
  shape: FieldShape;
}

/** Finds the chain of containers leading to `path` in `root`, or undefined when the path is not there. */
function locate(root: Record<string, unknown>, rootShape: FieldShape, path: Path): Step[] | undefined {
  const steps: Step[] = [];
  let value: unknown = root;
  let shape = rootShape;
  for (const element of path) {
    const node = classify(value, shape);
    const child = childrenOf(node, shape).find((c) => c.element === element);
    if (!child) return undefined;
    const container = value as Record<string, unknown> | unknown[];
    const at = Array.isArray(container) ? container.indexOf(child.value) : element.slice(2);
    steps.push({ container, at, shape: child.shape });
    value = child.value;
    shape = child.shape;
  }
  return steps;
}

const valueAt = (step: Step): unknown =>
  Array.isArray(step.container) ? step.container[step.at as number] : step.container[step.at as string];

function removeAt(step: Step): void {
  if (Array.isArray(step.container)) step.container.splice(step.at as number, 1);
  else delete step.container[step.at as string];
}

const isEmptyContainer = (value: unknown) =>
  (Array.isArray(value) && value.length === 0) || (isObject(value) && Object.keys(value).length === 0);

/** Removes every path of `paths` from `root` (mutated); `owned` is what every manager now owns. */
export function removePaths(root: Record<string, unknown>, shape: FieldShape, paths: Path[], owned: FieldSet): void {
  for (const path of paths) {
    const steps = locate(root, shape, path);
    if (!steps || steps.length === 0) continue;
    const last = steps[steps.length - 1];
    if (classify(valueAt(last), last.shape).type === "map" && hasMemberBelow(owned, path)) continue;
    removeAt(last);
    for (let depth = steps.length - 2; depth >= 0; depth--) {
      const step = steps[depth];
      const prefix: PathElement[] = path.slice(0, depth + 1);
      const value = valueAt(step);
      if (!isEmptyContainer(value) || has(owned, prefix)) break;
      if (depth === 0 && (step.at === "metadata" || step.at === "spec")) break;
      removeAt(step);
    }
  }
}
