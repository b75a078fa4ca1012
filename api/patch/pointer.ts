// JSON Pointer (RFC 6901) parsing plus the small, prototype-safe helpers the
// patch implementations use to read and write plain JSON documents.
import { badRequest } from "../errors.ts";
import { isObject } from "../types.ts";

export type JsonContainer = Record<string, unknown> | unknown[];

/** Splits a pointer into unescaped reference tokens; "" is the whole document. A malformed pointer is a 400. */
export function parsePointer(pointer: string): string[] {
  if (pointer === "") return [];
  if (!pointer.startsWith("/"))
    throw badRequest(`invalid JSON pointer ${JSON.stringify(pointer)}: must start with '/'`);
  return pointer
    .slice(1)
    .split("/")
    .map((token) => {
      if (/~(?![01])/.test(token))
        throw badRequest(`invalid JSON pointer ${JSON.stringify(pointer)}: '~' must be followed by '0' or '1'`);
      // "~1" first, so that "~01" decodes to "~1" and not to "/".
      return token.replaceAll("~1", "/").replaceAll("~0", "~");
    });
}

export function formatPointer(tokens: readonly string[]): string {
  return tokens.map((t) => "/" + t.replaceAll("~", "~0").replaceAll("/", "~1")).join("");
}

/** An array index token: decimal without leading zeros (RFC 6901 §4); anything else is undefined. */
export function parseArrayIndex(token: string): number | undefined {
  return /^(0|[1-9]\d*)$/.test(token) ? Number(token) : undefined;
}

export const isContainer = (value: unknown): value is JsonContainer => Array.isArray(value) || isObject(value);

/** The value at `tokens`, or `found: false` when any step is missing. */
export function lookup(doc: unknown, tokens: readonly string[]): { found: true; value: unknown } | { found: false } {
  let current = doc;
  for (const token of tokens) {
    if (Array.isArray(current)) {
      const index = parseArrayIndex(token);
      if (index === undefined || index >= current.length) return { found: false };
      current = current[index];
    } else if (isObject(current)) {
      if (!Object.hasOwn(current, token)) return { found: false };
      current = current[token];
    } else {
      return { found: false };
    }
  }
  return { found: true, value: current };
}

/** Sets an own data property; plain assignment to "__proto__" would change the prototype instead. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    target[key] = value;
  }
}
