import { describe, expect, it } from "vitest";
import { isEmptySelector, selectorMatches, validateLabelSelector } from "../../api/validation/selectors.ts";

describe("label selectors", () => {
  it.each([
    [{ matchLabels: { app: "web" } }, []],
    [{ matchExpressions: [{ key: "tier", operator: "In", values: ["a", "b"] }] }, []],
    [{ matchExpressions: [{ key: "tier", operator: "Exists" }] }, []],
    [
      { matchExpressions: [{ key: "tier", operator: "In", values: [] }] },
      [
        "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      ],
    ],
    [
      { matchExpressions: [{ key: "tier", operator: "DoesNotExist", values: ["x"] }] },
      [
        "spec.selector.matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
      ],
    ],
    [
      { matchExpressions: [{ key: "tier", operator: "Gt", values: ["1"] }] },
      ['spec.selector.matchExpressions[0].operator: Invalid value: "Gt": not a valid selector operator'],
    ],
  ])("%j", (selector, expected) => {
    expect(validateLabelSelector(selector, "spec.selector").map((e) => `${e.field}: ${e.message}`)).toEqual(expected);
  });

  it("flags bad keys and values", () => {
    const errors = validateLabelSelector(
      { matchLabels: { "a b": "x" }, matchExpressions: [{ key: "k", operator: "In", values: ["-x"] }] },
      "s",
    );
    expect(errors.map((e) => e.field)).toEqual(["s.matchExpressions[0].values[0]", "s.matchLabels"]);
  });

  it("matches labels", () => {
    const selector = {
      matchLabels: { app: "web" },
      matchExpressions: [{ key: "env", operator: "NotIn", values: ["prod"] }],
    };
    expect(selectorMatches(selector, { app: "web" })).toBe(true);
    expect(selectorMatches(selector, { app: "web", env: "prod" })).toBe(false);
    expect(selectorMatches(selector, {})).toBe(false);
  });

  it("knows empty selectors", () => {
    expect(isEmptySelector({})).toBe(true);
    expect(isEmptySelector({ matchLabels: {} })).toBe(true);
    expect(isEmptySelector({ matchLabels: { a: "b" } })).toBe(false);
  });
});
