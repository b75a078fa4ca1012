import { describe, expect, it } from "vitest";
import { compileModules } from "../../api/openapi/compile.ts";
import {
  encodeSwagger,
  openApiV2,
  openApiV2Protobuf,
  openApiV3Bundle,
  openApiV3GroupVersion,
  openApiV3Root,
  schemaLibrary,
  schemaName,
  unknownFields,
} from "../../api/openapi/index.ts";
import { refsOf } from "../../api/openapi/schema.ts";
import { MODULES } from "../../api/openapi/schemas/index.ts";
import { f, untyped } from "../../api/openapi/schemas/dsl.ts";
import type { ResourceDef } from "../../api/registry/types.ts";

const ALL = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
const def = (p: Partial<ResourceDef> & Pick<ResourceDef, "group" | "version" | "resource" | "kind">): ResourceDef => ({
  singular: p.kind.toLowerCase(),
  listKind: `${p.kind}List`,
  namespaced: true,
  shortNames: [],
  categories: [],
  verbs: ALL,
  subresources: [],
  strategy: {},
  table: { columns: [], cells: () => [] },
  fieldSelectors: {},
  ...p,
});

const makeDefs = (): ResourceDef[] => [
  def({
    group: "",
    version: "v1",
    resource: "pods",
    kind: "Pod",
    subresources: ["status", "log", "exec", "attach", "portforward", "binding", "eviction"],
  }),
  def({ group: "", version: "v1", resource: "configmaps", kind: "ConfigMap" }),
  def({
    group: "",
    version: "v1",
    resource: "namespaces",
    kind: "Namespace",
    namespaced: false,
    subresources: ["status"],
  }),
  def({ group: "apps", version: "v1", resource: "deployments", kind: "Deployment", subresources: ["status", "scale"] }),
  def({ group: "batch", version: "v1", resource: "cronjobs", kind: "CronJob", subresources: ["status"] }),
  def({ group: "stable.example.com", version: "v1", resource: "crontabs", kind: "CronTab", subresources: ["status"] }),
];
const defs = makeDefs();

type Json = Record<string, any>;
const GV_KEYS = ["api/v1", "apis/apps/v1", "apis/batch/v1", "apis/stable.example.com/v1"];
const docFor = (d: ResourceDef) => openApiV3GroupVersion(defs, d.group, d.version)! as unknown as Json;
const refsIn = (doc: unknown, prefix: string) =>
  [...JSON.stringify(doc).matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]!.slice(prefix.length));

describe("OpenAPI v3 root", () => {
  it("lists every group-version with a hashed URL", () => {
    const root = openApiV3Root(defs);
    expect(Object.keys(root.paths)).toEqual(GV_KEYS);
    for (const key of GV_KEYS)
      expect(root.paths[key]!.serverRelativeURL).toMatch(new RegExp(`^/openapi/v3/${key}\\?hash=[0-9A-F]{16}$`));
  });

  it("hashes the document content: stable across builds, changed by changes", () => {
    const again = openApiV3Root(makeDefs()); // a different array, built from scratch
    expect(again).toEqual(openApiV3Root(defs));
    const bundle = openApiV3Bundle(defs);
    expect(bundle.documents.get("apis/apps/v1")!.json).toBe(
      JSON.stringify(bundle.documents.get("apis/apps/v1")!.document),
    );
    const more = [...makeDefs(), def({ group: "apps", version: "v1", resource: "replicasets", kind: "ReplicaSet" })];
    const changed = openApiV3Root(more);
    expect(changed.paths["apis/apps/v1"]).not.toEqual(again.paths["apis/apps/v1"]);
    expect(changed.paths["api/v1"]).toEqual(again.paths["api/v1"]);
  });

  it("serves nothing for an unknown group-version", () => {
    expect(openApiV3GroupVersion(defs, "apps", "v1beta1")).toBeUndefined();
  });
});

describe("OpenAPI v3 group-version documents", () => {
  it("have a top-level schema with the GVK extension for every kind and list", () => {
    for (const d of defs) {
      const doc = docFor(d);
      expect(doc.openapi).toBe("3.0.0");
      expect(doc.info).toEqual({ title: "Kubernetes", version: "v1.33.0" });
      const kind = doc.components.schemas[schemaName(d.group, d.version, d.kind)];
      expect(kind["x-kubernetes-group-version-kind"]).toEqual([{ group: d.group, version: d.version, kind: d.kind }]);
      expect(Object.keys(kind.properties)).toEqual(expect.arrayContaining(["apiVersion", "kind", "metadata"]));
      const list = doc.components.schemas[schemaName(d.group, d.version, d.listKind)];
      expect(list["x-kubernetes-group-version-kind"]).toEqual([
        { group: d.group, version: d.version, kind: d.listKind },
      ]);
      expect(list.properties.items.items.$ref).toBe(`#/components/schemas/${schemaName(d.group, d.version, d.kind)}`);
    }
  });

  it("names schemas like kube-apiserver", () => {
    expect(schemaName("apps", "v1", "Deployment")).toBe("io.k8s.api.apps.v1.Deployment");
    expect(schemaName("", "v1", "Pod")).toBe("io.k8s.api.core.v1.Pod");
    expect(schemaName("rbac.authorization.k8s.io", "v1", "Role")).toBe("io.k8s.api.rbac.v1.Role");
    expect(schemaName("networking.k8s.io", "v1", "Ingress")).toBe("io.k8s.api.networking.v1.Ingress");
    expect(schemaName("apiextensions.k8s.io", "v1", "CustomResourceDefinition")).toBe(
      "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition",
    );
    expect(schemaName("stable.example.com", "v1", "CronTab")).toBe("com.example.stable.v1.CronTab");
  });

  it("give every operation a GVK and an action; writes take fieldValidation and dryRun", () => {
    for (const key of GV_KEYS) {
      const doc = openApiV3Bundle(defs).documents.get(key)!.document as Json;
      let patches = 0;
      for (const [path, item] of Object.entries<Json>(doc.paths)) {
        for (const [method, op] of Object.entries<Json>(item)) {
          expect(op["x-kubernetes-group-version-kind"], `${method} ${path}`).toMatchObject({
            kind: expect.any(String),
          });
          expect(op["x-kubernetes-action"]).toEqual(expect.any(String));
          const query = op.parameters.filter((p: Json) => p.in === "query").map((p: Json) => p.name);
          if (["put", "patch"].includes(method) || (method === "post" && op["x-kubernetes-action"] === "post")) {
            expect(query, `${method} ${path}`).toEqual(
              expect.arrayContaining(["fieldValidation", "dryRun", "fieldManager"]),
            );
          }
          if (method === "patch") {
            patches++;
            // kubectl computes strategic merge patches from OpenAPI only when this media type is listed;
            // we leave it out so kubectl uses its compiled-in types (see operations.ts).
            expect(Object.keys(op.requestBody.content)).not.toContain("application/strategic-merge-patch+json");
            expect(Object.keys(op.requestBody.content)).toContain("application/apply-patch+yaml");
          }
        }
      }
      expect(patches).toBeGreaterThan(0);
    }
  });

  it("has the paths kubectl explain and the field-validation check look for", () => {
    const core = docFor(defs[0]!);
    const list = core.paths["/api/v1/namespaces/{namespace}/pods"];
    expect(list.get["x-kubernetes-group-version-kind"]).toEqual({ group: "", version: "v1", kind: "Pod" });
    expect(list.get["x-kubernetes-action"]).toBe("list");
    const item = core.paths["/api/v1/namespaces/{namespace}/pods/{name}"];
    expect(Object.keys(item)).toEqual(["get", "put", "patch", "delete"]);
    expect(item.patch.parameters).toContainEqual(expect.objectContaining({ name: "fieldValidation", in: "query" }));
    expect(core.paths["/api/v1/pods"].get.operationId).toBe("listCoreV1PodForAllNamespaces");
    expect(core.paths["/api/v1/namespaces"].post.operationId).toBe("createCoreV1Namespace");
    expect(core.paths["/api/v1/namespaces/{namespace}/pods/{name}/log"].get.responses["200"].content).toHaveProperty(
      "text/plain",
    );
    expect(
      core.paths["/api/v1/namespaces/{namespace}/pods/{name}/eviction"].post["x-kubernetes-group-version-kind"],
    ).toEqual({
      group: "policy",
      version: "v1",
      kind: "Eviction",
    });
    const apps = docFor(defs[3]!);
    const scale = apps.paths["/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale"];
    expect(scale.patch["x-kubernetes-group-version-kind"]).toEqual({
      group: "autoscaling",
      version: "v1",
      kind: "Scale",
    });
    expect(apps.components.schemas["io.k8s.api.autoscaling.v1.Scale"]).toBeDefined();
  });

  it("resolve every $ref inside the document", () => {
    for (const key of GV_KEYS) {
      const doc = openApiV3Bundle(defs).documents.get(key)!.document as Json;
      for (const ref of refsIn(doc, "#/components/schemas/")) expect(doc.components.schemas, ref).toHaveProperty([ref]);
    }
  });

  it("describes ObjectMeta field by field", () => {
    const meta = docFor(defs[0]!).components.schemas["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"];
    expect(Object.keys(meta.properties)).toEqual(
      expect.arrayContaining([
        "name",
        "namespace",
        "labels",
        "annotations",
        "uid",
        "resourceVersion",
        "ownerReferences",
      ]),
    );
    expect(meta.properties.labels).toMatchObject({ type: "object", additionalProperties: { type: "string" } });
    expect(meta.properties.creationTimestamp.allOf[0].$ref).toBe(
      "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Time",
    );
    expect(meta.properties.ownerReferences).toMatchObject({
      type: "array",
      "x-kubernetes-patch-merge-key": "uid",
      "x-kubernetes-patch-strategy": "merge",
    });
    expect(meta["x-kubernetes-preserve-unknown-fields"]).toBeUndefined();
  });

  it("describes Deployment and Pod structure", () => {
    const schemas = docFor(defs[3]!).components.schemas;
    const spec = schemas["io.k8s.api.apps.v1.DeploymentSpec"];
    expect(spec.required).toEqual(["selector", "template"]);
    expect(spec.properties.strategy.allOf[0].$ref).toBe("#/components/schemas/io.k8s.api.apps.v1.DeploymentStrategy");
    expect(schemas["io.k8s.api.apps.v1.DeploymentStrategy"].properties.type.enum).toEqual([
      "Recreate",
      "RollingUpdate",
    ]);
    const podSpec = schemas["io.k8s.api.core.v1.PodSpec"];
    expect(podSpec.properties.containers).toMatchObject({
      type: "array",
      items: { $ref: "#/components/schemas/io.k8s.api.core.v1.Container" },
      "x-kubernetes-patch-merge-key": "name",
    });
    expect(schemas["io.k8s.api.core.v1.Container"].required).toEqual(["name"]);
    expect(schemas["io.k8s.api.core.v1.Container"].properties.image.description).toEqual(expect.any(String));
  });

  it("keeps undescribed kinds open", () => {
    const crd = docFor(defs[5]!).components.schemas["com.example.stable.v1.CronTab"];
    expect(crd["x-kubernetes-preserve-unknown-fields"]).toBe(true);
    expect(crd.properties.spec).toMatchObject({ type: "object", "x-kubernetes-preserve-unknown-fields": true });
  });

  it("uses a caller-provided schema (a CRD's openAPIV3Schema) when given", () => {
    const schemaFor = (d: ResourceDef) =>
      d.kind === "CronTab"
        ? {
            type: "object",
            properties: {
              metadata: { type: "object" },
              spec: { type: "object", properties: { cronSpec: { type: "string", description: "When." } } },
            },
          }
        : undefined;
    const doc = openApiV3GroupVersion(defs, "stable.example.com", "v1", { schemaFor }) as unknown as Json;
    const crd = doc.components.schemas["com.example.stable.v1.CronTab"];
    expect(crd.properties.spec.properties.cronSpec).toEqual({ type: "string", description: "When." });
    expect(crd.properties.metadata.allOf[0].$ref).toBe(
      "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
    );
    expect(crd["x-kubernetes-group-version-kind"]).toEqual([
      { group: "stable.example.com", version: "v1", kind: "CronTab" },
    ]);
  });
});

describe("Swagger 2.0", () => {
  const v2 = openApiV2(defs) as unknown as Json;

  it("holds the same schemas, with GVK extensions", () => {
    expect(v2.swagger).toBe("2.0");
    for (const key of GV_KEYS) {
      const v3 = openApiV3Bundle(defs).documents.get(key)!.document as Json;
      for (const name of Object.keys(v3.components.schemas)) expect(v2.definitions).toHaveProperty([name]);
    }
    expect(v2.definitions["io.k8s.api.apps.v1.Deployment"]["x-kubernetes-group-version-kind"]).toEqual([
      { group: "apps", version: "v1", kind: "Deployment" },
    ]);
    expect(v2.definitions["io.k8s.api.apps.v1.DeploymentSpec"].properties.strategy.$ref).toBe(
      "#/definitions/io.k8s.api.apps.v1.DeploymentStrategy",
    );
    for (const ref of refsIn(v2, "#/definitions/")) expect(v2.definitions, ref).toHaveProperty([ref]);
  });

  it("has body parameters and fieldValidation on writes", () => {
    const patch = v2.paths["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"].patch;
    expect(patch.parameters).toContainEqual(
      expect.objectContaining({ name: "fieldValidation", in: "query", type: "string" }),
    );
    expect(patch.parameters).toContainEqual(
      expect.objectContaining({
        name: "body",
        in: "body",
        schema: { $ref: "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Patch" },
      }),
    );
    expect(patch["x-kubernetes-group-version-kind"]).toEqual({ group: "apps", version: "v1", kind: "Deployment" });
  });

  it("encodes as the gnostic protobuf document kubectl 1.27/1.28 require", () => {
    const bytes = openApiV2Protobuf(defs);
    const top = readFields(bytes);
    expect(new TextDecoder().decode(top.get(1)![0])).toBe("2.0");
    const info = readFields(top.get(2)![0]!);
    expect(new TextDecoder().decode(info.get(1)![0])).toBe("Kubernetes");
    const definitions = readFields(top.get(9)![0]!).get(1)!;
    expect(definitions).toHaveLength(Object.keys(v2.definitions).length);
    const names = definitions.map((d) => new TextDecoder().decode(readFields(d).get(1)![0]));
    expect(names).toEqual(Object.keys(v2.definitions));
    const paths = readFields(top.get(8)![0]!).get(2)!;
    expect(paths).toHaveLength(Object.keys(v2.paths).length);
    expect(encodeSwagger({ swagger: "2.0", info: { title: "t", version: "v" }, paths: {}, definitions: {} })).toEqual(
      Uint8Array.from([0x0a, 3, 0x32, 0x2e, 0x30, 0x12, 6, 0x0a, 1, 0x74, 0x12, 1, 0x76, 0x42, 0, 0x4a, 0]),
    );
  });
});

describe("schema library", () => {
  it("compiles, and every reference names a schema", () => {
    const lib = schemaLibrary();
    expect(lib.size).toBeGreaterThan(150);
    for (const [name, schema] of lib)
      for (const ref of refsOf(schema)) expect(lib.has(ref), `${name} → ${ref}`).toBe(true);
  });

  it("rejects unknown type names", () => {
    const broken = { pkg: "io.example.v1", types: { Thing: untyped("x", { other: f("NoSuchType", "y") }) } };
    expect(() => compileModules([...MODULES, broken])).toThrow(/NoSuchType/);
  });
});

describe("unknownFields", () => {
  const deploy = defs[3]!;
  const base = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", labels: { app: "web" } },
    spec: {
      selector: { matchLabels: { app: "web" } },
      template: {
        metadata: { labels: { app: "web" } },
        spec: { containers: [{ name: "web", image: "nginx", resources: { limits: { cpu: "1" } } }] },
      },
    },
  };

  it("finds nothing in a valid object", () => {
    expect(unknownFields(defs, deploy, base)).toEqual([]);
  });

  it("reports unknown fields with their paths", () => {
    const bad = structuredClone(base) as Json;
    bad.metadata.labelz = {};
    bad.spec.replicaz = 2;
    bad.spec.template.spec.containers[0].imagePolicy = "Always";
    bad.status = { replicas: 1, whatever: true };
    expect(unknownFields(defs, deploy, bad)).toEqual([
      "metadata.labelz",
      "spec.template.spec.containers[0].imagePolicy",
      "spec.replicaz",
      "status.whatever",
    ]);
  });

  it("accepts anything below partially described or free-form parts", () => {
    const odd = structuredClone(base) as Json;
    odd.spec.template.spec.volumes = [{ name: "v", someNewSource: { x: 1 } }];
    odd.spec.template.spec.affinity = { nodeAffinity: {} };
    expect(unknownFields(defs, deploy, odd)).toEqual([]);
    expect(
      unknownFields(defs, defs[5]!, { apiVersion: "stable.example.com/v1", kind: "CronTab", metadata: {}, foo: 1 }),
    ).toEqual([]);
  });
});

/** Reads length-delimited fields of a protobuf message (enough for these checks). */
function readFields(bytes: Uint8Array): Map<number, Uint8Array[]> {
  const out = new Map<number, Uint8Array[]>();
  let i = 0;
  const varint = () => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = bytes[i++]!;
      result += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return result;
      shift += 7;
    }
  };
  while (i < bytes.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    if ((key & 7) === 0) {
      varint();
      continue;
    }
    const len = varint();
    out.set(field, [...(out.get(field) ?? []), bytes.subarray(i, i + len)]);
    i += len;
  }
  return out;
}
