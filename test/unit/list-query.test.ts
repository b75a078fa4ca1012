import { describe, expect, it } from "vitest";
import { StatusError } from "../../api/errors.ts";
import { decodeContinue, encodeContinue, expiredContinue } from "../../api/list/continue-token.ts";
import { parseListQuery } from "../../api/list/query.ts";
import { formatResourceVersion, parseResourceVersion } from "../../api/meta/resource-version.ts";

function thrown(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (err) {
    if (err instanceof StatusError) return err;
    throw err;
  }
  throw new Error("expected a StatusError");
}

const query = (search: string, options?: { forceWatch?: boolean }) =>
  parseListQuery(new URLSearchParams(search), options);

describe("parseResourceVersion", () => {
  const ok: [string | undefined, number | undefined][] = [
    [undefined, undefined],
    ["", undefined],
    ["0", 0],
    ["1", 1],
    ["007", 7],
    ["123456789", 123456789],
    ["9007199254740991", Number.MAX_SAFE_INTEGER],
  ];
  it.each(ok)("%j → %j", (text, expected) => {
    expect(parseResourceVersion(text)).toBe(expected);
  });

  it.each(["x", "-1", "+1", "1.5", " 1", "1 ", "1e3", "0x10", "9007199254740992", "99999999999999999999"])(
    "rejects %j with 400",
    (text) => {
      const err = thrown(() => parseResourceVersion(text));
      expect(err.code).toBe(400);
      expect(err.message).toContain(`invalid resource version ${JSON.stringify(text)}`);
    },
  );

  it("formats as a decimal string", () => {
    expect(formatResourceVersion(42)).toBe("42");
    expect(parseResourceVersion(formatResourceVersion(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
  });
});

describe("continue tokens", () => {
  const tokens = [
    { rv: 1, start: "a" },
    { rv: 0, start: "/registry/pods/default/web-1" },
    { rv: Number.MAX_SAFE_INTEGER, start: "ns/ünïcödé/名前/🚀" },
    { rv: 42, start: 'quotes " and \\ backslashes\u0000nul' },
  ];
  it.each(tokens)("round-trips %j as url-safe text", (token) => {
    const encoded = encodeContinue(token);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeContinue(encoded)).toEqual(token);
    // Survives a trip through a query string untouched.
    expect(new URLSearchParams(`continue=${encoded}`).get("continue")).toBe(encoded);
  });

  it("accepts padded base64url", () => {
    const encoded = encodeContinue({ rv: 5, start: "k" });
    const padded = encoded + "=".repeat((4 - (encoded.length % 4)) % 4);
    expect(decodeContinue(padded)).toEqual({ rv: 5, start: "k" });
  });

  const b64 = (text: string) => btoa(text).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
  const bad: [string, string][] = [
    ["empty", ""],
    ["not base64", "!!!"],
    ["bad utf-8", b64("\xff\xfe")],
    ["not JSON", b64("hello")],
    ["JSON but not an object", b64("[1,2]")],
    ["no version", b64('{"rv":1,"start":"a"}')],
    ["unknown version", b64('{"v":2,"rv":1,"start":"a"}')],
    ["negative rv", b64('{"v":1,"rv":-1,"start":"a"}')],
    ["fractional rv", b64('{"v":1,"rv":1.5,"start":"a"}')],
    ["string rv", b64('{"v":1,"rv":"1","start":"a"}')],
    ["missing start", b64('{"v":1,"rv":1}')],
    ["empty start", b64('{"v":1,"rv":1,"start":""}')],
    ["kube's own token format", b64('{"v":"meta.k8s.io/v1","rv":5,"start":"web\\u0000"}')],
  ];
  it.each(bad)("rejects %s with 400", (_name, text) => {
    const err = thrown(() => decodeContinue(text));
    expect(err.code).toBe(400);
    expect(err.reason).toBe("BadRequest");
    expect(err.message).toMatch(/^continue key is not valid: /);
  });

  it("refuses to encode a token it could not decode", () => {
    expect(thrown(() => encodeContinue({ rv: -1, start: "a" })).code).toBe(500);
    expect(thrown(() => encodeContinue({ rv: 1.5, start: "a" })).code).toBe(500);
    expect(thrown(() => encodeContinue({ rv: 1, start: "" })).code).toBe(500);
  });

  it("expiredContinue is kube's 410 Expired", () => {
    const status = expiredContinue().toStatus();
    expect(status.code).toBe(410);
    expect(status.reason).toBe("Expired");
    expect(status.message).toMatch(
      /^The provided continue parameter is too old to display a consistent list result\. /,
    );
  });
});

describe("parseListQuery: decoding", () => {
  it("defaults", () => {
    expect(query("")).toEqual({ watch: false, allowWatchBookmarks: false });
  });

  const booleans: [string, boolean][] = [
    ["watch=true", true],
    ["watch=1", true],
    ["watch=True", true],
    ["watch", true],
    ["watch=", true],
    ["watch=yes", true],
    ["watch=false", false],
    ["watch=FALSE", false],
    ["watch=0", false],
  ];
  it.each(booleans)("%j → watch %s", (search, expected) => {
    expect(query(search).watch).toBe(expected);
  });

  it("forceWatch is for /watch/ paths", () => {
    expect(query("", { forceWatch: true }).watch).toBe(true);
    expect(query("watch=false", { forceWatch: true }).watch).toBe(true);
  });

  it("reads every parameter", () => {
    const rv = encodeContinue({ rv: 10, start: "default/web-1" });
    expect(
      query(`labelSelector=app%3Dweb%2Ctier+in+(a%2Cb)&fieldSelector=metadata.name!%3Dx&limit=500&continue=${rv}`),
    ).toEqual({
      watch: false,
      allowWatchBookmarks: false,
      labelSelector: [
        { key: "app", operator: "Equals", values: ["web"] },
        { key: "tier", operator: "In", values: ["a", "b"] },
      ],
      fieldSelector: [{ field: "metadata.name", op: "!=", value: "x" }],
      limit: 500,
      continue: { rv: 10, start: "default/web-1" },
    });
    expect(query("watch=1&allowWatchBookmarks=true&timeoutSeconds=30&resourceVersion=77")).toEqual({
      watch: true,
      allowWatchBookmarks: true,
      timeoutSeconds: 30,
      resourceVersion: "77",
    });
  });

  it("treats empty values as absent", () => {
    expect(
      query("labelSelector=&fieldSelector=&limit=&continue=&resourceVersion=&resourceVersionMatch=&timeoutSeconds="),
    ).toEqual({ watch: false, allowWatchBookmarks: false });
  });

  it("treats limit=0 and timeoutSeconds=0 as unset, as Kubernetes does", () => {
    expect(query("limit=0&timeoutSeconds=0")).toEqual({ watch: false, allowWatchBookmarks: false });
  });

  it("drops selectors that select everything", () => {
    expect(query("labelSelector=+++&fieldSelector=%2C").labelSelector).toBeUndefined();
    expect(query("labelSelector=+++&fieldSelector=%2C").fieldSelector).toBeUndefined();
  });

  const badRequests: [string, string][] = [
    ["limit=-1", "limit must be a non-negative integer"],
    ["limit=abc", "limit must be a non-negative integer"],
    ["limit=1.5", "limit must be a non-negative integer"],
    ["timeoutSeconds=-5", "timeoutSeconds must be a non-negative integer"],
    ["labelSelector=a%3D%3D%3D", "found '=', expected: identifier"],
    ["labelSelector=a+in+()", "unable to parse requirement"],
    ["fieldSelector=foo", "invalid selector: 'foo'; can't understand 'foo'"],
    ["resourceVersion=abc", 'invalid resource version "abc"'],
    ["resourceVersion=-1&watch=true", 'invalid resource version "-1"'],
    ["continue=garbage!", "continue key is not valid: "],
  ];
  it.each(badRequests)("%j → 400", (search, message) => {
    const err = thrown(() => query(search));
    expect(err.code).toBe(400);
    expect(err.reason).toBe("BadRequest");
    expect(err.message).toContain(message);
  });
});

describe("parseListQuery: list option rules", () => {
  const token = encodeContinue({ rv: 10, start: "k" });
  const ok: [string, object][] = [
    ["resourceVersion=0", { resourceVersion: "0" }],
    [
      "resourceVersion=5&resourceVersionMatch=NotOlderThan",
      { resourceVersion: "5", resourceVersionMatch: "NotOlderThan" },
    ],
    [
      "resourceVersion=0&resourceVersionMatch=NotOlderThan",
      { resourceVersion: "0", resourceVersionMatch: "NotOlderThan" },
    ],
    ["resourceVersion=5&resourceVersionMatch=Exact", { resourceVersion: "5", resourceVersionMatch: "Exact" }],
    [`continue=${token}&resourceVersion=0`, { continue: { rv: 10, start: "k" }, resourceVersion: "0" }],
    [`continue=${token}&limit=2`, { continue: { rv: 10, start: "k" }, limit: 2 }],
  ];
  it.each(ok)("accepts %j", (search, expected) => {
    expect(query(search)).toMatchObject(expected);
  });

  const invalid: [string, string][] = [
    [
      "resourceVersionMatch=NotOlderThan",
      "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided",
    ],
    ["resourceVersionMatch=Exact", "resourceVersionMatch is forbidden unless resourceVersion is provided"],
    [
      "resourceVersionMatch=Exact&resourceVersion=0",
      'resourceVersionMatch "exact" is forbidden for resourceVersion "0"',
    ],
    [
      "resourceVersionMatch=Latest&resourceVersion=1",
      'resourceVersionMatch: Unsupported value: "Latest": supported values: "Exact", "NotOlderThan", ""',
    ],
    [
      `resourceVersionMatch=NotOlderThan&resourceVersion=1&continue=${token}`,
      "resourceVersionMatch is forbidden when continue is provided",
    ],
    ["sendInitialEvents=true", "sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list"],
    ["sendInitialEvents=false", "sendInitialEvents is forbidden for list"],
  ];
  it.each(invalid)("%j → 422", (search, message) => {
    const err = thrown(() => query(search));
    expect(err.code).toBe(422);
    expect(err.reason).toBe("Invalid");
    expect(err.message).toMatch(/^ListOptions\.meta\.k8s\.io "" is invalid: /);
    expect(err.message).toContain(message);
    expect(err.details?.kind).toBe("ListOptions");
    expect(err.details?.group).toBe("meta.k8s.io");
  });

  it("reports every violated rule at once", () => {
    const err = thrown(() => query("resourceVersionMatch=Bogus&sendInitialEvents=true"));
    expect(err.details?.causes?.map((c) => c.reason)).toEqual([
      "FieldValueForbidden",
      "FieldValueNotSupported",
      "FieldValueForbidden",
    ]);
  });

  it("refuses a resourceVersion together with continue (400, from storage)", () => {
    const err = thrown(() => query(`continue=${token}&resourceVersion=5`));
    expect(err.code).toBe(400);
    expect(err.message).toBe("specifying resource version is not allowed when using continue");
  });
});

describe("parseListQuery: watch option rules", () => {
  const ok: [string, object][] = [
    ["watch=1&resourceVersion=5", { watch: true, resourceVersion: "5" }],
    [
      "watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true",
      { watch: true, sendInitialEvents: true, resourceVersionMatch: "NotOlderThan", allowWatchBookmarks: true },
    ],
    [
      "watch=1&sendInitialEvents=false&resourceVersionMatch=NotOlderThan&resourceVersion=3",
      { watch: true, sendInitialEvents: false, resourceVersionMatch: "NotOlderThan", resourceVersion: "3" },
    ],
    ["watch=1&continue=not-even-a-token", { watch: true }], // a watch ignores continue
  ];
  it.each(ok)("accepts %j", (search, expected) => {
    const parsed = query(search);
    expect(parsed).toMatchObject(expected);
    expect(parsed.continue).toBeUndefined();
  });

  const invalid: [string, string][] = [
    ["watch=1&sendInitialEvents=true", "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"],
    [
      "watch=1&sendInitialEvents=true&resourceVersionMatch=Exact&resourceVersion=5",
      'Unsupported value: "Exact": supported values: "NotOlderThan"',
    ],
    [
      "watch=1&resourceVersionMatch=NotOlderThan&resourceVersion=5",
      "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided",
    ],
    [
      "watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&continue=abc",
      "resourceVersionMatch is forbidden when continue is provided",
    ],
  ];
  it.each(invalid)("%j → 422", (search, message) => {
    const err = thrown(() => query(search));
    expect(err.code).toBe(422);
    expect(err.message).toContain(message);
  });
});
