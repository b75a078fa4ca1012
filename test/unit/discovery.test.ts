import { describe, expect, it } from "vitest";
import {
  aggregatedContentType,
  aggregatedDiscovery,
  apiGroup,
  apiGroupList,
  apiResourceList,
  compareKubeVersions,
  coreApiVersions,
  negotiateDiscovery,
  parseAccept,
  storageVersionHash,
  versionInfo,
} from "../../api/discovery/index.ts";
import { fnv1a64Hex } from "../../api/discovery/hash.ts";
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

const defs: ResourceDef[] = [
  def({
    group: "",
    version: "v1",
    resource: "pods",
    kind: "Pod",
    shortNames: ["po"],
    categories: ["all"],
    subresources: ["status", "log", "exec", "attach", "portforward", "binding", "eviction"],
  }),
  def({ group: "", version: "v1", resource: "configmaps", kind: "ConfigMap", shortNames: ["cm"] }),
  def({
    group: "",
    version: "v1",
    resource: "namespaces",
    kind: "Namespace",
    namespaced: false,
    subresources: ["status"],
  }),
  def({
    group: "apps",
    version: "v1",
    resource: "deployments",
    kind: "Deployment",
    shortNames: ["deploy"],
    categories: ["all"],
    subresources: ["status", "scale"],
  }),
  def({ group: "batch", version: "v1", resource: "jobs", kind: "Job", subresources: ["status"] }),
  // A CRD served at two versions, the beta one registered first.
  def({ group: "stable.example.com", version: "v1beta1", resource: "crontabs", kind: "CronTab" }),
  def({ group: "stable.example.com", version: "v1", resource: "crontabs", kind: "CronTab" }),
];

const KUBECTL_133 =
  "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";
const KUBECTL_127 = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json";
const CLIENT_GO_NOPEER =
  "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList;profile=nopeer,application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json";

describe("version and group documents", () => {
  it("reports 1.33", () => {
    expect(versionInfo()).toMatchObject({
      major: "1",
      minor: "33",
      gitVersion: "v1.33.0-flotilla",
      platform: "linux/amd64",
    });
  });

  it("serves APIVersions for /api", () => {
    expect(coreApiVersions()).toEqual({
      kind: "APIVersions",
      versions: ["v1"],
      serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress: "" }],
    });
  });

  it("lists named groups only, in registry order, preferring GA versions", () => {
    const list = apiGroupList(defs);
    expect(list.kind).toBe("APIGroupList");
    expect(list.groups.map((g) => g.name)).toEqual(["apps", "batch", "stable.example.com"]);
    const crd = list.groups[2]!;
    expect(crd.versions.map((v) => v.groupVersion)).toEqual(["stable.example.com/v1", "stable.example.com/v1beta1"]);
    expect(crd.preferredVersion).toEqual({ groupVersion: "stable.example.com/v1", version: "v1" });
  });

  it("answers /apis/<group> and nothing for unknown or core", () => {
    expect(apiGroup(defs, "apps")).toMatchObject({ kind: "APIGroup", apiVersion: "v1", name: "apps" });
    expect(apiGroup(defs, "nope.example.com")).toBeUndefined();
    expect(apiGroup(defs, "")).toBeUndefined();
  });

  it("ranks versions like Kubernetes", () => {
    const sorted = ["v1alpha1", "v2beta1", "v1beta2", "v1", "v2", "v1beta1", "foo"].sort(compareKubeVersions);
    expect(sorted).toEqual(["v2", "v1", "v2beta1", "v1beta2", "v1beta1", "v1alpha1", "foo"]);
  });
});

describe("APIResourceList", () => {
  const core = apiResourceList(defs, "", "v1")!;
  const byName = (name: string) => core.resources.find((r) => r.name === name);

  it("lists resources with their subresources, sorted by name", () => {
    expect(core).toMatchObject({ kind: "APIResourceList", apiVersion: "v1", groupVersion: "v1" });
    expect(core.resources.map((r) => r.name)).toEqual([
      "configmaps",
      "namespaces",
      "namespaces/status",
      "pods",
      "pods/attach",
      "pods/binding",
      "pods/eviction",
      "pods/exec",
      "pods/log",
      "pods/portforward",
      "pods/status",
    ]);
  });

  it("describes main resources", () => {
    expect(byName("pods")).toMatchObject({
      singularName: "pod",
      namespaced: true,
      kind: "Pod",
      verbs: ALL,
      shortNames: ["po"],
      categories: ["all"],
    });
    expect(byName("namespaces")!.namespaced).toBe(false);
    expect(byName("namespaces")).not.toHaveProperty("shortNames");
    expect(byName("pods")!.storageVersionHash).toMatch(/^[A-Za-z0-9+/]{11}=$/);
    expect(byName("pods")!.storageVersionHash).toBe(storageVersionHash(defs[0]!));
  });

  it("describes subresources as kube-apiserver does", () => {
    expect(byName("pods/log")).toEqual({
      name: "pods/log",
      singularName: "",
      namespaced: true,
      kind: "Pod",
      verbs: ["get"],
    });
    expect(byName("pods/status")).toEqual({
      name: "pods/status",
      singularName: "",
      namespaced: true,
      kind: "Pod",
      verbs: ["get", "patch", "update"],
    });
    expect(byName("pods/exec")).toMatchObject({ kind: "PodExecOptions", verbs: ["create", "get"] });
    expect(byName("pods/attach")).toMatchObject({ kind: "PodAttachOptions", verbs: ["create", "get"] });
    expect(byName("pods/portforward")).toMatchObject({ kind: "PodPortForwardOptions", verbs: ["create", "get"] });
    expect(byName("pods/binding")).toMatchObject({ kind: "Binding", verbs: ["create"] });
    expect(byName("pods/binding")).not.toHaveProperty("group");
    expect(byName("pods/eviction")).toMatchObject({
      group: "policy",
      version: "v1",
      kind: "Eviction",
      verbs: ["create"],
    });
    const apps = apiResourceList(defs, "apps", "v1")!;
    expect(apps.groupVersion).toBe("apps/v1");
    expect(apps.resources.find((r) => r.name === "deployments/scale")).toEqual({
      name: "deployments/scale",
      singularName: "",
      namespaced: true,
      group: "autoscaling",
      version: "v1",
      kind: "Scale",
      verbs: ["get", "patch", "update"],
    });
  });

  it("is undefined for a group-version not served", () => {
    expect(apiResourceList(defs, "apps", "v1beta1")).toBeUndefined();
    expect(apiResourceList(defs, "", "v2")).toBeUndefined();
  });
});

describe("aggregated discovery", () => {
  it("puts the core group alone under /api", () => {
    const doc = aggregatedDiscovery(defs, "core", "v2");
    expect(doc).toMatchObject({ kind: "APIGroupDiscoveryList", apiVersion: "apidiscovery.k8s.io/v2", metadata: {} });
    expect(doc.items).toHaveLength(1);
    expect(doc.items[0]!.metadata).toEqual({});
    const v1 = doc.items[0]!.versions[0]!;
    expect(v1.version).toBe("v1");
    expect(v1.freshness).toBe("Current");
    const pods = v1.resources.find((r) => r.resource === "pods")!;
    expect(pods).toMatchObject({
      responseKind: { group: "", version: "v1", kind: "Pod" },
      scope: "Namespaced",
      singularResource: "pod",
      verbs: ALL,
      shortNames: ["po"],
      categories: ["all"],
    });
    expect(pods.subresources!.map((s) => s.subresource)).toEqual([
      "attach",
      "binding",
      "eviction",
      "exec",
      "log",
      "portforward",
      "status",
    ]);
    expect(pods.subresources!.find((s) => s.subresource === "eviction")).toEqual({
      subresource: "eviction",
      responseKind: { group: "policy", version: "v1", kind: "Eviction" },
      verbs: ["create"],
    });
    expect(v1.resources.find((r) => r.resource === "namespaces")!.scope).toBe("Cluster");
  });

  it("lists named groups under /apis, preferred version first", () => {
    const doc = aggregatedDiscovery(defs, "apis", "v2beta1");
    expect(doc.apiVersion).toBe("apidiscovery.k8s.io/v2beta1");
    expect(doc.items.map((g) => g.metadata.name)).toEqual(["apps", "batch", "stable.example.com"]);
    expect(doc.items[2]!.versions.map((v) => v.version)).toEqual(["v1", "v1beta1"]);
    const deployments = doc.items[0]!.versions[0]!.resources[0]!;
    expect(deployments.subresources).toContainEqual({
      subresource: "scale",
      responseKind: { group: "autoscaling", version: "v1", kind: "Scale" },
      verbs: ["get", "patch", "update"],
    });
  });

  it("gives every resource and subresource a response kind (client-go drops those without)", () => {
    for (const scope of ["core", "apis"] as const)
      for (const group of aggregatedDiscovery(defs, scope, "v2").items)
        for (const version of group.versions)
          for (const r of version.resources) {
            expect(r.responseKind.kind).not.toBe("");
            for (const s of r.subresources ?? []) expect(s.responseKind.kind).not.toBe("");
          }
  });
});

describe("negotiateDiscovery", () => {
  it("picks v2 for kubectl 1.30+", () => {
    expect(negotiateDiscovery(KUBECTL_133)).toEqual({
      aggregated: true,
      version: "v2",
      contentType: "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList",
    });
  });

  it("picks v2beta1 for kubectl 1.27–1.29", () => {
    expect(negotiateDiscovery(KUBECTL_127)).toEqual({
      aggregated: true,
      version: "v2beta1",
      contentType: "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList",
    });
  });

  it("accepts the nopeer profile of newer client-go", () => {
    expect(negotiateDiscovery(CLIENT_GO_NOPEER)).toMatchObject({ aggregated: true, version: "v2" });
  });

  it("answers plain JSON when aggregation is not asked for", () => {
    expect(negotiateDiscovery(null)).toEqual({ aggregated: false });
    expect(negotiateDiscovery("")).toEqual({ aggregated: false });
    expect(negotiateDiscovery("application/json")).toEqual({ aggregated: false });
    expect(negotiateDiscovery("application/json, */*")).toEqual({ aggregated: false });
    expect(negotiateDiscovery("*/*")).toEqual({ aggregated: false });
  });

  it("respects order and q-values", () => {
    expect(negotiateDiscovery(`application/json,${KUBECTL_133}`)).toEqual({ aggregated: false });
    expect(
      negotiateDiscovery(
        "application/json;q=0.5,application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList;q=0.9",
      ),
    ).toMatchObject({ aggregated: true, version: "v2" });
    expect(negotiateDiscovery("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList;q=0")).toEqual({
      aggregated: false,
    });
  });

  it("skips what it cannot serve: protobuf, unknown versions, other profiles", () => {
    const pb = "application/vnd.kubernetes.protobuf;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
    expect(negotiateDiscovery(`${pb},${KUBECTL_133}`)).toMatchObject({ aggregated: true, version: "v2" });
    expect(negotiateDiscovery(pb)).toEqual({ aggregated: false });
    expect(negotiateDiscovery("application/json;g=apidiscovery.k8s.io;v=v3;as=APIGroupDiscoveryList")).toEqual({
      aggregated: false,
    });
    expect(
      negotiateDiscovery(
        "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList;profile=other,application/json",
      ),
    ).toEqual({ aggregated: false });
  });

  it("tolerates spacing, case and quoting", () => {
    expect(
      negotiateDiscovery('Application/JSON; g="apidiscovery.k8s.io" ; v=v2 ; as=APIGroupDiscoveryList'),
    ).toMatchObject({ aggregated: true, version: "v2" });
    expect(aggregatedContentType("v2beta1")).toBe(
      "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList",
    );
  });

  it("parses media ranges", () => {
    expect(parseAccept("text/plain;q=0.2, application/json;as=Table;v=v1;g=meta.k8s.io, bogus")).toEqual([
      { type: "application", subtype: "json", params: { as: "Table", v: "v1", g: "meta.k8s.io" }, q: 1 },
      { type: "text", subtype: "plain", params: {}, q: 0.2 },
    ]);
  });
});

describe("hash", () => {
  it("is 64-bit FNV-1a", () => {
    expect(fnv1a64Hex("")).toBe("cbf29ce484222325");
    expect(fnv1a64Hex("a")).toBe("af63dc4c8601ec8c");
    expect(fnv1a64Hex("foobar")).toBe("85944171f73967e8");
  });
});
