// FieldsV1 encoding, field paths, the field sets of applied configurations, comparisons, and the
// request options of field management.
import { describe, expect, it } from "vitest";
import { applyConfiguration, applyOptions, managerFromUserAgent, writeManager } from "../../api/ssa/index.ts";
import { compare } from "../../api/ssa/compare.ts";
import { fieldSetOf } from "../../api/ssa/field-set-of.ts";
import { fromFieldsV1, members, toFieldsV1 } from "../../api/ssa/fieldset.ts";
import { renderPath } from "../../api/ssa/path.ts";
import { rootShape } from "../../api/ssa/schema.ts";
import { lenient } from "../../api/ssa/values.ts";
import { ownedPart } from "../../api/ssa/owned-part.ts";
import { catchStatus, type Obj } from "./ssa-harness.ts";

const pod = (spec: Obj): Obj => ({ apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec });
const POD = rootShape("v1", "Pod");
const paths = (fields: ReturnType<typeof fromFieldsV1>) => members(fields).map(renderPath);
const fail = (problem: string) => {
  throw new Error(problem);
};

describe("FieldsV1", () => {
  const cases: Array<{ name: string; fieldsV1: Obj; paths: string[] }> = [
    {
      name: "fields and nested fields",
      fieldsV1: { "f:data": { "f:key": {} }, "f:metadata": { "f:labels": { "f:test-label": {} } } },
      paths: [".data.key", ".metadata.labels.test-label"],
    },
    {
      name: "a member with children carries '.'",
      fieldsV1: { "f:metadata": { "f:labels": { ".": {}, "f:app": {} } } },
      paths: [".metadata.labels", ".metadata.labels.app"],
    },
    {
      name: "associative list items by key, several keys, set values and indexes",
      fieldsV1: {
        "f:spec": {
          "f:containers": {
            'k:{"name":"web"}': {
              ".": {},
              "f:ports": { 'k:{"containerPort":80,"protocol":"TCP"}': { ".": {}, "f:containerPort": {} } },
            },
          },
          "f:finalizers": { 'v:"a/b"': {} },
          "f:list": { "i:0": {} },
        },
      },
      paths: [
        '.spec.containers[name="web"]',
        '.spec.containers[name="web"].ports[containerPort=80,protocol="TCP"]',
        '.spec.containers[name="web"].ports[containerPort=80,protocol="TCP"].containerPort',
        '.spec.finalizers[="a/b"]',
        ".spec.list[0]",
      ],
    },
  ];
  it.each(cases)("decodes and re-encodes: $name", ({ fieldsV1, paths: expected }) => {
    const set = fromFieldsV1(fieldsV1);
    expect(paths(set)).toEqual(expected);
    expect(toFieldsV1(set)).toEqual(fieldsV1);
  });

  it.each([{ "x:bad": {} }, { "f:a": 1 }, { 'k:["not an object"]': {} }, { "i:x": {} }])(
    "rejects malformed FieldsV1 %j",
    (bad) => expect(() => fromFieldsV1(bad)).toThrow(),
  );
});

describe("the fields an applied configuration sets", () => {
  const cases: Array<{ name: string; config: Obj; paths: string[] }> = [
    {
      name: "containers are keyed by name; args are atomic; env by name",
      config: pod({ containers: [{ name: "c", image: "i", args: ["x"], env: [{ name: "A", value: "1" }] }] }),
      paths: [
        '.spec.containers[name="c"]',
        '.spec.containers[name="c"].args',
        '.spec.containers[name="c"].image',
        '.spec.containers[name="c"].name',
        '.spec.containers[name="c"].env[name="A"]',
        '.spec.containers[name="c"].env[name="A"].name',
        '.spec.containers[name="c"].env[name="A"].value',
      ],
    },
    {
      name: "tolerations have no merge key: atomic; nodeSelector is an atomic map",
      config: pod({ tolerations: [{ key: "k", operator: "Exists" }], nodeSelector: { zone: "a" } }),
      paths: [".spec.nodeSelector", ".spec.tolerations"],
    },
    {
      name: "empty maps are owned as such",
      config: pod({ volumes: [{ name: "tmp", emptyDir: {} }] }),
      paths: ['.spec.volumes[name="tmp"]', '.spec.volumes[name="tmp"].emptyDir', '.spec.volumes[name="tmp"].name'],
    },
    {
      name: "a custom resource's lists are atomic and its maps granular",
      config: { apiVersion: "example.com/v1", kind: "Foo", spec: { items: [{ name: "a" }], data: { k: "v" } } },
      paths: [".spec.items", ".spec.data.k"],
    },
  ];
  it.each(cases)("$name", ({ config, paths: expected }) => {
    const shape = rootShape(String(config.apiVersion), String(config.kind));
    const set = ownedPart(fieldSetOf(config, shape, fail), { target: "main", statusSubresource: false });
    expect(members(set).map(renderPath)).toEqual(expected);
  });

  it.each([
    [pod({ containers: [{ image: "i" }] }), 'omits key field "name"'],
    [pod({ containers: [{ name: "a" }, { name: "a" }] }), 'duplicate entries for key [name="a"]'],
  ])("rejects a list it cannot key: %j", (config, message) => {
    expect(() => fieldSetOf(config, POD, fail)).toThrow(message);
  });
});

describe("comparing two versions", () => {
  it("reports added, modified and removed fields; a whole added item brings its fields", () => {
    const before = pod({ containers: [{ name: "a", image: "1" }], restartPolicy: "Always" });
    const after = pod({
      containers: [
        { name: "a", image: "2" },
        { name: "b", image: "1" },
      ],
    });
    const diff = compare(before, after, POD);
    expect(members(diff.added).map(renderPath)).toEqual([
      '.spec.containers[name="b"]',
      '.spec.containers[name="b"].image',
      '.spec.containers[name="b"].name',
    ]);
    expect(members(diff.modified).map(renderPath)).toEqual(['.spec.containers[name="a"].image']);
    expect(members(diff.removed).map(renderPath)).toEqual([".spec.restartPolicy"]);
  });

  it("a list whose items cannot be keyed compares as one value", () => {
    const diff = compare(pod({ containers: [{ image: "1" }] }), pod({ containers: [{ image: "2" }] }), POD);
    expect(members(diff.modified).map(renderPath)).toEqual([".spec.containers"]);
  });
});

describe("apply requests", () => {
  const base = {
    apiVersion: "v1",
    kind: "ConfigMap",
    target: "main" as const,
    statusSubresource: false,
    now: new Date(0),
    live: undefined,
    name: "cm",
    manager: "m",
    force: false,
  };
  it.each([
    [
      { apiVersion: "v2", kind: "ConfigMap" },
      "Incorrect version specified in apply patch. Specified patch version: v2, expected: v1",
    ],
    [{ kind: "ConfigMap" }, "Incorrect version specified in apply patch. Specified patch version: , expected: v1"],
    [{ apiVersion: "v1", kind: "ConfigMap", metadata: { managedFields: [] } }, "metadata.managedFields must be nil"],
    [
      { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "other" } },
      "the name of the object (other) does not match the name on the URL (cm)",
    ],
    [
      pod({ containers: [{ image: "x" }] }),
      'failed to create typed patch object (p; v1, Kind=Pod): .spec.containers: element 0: associative list with keys has an element that omits key field "name" (and doesn\'t have default value)',
    ],
  ])("400 for %j", (config, message) => {
    const kind = (config as Obj).kind === "Pod" ? { kind: "Pod", name: "p" } : {};
    const err = catchStatus(() => applyConfiguration({ ...base, ...kind, config }));
    expect(err.code).toBe(400);
    expect(err.message).toBe(message);
  });

  it("an apply to a missing object builds it from the configuration, named after the URL", () => {
    const result = applyConfiguration({
      ...base,
      config: { apiVersion: "v1", kind: "ConfigMap", data: { a: null, b: "1" } },
    });
    expect(result.object).toEqual({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cm" }, data: { b: "1" } });
    expect(result.managedFields).toEqual([
      {
        manager: "m",
        operation: "Apply",
        apiVersion: "v1",
        time: "1970-01-01T00:00:00Z",
        fieldsType: "FieldsV1",
        fieldsV1: { "f:data": { "f:b": {} } },
      },
    ]);
  });
});

describe("field manager options", () => {
  const query = (q: string) => new URLSearchParams(q);

  it("an apply without fieldManager is kube's 422 on PatchOptions", () => {
    const err = catchStatus(() => applyOptions(query("force=true")));
    expect(err.code).toBe(422);
    expect(err.message).toBe(
      'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
    );
    expect(err.details?.causes).toEqual([
      { reason: "FieldValueRequired", message: "Required value: is required for apply patch", field: "fieldManager" },
    ]);
  });

  it.each([
    ["fieldManager=kubectl", { manager: "kubectl", force: false }],
    ["fieldManager=kubectl&force=false", { manager: "kubectl", force: false }],
    ["fieldManager=me&force=true", { manager: "me", force: true }],
  ])("apply options of %s", (q, expected) => expect(applyOptions(query(q))).toEqual(expected));

  it("force on a non-apply patch is forbidden", () => {
    const err = catchStatus(() => writeManager(query("force=true"), null, "PatchOptions"));
    expect(err.code).toBe(422);
    expect(err.message).toBe(
      'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch',
    );
  });

  it("a fieldManager longer than 128 bytes is refused", () => {
    const err = catchStatus(() => writeManager(query("fieldManager=" + "m".repeat(129)), null, "CreateOptions"));
    expect(err.message).toBe(
      'CreateOptions.meta.k8s.io "" is invalid: fieldManager: Too long: may not be more than 128 bytes',
    );
  });

  it.each([
    ["kubectl/v1.30.0 (linux/amd64) kubernetes/7c48c2b", "kubectl"],
    ["kube-controller-manager/v1.30.0 (linux/amd64) kubernetes/abc/system:serviceaccount:x", "kube-controller-manager"],
    ["node-fetch", "node-fetch"],
    ["", ""],
  ])("the manager of a write without fieldManager comes from the User-Agent %j", (ua, manager) => {
    expect(managerFromUserAgent(ua)).toBe(manager);
    expect(writeManager(query(""), ua, "UpdateOptions")).toBe(manager);
  });

  it("fieldManager wins over the User-Agent", () => {
    expect(writeManager(query("fieldManager=kubectl-edit"), "kubectl/v1.30.0", "PatchOptions")).toBe("kubectl-edit");
  });
});

describe("lenient reading of stored lists", () => {
  it("fieldSetOf with a lenient handler treats unkeyable lists as atomic", () => {
    const set = fieldSetOf(pod({ containers: [{ image: "x" }] }), POD, lenient);
    expect(members(set).map(renderPath)).toEqual([".apiVersion", ".kind", ".metadata.name", ".spec.containers"]);
  });
});
