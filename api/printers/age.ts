// Relative-time formatting as `kubectl get` shows it (AGE, LAST SEEN, DURATION).
// Mirrors the rules of Kubernetes' duration.HumanDuration / ShortHumanDuration.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const YEAR = 365 * DAY;

/**
 * Human-readable duration with two units of precision where it matters:
 * "45s", "5m10s", "42m", "3h5m", "20h", "3d4h", "120d", "3y20d", "9y".
 * Up to 2s in the future is tolerated as clock skew ("0s"); further is "<invalid>".
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return "<invalid>";
  const seconds = Math.trunc(ms / SECOND);
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(ms / MINUTE);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(ms / HOUR);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 8 * 24) {
    const h = hours % 24;
    const d = Math.floor(hours / 24);
    return h === 0 ? `${d}d` : `${d}d${h}h`;
  }
  if (hours < 2 * 365 * 24) return `${Math.floor(hours / 24)}d`;
  const years = Math.floor(ms / YEAR);
  if (hours < 8 * 365 * 24) {
    const d = Math.floor(hours / 24) % 365;
    return d === 0 ? `${years}y` : `${years}y${d}d`;
  }
  return `${years}y`;
}

/** Single-unit duration: "45s", "5m", "3h", "12d", "2y". */
export function formatShortDuration(ms: number): string {
  if (!Number.isFinite(ms)) return "<invalid>";
  const seconds = Math.trunc(ms / SECOND);
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(ms / MINUTE);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(ms / HOUR);
  if (hours < 24) return `${hours}h`;
  if (hours < 365 * 24) return `${Math.floor(hours / 24)}d`;
  return `${Math.floor(hours / 24 / 365)}y`;
}

/** Parses an RFC3339 timestamp; undefined when absent or unparseable. */
export function parseTime(value: unknown): number | undefined {
  if (typeof value !== "string" || value === "") return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}

/** Time elapsed since `from` as kubectl prints it; "<unknown>" when there is no timestamp. */
export function formatAge(from: string | undefined, now: Date): string {
  const t = parseTime(from);
  if (t === undefined) return "<unknown>";
  return formatDuration(now.getTime() - t);
}
