// Structural equality for JSON values, treating absent and undefined keys alike,
// and a short list of where two values differ (for "may not change" messages).

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => deepEqual(item, b[i]));
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
  for (const key of keys) if (!deepEqual(left[key], right[key])) return false;
  return true;
}

/** Dotted paths where `before` and `after` differ, at most `limit` of them. */
export function differingPaths(before: unknown, after: unknown, prefix: string, limit = 10): string[] {
  const out: string[] = [];
  const walk = (a: unknown, b: unknown, path: string) => {
    if (out.length >= limit || deepEqual(a, b)) return;
    const bothObjects = typeof a === "object" && typeof b === "object" && a !== null && b !== null;
    if (!bothObjects || Array.isArray(a) !== Array.isArray(b)) {
      out.push(path);
      return;
    }
    if (Array.isArray(a) && Array.isArray(b)) {
      if (a.length !== b.length) out.push(path);
      else a.forEach((item, i) => walk(item, b[i], `${path}[${i}]`));
      return;
    }
    const left = a as Record<string, unknown>;
    const right = b as Record<string, unknown>;
    for (const key of new Set([...Object.keys(left), ...Object.keys(right)]))
      walk(left[key], right[key], `${path}.${key}`);
  };
  walk(before, after, prefix);
  return out;
}
