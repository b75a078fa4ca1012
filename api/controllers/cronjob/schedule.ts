// When a CronJob's schedule fires. The search walks instants the way the cron library
// Kubernetes uses does (month, day, hour, minute; hours and minutes advance in absolute
// time), so daylight-saving days behave as in Kubernetes: a time inside a spring-forward
// gap does not occur that day, and a time in a fall-back repeat occurs twice.
import { parseCronSchedule, type CronFields, type CronSchedule } from "../../validation/cron.ts";
import { fromWallClock, wallClock, type WallClock } from "./zoned-time.ts";

const MINUTE = 60_000;
const HOUR = 3_600_000;
/** A schedule that matches nothing within this many years never fires (e.g. "0 0 30 2 *"). */
const SEARCH_YEARS = 5;

const toSchedule = (schedule: string | CronSchedule): CronSchedule =>
  typeof schedule === "string" ? parseCronSchedule(schedule) : schedule;

function dayMatches(fields: CronFields, w: WallClock): boolean {
  const dom = fields.daysOfMonth.includes(w.day);
  const dow = fields.daysOfWeek.includes(w.weekday);
  // Classic cron: when both day fields are restricted, either may match.
  return fields.dayOfMonthRestricted && fields.dayOfWeekRestricted ? dom || dow : dom && dow;
}

/** The first time strictly after `after` that the schedule fires, or undefined if it never does. */
export function nextScheduleTime(schedule: string | CronSchedule, after: Date, timeZone?: string): Date | undefined {
  const parsed = toSchedule(schedule);
  if (parsed.kind === "every") {
    return new Date(Math.floor(after.getTime() / 1000) * 1000 + parsed.seconds * 1000);
  }
  let t = Math.floor(after.getTime() / MINUTE) * MINUTE + MINUTE;
  const lastYear = wallClock(t, timeZone).year + SEARCH_YEARS;
  for (;;) {
    const w = wallClock(t, timeZone);
    if (w.year > lastYear) return undefined;
    if (!parsed.months.includes(w.month)) {
      t = fromWallClock(timeZone, w.year, w.month + 1, 1);
    } else if (!dayMatches(parsed, w)) {
      t = fromWallClock(timeZone, w.year, w.month, w.day + 1);
    } else if (!parsed.hours.includes(w.hour)) {
      t = t - w.minute * MINUTE + HOUR;
    } else if (!parsed.minutes.includes(w.minute)) {
      t += MINUTE;
    } else {
      return new Date(t);
    }
  }
}

export interface MissedSchedules {
  /** The latest schedule time in (earliest, now], if any. */
  mostRecent?: Date;
  /** How many schedule times fell in (earliest, now] (counted up to a cap). */
  missed: number;
  /** The first schedule time after now. */
  next?: Date;
}

const COUNT_CAP = 100;

/**
 * Schedule times between `earliest` (exclusive) and `now` (inclusive). Long gaps (a CronJob
 * suspended for weeks) are not walked one by one: after COUNT_CAP times the search jumps
 * close to `now`, keeping the answer exact for the most recent time.
 */
export function missedSchedules(
  schedule: string | CronSchedule,
  earliest: Date,
  now: Date,
  timeZone?: string,
): MissedSchedules {
  const parsed = toSchedule(schedule);
  let missed = 0;
  let mostRecent: Date | undefined;
  let cursor = earliest;
  let widestGap = 0;
  for (;;) {
    const t = nextScheduleTime(parsed, cursor, timeZone);
    if (t === undefined || t.getTime() > now.getTime()) return { mostRecent, missed, next: t };
    if (mostRecent) widestGap = Math.max(widestGap, t.getTime() - mostRecent.getTime());
    mostRecent = t;
    missed += 1;
    cursor = t;
    if (missed === COUNT_CAP) {
      // Jump to well within the last gap before now; what lies between only adds to the count.
      const jumpTo = now.getTime() - 2 * widestGap - 86_400_000;
      if (jumpTo > cursor.getTime()) {
        cursor = new Date(jumpTo);
        missed += 1; // at least one more was skipped; the exact count no longer matters
      }
    }
  }
}
