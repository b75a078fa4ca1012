// The set of fields an applied configuration specifies: every scalar and atomic value, every
// item of a set or associative list (with its key fields), and every empty map or list (so that
// applying `emptyDir: {}` owns it). Granular maps are not members themselves.
import { emptySet, insert, type FieldSet } from "./fieldset.ts";
import { renderPath, type PathElement } from "./path.ts";
import type { FieldShape } from "./schema.ts";
import { childrenOf, classify, type OnProblem } from "./values.ts";

export function fieldSetOf(value: unknown, shape: FieldShape, onProblem: OnProblem): FieldSet {
  const set = emptySet();
  const walk = (v: unknown, s: FieldShape, path: PathElement[]) => {
    const node = classify(v, s, (problem) => onProblem(`${renderPath(path)}: ${problem}`));
    if (node.type === "absent") return;
    const children = childrenOf(node, s);
    if (path.length > 0 && (node.type === "leaf" || children.length === 0)) insert(set, path);
    for (const child of children) {
      const at = [...path, child.element];
      // An item of a set or associative list is owned as a whole, besides its fields.
      if (node.type === "list") insert(set, at);
      walk(child.value, child.shape, at);
    }
  };
  walk(value, shape, []);
  return set;
}
