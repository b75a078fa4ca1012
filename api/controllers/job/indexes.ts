// Completed indexes of an Indexed Job, kept in status.completedIndexes as sorted
// intervals ("1,3-5,7").

/** Parses "1,3-5" into a set; entries at or beyond `completions` are dropped. */
export function parseIndexes(text: string | undefined, completions: number): Set<number> {
  const result = new Set<number>();
  for (const part of (text ?? "").split(",")) {
    const match = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!match) continue;
    const first = Number(match[1]);
    const last = match[2] === undefined ? first : Number(match[2]);
    for (let i = first; i <= Math.min(last, completions - 1); i++) result.add(i);
  }
  return result;
}

/** Formats a set of indexes as sorted intervals; "" for none. */
export function formatIndexes(indexes: Iterable<number>): string {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const parts: string[] = [];
  let start = 0;
  while (start < sorted.length) {
    let end = start;
    while (end + 1 < sorted.length && sorted[end + 1] === sorted[end]! + 1) end++;
    parts.push(end === start ? `${sorted[start]}` : `${sorted[start]}-${sorted[end]}`);
    start = end + 1;
  }
  return parts.join(",");
}

/** The lowest `count` indexes in [0, completions) that are neither completed nor taken. */
export function pendingIndexes(
  completions: number,
  completed: Set<number>,
  taken: Set<number>,
  count: number,
): number[] {
  const result: number[] = [];
  for (let i = 0; i < completions && result.length < count; i++) {
    if (!completed.has(i) && !taken.has(i)) result.push(i);
  }
  return result;
}
