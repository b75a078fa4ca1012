// JSON Merge Patch (RFC 7386): objects merge key by key, `null` deletes a key,
// everything else (arrays included) replaces the target wholesale.
import { isObject } from "../types.ts";
import { setOwn } from "./pointer.ts";

/** Structural equality of JSON values; object key order is irrelevant. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}

/** Merges `patch` into `target`, which the caller owns and may be reused in place. */
function mergeInto(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return structuredClone(patch);
  const out = isObject(target) ? target : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else setOwn(out, key, mergeInto(Object.hasOwn(out, key) ? out[key] : undefined, value));
  }
  return out;
}

/**
 * RFC 7386 MergePatch(target, patch). Returns a new document; neither argument
 * is modified and the result shares no references with them. A non-object patch
 * replaces the document — whether that is acceptable is the caller's decision.
 */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  return mergeInto(isObject(patch) ? structuredClone(target) : undefined, patch);
}

/**
 * The merge patch that turns `original` into `modified`: removed keys become
 * `null`, changed values are copied, unchanged ones omitted. RFC 7386 cannot
 * express an explicit `null` value in `modified` (it reads as "delete"), so
 * such members round-trip as absent.
 */
export function createMergePatch(original: unknown, modified: unknown): unknown {
  if (!isObject(original) || !isObject(modified)) return structuredClone(modified);
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(original)) {
    if (!Object.hasOwn(modified, key)) setOwn(patch, key, null);
  }
  for (const [key, value] of Object.entries(modified)) {
    if (!Object.hasOwn(original, key)) {
      setOwn(patch, key, structuredClone(value));
      continue;
    }
    const before = original[key];
    if (isObject(before) && isObject(value)) {
      const nested = createMergePatch(before, value) as Record<string, unknown>;
      if (Object.keys(nested).length > 0) setOwn(patch, key, nested);
    } else if (!jsonEqual(before, value)) {
      setOwn(patch, key, structuredClone(value));
    }
  }
  return patch;
}
