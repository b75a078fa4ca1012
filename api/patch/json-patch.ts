// JSON Patch (RFC 6902). A patch that is not a well-formed operation list is the
// client's syntax error (400); a well-formed operation that cannot apply to this
// document — missing path, failed test — is 422, as kube-apiserver answers.
import { badRequest, requestEntityTooLarge, unprocessable } from "../errors.ts";
import { isObject } from "../types.ts";
import { jsonEqual } from "./merge-patch.ts";
import { formatPointer, isContainer, lookup, parseArrayIndex, parsePointer, setOwn } from "./pointer.ts";

/** kube-apiserver's cap on operations per patch, to bound the work one request can cause. */
export const MAX_JSON_PATCH_OPERATIONS = 10000;

type OpName = "add" | "remove" | "replace" | "move" | "copy" | "test";

interface Operation {
  op: OpName;
  path: string[];
  from: string[]; // move and copy only
  value: unknown; // add, replace and test only
}

const OPS_WITH_VALUE = new Set<string>(["add", "replace", "test"]);
const OPS_WITH_FROM = new Set<string>(["move", "copy"]);
const ALL_OPS = new Set<string>(["add", "remove", "replace", "move", "copy", "test"]);

/** Checks every operation before any is applied, so a malformed patch never half-applies. */
function decodePatch(ops: unknown): Operation[] {
  if (!Array.isArray(ops)) throw badRequest("json patch must be a JSON array of operations");
  if (ops.length > MAX_JSON_PATCH_OPERATIONS)
    throw requestEntityTooLarge(
      `The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${ops.length}`,
    );
  return ops.map((raw, i): Operation => {
    const where = `json patch operation ${i}`;
    if (!isObject(raw)) throw badRequest(`${where} must be a JSON object`);
    const op = raw.op;
    if (typeof op !== "string") throw badRequest(`${where}: "op" must be a string`);
    if (!ALL_OPS.has(op)) throw badRequest(`${where}: unsupported op ${JSON.stringify(op)}`);
    if (typeof raw.path !== "string") throw badRequest(`${where} (${op}): "path" must be a string`);
    const decoded: Operation = { op: op as OpName, path: parsePointer(raw.path), from: [], value: undefined };
    if (OPS_WITH_FROM.has(op)) {
      if (typeof raw.from !== "string") throw badRequest(`${where} (${op}): "from" must be a string`);
      decoded.from = parsePointer(raw.from);
    }
    if (OPS_WITH_VALUE.has(op)) {
      // `null` is a legitimate value; only a missing member is malformed.
      if (!Object.hasOwn(raw, "value")) throw badRequest(`${where} (${op}): missing "value"`);
      decoded.value = raw.value;
    }
    return decoded;
  });
}

const cannot = (op: string, path: readonly string[], why: string) =>
  unprocessable(`json patch ${op} operation does not apply: ${JSON.stringify(formatPointer(path))} ${why}`);

/** The container that holds the last token of `path`; it must already exist. */
function parentOf(doc: unknown, path: readonly string[], op: string) {
  const parent = lookup(doc, path.slice(0, -1));
  if (!parent.found) throw cannot(op, path, "has a missing parent");
  if (!isContainer(parent.value)) throw cannot(op, path, "has a parent that is neither an object nor an array");
  return parent.value;
}

/** An index into an existing element of `array` (not "-", not past the end). */
function existingIndex(array: unknown[], path: readonly string[], op: string): number {
  const index = parseArrayIndex(path.at(-1)!);
  if (index === undefined || index >= array.length) throw cannot(op, path, "is not an existing array index");
  return index;
}

// The operations work on the private copy made by applyJsonPatch, so they may
// mutate `doc` in place; each returns the (possibly replaced) root.

function add(doc: unknown, path: readonly string[], value: unknown, op = "add"): unknown {
  if (path.length === 0) return value;
  const parent = parentOf(doc, path, op);
  const token = path.at(-1)!;
  if (Array.isArray(parent)) {
    const index = token === "-" ? parent.length : parseArrayIndex(token);
    if (index === undefined || index > parent.length) throw cannot(op, path, "is not a valid array index");
    parent.splice(index, 0, value);
  } else {
    setOwn(parent, token, value);
  }
  return doc;
}

function remove(doc: unknown, path: readonly string[], op = "remove"): unknown {
  if (path.length === 0) throw cannot(op, path, "is the whole document, which cannot be removed");
  const parent = parentOf(doc, path, op);
  if (Array.isArray(parent)) {
    parent.splice(existingIndex(parent, path, op), 1);
  } else {
    const token = path.at(-1)!;
    if (!Object.hasOwn(parent, token)) throw cannot(op, path, "does not exist");
    delete parent[token];
  }
  return doc;
}

function replace(doc: unknown, path: readonly string[], value: unknown): unknown {
  if (path.length === 0) return value;
  const parent = parentOf(doc, path, "replace");
  if (Array.isArray(parent)) {
    parent[existingIndex(parent, path, "replace")] = value;
  } else {
    const token = path.at(-1)!;
    if (!Object.hasOwn(parent, token)) throw cannot("replace", path, "does not exist");
    setOwn(parent, token, value);
  }
  return doc;
}

function valueAt(doc: unknown, path: readonly string[], op: string): unknown {
  const found = lookup(doc, path);
  if (!found.found) throw cannot(op, path, "does not exist");
  return found.value;
}

const isPrefix = (prefix: readonly string[], path: readonly string[]) =>
  prefix.length <= path.length && prefix.every((token, i) => token === path[i]);

function applyOperation(doc: unknown, op: Operation): unknown {
  switch (op.op) {
    case "add":
      return add(doc, op.path, structuredClone(op.value));
    case "remove":
      return remove(doc, op.path);
    case "replace":
      return replace(doc, op.path, structuredClone(op.value));
    case "move": {
      const value = valueAt(doc, op.from, "move");
      if (isPrefix(op.from, op.path)) {
        if (op.from.length === op.path.length) return doc; // moving onto itself changes nothing
        throw cannot(
          "move",
          op.path,
          `is inside ${JSON.stringify(formatPointer(op.from))}, which cannot move into itself`,
        );
      }
      return add(remove(doc, op.from, "move"), op.path, value, "move");
    }
    case "copy":
      return add(doc, op.path, structuredClone(valueAt(doc, op.from, "copy")), "copy");
    case "test": {
      const actual = valueAt(doc, op.path, "test");
      if (!jsonEqual(actual, op.value))
        throw unprocessable(
          `json patch test operation failed: value at ${JSON.stringify(formatPointer(op.path))} does not match`,
        );
      return doc;
    }
  }
}

/**
 * Applies an RFC 6902 patch (the parsed JSON body) and returns the new document.
 * The input document and operations are never modified; operations apply in
 * order and the whole patch fails if any one does.
 */
export function applyJsonPatch(doc: unknown, ops: unknown): unknown {
  const operations = decodePatch(ops);
  let result = structuredClone(doc);
  for (const op of operations) result = applyOperation(result, op);
  return result;
}
