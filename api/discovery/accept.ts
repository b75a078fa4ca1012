// A small Accept-header parser: media ranges with parameters and q-values.
export interface MediaRange {
  type: string; // lowercased, e.g. "application"
  subtype: string; // lowercased, e.g. "json"
  params: Record<string, string>; // keys lowercased, values as sent (unquoted); q is not included
  q: number;
}

const unquote = (value: string) =>
  value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;

/** Splits on `sep` outside double quotes. */
const splitOutsideQuotes = (text: string, sep: string): string[] => {
  const parts: string[] = [];
  let current = "";
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    if (ch === sep && !quoted) {
      parts.push(current);
      current = "";
    } else current += ch;
  }
  parts.push(current);
  return parts;
};

const parseRange = (text: string): MediaRange | undefined => {
  const [mediaType = "", ...rawParams] = splitOutsideQuotes(text, ";").map((s) => s.trim());
  const slash = mediaType.indexOf("/");
  if (slash <= 0 || slash === mediaType.length - 1) return undefined;
  const params: Record<string, string> = {};
  let q = 1;
  for (const raw of rawParams) {
    const eq = raw.indexOf("=");
    if (eq <= 0) continue;
    const key = raw.slice(0, eq).trim().toLowerCase();
    const value = unquote(raw.slice(eq + 1).trim());
    if (key === "q") {
      const parsed = Number(value);
      q = Number.isFinite(parsed) ? Math.min(Math.max(parsed, 0), 1) : 1;
    } else params[key] = value;
  }
  return {
    type: mediaType.slice(0, slash).trim().toLowerCase(),
    subtype: mediaType
      .slice(slash + 1)
      .trim()
      .toLowerCase(),
    params,
    q,
  };
};

/** Media ranges in preference order: highest q first, ties in the order sent. Ranges with q=0 are dropped. */
export const parseAccept = (header: string | null | undefined): MediaRange[] => {
  if (!header) return [];
  return splitOutsideQuotes(header, ",")
    .map(parseRange)
    .filter((r): r is MediaRange => r !== undefined && r.q > 0)
    .map((r, i) => ({ r, i }))
    .sort((a, b) => b.r.q - a.r.q || a.i - b.i)
    .map(({ r }) => r);
};
