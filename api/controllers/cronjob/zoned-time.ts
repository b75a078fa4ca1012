// Wall-clock time in an IANA time zone, through Intl (no time zone database of our own).
// Without a zone, schedules run in UTC (what kube-controller-manager does in a container).

export interface WallClock {
  year: number;
  month: number; // 1-12
  day: number; // 1-31
  hour: number; // 0-23
  minute: number;
  second: number;
  weekday: number; // 0 = Sunday
}

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
const formatters = new Map<string, Intl.DateTimeFormat>();

const isUTC = (timeZone: string | undefined) => timeZone === undefined || timeZone === "UTC" || timeZone === "Etc/UTC";

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
      weekday: "short",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** True when Intl knows the zone (the CronJob's spec.timeZone). */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall clock at `instant` (ms) in `timeZone`. */
export function wallClock(instant: number, timeZone?: string): WallClock {
  if (isUTC(timeZone)) {
    const d = new Date(instant);
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
      weekday: d.getUTCDay(),
    };
  }
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timeZone!).formatToParts(new Date(instant))) parts[part.type] = part.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour) % 24,
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: WEEKDAYS[parts.weekday ?? ""] ?? 0,
  };
}

/** Offset of the zone from UTC at `instant`, in ms (positive east of Greenwich). */
export function utcOffset(instant: number, timeZone?: string): number {
  if (isUTC(timeZone)) return 0;
  const w = wallClock(instant, timeZone);
  const asUTC = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUTC - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant a wall-clock time names (fields may overflow: month 13, day 32). A time in a
 * spring-forward gap comes out shifted forward by the gap; an ambiguous fall-back time
 * resolves to its first (daylight) occurrence.
 */
export function fromWallClock(
  timeZone: string | undefined,
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
): number {
  const local = Date.UTC(year, month - 1, day, hour, minute);
  if (isUTC(timeZone)) return local;
  // The offset before the wall time, then after: try both and keep one that reads back right.
  const early = utcOffset(local - 86_400_000, timeZone);
  const late = utcOffset(local + 86_400_000, timeZone);
  const candidates = [local - early, local - late];
  const exact = candidates.filter((instant) => utcOffset(instant, timeZone) + instant === local).sort((a, b) => a - b);
  if (exact.length > 0) return exact[0]!;
  // In a gap: read the wall time with the offset in force before the transition.
  return local - Math.min(early, late);
}

/** RFC 3339 with the zone's offset (`2024-03-10T03:00:00-04:00`), or `Z` for UTC. */
export function formatInZone(instant: number, timeZone?: string): string {
  const offset = utcOffset(instant, timeZone);
  const w = wallClock(instant, timeZone);
  const pad = (n: number, width = 2) => String(n).padStart(width, "0");
  const date = `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
  if (offset === 0) return `${date}Z`;
  const sign = offset < 0 ? "-" : "+";
  const minutes = Math.abs(offset) / 60_000;
  return `${date}${sign}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}
