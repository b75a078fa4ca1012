import { describe, expect, it } from "vitest";
import { cronScheduleErrors, parseCronSchedule } from "../../api/validation/cron.ts";

describe("cron schedules", () => {
  it.each([
    "* * * * *",
    "*/5 * * * *",
    "0 0 * * 0",
    "0 9-17 * * MON-FRI",
    "15,45 */2 1 JAN,jul ?",
    "5/15 * * * *",
    "0 0 1-31/2 * *",
    "@hourly",
    "@daily",
    "@midnight",
    "@weekly",
    "@monthly",
    "@yearly",
    "@annually",
    "@every 1h30m",
  ])("accepts %j", (schedule) => {
    expect(cronScheduleErrors(schedule)).toEqual([]);
  });

  it.each([
    ["bad", "expected exactly 5 fields, found 1: [bad]"],
    ["* * * *", "expected exactly 5 fields, found 4: [* * * *]"],
    ["60 * * * *", "end of range (60) above maximum (59): 60"],
    ["* * 0 * *", "beginning of range (0) below minimum (1): 0"],
    ["* * * * 7", "end of range (7) above maximum (6): 7"],
    ["5-1 * * * *", "beginning of range (5) beyond end of range (1): 5-1"],
    ["*/0 * * * *", "step of range should be a positive number: */0"],
    ["x * * * *", "failed to parse int from x: invalid syntax"],
    ["1-2-3 * * * *", "too many hyphens: 1-2-3"],
    ["@fortnightly", "unrecognized descriptor: @fortnightly"],
    ["@every soon", "failed to parse duration @every soon: invalid duration"],
  ])("rejects %j", (schedule, message) => {
    expect(cronScheduleErrors(schedule)).toEqual([message]);
  });

  it("expands fields", () => {
    const schedule = parseCronSchedule("*/20 9-11 * * MON,fri");
    expect(schedule).toMatchObject({
      kind: "fields",
      minutes: [0, 20, 40],
      hours: [9, 10, 11],
      daysOfWeek: [1, 5],
      dayOfMonthRestricted: false,
      dayOfWeekRestricted: true,
    });
    expect(parseCronSchedule("@every 90s")).toEqual({ kind: "every", seconds: 90 });
  });
});
