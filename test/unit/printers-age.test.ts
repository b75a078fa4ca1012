import { describe, expect, it } from "vitest";
import { formatAge, formatDuration, formatShortDuration } from "../../api/printers/age.ts";
import { canonicalQuantity } from "../../api/printers/quantity.ts";

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;

describe("formatDuration (HumanDuration)", () => {
  it.each([
    [0, "0s"],
    [-1500, "0s"],
    [-2 * s, "<invalid>"],
    [45 * s, "45s"],
    [119 * s, "119s"],
    [2 * m, "2m"],
    [5 * m + 10 * s, "5m10s"],
    [9 * m + 59 * s, "9m59s"],
    [10 * m + 30 * s, "10m"],
    [179 * m, "179m"],
    [3 * h, "3h"],
    [3 * h + 5 * m, "3h5m"],
    [7 * h + 59 * m, "7h59m"],
    [8 * h + 30 * m, "8h"],
    [47 * h, "47h"],
    [2 * d, "2d"],
    [3 * d + 4 * h, "3d4h"],
    [8 * d + 5 * h, "8d"],
    [729 * d, "729d"],
    [730 * d, "2y"],
    [3 * 365 * d + 20 * d, "3y20d"],
    [9 * 365 * d + 100 * d, "9y"],
  ])("%d ms -> %s", (ms, want) => {
    expect(formatDuration(ms)).toBe(want);
  });
});

describe("formatShortDuration", () => {
  it.each([
    [30 * s, "30s"],
    [5 * m + 10 * s, "5m"],
    [3 * h + 5 * m, "3h"],
    [40 * d, "40d"],
    [800 * d, "2y"],
  ])("%d ms -> %s", (ms, want) => {
    expect(formatShortDuration(ms)).toBe(want);
  });
});

describe("formatAge", () => {
  const now = new Date("2024-06-01T12:00:00Z");
  it("measures from a timestamp to now", () => {
    expect(formatAge("2024-06-01T11:54:50Z", now)).toBe("5m10s");
    expect(formatAge("2024-05-30T12:00:00Z", now)).toBe("2d");
  });
  it("is <unknown> without a usable timestamp", () => {
    expect(formatAge(undefined, now)).toBe("<unknown>");
    expect(formatAge("", now)).toBe("<unknown>");
    expect(formatAge("not a time", now)).toBe("<unknown>");
  });
  it("is <invalid> for timestamps well in the future", () => {
    expect(formatAge("2024-06-01T12:01:00Z", now)).toBe("<invalid>");
  });
});

describe("canonicalQuantity", () => {
  it.each([
    ["1Gi", "1Gi"],
    ["1024Mi", "1Gi"],
    ["1536Mi", "1536Mi"],
    ["0.5Gi", "512Mi"],
    ["1000M", "1G"],
    ["1500M", "1500M"],
    ["0.5", "500m"],
    ["2000", "2k"],
    ["100m", "100m"],
    ["512Ki", "512Ki"],
    ["1e3", "1e3"],
    ["0", "0"],
    ["0Gi", "0"],
    ["garbage", "garbage"],
  ])("%s -> %s", (input, want) => {
    expect(canonicalQuantity(input)).toBe(want);
  });
  it("treats a missing quantity as zero", () => {
    expect(canonicalQuantity(undefined)).toBe("0");
  });
});
