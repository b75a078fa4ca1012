import { describe, expect, it } from "vitest";
import { StatusError } from "../../api/errors.ts";
import { MAX_JSON_PATCH_OPERATIONS, applyJsonPatch } from "../../api/patch/json-patch.ts";
import { applyMergePatch, createMergePatch, jsonEqual } from "../../api/patch/merge-patch.ts";
import { formatPointer, lookup, parsePointer } from "../../api/patch/pointer.ts";

function thrown(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (err) {
    if (err instanceof StatusError) return err;
    throw err;
  }
  throw new Error("expected a StatusError");
}

/** Freezes a JSON value all the way down, so any mutation by the code under test throws. */
function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

describe("JSON Pointer (RFC 6901 §5)", () => {
  const doc = {
    foo: ["bar", "baz"],
    "": 0,
    "a/b": 1,
    "c%d": 2,
    "e^f": 3,
    "g|h": 4,
    "i\\j": 5,
    'k"l': 6,
    " ": 7,
    "m~n": 8,
  };
  const cases: [string, unknown][] = [
    ["", doc],
    ["/foo", ["bar", "baz"]],
    ["/foo/0", "bar"],
    ["/", 0],
    ["/a~1b", 1],
    ["/c%d", 2],
    ["/e^f", 3],
    ["/g|h", 4],
    ["/i\\j", 5],
    ['/k"l', 6],
    ["/ ", 7],
    ["/m~0n", 8],
  ];
  it.each(cases)("%j", (pointer, expected) => {
    expect(lookup(doc, parsePointer(pointer))).toEqual({ found: true, value: expected });
    expect(formatPointer(parsePointer(pointer))).toBe(pointer);
  });

  it("decodes ~01 as ~1, not /", () => {
    expect(parsePointer("/~01")).toEqual(["~1"]);
  });

  const missing = ["/nope", "/foo/2", "/foo/-", "/foo/01", "/foo/-1", "/foo/0/x", "/a~1b/x"];
  it.each(missing)("%j is not found", (pointer) => {
    expect(lookup(doc, parsePointer(pointer))).toEqual({ found: false });
  });

  it.each(["foo", "/~2", "/a~", "/~"])("rejects malformed pointer %j with 400", (pointer) => {
    expect(thrown(() => parsePointer(pointer)).code).toBe(400);
  });
});

describe("applyJsonPatch: RFC 6902 Appendix A", () => {
  const ok: [string, unknown, unknown[], unknown][] = [
    [
      "A.1 adding an object member",
      { foo: "bar" },
      [{ op: "add", path: "/baz", value: "qux" }],
      { baz: "qux", foo: "bar" },
    ],
    [
      "A.2 adding an array element",
      { foo: ["bar", "baz"] },
      [{ op: "add", path: "/foo/1", value: "qux" }],
      { foo: ["bar", "qux", "baz"] },
    ],
    ["A.3 removing an object member", { baz: "qux", foo: "bar" }, [{ op: "remove", path: "/baz" }], { foo: "bar" }],
    [
      "A.4 removing an array element",
      { foo: ["bar", "qux", "baz"] },
      [{ op: "remove", path: "/foo/1" }],
      { foo: ["bar", "baz"] },
    ],
    [
      "A.5 replacing a value",
      { baz: "qux", foo: "bar" },
      [{ op: "replace", path: "/baz", value: "boo" }],
      { baz: "boo", foo: "bar" },
    ],
    [
      "A.6 moving a value",
      { foo: { bar: "baz", waldo: "fred" }, qux: { corge: "grault" } },
      [{ op: "move", from: "/foo/waldo", path: "/qux/thud" }],
      { foo: { bar: "baz" }, qux: { corge: "grault", thud: "fred" } },
    ],
    [
      "A.7 moving an array element",
      { foo: ["all", "grass", "cows", "eat"] },
      [{ op: "move", from: "/foo/1", path: "/foo/3" }],
      { foo: ["all", "cows", "eat", "grass"] },
    ],
    [
      "A.8 testing a value: success",
      { baz: "qux", foo: ["a", 2, "c"] },
      [
        { op: "test", path: "/baz", value: "qux" },
        { op: "test", path: "/foo/1", value: 2 },
      ],
      { baz: "qux", foo: ["a", 2, "c"] },
    ],
    [
      "A.10 adding a nested member object",
      { foo: "bar" },
      [{ op: "add", path: "/child", value: { grandchild: {} } }],
      { foo: "bar", child: { grandchild: {} } },
    ],
    [
      "A.11 ignoring unrecognized elements",
      { foo: "bar" },
      [{ op: "add", path: "/baz", value: "qux", xyz: 123 }],
      { foo: "bar", baz: "qux" },
    ],
    ["A.14 ~ escape ordering", { "/": 9, "~1": 10 }, [{ op: "test", path: "/~01", value: 10 }], { "/": 9, "~1": 10 }],
    [
      "A.16 adding an array value",
      { foo: ["bar"] },
      [{ op: "add", path: "/foo/-", value: ["abc", "def"] }],
      { foo: ["bar", ["abc", "def"]] },
    ],
  ];
  it.each(ok)("%s", (_name, doc, ops, expected) => {
    expect(applyJsonPatch(deepFreeze(doc), deepFreeze(ops))).toEqual(expected);
  });

  const failing: [string, unknown, unknown[], string][] = [
    ["A.9 testing a value: error", { baz: "qux" }, [{ op: "test", path: "/baz", value: "bar" }], '"/baz"'],
    [
      "A.12 adding to a nonexistent target",
      { foo: "bar" },
      [{ op: "add", path: "/baz/bat", value: "qux" }],
      '"/baz/bat"',
    ],
    ["A.15 comparing strings and numbers", { "/": 9, "~1": 10 }, [{ op: "test", path: "/~01", value: "10" }], '"/~01"'],
  ];
  it.each(failing)("%s → 422", (_name, doc, ops, path) => {
    const err = thrown(() => applyJsonPatch(doc, ops));
    expect(err.code).toBe(422);
    expect(err.reason).toBe("Invalid");
    expect(err.message).toContain(path);
  });
});

describe("applyJsonPatch: more behaviour", () => {
  const pod = () => ({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "web", labels: { app: "web" } },
    spec: { containers: [{ name: "c", image: "nginx:1" }] },
  });

  const ok: [string, unknown, unknown[], unknown][] = [
    ["replace the root", { a: 1 }, [{ op: "replace", path: "", value: [1] }], [1]],
    ["add at the root", { a: 1 }, [{ op: "add", path: "", value: "x" }], "x"],
    ["add replaces an existing member", { a: 1 }, [{ op: "add", path: "/a", value: 2 }], { a: 2 }],
    ["add null", { a: 1 }, [{ op: "add", path: "/b", value: null }], { a: 1, b: null }],
    ["add at the end index", { a: [1] }, [{ op: "add", path: "/a/1", value: 2 }], { a: [1, 2] }],
    ["add at index 0", { a: [1] }, [{ op: "add", path: "/a/0", value: 0 }], { a: [0, 1] }],
    ["numeric key on an object", {}, [{ op: "add", path: "/0", value: "z" }], { "0": "z" }],
    ["empty key", {}, [{ op: "add", path: "/", value: 1 }], { "": 1 }],
    ["replace an array element", { a: [1, 2] }, [{ op: "replace", path: "/a/1", value: 3 }], { a: [1, 3] }],
    ["move to the same place", { a: { b: 1 } }, [{ op: "move", from: "/a", path: "/a" }], { a: { b: 1 } }],
    ["move to a sibling", { a: { b: 1 } }, [{ op: "move", from: "/a/b", path: "/c" }], { a: {}, c: 1 }],
    ["move array element to the end", { a: [1, 2, 3] }, [{ op: "move", from: "/a/0", path: "/a/-" }], { a: [2, 3, 1] }],
    ["copy", { a: { b: [1] } }, [{ op: "copy", from: "/a", path: "/c" }], { a: { b: [1] }, c: { b: [1] } }],
    [
      "test ignores key order",
      { a: { x: 1, y: [1, { z: 2 }] } },
      [{ op: "test", path: "/a", value: { y: [1, { z: 2 }], x: 1 } }],
      { a: { x: 1, y: [1, { z: 2 }] } },
    ],
    ["test null", { a: null }, [{ op: "test", path: "/a", value: null }], { a: null }],
    ["test the whole document", [1], [{ op: "test", path: "", value: [1] }], [1]],
    ["empty patch", { a: 1 }, [], { a: 1 }],
    [
      "add a label with an escaped key",
      pod(),
      [{ op: "add", path: "/metadata/labels/app.kubernetes.io~1name", value: "web" }],
      { ...pod(), metadata: { name: "web", labels: { app: "web", "app.kubernetes.io/name": "web" } } },
    ],
    [
      "kubectl set image style",
      pod(),
      [
        { op: "test", path: "/spec/containers/0/name", value: "c" },
        { op: "replace", path: "/spec/containers/0/image", value: "nginx:2" },
      ],
      { ...pod(), spec: { containers: [{ name: "c", image: "nginx:2" }] } },
    ],
    [
      "operations see earlier results",
      {},
      [
        { op: "add", path: "/a", value: {} },
        { op: "add", path: "/a/b", value: 1 },
      ],
      { a: { b: 1 } },
    ],
  ];
  it.each(ok)("%s", (_name, doc, ops, expected) => {
    expect(applyJsonPatch(deepFreeze(doc), deepFreeze(ops))).toEqual(expected);
  });

  const unprocessable: [string, unknown, unknown[]][] = [
    ["remove the root", { a: 1 }, [{ op: "remove", path: "" }]],
    ["remove a missing member", { a: 1 }, [{ op: "remove", path: "/b" }]],
    ["remove past the end", { a: [1] }, [{ op: "remove", path: "/a/1" }]],
    ["remove '-'", { a: [1] }, [{ op: "remove", path: "/a/-" }]],
    ["replace a missing member", { a: 1 }, [{ op: "replace", path: "/b", value: 1 }]],
    ["replace past the end", { a: [] }, [{ op: "replace", path: "/a/0", value: 1 }]],
    ["add past the end", { a: [1] }, [{ op: "add", path: "/a/2", value: 1 }]],
    ["add with a leading zero", { a: [1] }, [{ op: "add", path: "/a/01", value: 1 }]],
    ["add with a non-numeric index", { a: [1] }, [{ op: "add", path: "/a/x", value: 1 }]],
    ["add under a scalar", { a: 1 }, [{ op: "add", path: "/a/b", value: 1 }]],
    [
      "add a label where there are no labels",
      { metadata: {} },
      [{ op: "add", path: "/metadata/labels/a", value: "b" }],
    ],
    ["move a missing value", { a: 1 }, [{ op: "move", from: "/b", path: "/c" }]],
    ["move into its own child", { a: { b: {} } }, [{ op: "move", from: "/a", path: "/a/b/c" }]],
    ["copy a missing value", { a: 1 }, [{ op: "copy", from: "/b", path: "/c" }]],
    ["test a missing value", { a: 1 }, [{ op: "test", path: "/b", value: null }]],
    ["test a different type", { a: 1 }, [{ op: "test", path: "/a", value: "1" }]],
    ["test array order", { a: [1, 2] }, [{ op: "test", path: "/a", value: [2, 1] }]],
    ["test extra keys", { a: { x: 1 } }, [{ op: "test", path: "/a", value: { x: 1, y: 2 } }]],
    [
      "a later op fails",
      { a: 1 },
      [
        { op: "add", path: "/b", value: 2 },
        { op: "remove", path: "/zzz" },
      ],
    ],
    ["inherited members do not exist", {}, [{ op: "remove", path: "/toString" }]],
  ];
  it.each(unprocessable)("%s → 422", (_name, doc, ops) => {
    const frozen = deepFreeze(structuredClone(doc));
    const err = thrown(() => applyJsonPatch(frozen, ops));
    expect(err.code).toBe(422);
    expect(frozen).toEqual(doc);
  });

  const malformed: [string, unknown][] = [
    ["an object instead of a list", { op: "add", path: "/a", value: 1 }],
    ["null", null],
    ["an operation that is not an object", ["add"]],
    ["a missing op", [{ path: "/a", value: 1 }]],
    ["an unknown op", [{ op: "merge", path: "/a", value: 1 }]],
    ["a missing path", [{ op: "add", value: 1 }]],
    ["a path that is not a string", [{ op: "remove", path: 1 }]],
    ["a path without a leading slash", [{ op: "remove", path: "a" }]],
    ["a bad escape", [{ op: "remove", path: "/a~2" }]],
    ["add without value", [{ op: "add", path: "/a" }]],
    ["replace without value", [{ op: "replace", path: "/a" }]],
    ["test without value", [{ op: "test", path: "/a" }]],
    ["move without from", [{ op: "move", path: "/a" }]],
    ["copy with a bad from", [{ op: "copy", from: "x", path: "/a" }]],
    // Malformed ops are caught before anything applies, even behind a failing op.
    [
      "a malformed op after a failing one",
      [
        { op: "remove", path: "/missing" },
        { op: "bogus", path: "/a" },
      ],
    ],
  ];
  it.each(malformed)("%s → 400", (_name, ops) => {
    const err = thrown(() => applyJsonPatch({ a: 1 }, ops));
    expect(err.code).toBe(400);
    expect(err.reason).toBe("BadRequest");
  });

  it("caps the number of operations like kube-apiserver", () => {
    const ops = Array.from({ length: MAX_JSON_PATCH_OPERATIONS + 1 }, () => ({ op: "test", path: "", value: {} }));
    expect(thrown(() => applyJsonPatch({}, ops)).code).toBe(413);
    expect(applyJsonPatch({}, ops.slice(1))).toEqual({});
  });

  it("never shares structure with its inputs", () => {
    const doc = { a: { b: [1] } };
    const value = { deep: { x: 1 } };
    const ops = [
      { op: "add", path: "/v", value },
      { op: "copy", from: "/a", path: "/c" },
    ];
    const out = applyJsonPatch(doc, ops) as { a: { b: number[] }; c: { b: number[] }; v: { deep: { x: number } } };
    out.a.b.push(2);
    out.c.b.push(3);
    out.v.deep.x = 9;
    expect(doc).toEqual({ a: { b: [1] } });
    expect(value).toEqual({ deep: { x: 1 } });
    expect(out.a.b).toEqual([1, 2]);
    expect(out.c.b).toEqual([1, 3]);
  });

  it("writes __proto__ as an ordinary member", () => {
    const out = applyJsonPatch(
      {},
      JSON.parse('[{"op":"add","path":"/__proto__","value":{"polluted":true}}]'),
    ) as object;
    expect(Object.hasOwn(out, "__proto__")).toBe(true);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect((out as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("applyMergePatch: RFC 7386", () => {
  // Appendix A, row by row.
  const appendix: [unknown, unknown, unknown][] = [
    [{ a: "b" }, { a: "c" }, { a: "c" }],
    [{ a: "b" }, { b: "c" }, { a: "b", b: "c" }],
    [{ a: "b" }, { a: null }, {}],
    [{ a: "b", b: "c" }, { a: null }, { b: "c" }],
    [{ a: ["b"] }, { a: "c" }, { a: "c" }],
    [{ a: "c" }, { a: ["b"] }, { a: ["b"] }],
    [{ a: { b: "c" } }, { a: { b: "d", c: null } }, { a: { b: "d" } }],
    [{ a: [{ b: "c" }] }, { a: [1] }, { a: [1] }],
    [
      ["a", "b"],
      ["c", "d"],
      ["c", "d"],
    ],
    [{ a: "b" }, ["c"], ["c"]],
    [{ a: "foo" }, null, null],
    [{ a: "foo" }, "bar", "bar"],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: "b", c: null }, { a: "b" }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ];
  it.each(appendix)("%j + %j", (target, patch, expected) => {
    expect(applyMergePatch(deepFreeze(target), deepFreeze(patch))).toEqual(expected);
  });

  it("section 3 example", () => {
    const target = {
      title: "Goodbye!",
      author: { givenName: "John", familyName: "Doe" },
      tags: ["example", "sample"],
      content: "This will be unchanged",
    };
    const patch = { title: "Hello!", phoneNumber: "+01-123-456-7890", author: { familyName: null }, tags: ["example"] };
    expect(applyMergePatch(deepFreeze(target), deepFreeze(patch))).toEqual({
      title: "Hello!",
      author: { givenName: "John" },
      tags: ["example"],
      content: "This will be unchanged",
      phoneNumber: "+01-123-456-7890",
    });
  });

  it("patches Kubernetes metadata as kubectl does", () => {
    const obj = { metadata: { name: "x", labels: { a: "1", b: "2" }, annotations: { n: "v" } }, spec: { replicas: 1 } };
    const patch = { metadata: { labels: { a: null, c: "3" } }, spec: { replicas: 3 } };
    expect(applyMergePatch(obj, patch)).toEqual({
      metadata: { name: "x", labels: { b: "2", c: "3" }, annotations: { n: "v" } },
      spec: { replicas: 3 },
    });
  });

  it("keeps nulls inside arrays, which replace wholesale", () => {
    expect(applyMergePatch({}, { a: [null, { b: null }] })).toEqual({ a: [null, { b: null }] });
  });

  it("never shares structure with its inputs", () => {
    const target = { keep: { x: [1] }, change: { y: 1 } };
    const patch = { change: { z: { deep: 1 } }, add: [1] };
    const out = applyMergePatch(target, patch) as Record<string, Record<string, unknown>>;
    (out.keep!.x as number[]).push(2);
    (out.change!.z as Record<string, number>).deep = 2;
    (out.add as unknown as number[]).push(2);
    expect(target).toEqual({ keep: { x: [1] }, change: { y: 1 } });
    expect(patch).toEqual({ change: { z: { deep: 1 } }, add: [1] });
  });

  it("writes __proto__ as an ordinary member", () => {
    const out = applyMergePatch({}, JSON.parse('{"__proto__":{"polluted":true}}')) as object;
    expect(Object.hasOwn(out, "__proto__")).toBe(true);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("createMergePatch", () => {
  const cases: [string, unknown, unknown, unknown][] = [
    ["identical", { a: 1, b: { c: [1] } }, { a: 1, b: { c: [1] } }, {}],
    ["changed scalar", { a: "b" }, { a: "c" }, { a: "c" }],
    ["added member", { a: "b" }, { a: "b", b: "c" }, { b: "c" }],
    ["removed member", { a: "b", b: "c" }, { b: "c" }, { a: null }],
    ["nested change", { a: { b: "c", d: "e" } }, { a: { b: "c", d: "f" } }, { a: { d: "f" } }],
    ["nested removal", { a: { b: "c", d: "e" } }, { a: { b: "c" } }, { a: { d: null } }],
    ["array change replaces the array", { a: [1, 2, 3] }, { a: [1, 2] }, { a: [1, 2] }],
    ["equal arrays are omitted", { a: [{ x: 1 }] }, { a: [{ x: 1 }] }, {}],
    ["scalar to object", { a: 1 }, { a: { b: 1 } }, { a: { b: 1 } }],
    ["object to scalar", { a: { b: 1 } }, { a: 1 }, { a: 1 }],
    ["object to array", { a: { b: 1 } }, { a: [1] }, { a: [1] }],
    ["whole document replaced by an array", { a: 1 }, [1], [1]],
    ["arrays at the top", [1], [2], [2]],
    ["equal objects in new key order", { a: { x: 1, y: 2 } }, { a: { y: 2, x: 1 } }, {}],
  ];
  it.each(cases)("%s", (_name, original, modified, expected) => {
    const patch = createMergePatch(deepFreeze(original), deepFreeze(modified));
    expect(patch).toEqual(expected);
    expect(applyMergePatch(original, patch)).toEqual(modified);
  });

  it("round-trips a realistic object change", () => {
    const before = {
      metadata: { name: "web", labels: { app: "web", old: "x" }, annotations: { a: "1" } },
      spec: { replicas: 1, template: { spec: { containers: [{ name: "c", image: "nginx:1" }] } } },
    };
    const after = {
      metadata: { name: "web", labels: { app: "web", tier: "front" }, annotations: { a: "1" } },
      spec: { replicas: 3, template: { spec: { containers: [{ name: "c", image: "nginx:2" }] } } },
    };
    const patch = createMergePatch(before, after);
    expect(patch).toEqual({
      metadata: { labels: { old: null, tier: "front" } },
      spec: { replicas: 3, template: { spec: { containers: [{ name: "c", image: "nginx:2" }] } } },
    });
    expect(applyMergePatch(before, patch)).toEqual(after);
  });

  it("cannot express explicit nulls (an RFC 7386 limit)", () => {
    const patch = createMergePatch({ a: 1 }, { a: null });
    expect(patch).toEqual({ a: null });
    expect(applyMergePatch({ a: 1 }, patch)).toEqual({});
  });
});

describe("jsonEqual", () => {
  const cases: [unknown, unknown, boolean][] = [
    [1, 1, true],
    [1, "1", false],
    [null, null, true],
    [null, {}, false],
    [[], {}, false],
    [{}, [], false],
    [[1, [2]], [1, [2]], true],
    [[1, 2], [2, 1], false],
    [{ a: 1, b: 2 }, { b: 2, a: 1 }, true],
    [{ a: 1 }, { a: 1, b: undefined }, false],
    [{ a: undefined }, { b: undefined }, false],
  ];
  it.each(cases)("%j vs %j → %s", (a, b, expected) => {
    expect(jsonEqual(a, b)).toBe(expected);
    expect(jsonEqual(b, a)).toBe(expected);
  });
});
