// A set of field paths, as a tree: each node says whether the path that leads to it is itself a
// member, and holds the nodes below it. This is exactly the shape of FieldsV1, where a member
// with nothing below it is `{}` and a member with children also carries `".": {}`.
//
// Every operation returns a normalised tree: no node without a member somewhere below it, so an
// empty set encodes as `{}` and `isEmpty` is a cheap check.
import { compareElements, isValidElement, type Path, type PathElement } from "./path.ts";

export interface FieldSet {
  member: boolean;
  children: Map<PathElement, FieldSet>;
}

export const emptySet = (): FieldSet => ({ member: false, children: new Map() });

export const isEmpty = (set: FieldSet): boolean => !set.member && set.children.size === 0;

/** Adds `path` (non-empty) as a member. Mutates `set`. */
export function insert(set: FieldSet, path: Path): void {
  let node = set;
  for (const element of path) {
    let next = node.children.get(element);
    if (!next) {
      next = emptySet();
      node.children.set(element, next);
    }
    node = next;
  }
  node.member = true;
}

/** The node at `path`, if any path at or below it is in the set. */
export function nodeAt(set: FieldSet, path: Path): FieldSet | undefined {
  let node: FieldSet | undefined = set;
  for (const element of path) {
    node = node.children.get(element);
    if (!node) return undefined;
  }
  return node;
}

export const has = (set: FieldSet, path: Path): boolean => nodeAt(set, path)?.member === true;

/** Whether some member lies strictly below `path`. */
export const hasMemberBelow = (set: FieldSet, path: Path): boolean => (nodeAt(set, path)?.children.size ?? 0) > 0;

function combine(a: FieldSet | undefined, b: FieldSet | undefined, op: (x: boolean, y: boolean) => boolean): FieldSet {
  const out = emptySet();
  out.member = op(a?.member ?? false, b?.member ?? false);
  const keys = new Set<PathElement>([...(a?.children.keys() ?? []), ...(b?.children.keys() ?? [])]);
  for (const key of keys) {
    const child = combine(a?.children.get(key), b?.children.get(key), op);
    if (!isEmpty(child)) out.children.set(key, child);
  }
  return out;
}

export const union = (a: FieldSet, b: FieldSet): FieldSet => combine(a, b, (x, y) => x || y);
/** Members of `a` that are not members of `b` (paths below a member of `b` stay). */
export const difference = (a: FieldSet, b: FieldSet): FieldSet => combine(a, b, (x, y) => x && !y);
export const intersection = (a: FieldSet, b: FieldSet): FieldSet => combine(a, b, (x, y) => x && y);

export const copy = (set: FieldSet): FieldSet => union(set, emptySet());

/** `set` without `path` and everything below it. */
export function withoutSubtree(set: FieldSet, path: Path): FieldSet {
  if (path.length === 0) return emptySet();
  const out = copy(set);
  const parent = nodeAt(out, path.slice(0, -1));
  parent?.children.delete(path[path.length - 1]);
  return copy(out);
}

/** Only the members at or below `path`. */
export function onlySubtree(set: FieldSet, path: Path): FieldSet {
  if (path.length === 0) return copy(set);
  const out = emptySet();
  const node = nodeAt(set, path);
  if (!node) return out;
  let at = out;
  for (const element of path.slice(0, -1)) {
    const next = emptySet();
    at.children.set(element, next);
    at = next;
  }
  at.children.set(path[path.length - 1], copy(node));
  return copy(out);
}

const sortedKeys = (node: FieldSet) => [...node.children.keys()].sort(compareElements);

/**
 * Every member, in the order Kubernetes lists them: at each level the members there first, then
 * the paths below each child, children in element order.
 */
export function members(set: FieldSet): Path[] {
  const out: Path[] = [];
  const walk = (node: FieldSet, prefix: PathElement[]) => {
    const keys = sortedKeys(node);
    for (const key of keys) if (node.children.get(key)!.member) out.push([...prefix, key]);
    for (const key of keys) {
      const child = node.children.get(key)!;
      if (child.children.size > 0) walk(child, [...prefix, key]);
    }
  };
  walk(set, []);
  return out;
}

export type FieldsV1 = { [element: string]: FieldsV1 };

/** The FieldsV1 JSON form of a set. */
export function toFieldsV1(set: FieldSet): FieldsV1 {
  const out: FieldsV1 = {};
  for (const key of sortedKeys(set)) {
    const child = set.children.get(key)!;
    const encoded = toFieldsV1(child);
    out[key] = child.member && child.children.size > 0 ? { ".": {}, ...encoded } : encoded;
  }
  return out;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Parses FieldsV1 JSON; throws an Error naming the first malformed key. */
export function fromFieldsV1(json: unknown): FieldSet {
  if (!isPlainObject(json)) throw new Error("FieldsV1 must be a JSON object");
  const out = emptySet();
  for (const [key, value] of Object.entries(json)) {
    if (key === ".") continue;
    if (!isValidElement(key)) throw new Error(`invalid FieldsV1 path element ${JSON.stringify(key)}`);
    if (!isPlainObject(value)) throw new Error(`FieldsV1 value of ${JSON.stringify(key)} must be an object`);
    const child = fromFieldsV1(value);
    const keys = Object.keys(value);
    child.member = keys.length === 0 || Object.hasOwn(value, ".");
    out.children.set(key, child);
  }
  return out;
}
