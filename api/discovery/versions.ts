// Ordering of API versions the way Kubernetes ranks them: GA before beta before alpha,
// higher numbers first within a level, anything unparseable last (alphabetically).
const VERSION_RE = /^v(\d+)(?:(alpha|beta)(\d+))?$/;

const rank = (version: string): [number, number, number] | undefined => {
  const m = VERSION_RE.exec(version);
  if (!m) return undefined;
  const level = m[2] === undefined ? 3 : m[2] === "beta" ? 2 : 1;
  return [level, Number(m[1]), m[3] === undefined ? 0 : Number(m[3])];
};

/** Negative when `a` is preferred over `b`. */
export const compareKubeVersions = (a: string, b: string): number => {
  const ra = rank(a);
  const rb = rank(b);
  if (ra && rb) {
    for (let i = 0; i < 3; i++) if (ra[i] !== rb[i]) return rb[i] - ra[i];
    return 0;
  }
  if (ra) return -1;
  if (rb) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
};
