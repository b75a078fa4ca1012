// The strategic merge patch `kubectl apply` (client-side) sends: changes and additions from the
// live object to the new manifest, plus deletions of what the previous manifest (the
// last-applied-configuration annotation) set and the new one no longer does. Fields only other
// writers set are left alone. Uses the same merge metadata as applyStrategicMergePatch, so that
// applying the result to `current` yields the manifest's intent.
import { badRequest } from "../errors.ts";
import { isObject } from "../types.ts";
import { jsonEqual } from "./merge-patch.ts";
import { setOwn } from "./pointer.ts";
import { fieldOf, schemaForObject, type Schema } from "./smp-schema/index.ts";
import {
  DELETE_FROM_PRIMITIVE_LIST_PREFIX,
  PATCH_DIRECTIVE,
  RETAIN_KEYS_DIRECTIVE,
  SET_ELEMENT_ORDER_PREFIX,
  dedupe,
  elementKind,
  sameItem,
  sortBy,
} from "./strategic-merge-patch.ts";

type Obj = Record<string, unknown>;

interface DiffOptions {
  /** Leave out removals (null, `$patch: delete`, `$deleteFromPrimitiveList`). */
  ignoreDeletions: boolean;
  /** Leave out changes and additions. */
  ignoreChangesAndAdditions: boolean;
  /** The map being diffed has the retainKeys strategy: send `$retainKeys`. */
  retainKeys: boolean;
}

/**
 * `lastApplied` may be null/undefined (no annotation yet): nothing is then deleted. The kind
 * (hence the merge metadata) comes from `modified`, else `current`. Returns `{}` when nothing
 * needs changing. The result shares no references with the arguments.
 */
export function createThreeWayMergePatch(lastApplied: unknown, modified: unknown, current: unknown): Obj {
  if (!isObject(modified)) throw badRequest("the modified configuration must be a JSON object");
  const schema = schemaForObject(modified) ?? schemaForObject(current);
  const live = isObject(current) ? current : {};
  const previous = isObject(lastApplied) ? lastApplied : {};
  // Deletions come from last-applied → modified only, so fields other writers added survive;
  // changes and additions come from live → modified, so drift is corrected.
  const delta = diffMaps(live, modified, schema, {
    ignoreDeletions: true,
    ignoreChangesAndAdditions: false,
    retainKeys: false,
  });
  const deletions = diffMaps(previous, modified, schema, {
    ignoreDeletions: false,
    ignoreChangesAndAdditions: true,
    retainKeys: false,
  });
  return structuredClone(combine(deletions, delta, schema));
}

const jsonType = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);

/** The patch turning `original` into `modified`, restricted by `opts`. */
function diffMaps(original: Obj, modified: Obj, schema: Schema, opts: DiffOptions): Obj {
  const patch: Obj = {};
  const retained: string[] = [];
  for (const [key, value] of Object.entries(modified)) {
    if (opts.retainKeys && value !== null) retained.push(key);
    if (!Object.hasOwn(original, key) || jsonType(original[key]) !== jsonType(value)) {
      if (!opts.ignoreChangesAndAdditions) setOwn(patch, key, value);
      continue;
    }
    const before = original[key];
    if (isObject(before) && isObject(value)) diffMapField(key, before, value, patch, schema, opts);
    else if (Array.isArray(before) && Array.isArray(value)) diffListField(key, before, value, patch, schema, opts);
    else if (!opts.ignoreChangesAndAdditions && !jsonEqual(before, value)) setOwn(patch, key, value);
  }
  if (!opts.ignoreDeletions)
    for (const key of Object.keys(original)) if (!Object.hasOwn(modified, key)) setOwn(patch, key, null);
  // kubectl sends $retainKeys when the map changes or when `original` has keys the manifest
  // dropped (e.g. a defaulted rollingUpdate next to `type: Recreate`).
  const extra = Object.entries(original).some(([key, v]) => v !== null && !Object.hasOwn(modified, key));
  if (retained.length > 0 && (Object.keys(patch).length > 0 || extra)) patch[RETAIN_KEYS_DIRECTIVE] = retained.sort();
  return patch;
}

function diffMapField(key: string, before: Obj, after: Obj, patch: Obj, schema: Schema, opts: DiffOptions): void {
  const { meta, schema: sub } = fieldOf(schema, key);
  if (meta.strategy === "replace") {
    if (!opts.ignoreChangesAndAdditions && !jsonEqual(before, after)) setOwn(patch, key, after);
    return;
  }
  const nested = diffMaps(before, after, sub, { ...opts, retainKeys: meta.retainKeys === true });
  if (Object.keys(nested).length > 0) setOwn(patch, key, nested);
}

function diffListField(
  key: string,
  before: unknown[],
  after: unknown[],
  patch: Obj,
  schema: Schema,
  opts: DiffOptions,
) {
  const { meta, schema: sub } = fieldOf(schema, key);
  if (meta.strategy !== "merge") {
    if (!opts.ignoreChangesAndAdditions && !jsonEqual(before, after)) setOwn(patch, key, after);
    return;
  }
  const diff = diffLists(before, after, sub, meta.mergeKey, { ...opts, retainKeys: meta.retainKeys === true });
  if (diff.changes.length > 0) setOwn(patch, key, diff.changes);
  if (diff.removed.length > 0) patch[DELETE_FROM_PRIMITIVE_LIST_PREFIX + key] = diff.removed;
  if (diff.order.length > 0) patch[SET_ELEMENT_ORDER_PREFIX + key] = diff.order;
}

interface ListDiff {
  /** The patch list: changed and added items, then `$patch: delete` items. */
  changes: unknown[];
  /** Primitives to remove (`$deleteFromPrimitiveList`). */
  removed: unknown[];
  /** The `$setElementOrder` list, or empty when the order need not be sent. */
  order: unknown[];
}

function diffLists(
  before: unknown[],
  after: unknown[],
  schema: Schema,
  mergeKey: string | undefined,
  opts: DiffOptions,
): ListDiff {
  const none: ListDiff = { changes: [], removed: [], order: [] };
  if (before.length === 0) {
    // A list that was empty is sent whole, without an order directive.
    return after.length === 0 || opts.ignoreChangesAndAdditions ? none : { ...none, changes: after };
  }
  if (elementKind(before, after) === "object") {
    if (mergeKey === undefined) throw badRequest("cannot diff lists of objects without a merge key");
    const { changes, deletions } = diffListsOfMaps(before, after, schema, mergeKey, opts);
    const list = [...sortBy(changes, after, mergeKey), ...deletions];
    const sameOrder =
      before.length === after.length &&
      before.every((b, i) => keyString(b, mergeKey) === keyString(after[i], mergeKey));
    const sendOrder =
      (!opts.ignoreChangesAndAdditions && (list.length > 0 || !sameOrder)) ||
      (!opts.ignoreDeletions && list.length > 0);
    const order = sendOrder ? after.map((item) => ({ [mergeKey]: (item as Obj)[mergeKey] })) : [];
    return { changes: list, removed: [], order };
  }
  const added = opts.ignoreChangesAndAdditions ? [] : after.filter((a) => !before.some((b) => jsonEqual(a, b)));
  const removed = opts.ignoreDeletions
    ? []
    : dedupe(before.filter((b) => !after.some((a) => jsonEqual(a, b)))).sort((x, y) =>
        String(x) < String(y) ? -1 : String(x) > String(y) ? 1 : 0,
      );
  const sendOrder =
    (!opts.ignoreDeletions && removed.length > 0) || (!opts.ignoreChangesAndAdditions && !jsonEqual(before, after));
  return { changes: added, removed, order: sendOrder ? after : [] };
}

function keyString(item: unknown, mergeKey: string): string {
  if (!isObject(item) || !Object.hasOwn(item, mergeKey))
    throw badRequest(`map: ${JSON.stringify(item)} does not contain declared merge key: ${mergeKey}`);
  return String(item[mergeKey]);
}

/** Pairs items by merge key (kubectl walks both lists sorted by the key's string form). */
function diffListsOfMaps(before: unknown[], after: unknown[], schema: Schema, mergeKey: string, opts: DiffOptions) {
  const byKey = (list: unknown[]) =>
    list
      .map((item) => ({ item: item as Obj, key: keyString(item, mergeKey) }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const old = byKey(before);
  const now = byKey(after);
  const changes: Obj[] = [];
  const deletions: Obj[] = [];
  let i = 0;
  let j = 0;
  while (i < old.length || j < now.length) {
    if (i < old.length && j < now.length && old[i]!.key === now[j]!.key) {
      const nested = diffMaps(old[i]!.item, now[j]!.item, schema, opts);
      if (Object.keys(nested).length > 0) changes.push({ ...nested, [mergeKey]: now[j]!.item[mergeKey] });
      i++;
      j++;
    } else if (i >= old.length || (j < now.length && old[i]!.key > now[j]!.key)) {
      if (!opts.ignoreChangesAndAdditions) changes.push(now[j]!.item);
      j++;
    } else {
      if (!opts.ignoreDeletions) deletions.push({ [PATCH_DIRECTIVE]: "delete", [mergeKey]: old[i]!.item[mergeKey] });
      i++;
    }
  }
  return { changes, deletions };
}

/**
 * Combines the deletions patch with the changes patch. They never touch the same leaf (a field
 * deleted from the manifest cannot also be changed by it), so this is a plain recursive union:
 * maps merge, merged lists pair items by merge key, and directives (equal on both sides, since
 * both derive from the manifest) are kept once.
 */
function combine(deletions: Obj, changes: Obj, schema: Schema): Obj {
  const out: Obj = { ...deletions };
  for (const [key, value] of Object.entries(changes)) {
    const prev = Object.hasOwn(out, key) ? out[key] : undefined;
    if (prev === undefined || key === RETAIN_KEYS_DIRECTIVE || key.startsWith(SET_ELEMENT_ORDER_PREFIX)) {
      if (prev === undefined) setOwn(out, key, value);
      continue;
    }
    const { meta, schema: sub } = fieldOf(schema, key);
    if (isObject(prev) && isObject(value)) setOwn(out, key, combine(prev, value, sub));
    else if (Array.isArray(prev) && Array.isArray(value) && meta.strategy === "merge")
      setOwn(out, key, combineLists(prev, value, meta.mergeKey, sub));
    else setOwn(out, key, value);
  }
  return out;
}

function combineLists(deletions: unknown[], changes: unknown[], mergeKey: string | undefined, schema: Schema) {
  if (mergeKey === undefined) return dedupe([...deletions, ...changes]);
  const out = deletions.slice();
  for (const item of changes) {
    const at = out.findIndex((o) => isObject(o) && !Object.hasOwn(o, PATCH_DIRECTIVE) && sameItem(o, item, mergeKey));
    if (at >= 0) out[at] = combine(out[at] as Obj, item as Obj, schema);
    else out.push(item);
  }
  // Deletion directives go last, as kubectl orders them.
  const isDelete = (o: unknown) => isObject(o) && Object.hasOwn(o, PATCH_DIRECTIVE);
  return [...out.filter((o) => !isDelete(o)), ...out.filter(isDelete)];
}
