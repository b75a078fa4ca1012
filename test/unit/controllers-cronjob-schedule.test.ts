import { describe, expect, it } from "vitest";
import { missedSchedules, nextScheduleTime } from "../../api/controllers/cronjob/schedule.ts";
import { formatInZone, fromWallClock, isKnownTimeZone, wallClock } from "../../api/controllers/cronjob/zoned-time.ts";

const at = (iso: string) => new Date(iso);
const next = (schedule: string, after: string, tz?: string) => nextScheduleTime(schedule, at(after), tz)?.toISOString();

/** Successive fire times after `after`. */
function series(schedule: string, after: string, n: number, tz?: string): string[] {
  const result: string[] = [];
  let t = at(after);
  for (let i = 0; i < n; i++) {
    const fired = nextScheduleTime(schedule, t, tz);
    if (!fired) break;
    result.push(formatInZone(fired.getTime(), tz));
    t = fired;
  }
  return result;
}

describe("nextScheduleTime in UTC", () => {
  it("fires strictly after the given time, at whole minutes", () => {
    expect(next("* * * * *", "2024-01-01T10:00:00Z")).toBe("2024-01-01T10:01:00.000Z");
    expect(next("* * * * *", "2024-01-01T10:00:59.999Z")).toBe("2024-01-01T10:01:00.000Z");
    expect(next("*/15 * * * *", "2024-01-01T10:07:00Z")).toBe("2024-01-01T10:15:00.000Z");
    expect(next("0 9 * * *", "2024-01-01T09:00:00Z")).toBe("2024-01-02T09:00:00.000Z");
  });

  it("walks months, days of month and days of week", () => {
    expect(next("0 0 1 * *", "2024-01-15T00:00:00Z")).toBe("2024-02-01T00:00:00.000Z");
    expect(next("30 6 * * MON-FRI", "2024-01-05T07:00:00Z")).toBe("2024-01-08T06:30:00.000Z"); // Fri → Mon
    expect(next("0 0 29 2 *", "2024-03-01T00:00:00Z")).toBe("2028-02-29T00:00:00.000Z");
    expect(next("0 12 31 * *", "2024-04-01T00:00:00Z")).toBe("2024-05-31T12:00:00.000Z");
  });

  it("matches either day field when both are restricted (classic cron)", () => {
    // The 13th, or any Friday: 2024-09-06 is a Friday before the 13th.
    expect(next("0 0 13 * 5", "2024-09-01T00:00:00Z")).toBe("2024-09-06T00:00:00.000Z");
    expect(next("0 0 13 * *", "2024-09-01T00:00:00Z")).toBe("2024-09-13T00:00:00.000Z");
  });

  it("supports the descriptors", () => {
    expect(next("@hourly", "2024-01-01T10:20:00Z")).toBe("2024-01-01T11:00:00.000Z");
    expect(next("@daily", "2024-01-01T10:20:00Z")).toBe("2024-01-02T00:00:00.000Z");
    expect(next("@weekly", "2024-01-01T10:20:00Z")).toBe("2024-01-07T00:00:00.000Z"); // Sunday
    expect(next("@monthly", "2024-01-01T10:20:00Z")).toBe("2024-02-01T00:00:00.000Z");
    expect(next("@yearly", "2024-01-01T10:20:00Z")).toBe("2025-01-01T00:00:00.000Z");
    expect(next("@every 90s", "2024-01-01T10:20:00.500Z")).toBe("2024-01-01T10:21:30.000Z");
  });

  it("answers undefined for a schedule that never fires", () => {
    expect(next("0 0 30 2 *", "2024-01-01T00:00:00Z")).toBeUndefined();
  });
});

describe("nextScheduleTime with a time zone", () => {
  it("knows IANA zones", () => {
    expect(isKnownTimeZone("America/New_York")).toBe(true);
    expect(isKnownTimeZone("Mars/Olympus_Mons")).toBe(false);
  });

  it("reads the wall clock of the zone", () => {
    expect(next("0 9 * * *", "2024-01-15T00:00:00Z", "Europe/Berlin")).toBe("2024-01-15T08:00:00.000Z");
    expect(next("0 9 * * *", "2024-07-15T00:00:00Z", "Europe/Berlin")).toBe("2024-07-15T07:00:00.000Z");
    expect(next("0 0 * * *", "2024-01-15T00:00:00Z", "Asia/Kolkata")).toBe("2024-01-15T18:30:00.000Z");
    expect(next("30 8 * * *", "2024-01-15T00:00:00Z", "Asia/Kathmandu")).toBe("2024-01-15T02:45:00.000Z");
  });

  it("skips a time inside the spring-forward gap that day (America/New_York, 2024-03-10)", () => {
    expect(series("30 2 * * *", "2024-03-08T12:00:00Z", 3, "America/New_York")).toEqual([
      "2024-03-09T02:30:00-05:00",
      "2024-03-11T02:30:00-04:00",
      "2024-03-12T02:30:00-04:00",
    ]);
    // Hourly runs continue across the gap without a 02:00 run.
    expect(series("0 * * * *", "2024-03-10T05:30:00Z", 3, "America/New_York")).toEqual([
      "2024-03-10T01:00:00-05:00",
      "2024-03-10T03:00:00-04:00",
      "2024-03-10T04:00:00-04:00",
    ]);
  });

  it("runs a time in the fall-back repeat twice (America/New_York, 2024-11-03)", () => {
    expect(series("30 1 * * *", "2024-11-02T12:00:00Z", 4, "America/New_York")).toEqual([
      "2024-11-03T01:30:00-04:00",
      "2024-11-03T01:30:00-05:00",
      "2024-11-04T01:30:00-05:00",
      "2024-11-05T01:30:00-05:00",
    ]);
  });

  it("handles the southern hemisphere and half-hour shifts (Australia/Lord_Howe)", () => {
    // Lord Howe moves by 30 minutes: 02:00 → 02:30 on 2024-10-06.
    expect(series("15 2 * * *", "2024-10-04T12:00:00Z", 3, "Australia/Lord_Howe")).toEqual([
      "2024-10-05T02:15:00+10:30",
      "2024-10-07T02:15:00+11:00",
      "2024-10-08T02:15:00+11:00",
    ]);
  });
});

describe("wall clock conversion", () => {
  it("resolves ambiguous times to the first occurrence and gap times forward", () => {
    expect(new Date(fromWallClock("America/New_York", 2024, 11, 3, 1, 30)).toISOString()).toBe(
      "2024-11-03T05:30:00.000Z",
    );
    expect(new Date(fromWallClock("America/New_York", 2024, 3, 10, 2, 30)).toISOString()).toBe(
      "2024-03-10T07:30:00.000Z",
    );
    expect(wallClock(Date.parse("2024-03-10T07:30:00Z"), "America/New_York")).toMatchObject({ hour: 3, minute: 30 });
  });

  it("formats RFC 3339 with the zone's offset", () => {
    expect(formatInZone(Date.parse("2024-07-01T12:00:00Z"), "America/Los_Angeles")).toBe("2024-07-01T05:00:00-07:00");
    expect(formatInZone(Date.parse("2024-07-01T12:00:00Z"))).toBe("2024-07-01T12:00:00Z");
  });
});

describe("missedSchedules", () => {
  it("finds the most recent time in (earliest, now] and the next one", () => {
    const result = missedSchedules("*/10 * * * *", at("2024-01-01T10:00:00Z"), at("2024-01-01T10:35:00Z"));
    expect(result.missed).toBe(3);
    expect(result.mostRecent?.toISOString()).toBe("2024-01-01T10:30:00.000Z");
    expect(result.next?.toISOString()).toBe("2024-01-01T10:40:00.000Z");
  });

  it("includes now itself and nothing when none fell due", () => {
    expect(missedSchedules("0 * * * *", at("2024-01-01T10:00:00Z"), at("2024-01-01T11:00:00Z")).mostRecent).toEqual(
      at("2024-01-01T11:00:00Z"),
    );
    expect(missedSchedules("0 * * * *", at("2024-01-01T10:00:00Z"), at("2024-01-01T10:59:00Z")).missed).toBe(0);
  });

  it("stays exact about the most recent time over a long gap, counting past the cap", () => {
    const result = missedSchedules("* * * * *", at("2024-01-01T00:00:00Z"), at("2024-03-01T12:34:56Z"));
    expect(result.missed).toBeGreaterThan(100);
    expect(result.mostRecent?.toISOString()).toBe("2024-03-01T12:34:00.000Z");
    const weekdays = missedSchedules("0 9 * * 1-5", at("2023-01-01T00:00:00Z"), at("2024-03-04T08:00:00Z"));
    expect(weekdays.mostRecent?.toISOString()).toBe("2024-03-01T09:00:00.000Z"); // the Friday before
  });
});
