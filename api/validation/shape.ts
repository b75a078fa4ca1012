// Safe reads of decoded JSON. Validation must never throw on odd input (a string
// where an object belongs), so every lookup goes through these.

export type JsonObject = Record<string, unknown>;

export const isRecord = (value: unknown): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The value if it is a plain object, else undefined. */
export const asRecord = (value: unknown): JsonObject | undefined => (isRecord(value) ? value : undefined);

/** The value if it is an array, else an empty one (absent lists are empty). */
export const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** The value if it is a string, else "" (Go's zero value, which Kubernetes checks against). */
export const asString = (value: unknown): string => (typeof value === "string" ? value : "");

export const asNumber = (value: unknown): number | undefined => (typeof value === "number" ? value : undefined);

/** String-valued entries of a map; non-string values are kept as-is for the caller to reject. */
export const entriesOf = (value: unknown): Array<[string, unknown]> => (isRecord(value) ? Object.entries(value) : []);

/** Reads a dotted path such as "spec.template.spec"; undefined if any step is missing. */
export function getPath(obj: unknown, path: string): unknown {
  let current: unknown = obj;
  for (const part of path.split(".")) {
    if (!isRecord(current)) return undefined;
    current = current[part];
  }
  return current;
}

/** UTF-8 length, which is what Kubernetes' byte limits count. */
export const byteLength = (text: string): number => new TextEncoder().encode(text).length;
