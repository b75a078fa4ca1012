import { describe, expect, it } from "vitest";
import {
  validateAnnotations,
  validateLabels,
  validateObjectMeta,
  validateOwnerReferences,
} from "../../api/validation/meta.ts";
import {
  configMapKey,
  dns1035Label,
  dns1123Label,
  dns1123Subdomain,
  labelValue,
  nameIsDNSSubdomain,
  nameIsPathSegment,
  pathSegmentName,
  portName,
  qualifiedName,
} from "../../api/validation/names.ts";

const SUBDOMAIN_ERROR =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

describe("name rules", () => {
  it.each([
    ["web", true],
    ["web-1.example.com", true],
    ["1abc", true],
    ["Foo_1", false],
    ["-web", false],
    ["web.", false],
    ["", false],
    ["a".repeat(253), true],
    ["a".repeat(254), false],
  ])("dns1123Subdomain(%j) valid=%s", (value, ok) => {
    expect(dns1123Subdomain(value).length === 0).toBe(ok);
  });

  it("words subdomain errors as Kubernetes does", () => {
    expect(dns1123Subdomain("Foo_1")).toEqual([SUBDOMAIN_ERROR]);
    expect(dns1123Subdomain("a".repeat(254))).toEqual(["must be no more than 253 characters"]);
  });

  it.each([
    ["web", true],
    ["web.svc", false],
    ["a".repeat(63), true],
    ["a".repeat(64), false],
  ])("dns1123Label(%j) valid=%s", (value, ok) => {
    expect(dns1123Label(value).length === 0).toBe(ok);
  });

  it("DNS-1035 labels must start with a letter", () => {
    expect(dns1035Label("my-svc")).toEqual([]);
    expect(dns1035Label("1svc")[0]).toContain(
      "a DNS-1035 label must consist of lower case alphanumeric characters or '-'",
    );
    expect(dns1035Label("1svc")[0]).toContain(
      "(e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
    );
  });

  it.each([
    ["app", true],
    ["app.kubernetes.io/name", true],
    ["example.com/My_Key.1", true],
    ["a/b/c", false],
    ["/name", false],
    ["Example.com/name", false],
    ["name-", false],
    ["x".repeat(63), true],
    ["x".repeat(64), false],
  ])("qualifiedName(%j) valid=%s", (value, ok) => {
    expect(qualifiedName(value).length === 0).toBe(ok);
  });

  it("reports prefix and name parts separately", () => {
    expect(qualifiedName("/x")).toEqual(["prefix part must be non-empty"]);
    expect(qualifiedName("Bad.com/x")[0]).toMatch(/^prefix part a lowercase RFC 1123 subdomain/);
    expect(qualifiedName("x".repeat(64))).toContain("name part must be no more than 63 characters");
  });

  it.each([
    ["", true],
    ["v1.2_3-x", true],
    ["-bad", false],
    ["x".repeat(64), false],
  ])("labelValue(%j) valid=%s", (value, ok) => {
    expect(labelValue(value).length === 0).toBe(ok);
  });

  it("config keys", () => {
    expect(configMapKey("app.properties")).toEqual([]);
    expect(configMapKey("KEY_NAME-1")).toEqual([]);
    expect(configMapKey("a/b")[0]).toContain("a valid config key must consist of alphanumeric characters");
    expect(configMapKey("..")).toContain("must not be '..'");
    expect(configMapKey("..x")).toContain("must not start with '..'");
  });

  it("path segment names allow anything but / % . and ..", () => {
    expect(pathSegmentName("system:controller:Foo")).toEqual([]);
    expect(pathSegmentName("a/b")).toEqual(["may not contain '/'"]);
    expect(pathSegmentName("..")).toEqual(["may not be '..'"]);
    expect(nameIsPathSegment("..", true)).toEqual([]);
  });

  it("port names are IANA service names", () => {
    expect(portName("http")).toEqual([]);
    expect(portName("8080")).toEqual(["must contain at least one letter (a-z)"]);
    expect(portName("a--b")).toEqual(["must not contain consecutive hyphens"]);
    expect(portName("very-long-port-name")).toEqual(["must be no more than 15 characters"]);
  });

  it("generateName may end in a dash", () => {
    expect(nameIsDNSSubdomain("web-", true)).toEqual([]);
    expect(nameIsDNSSubdomain("web-", false)).not.toEqual([]);
  });
});

describe("object metadata", () => {
  const namespaced = { namespaced: true, name: nameIsDNSSubdomain };

  it("requires a name or generateName", () => {
    expect(validateObjectMeta({ namespace: "default" }, namespaced)).toEqual([
      {
        field: "metadata.name",
        type: "FieldValueRequired",
        message: "Required value: name or generateName is required",
      },
    ]);
  });

  it("reports a bad name with the value and regex", () => {
    expect(validateObjectMeta({ name: "Foo_1", namespace: "default" }, namespaced)).toEqual([
      { field: "metadata.name", type: "FieldValueInvalid", message: `Invalid value: "Foo_1": ${SUBDOMAIN_ERROR}` },
    ]);
  });

  it("checks namespace presence against scope", () => {
    expect(validateObjectMeta({ name: "a" }, namespaced)).toEqual([
      { field: "metadata.namespace", type: "FieldValueRequired", message: "Required value" },
    ]);
    expect(validateObjectMeta({ name: "a", namespace: "x" }, { namespaced: false, name: nameIsDNSSubdomain })).toEqual([
      { field: "metadata.namespace", type: "FieldValueForbidden", message: "Forbidden: not allowed on this type" },
    ]);
  });

  it("validates label keys and values", () => {
    const errors = validateLabels({ "bad key": "v", ok: "-bad-" }, "metadata.labels");
    expect(errors.map((e) => e.message.slice(0, 25))).toEqual([
      'Invalid value: "bad key":',
      'Invalid value: "-bad-": a',
    ]);
    expect(errors.every((e) => e.field === "metadata.labels")).toBe(true);
  });

  it("limits total annotation size", () => {
    expect(validateAnnotations({ big: "x".repeat(256 * 1024) }, "metadata.annotations")).toEqual([
      {
        field: "metadata.annotations",
        type: "FieldValueTooLong",
        message: "Too long: may not be more than 262144 bytes",
      },
    ]);
    expect(validateAnnotations({ "Example.COM/Key": "v" }, "metadata.annotations")).toEqual([]);
  });

  it("validates owner references", () => {
    const ref = { apiVersion: "apps/v1", kind: "ReplicaSet", name: "rs", uid: "u1", controller: true };
    expect(validateOwnerReferences([ref], "metadata.ownerReferences")).toEqual([]);
    const errors = validateOwnerReferences(
      [
        { ...ref, uid: "" },
        { ...ref, name: "other" },
      ],
      "metadata.ownerReferences",
    );
    expect(errors.map((e) => e.field)).toEqual(["metadata.ownerReferences.uid", "metadata.ownerReferences"]);
    expect(errors[1]!.message).toContain("Only one reference can have Controller set to true");
  });
});
