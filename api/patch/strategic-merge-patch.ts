// Strategic merge patch (`application/strategic-merge-patch+json`) as kube-apiserver applies it.
//
// Like a JSON merge patch — maps merge key by key and `null` deletes — except that the field's
// patch metadata (./smp-schema) decides how lists combine: lists with strategy `merge` merge
// element-wise by their merge key (or as a set, for primitives), other lists are replaced. The
// patch may carry directives: `$patch` (replace / delete / merge), `$retainKeys`,
// `$setElementOrder/<list>` and `$deleteFromPrimitiveList/<list>`. None survive into the result.
//
// Where kube-apiserver leaves a stray directive or `null` in the merged map (it later vanishes when
// the map is decoded into a Go struct), this code drops it at once, so the JSON stored is the same.
import { badRequest, unprocessable } from "../errors.ts";
import { isObject } from "../types.ts";
import { jsonEqual } from "./merge-patch.ts";
import { setOwn } from "./pointer.ts";
import { fieldOf, schemaForKind, schemaForObject, type FieldMeta, type Schema } from "./smp-schema/index.ts";

type Obj = Record<string, unknown>;

export const PATCH_DIRECTIVE = "$patch";
export const RETAIN_KEYS_DIRECTIVE = "$retainKeys";
export const SET_ELEMENT_ORDER_PREFIX = "$setElementOrder/";
export const DELETE_FROM_PRIMITIVE_LIST_PREFIX = "$deleteFromPrimitiveList/";

/** Directive keys only; other `$` keys (a CRD schema's `$ref`, `$schema`) are ordinary data. */
export const isDirectiveKey = (key: string): boolean =>
  key === PATCH_DIRECTIVE ||
  key === RETAIN_KEYS_DIRECTIVE ||
  key.startsWith(SET_ELEMENT_ORDER_PREFIX) ||
  key.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX);

/**
 * Applies a strategic merge patch to `original`, whose `apiVersion`/`kind` (or `as`, when given)
 * select the merge metadata. Kinds without metadata merge like RFC 7386 (lists replace), but
 * directives are still honoured and stripped. Neither argument is modified; the result shares
 * no references with them. Malformed patches are 400, patches that cannot apply 422.
 */
export function applyStrategicMergePatch(
  original: unknown,
  patch: unknown,
  as?: { apiVersion: string; kind: string },
): unknown {
  if (!isObject(patch)) throw badRequest("strategic merge patch must be a JSON object");
  const schema = as ? schemaForKind(as.apiVersion, as.kind) : schemaForObject(original);
  return mergeMap(isObject(original) ? structuredClone(original) : {}, patch, schema);
}

/** The patch value as it lands where nothing merges with it: nulls and directives removed. */
function clean(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(clean);
  if (!isObject(value)) return value;
  const out: Obj = {};
  for (const [key, v] of Object.entries(value)) if (v !== null && !isDirectiveKey(key)) setOwn(out, key, clean(v));
  return out;
}

/** Merges `patch` into `original`, which this module owns and mutates; returns the merged map. */
function mergeMap(original: Obj, patch: Obj, schema: Schema): Obj {
  if (Object.hasOwn(patch, PATCH_DIRECTIVE)) {
    const directive = patch[PATCH_DIRECTIVE];
    if (directive === "replace") return clean(patch) as Obj;
    // kube answers `{}` rather than dropping the field: the map is emptied, not removed.
    if (directive === "delete") return {};
    if (directive !== "merge") throw badRequest(`unknown patch type: ${JSON.stringify(directive)} in map`);
  }
  applyRetainKeys(original, patch);
  const ordered = applyElementOrders(original, patch, schema);
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith(DELETE_FROM_PRIMITIVE_LIST_PREFIX)) {
      deleteFromList(original, key.slice(DELETE_FROM_PRIMITIVE_LIST_PREFIX.length), value);
    } else if (isDirectiveKey(key) || ordered.has(key)) {
      continue;
    } else if (value === null) {
      delete original[key];
    } else {
      const { meta, schema: sub } = fieldOf(schema, key);
      setOwn(original, key, mergeValue(Object.hasOwn(original, key) ? original[key] : undefined, value, meta, sub));
    }
  }
  return original;
}

/** Merges one non-null patch value into the current value of a field (undefined when absent). */
function mergeValue(current: unknown, patch: unknown, meta: FieldMeta, schema: Schema): unknown {
  if (isObject(patch)) {
    if (meta.strategy === "replace") return clean(patch);
    return mergeMap(isObject(current) ? current : {}, patch, schema);
  }
  if (Array.isArray(patch)) {
    if (meta.strategy !== "merge") return clean(patch);
    return mergeList(Array.isArray(current) ? current : [], patch, meta.mergeKey, schema);
  }
  return patch;
}

/** `$retainKeys`: the map keeps only the listed keys, and the patch may set no others. */
function applyRetainKeys(original: Obj, patch: Obj): void {
  if (!Object.hasOwn(patch, RETAIN_KEYS_DIRECTIVE)) return;
  const listed = patch[RETAIN_KEYS_DIRECTIVE];
  if (!Array.isArray(listed)) throw badRequest("invalid patch format of retainKeys: $retainKeys must be a list");
  const keep = new Set<unknown>(listed);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null || isDirectiveKey(key) || keep.has(key)) continue;
    throw badRequest(`invalid patch format of retainKeys: ${JSON.stringify(key)} is set but not in $retainKeys`);
  }
  for (const key of Object.keys(original)) if (!keep.has(key)) delete original[key];
}

/** `$deleteFromPrimitiveList/<field>`: removes every listed value from the field's list. */
function deleteFromList(original: Obj, field: string, values: unknown): void {
  if (!Array.isArray(values)) throw badRequest("invalid patch format of primitive list: expected a list");
  const live = Object.hasOwn(original, field) ? original[field] : undefined;
  if (!Array.isArray(live)) return;
  setOwn(
    original,
    field,
    live.filter((item) => !values.some((v) => jsonEqual(v, item))),
  );
}

/**
 * `$setElementOrder/<field>`: merges the field's list (if patched) and orders the result — items
 * named in the directive in its order, the others where they were in the live list. Returns the
 * fields done here, so the main loop leaves them alone.
 */
function applyElementOrders(original: Obj, patch: Obj, schema: Schema): Set<string> {
  const done = new Set<string>();
  for (const [key, order] of Object.entries(patch)) {
    if (!key.startsWith(SET_ELEMENT_ORDER_PREFIX)) continue;
    const field = key.slice(SET_ELEMENT_ORDER_PREFIX.length);
    if (!Array.isArray(order)) throw badRequest("invalid patch format of setElementOrder list: expected a list");
    const { meta, schema: sub } = fieldOf(schema, field);
    // Only merging lists keep server-side items whose place needs deciding.
    if (meta.strategy !== "merge") continue;
    const current = Object.hasOwn(original, field) ? original[field] : undefined;
    const patched = Object.hasOwn(patch, field) ? patch[field] : undefined;
    // No list to order; or `null` / a non-list replaces the field outright, which the main loop does.
    if (patched === undefined ? !Array.isArray(current) : !Array.isArray(patched)) continue;
    const live: unknown[] = Array.isArray(current) ? current : [];
    const mergeKey = meta.mergeKey;
    checkOrderList(order, mergeKey);
    let merged = live;
    if (Array.isArray(patched)) {
      checkPatchFollowsOrder(patched, order, mergeKey);
      merged = mergeList(live, patched, mergeKey, sub);
    }
    const [named, others] = partition(merged, order, mergeKey);
    setOwn(original, field, interleave(sortBy(others, live, mergeKey), sortBy(named, order, mergeKey), live, mergeKey));
    done.add(field);
  }
  return done;
}

function checkOrderList(order: unknown[], mergeKey: string | undefined): void {
  if (mergeKey === undefined) return;
  for (const item of order)
    if (!isObject(item) || !Object.hasOwn(item, mergeKey))
      throw badRequest(`invalid patch format of setElementOrder list: ${JSON.stringify(item)} has no ${mergeKey}`);
}

/** Every (non-directive) item of the patched list must appear in the order list, in the same order. */
function checkPatchFollowsOrder(patched: unknown[], order: unknown[], mergeKey: string | undefined): void {
  let from = 0;
  for (const item of patched) {
    if (isObject(item) && Object.hasOwn(item, PATCH_DIRECTIVE)) continue;
    const at = order.findIndex((o, i) => i >= from && sameItem(o, item, mergeKey));
    if (at < 0)
      throw badRequest(
        `the order in patch list ${JSON.stringify(patched)} doesn't match $setElementOrder list ${JSON.stringify(order)}`,
      );
    from = at + 1;
  }
}

/** Merges a patch list into a live list of a field with strategy `merge`. Returns a new list. */
function mergeList(live: unknown[], patch: unknown[], mergeKey: string | undefined, schema: Schema): unknown[] {
  if (live.length === 0 && patch.length === 0) return [];
  if (elementKind(live, patch) !== "object") {
    const merged = dedupe([...live, ...patch]);
    const [fromPatch, serverOnly] = partition(merged, patch, undefined);
    return interleave(sortBy(serverOnly, live, undefined), sortBy(fromPatch, patch, undefined), live, undefined);
  }
  if (mergeKey === undefined) throw badRequest("cannot merge lists of objects without a merge key");
  const { base, items } = applyListDirectives(live, patch as Obj[], mergeKey, schema);
  const merged = base.slice();
  for (const item of items) {
    if (!Object.hasOwn(item, mergeKey)) throw missingMergeKey(item, mergeKey);
    const at = merged.findIndex((m) => sameItem(m, item, mergeKey));
    if (at >= 0) merged[at] = mergeMap(merged[at] as Obj, item, schema);
    else merged.push(mergeMap({}, item, schema));
  }
  const [fromPatch, serverOnly] = partition(merged, items, mergeKey);
  return interleave(sortBy(serverOnly, base, mergeKey), sortBy(fromPatch, items, mergeKey), base, mergeKey);
}

/**
 * List elements carrying `$patch`: `delete` removes the live items with that merge key,
 * `replace` makes the rest of the patch list the whole list. Returns what remains to merge.
 */
function applyListDirectives(
  live: unknown[],
  patch: Obj[],
  mergeKey: string,
  schema: Schema,
): { base: unknown[]; items: Obj[] } {
  let base = live;
  let replace = false;
  const items: Obj[] = [];
  for (const item of patch) {
    if (!Object.hasOwn(item, PATCH_DIRECTIVE)) {
      items.push(item);
      continue;
    }
    const directive = item[PATCH_DIRECTIVE];
    if (directive === "delete") {
      if (!Object.hasOwn(item, mergeKey)) throw missingMergeKey(item, mergeKey);
      base = base.filter((b) => !sameItem(b, item, mergeKey));
    } else if (directive === "replace") {
      replace = true;
    } else if (directive === "merge") {
      throw badRequest("merging lists cannot yet be specified in the patch");
    } else {
      throw badRequest(`unknown patch type: ${JSON.stringify(directive)} in list element ${JSON.stringify(item)}`);
    }
  }
  if (replace) return { base: items.map((item) => mergeMap({}, item, schema)), items: [] };
  return { base, items };
}

const missingMergeKey = (item: unknown, mergeKey: string) =>
  badRequest(`map: ${JSON.stringify(item)} does not contain declared merge key: ${mergeKey}`);

/** All elements of the lists must share one JSON type; lists of lists are not mergeable. */
export function elementKind(...lists: unknown[][]): string | undefined {
  let kind: string | undefined;
  for (const list of lists)
    for (const item of list) {
      if (Array.isArray(item)) throw unprocessable("lists of lists are not supported");
      const k = item === null ? "null" : typeof item;
      if (kind !== undefined && k !== kind) throw unprocessable("list element types are not identical");
      kind = k;
    }
  return kind;
}

/** Same list item: equal merge-key values for maps, equal values for primitives. */
export function sameItem(a: unknown, b: unknown, mergeKey: string | undefined): boolean {
  if (mergeKey === undefined) return jsonEqual(a, b);
  return (
    isObject(a) &&
    isObject(b) &&
    Object.hasOwn(a, mergeKey) &&
    Object.hasOwn(b, mergeKey) &&
    jsonEqual(a[mergeKey], b[mergeKey])
  );
}

export function dedupe(items: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const item of items) if (!out.some((o) => jsonEqual(o, item))) out.push(item);
  return out;
}

const positionIn = (order: unknown[], item: unknown, mergeKey: string | undefined) =>
  order.findIndex((o) => sameItem(o, item, mergeKey));

/** Splits `items` into those `reference` mentions and the rest, keeping relative order. */
function partition(items: unknown[], reference: unknown[], mergeKey: string | undefined): [unknown[], unknown[]] {
  const mentioned: unknown[] = [];
  const rest: unknown[] = [];
  for (const item of items) (positionIn(reference, item, mergeKey) >= 0 ? mentioned : rest).push(item);
  return [mentioned, rest];
}

/** Stable sort by position in `order`; items it does not mention keep their relative order, last. */
export function sortBy(items: unknown[], order: unknown[], mergeKey: string | undefined): unknown[] {
  const rank = (item: unknown) => {
    const at = positionIn(order, item, mergeKey);
    return at < 0 ? Infinity : at;
  };
  return items
    .map((item, i) => ({ item, i, r: rank(item) }))
    .sort((a, b) => (a.r === b.r ? a.i - b.i : a.r < b.r ? -1 : 1))
    .map((x) => x.item);
}

/**
 * Interleaves server-only items into the (already ordered) patch items, keeping both relative
 * orders: a server-only item goes before a patch item only when the live list had it earlier.
 * So patch items new to the list come before the server-only items that follow them.
 */
function interleave(serverOnly: unknown[], fromPatch: unknown[], live: unknown[], mergeKey: string | undefined) {
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < serverOnly.length || j < fromPatch.length) {
    if (j >= fromPatch.length) out.push(serverOnly[i++]);
    else if (i >= serverOnly.length) out.push(fromPatch[j++]);
    else {
      const left = positionIn(live, serverOnly[i], mergeKey);
      const right = positionIn(live, fromPatch[j], mergeKey);
      out.push(left >= 0 && right >= 0 && left < right ? serverOnly[i++] : fromPatch[j++]);
    }
  }
  return out;
}
