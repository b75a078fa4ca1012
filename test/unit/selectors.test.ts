import { describe, expect, it } from "vitest";
import { StatusError } from "../../api/errors.ts";
import {
  checkFieldsSupported,
  formatFieldSelector,
  matchesFields,
  parseFieldSelector,
} from "../../api/selectors/fields.ts";
import {
  formatLabelSelector,
  labelSelectorFromObject,
  labelSelectorToString,
  matchesLabels,
  parseLabelSelector,
  validateLabelValue,
  validateQualifiedName,
} from "../../api/selectors/labels.ts";

/** The StatusError `fn` throws; fails the test if it returns or throws anything else. */
function thrown(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (err) {
    if (err instanceof StatusError) return err;
    throw err;
  }
  throw new Error("expected a StatusError");
}

describe("parseLabelSelector", () => {
  // input → canonical string form (sorted by key, values sorted and de-duplicated)
  const cases: [string, string][] = [
    ["", ""],
    ["   ", ""],
    ["a=b", "a=b"],
    ["a==b", "a=b"],
    ["a!=b", "a!=b"],
    ["a in (x,y)", "a in (x,y)"],
    ["a in (y, x, x)", "a in (x,y)"],
    ["a notin (x)", "a notin (x)"],
    ["a", "a"],
    ["!a", "!a"],
    [" ! a ", "!a"],
    ["a>1", "a>1"],
    ["a<5", "a<5"],
    ["a > 10 , b < 3", "a>10,b<3"],
    ["a=", "a="],
    ["a=,b", "a=,b"],
    ["a!=", "a!="],
    ["a in (,x)", "a in (,x)"],
    ["a in (x,)", "a in (,x)"],
    ["a in (x,,y)", "a in (,x,y)"],
    ["z=1,a=2", "a=2,z=1"],
    ["\ta\t=\tb\n,\r\nc", "a=b,c"],
    ["in=x", "in=x"],
    ["notin", "notin"],
    ["a in (in,notin)", "a in (in,notin)"],
    ["a notin(x)", "a notin (x)"],
    ["example.com/app=web", "example.com/app=web"],
    ["app.kubernetes.io/name in (nginx)", "app.kubernetes.io/name in (nginx)"],
    ["A_b.c-D=Val_1.x-Y", "A_b.c-D=Val_1.x-Y"],
    // Kubernetes' documented examples (concepts/overview/working-with-objects/labels).
    ["environment = production", "environment=production"],
    ["tier != frontend", "tier!=frontend"],
    ["environment=production,tier!=frontend", "environment=production,tier!=frontend"],
    ["environment in (production, qa)", "environment in (production,qa)"],
    ["tier notin (frontend, backend)", "tier notin (backend,frontend)"],
    ["partition", "partition"],
    ["!partition", "!partition"],
    ["partition in (customerA, customerB),environment!=qa", "environment!=qa,partition in (customerA,customerB)"],
  ];
  it.each(cases)("parses %j", (input, canonical) => {
    const selector = parseLabelSelector(input);
    expect(formatLabelSelector(selector)).toBe(canonical);
    // The canonical form is a fixed point.
    expect(parseLabelSelector(canonical)).toEqual(selector);
  });

  it("produces structured requirements", () => {
    expect(parseLabelSelector("x in (b,a),!y,z>3")).toEqual([
      { key: "x", operator: "In", values: ["a", "b"] },
      { key: "y", operator: "DoesNotExist", values: [] },
      { key: "z", operator: "Gt", values: ["3"] },
    ]);
    expect(parseLabelSelector("a==b")).toEqual([{ key: "a", operator: "Equals", values: ["b"] }]);
  });

  const errors: [string, string][] = [
    ["a=b=c", "found '=', expected: ',' or 'end of string'"],
    ["a in x", "found 'x', expected: '('"],
    ["a in (x", "found '', expected: ',' or ')'"],
    ["a in (x y)", "found 'y', expected: ',' or ')'"],
    ["a in (=)", "found '=', expected: ',', ')' or identifier"],
    [
      "a in ()",
      "unable to parse requirement: values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty",
    ],
    ["a notin ()", "values set can't be empty"],
    ["a foo b", "found 'foo', expected: in, notin, =, ==, !=, gt, lt"],
    ["a b", "found 'b', expected: in, notin, =, ==, !=, gt, lt"],
    ["a (", "found '(', expected: in, notin, =, ==, !=, gt, lt"],
    [
      "a>b",
      "unable to parse requirement: values[0]: Invalid value: \"b\": for 'Gt', 'Lt' operators, the value must be an integer",
    ],
    ["a>", "the value must be an integer"],
    ["a<1.5", "the value must be an integer"],
    ["a=(", "found '(', expected: identifier"],
    [",a", "found ',', expected: !, identifier, or 'end of string'"],
    ["=a", "found '=', expected: !, identifier, or 'end of string'"],
    ["a,", "found '', expected: identifier after ','"],
    ["a,,b", "found ',', expected: identifier after ','"],
    ["!a=b", "found '=', expected: ',' or 'end of string'"],
    ["!", "found '', expected: identifier"],
    ["!!a", "found '!', expected: identifier"],
    ["-a=b", 'unable to parse requirement: key: Invalid value: "-a": name part must consist of alphanumeric'],
    ["a=-b", 'unable to parse requirement: values[0][a]: Invalid value: "-b": a valid label must be an empty string'],
    [`a=${"v".repeat(64)}`, "must be no more than 63 characters"],
    [`${"k".repeat(64)}=v`, "name part must be no more than 63 characters"],
    ["x/y/z=1", "a qualified name must consist of"],
    ["Example.com/a=1", "prefix part a lowercase RFC 1123 subdomain"],
    ["/a=1", "prefix part must be non-empty"],
    ["a/=1", "name part must be non-empty"],
    ["a in (b c)", "found 'c', expected: ',' or ')'"],
  ];
  it.each(errors)("rejects %j", (input, message) => {
    const err = thrown(() => parseLabelSelector(input));
    expect(err.code).toBe(400);
    expect(err.reason).toBe("BadRequest");
    expect(err.message).toContain(message);
  });
});

describe("matchesLabels", () => {
  const cases: [string, Record<string, string> | undefined, boolean][] = [
    ["", undefined, true],
    ["", { a: "b" }, true],
    ["a=b", { a: "b" }, true],
    ["a=b", { a: "c" }, false],
    ["a=b", {}, false],
    ["a=b", undefined, false],
    ["a==b", { a: "b", x: "y" }, true],
    ["a!=b", {}, true],
    ["a!=b", { a: "b" }, false],
    ["a!=b", { a: "c" }, true],
    ["a in (x,y)", { a: "y" }, true],
    ["a in (x,y)", { a: "z" }, false],
    ["a in (x,y)", {}, false],
    ["a notin (x)", {}, true],
    ["a notin (x)", { a: "x" }, false],
    ["a notin (x)", { a: "y" }, true],
    ["a", { a: "" }, true],
    ["a", { b: "" }, false],
    ["!a", { a: "" }, false],
    ["!a", {}, true],
    ["a=", { a: "" }, true],
    ["a=", {}, false],
    ["a in (,x)", { a: "" }, true],
    ["a>1", { a: "2" }, true],
    ["a>1", { a: "1" }, false],
    ["a>1", { a: "x" }, false],
    ["a>1", {}, false],
    ["a<5", { a: "4" }, true],
    ["a<5", { a: "5" }, false],
    ["a<5", { a: "04" }, true],
    // Gt/Lt compare as 64-bit integers, beyond what a double holds exactly.
    ["a>9007199254740992", { a: "9007199254740993" }, true],
    ["a>9223372036854775806", { a: "9223372036854775808" }, false], // overflows int64: not a number
    ["a=b,c", { a: "b", c: "x" }, true],
    ["a=b,c", { a: "b" }, false],
    ["environment=production,tier!=frontend", { environment: "production", tier: "backend" }, true],
    ["environment=production,tier!=frontend", { environment: "production" }, true],
    ["environment=production,tier!=frontend", { environment: "production", tier: "frontend" }, false],
    // Inherited Object.prototype members are not labels.
    ["constructor", {}, false],
    ["!toString", {}, true],
  ];
  it.each(cases)("%j on %j → %s", (selector, labels, expected) => {
    expect(matchesLabels(parseLabelSelector(selector), labels)).toBe(expected);
  });

  it("matches nothing for a null selector", () => {
    expect(matchesLabels(null, {})).toBe(false);
    expect(matchesLabels(null, { a: "b" })).toBe(false);
  });
});

describe("labelSelectorFromObject", () => {
  it("distinguishes absent (nothing) from empty (everything)", () => {
    expect(labelSelectorFromObject(null)).toBeNull();
    expect(labelSelectorFromObject(undefined)).toBeNull();
    expect(labelSelectorFromObject({})).toEqual([]);
    expect(labelSelectorFromObject({ matchLabels: {}, matchExpressions: [] })).toEqual([]);
    expect(labelSelectorFromObject({ matchLabels: null, matchExpressions: null })).toEqual([]);
    expect(matchesLabels(labelSelectorFromObject({}), undefined)).toBe(true);
    expect(matchesLabels(labelSelectorFromObject(null), { a: "b" })).toBe(false);
  });

  it("converts matchLabels and matchExpressions", () => {
    const sel = labelSelectorFromObject({
      matchLabels: { component: "redis" },
      matchExpressions: [
        { key: "tier", operator: "In", values: ["cache"] },
        { key: "environment", operator: "NotIn", values: ["dev"] },
        { key: "zone", operator: "Exists" },
        { key: "legacy", operator: "DoesNotExist", values: [] },
      ],
    });
    expect(formatLabelSelector(sel)).toBe("component=redis,environment notin (dev),!legacy,tier in (cache),zone");
    expect(matchesLabels(sel, { component: "redis", tier: "cache", zone: "a" })).toBe(true);
    expect(matchesLabels(sel, { component: "redis", tier: "cache", zone: "a", environment: "dev" })).toBe(false);
    expect(matchesLabels(sel, { component: "redis", tier: "cache", zone: "a", legacy: "" })).toBe(false);
    expect(matchesLabels(sel, { component: "redis", tier: "cache" })).toBe(false);
  });

  const invalid: [unknown, string][] = [
    [
      { matchExpressions: [{ key: "a", operator: "Gt", values: ["1"] }] },
      '"Gt" is not a valid label selector operator',
    ],
    [
      { matchExpressions: [{ key: "a", operator: "in", values: ["1"] }] },
      '"in" is not a valid label selector operator',
    ],
    [{ matchExpressions: [{ key: "a", operator: "In", values: [] }] }, "values set can't be empty"],
    [{ matchExpressions: [{ key: "a", operator: "In" }] }, "values set can't be empty"],
    [{ matchExpressions: [{ key: "a", operator: "Exists", values: ["x"] }] }, "values set must be empty"],
    [{ matchExpressions: [{ key: "a", operator: "In", values: [1] }] }, "must be a list of strings"],
    [{ matchLabels: { "bad key": "x" } }, 'key: Invalid value: "bad key"'],
    [{ matchLabels: { a: "bad value" } }, 'Invalid value: "bad value"'],
    [{ matchLabels: { a: 5 } }, "must be a string"],
  ];
  it.each(invalid)("rejects %j", (obj, message) => {
    const err = thrown(() => labelSelectorFromObject(obj as never));
    expect(err.code).toBe(400);
    expect(err.message).toContain(message);
  });
});

describe("labelSelectorToString", () => {
  const cases: [unknown, string][] = [
    [
      { matchLabels: { app: "web" }, matchExpressions: [{ key: "tier", operator: "In", values: ["b", "a"] }] },
      "app=web,tier in (a,b)",
    ],
    [{ matchLabels: { tier: "x", app: "web" } }, "app=web,tier=x"],
    [{ matchExpressions: [{ key: "k", operator: "DoesNotExist" }] }, "!k"],
    [{}, ""],
    [null, ""],
  ];
  it.each(cases)("%j → %j", (obj, expected) => {
    expect(labelSelectorToString(obj as never)).toBe(expected);
  });

  it("parses back to the same requirements", () => {
    const obj = {
      matchLabels: { "app.kubernetes.io/name": "web", empty: "" },
      matchExpressions: [
        { key: "tier", operator: "NotIn", values: ["z", "a", ""] },
        { key: "gpu", operator: "Exists" },
      ],
    };
    expect(parseLabelSelector(labelSelectorToString(obj))).toEqual(labelSelectorFromObject(obj));
  });
});

describe("key and value validation", () => {
  const names: [string, boolean][] = [
    ["a", true],
    ["A-b_c.d9", true],
    ["example.com/a", true],
    ["k".repeat(63), true],
    ["k".repeat(64), false],
    [`${"p".repeat(253)}/a`, true],
    [`${"p".repeat(254)}/a`, false],
    ["", false],
    ["-a", false],
    ["a-", false],
    ["a b", false],
    ["Example.com/a", false],
    ["a/b/c", false],
    ["/a", false],
    ["a/", false],
  ];
  it.each(names)("qualified name %j valid=%s", (name, valid) => {
    expect(validateQualifiedName(name).length === 0).toBe(valid);
  });

  const values: [string, boolean][] = [
    ["", true],
    ["v", true],
    ["v.1_x-Y", true],
    ["v".repeat(63), true],
    ["v".repeat(64), false],
    ["-v", false],
    ["v/", false],
    ["a b", false],
  ];
  it.each(values)("label value %j valid=%s", (value, valid) => {
    expect(validateLabelValue(value).length === 0).toBe(valid);
  });
});

describe("parseFieldSelector", () => {
  const cases: [string, ReturnType<typeof parseFieldSelector>][] = [
    ["", []],
    ["metadata.name=foo", [{ field: "metadata.name", op: "=", value: "foo" }]],
    ["metadata.name==foo", [{ field: "metadata.name", op: "=", value: "foo" }]],
    ["status.phase!=Running", [{ field: "status.phase", op: "!=", value: "Running" }]],
    [
      "metadata.namespace!=default,status.phase=Running",
      [
        { field: "metadata.namespace", op: "!=", value: "default" },
        { field: "status.phase", op: "=", value: "Running" },
      ],
    ],
    ["spec.nodeName=", [{ field: "spec.nodeName", op: "=", value: "" }]],
    ["a=b,", [{ field: "a", op: "=", value: "b" }]],
    [",a=b,,", [{ field: "a", op: "=", value: "b" }]],
    ["a=x\\,y", [{ field: "a", op: "=", value: "x,y" }]],
    ["a=x\\=y", [{ field: "a", op: "=", value: "x=y" }]],
    ["a=x\\\\y", [{ field: "a", op: "=", value: "x\\y" }]],
    [
      "a=x\\\\,b=y",
      [
        { field: "a", op: "=", value: "x\\" },
        { field: "b", op: "=", value: "y" },
      ],
    ],
    ["a!=!b", [{ field: "a", op: "!=", value: "!b" }]],
    [" status.phase =Running", [{ field: "status.phase", op: "=", value: "Running" }]],
    ["a= b", [{ field: "a", op: "=", value: " b" }]],
  ];
  it.each(cases)("parses %j", (input, expected) => {
    const parsed = parseFieldSelector(input);
    expect(parsed).toEqual(expected);
    expect(parseFieldSelector(formatFieldSelector(parsed))).toEqual(parsed);
  });

  const errors: [string, string][] = [
    ["a", "invalid selector: 'a'; can't understand 'a'"],
    ["a=b,c", "invalid selector: 'a=b,c'; can't understand 'c'"],
    ["=b", "can't understand '=b'"],
    [" =b", "can't understand ' =b'"],
    ["a=b=c", "unescaped character '='"],
    ["a==b=c", "unescaped character '='"],
    ["a=x\\y", "invalid escape sequence: \\y"],
    ["a=x\\", "invalid escape sequence: \\"],
  ];
  it.each(errors)("rejects %j", (input, message) => {
    const err = thrown(() => parseFieldSelector(input));
    expect(err.code).toBe(400);
    expect(err.message).toContain(message);
  });
});

describe("matchesFields", () => {
  const object: Record<string, string> = {
    "metadata.name": "web-1",
    "metadata.namespace": "default",
    "status.phase": "Running",
    "spec.nodeName": "",
  };
  const get = (field: string) => object[field];
  const cases: [string, boolean][] = [
    ["", true],
    ["metadata.name=web-1", true],
    ["metadata.name=web-2", false],
    ["metadata.name!=web-2", true],
    ["metadata.name=web-1,status.phase=Running", true],
    ["metadata.name=web-1,status.phase!=Running", false],
    ["spec.nodeName=", true],
    ["spec.nodeName!=", false],
    ["status.podIP=", true], // absent reads as ""
    ["status.podIP!=", false],
  ];
  it.each(cases)("%j → %s", (selector, expected) => {
    expect(matchesFields(parseFieldSelector(selector), get)).toBe(expected);
  });
});

describe("checkFieldsSupported", () => {
  const supported = new Set(["metadata.name", "metadata.namespace", "status.phase"]);
  it("accepts supported fields", () => {
    expect(() => checkFieldsSupported(parseFieldSelector("metadata.name=a,status.phase!=b"), supported)).not.toThrow();
  });
  it("rejects the first unsupported field like kube-apiserver", () => {
    const err = thrown(() => checkFieldsSupported(parseFieldSelector("metadata.name=a,spec.foo=b"), supported));
    expect(err.code).toBe(400);
    expect(err.reason).toBe("BadRequest");
    expect(err.message).toBe("field label not supported: spec.foo");
  });
});
