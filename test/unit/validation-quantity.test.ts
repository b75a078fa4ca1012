import { describe, expect, it } from "vitest";
import { parseQuantity, QUANTITY_FORMAT_ERROR, tryParseQuantity } from "../../api/validation/quantity.ts";

describe("parseQuantity", () => {
  it.each([
    ["500m", 0.5],
    ["1", 1],
    ["0.1", 0.1],
    ["100m", 0.1],
    ["1k", 1000],
    ["1Ki", 1024],
    ["1Gi", 1073741824],
    ["1.5Gi", 1610612736],
    ["128974848", 128974848],
    ["129e6", 129000000],
    ["1e3", 1000],
    ["1E3", 1000],
    ["1E", 1e18],
    ["123Mi", 128974848],
    ["5n", 5e-9],
    ["-2", -2],
    ["+3", 3],
    [".5", 0.5],
    ["1.", 1],
    [7, 7],
  ])("%j = %d", (input, value) => {
    expect(parseQuantity(input)).toBe(value);
  });

  it.each(["", "abc", "1.2.3", "1Gb", "1 Gi", ".", "Mi", "1e", "1ee3", "--1"])("rejects %j", (input) => {
    expect(() => parseQuantity(input)).toThrow(QUANTITY_FORMAT_ERROR);
    expect(tryParseQuantity(input)).toBeUndefined();
  });

  it("compares equal quantities written differently as equal", () => {
    expect(parseQuantity("0.1Gi")).toBe(parseQuantity("107374182.4"));
    expect(parseQuantity("1000m")).toBe(parseQuantity("1"));
    expect(parseQuantity("1e-1")).toBe(parseQuantity("100m"));
  });
});
