// Karmada's federation kinds as built-in resources: defaulting and validation (Karmada's webhook and
// CRD rules), tables, schemas and generation tracking, through their ResourceDefs.
import { describe, expect, it } from "vitest";
import type { FieldError } from "../../api/errors.ts";
import * as federation from "../../api/federation/types.ts";
import { tracksGeneration } from "../../api/lifecycle/object-meta.ts";
import { kindSchemaName, openApiV2, openApiV2Protobuf, schemaLibrary, unknownFields } from "../../api/openapi/index.ts";
import { builtinResources, findByKey, resourceKey } from "../../api/registry/index.ts";
import { karmadaResources } from "../../api/registry/kinds/karmada.ts";
import type { ResourceDef } from "../../api/registry/types.ts";
import type { KubeObject } from "../../api/types.ts";

const NOW = new Date("2026-11-25T12:00:00Z");
const CREATED = "2026-11-25T11:00:00Z";

const def = (key: string): ResourceDef => {
  const found = findByKey(key);
  if (!found) throw new Error(`${key} is not served`);
  return found;
};
const CLUSTERS = def(federation.MEMBER_CLUSTERS);
const PP = def(federation.PROPAGATION_POLICIES);
const CPP = def(federation.CLUSTER_PROPAGATION_POLICIES);
const OP = def(federation.OVERRIDE_POLICIES);
const COP = def(federation.CLUSTER_OVERRIDE_POLICIES);
const RB = def(federation.RESOURCE_BINDINGS);
const CRB = def(federation.CLUSTER_RESOURCE_BINDINGS);

const render = (errors: FieldError[]) => errors.map((e) => `${e.field}: ${e.message}`);

/** Defaults then validates, as the store does on create; answers the object and its errors. */
function create(resource: ResourceDef, body: Record<string, unknown>, namespace = "default") {
  const obj = structuredClone(body) as KubeObject;
  obj.metadata = { name: "x", ...(resource.namespaced ? { namespace } : {}), ...(obj.metadata ?? {}) };
  resource.strategy.prepareForCreate?.(obj);
  return { obj, errors: render(resource.strategy.validate?.(obj) ?? []) };
}

const errorsOf = (resource: ResourceDef, body: Record<string, unknown>, namespace?: string) =>
  create(resource, body, namespace).errors;

const member = (spec: Record<string, unknown>, name = "east") => ({ metadata: { name }, spec });
const ENDPOINT = "https://127.0.0.1:8787/clusters/east";

const deployments = (extra: Record<string, unknown> = {}) => ({
  resourceSelectors: [{ apiVersion: "apps/v1", kind: "Deployment", name: "web" }],
  ...extra,
});

describe("registration", () => {
  it("serves every kind under the resource keys the federation shares", () => {
    expect(karmadaResources.map(resourceKey)).toEqual([
      federation.MEMBER_CLUSTERS,
      federation.PROPAGATION_POLICIES,
      federation.CLUSTER_PROPAGATION_POLICIES,
      federation.OVERRIDE_POLICIES,
      federation.CLUSTER_OVERRIDE_POLICIES,
      federation.RESOURCE_BINDINGS,
      federation.CLUSTER_RESOURCE_BINDINGS,
      federation.WORKS,
    ]);
    for (const resource of karmadaResources) expect(builtinResources).toContainEqual(resource);
  });

  it("keeps Karmada's scopes, short names, category and status subresources", () => {
    const summary = karmadaResources.map((d) => [
      `${d.group}/${d.version}`,
      d.kind,
      d.namespaced,
      d.shortNames.join(","),
      d.subresources.join(","),
    ]);
    expect(summary).toEqual([
      ["cluster.karmada.io/v1alpha1", "Cluster", false, "", "status"],
      ["policy.karmada.io/v1alpha1", "PropagationPolicy", true, "pp", ""],
      ["policy.karmada.io/v1alpha1", "ClusterPropagationPolicy", false, "cpp", ""],
      ["policy.karmada.io/v1alpha1", "OverridePolicy", true, "op", ""],
      ["policy.karmada.io/v1alpha1", "ClusterOverridePolicy", false, "cop", ""],
      ["work.karmada.io/v1alpha2", "ResourceBinding", true, "rb", "status"],
      ["work.karmada.io/v1alpha2", "ClusterResourceBinding", false, "crb", "status"],
      ["work.karmada.io/v1alpha1", "Work", true, "", "status"],
    ]);
    expect(karmadaResources.filter((d) => d.group !== "cluster.karmada.io").map((d) => d.categories)).toEqual(
      Array(7).fill(["karmada-io"]),
    );
  });

  it("takes no short name or kind another built-in kind has", () => {
    const others = builtinResources.filter((d) => !d.group.endsWith(".karmada.io"));
    const taken = new Set(others.flatMap((d) => [...d.shortNames, d.resource]));
    for (const d of karmadaResources) for (const name of d.shortNames) expect(taken.has(name), name).toBe(false);
    expect(others.map((d) => d.kind)).not.toContain("Cluster");
  });

  it("counts spec changes in metadata.generation", () => {
    for (const d of karmadaResources) expect(tracksGeneration(d), d.kind).toBe(true);
  });
});

describe("Cluster", () => {
  it("defaults syncMode to Push, which needs an API endpoint", () => {
    const { obj, errors } = create(CLUSTERS, member({}));
    expect(obj.spec).toEqual({ syncMode: "Push" });
    expect(errors).toEqual(["spec.apiEndpoint: Required value: a Push cluster is reached at its API endpoint"]);
    expect(errorsOf(CLUSTERS, member({ apiEndpoint: ENDPOINT }))).toEqual([]);
    expect(errorsOf(CLUSTERS, member({ syncMode: "Pull" }))).toEqual([]);
  });

  it("rejects an empty or unknown syncMode", () => {
    expect(errorsOf(CLUSTERS, member({ syncMode: "", apiEndpoint: ENDPOINT }))).toEqual([
      "spec.syncMode: Required value",
    ]);
    expect(errorsOf(CLUSTERS, member({ syncMode: "Both" }))).toEqual([
      'spec.syncMode: Unsupported value: "Both": supported values: "Pull", "Push"',
    ]);
  });

  it("takes a DNS label of at most 48 characters as its name", () => {
    expect(errorsOf(CLUSTERS, member({ syncMode: "Pull" }, "a".repeat(48)))).toEqual([]);
    expect(errorsOf(CLUSTERS, member({ syncMode: "Pull" }, "a".repeat(49)))).toEqual([
      `metadata.name: Invalid value: "${"a".repeat(49)}": must be no more than 48 characters`,
    ]);
    expect(errorsOf(CLUSTERS, member({ syncMode: "Pull" }, "east.eu"))[0]).toMatch(
      /^metadata\.name: Invalid value: "east\.eu": a lowercase RFC 1123 label must consist of/,
    );
  });

  it("needs an http(s) URL with a host and nothing else as apiEndpoint", () => {
    const endpoint = (apiEndpoint: string) => errorsOf(CLUSTERS, member({ apiEndpoint }));
    expect(endpoint("http://10.0.0.1:6443")).toEqual([]);
    expect(endpoint("ftp://east.example")).toEqual([
      "spec.apiEndpoint: Invalid value: \"ftp\": 'http' and 'https' are the only allowed URL schemes",
    ]);
    expect(endpoint("10.0.0.1:6443")).toEqual([
      'spec.apiEndpoint: Invalid value: "10.0.0.1:6443": apiEndpoint must be a valid URL; desired format: hostname, hostname:port, IP or IP:port',
    ]);
    expect(endpoint("https://admin:pw@east.example:6443/?a=1#top")).toEqual([
      'spec.apiEndpoint: Invalid value: "admin": user information is not permitted in the URL',
      'spec.apiEndpoint: Invalid value: "top": fragments are not permitted in the URL',
      'spec.apiEndpoint: Invalid value: "a=1": query parameters are not permitted in the URL',
    ]);
  });

  it("checks secret references, proxy URL, location and taints", () => {
    const errors = errorsOf(
      CLUSTERS,
      member({
        apiEndpoint: ENDPOINT,
        secretRef: { namespace: "", name: "" },
        impersonatorSecretRef: { namespace: "karmada-cluster", name: "east-impersonator" },
        proxyURL: "ftp://proxy:21",
        region: "eu west",
        zone: "a",
        zones: ["a", "b"],
        taints: [
          { key: "dedicated", value: "gpu", effect: "NoSchedule" },
          { key: "bad", effect: "Sometimes" },
        ],
      }),
    );
    expect(errors).toEqual([
      "spec.secretRef.namespace: Required value",
      "spec.secretRef.name: Required value",
      'spec.proxyURL: Invalid value: "ftp://proxy:21": unsupported scheme "ftp", must be http, https, or socks5',
      expect.stringMatching(/^spec\.region: Invalid value: "eu west": a valid label must be/),
      'spec.zones: Invalid value: []string{"a", "b"}: zone and zones cannot co-exist',
      'spec.taints[1].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
    ]);
  });

  it("checks the conditions a /status write sets", () => {
    const status = (conditions: unknown[]) =>
      render(
        CLUSTERS.strategy.validateStatusUpdate?.(
          { metadata: { name: "east" }, spec: { syncMode: "Pull" }, status: { conditions } },
          { metadata: { name: "east" } },
        ) ?? [],
      );
    expect(status([{ type: "Ready", status: "True", reason: "ClusterReady" }])).toEqual([]);
    expect(
      status([
        { type: "Ready", status: "Maybe" },
        { type: "Ready", status: "False" },
      ]),
    ).toEqual([
      'status.conditions[0].status: Unsupported value: "Maybe": supported values: "True", "False", "Unknown"',
      'status.conditions[1].type: Duplicate value: "Ready"',
    ]);
  });

  it("prints NAME VERSION MODE READY AGE, and location columns with -o wide", () => {
    expect(CLUSTERS.table.columns.map((c) => [c.name, c.priority])).toEqual([
      ["Name", 0],
      ["Version", 0],
      ["Mode", 0],
      ["Ready", 0],
      ["Age", 0],
      ["Zones", 1],
      ["Region", 1],
      ["Provider", 1],
      ["API-Endpoint", 1],
      ["Proxy-URL", 1],
    ]);
    const ready: KubeObject = {
      metadata: { name: "east", creationTimestamp: CREATED },
      spec: { syncMode: "Push", apiEndpoint: ENDPOINT, region: "eu", zones: ["eu-1", "eu-2"] },
      status: { kubernetesVersion: "v1.33.0", conditions: [{ type: "Ready", status: "True" }] },
    };
    expect(CLUSTERS.table.cells(ready, NOW)).toEqual([
      "east",
      "v1.33.0",
      "Push",
      "True",
      "60m",
      "eu-1,eu-2",
      "eu",
      "<none>",
      ENDPOINT,
      "<none>",
    ]);
    const unprobed = { metadata: { name: "west", creationTimestamp: CREATED }, spec: { syncMode: "Pull" } };
    expect(CLUSTERS.table.cells(unprobed, NOW).slice(0, 4)).toEqual(["west", "", "Pull", "Unknown"]);
  });
});

describe("PropagationPolicy", () => {
  it("is defaulted as Karmada's CRD and webhook default it", () => {
    const { obj, errors } = create(
      PP,
      {
        spec: {
          resourceSelectors: [{ apiVersion: "apps/v1", kind: "Deployment" }],
          placement: {
            spreadConstraints: [{ maxGroups: 2 }, { spreadByField: "region", minGroups: 2 }],
            replicaScheduling: {},
          },
        },
      },
      "shop",
    );
    expect(errors).toEqual([]);
    expect(obj.spec).toEqual({
      resourceSelectors: [{ apiVersion: "apps/v1", kind: "Deployment", namespace: "shop" }],
      priority: 0,
      preemption: "Never",
      conflictResolution: "Abort",
      schedulerName: "default-scheduler",
      placement: {
        spreadConstraints: [
          { spreadByField: "cluster", maxGroups: 2, minGroups: 1 },
          { spreadByField: "region", minGroups: 2 },
        ],
        replicaScheduling: { replicaSchedulingType: "Divided", replicaDivisionPreference: "Weighted" },
      },
    });
  });

  it("keeps what the client set", () => {
    const spec = deployments({ conflictResolution: "Overwrite", priority: 5, preemption: "Always" });
    const { obj } = create(PP, { spec: structuredClone(spec) });
    expect(obj.spec).toMatchObject({ conflictResolution: "Overwrite", priority: 5, preemption: "Always" });
    const duplicated = { replicaScheduling: { replicaSchedulingType: "Duplicated" } };
    expect(create(PP, { spec: deployments({ placement: duplicated }) }).obj.spec).toMatchObject({
      placement: duplicated,
    });
  });

  it("needs at least one selector, each with apiVersion and kind", () => {
    expect(errorsOf(PP, {})).toEqual(["spec: Required value"]);
    expect(errorsOf(PP, { spec: {} })).toEqual(["spec.resourceSelectors: Required value"]);
    expect(errorsOf(PP, { spec: { resourceSelectors: [] } })).toEqual([
      "spec.resourceSelectors: Invalid value: 0: spec.resourceSelectors in body should have at least 1 items",
    ]);
    expect(errorsOf(PP, { spec: { resourceSelectors: [{ name: "web" }] } })).toEqual([
      "spec.resourceSelectors[0].apiVersion: Required value",
      "spec.resourceSelectors[0].kind: Required value",
    ]);
  });

  it("selects only in its own namespace; a ClusterPropagationPolicy anywhere", () => {
    const elsewhere = { resourceSelectors: [{ apiVersion: "v1", kind: "ConfigMap", namespace: "other" }] };
    expect(errorsOf(PP, { spec: elsewhere }, "shop")).toEqual([
      'spec.resourceSelectors[0].namespace: Invalid value: "other": namespace of resource selector must be the same as the namespace of the policy',
    ]);
    const { obj, errors } = create(CPP, { spec: deployments() });
    expect(errors).toEqual([]);
    expect((obj.spec as { resourceSelectors: unknown[] }).resourceSelectors[0]).not.toHaveProperty("namespace");
    expect(errorsOf(CPP, { spec: elsewhere })).toEqual([]);
  });

  it("takes only Karmada's enum values", () => {
    const errors = errorsOf(PP, {
      spec: deployments({
        conflictResolution: "Ignore",
        preemption: "Sometimes",
        placement: {
          replicaScheduling: { replicaSchedulingType: "Split", replicaDivisionPreference: "Even" },
          spreadConstraints: [{ spreadByField: "planet" }, { spreadByField: "cluster" }],
        },
      }),
    });
    expect(errors).toEqual([
      'spec.conflictResolution: Unsupported value: "Ignore": supported values: "Abort", "Overwrite"',
      'spec.preemption: Unsupported value: "Sometimes": supported values: "Always", "Never"',
      'spec.placement.spreadConstraints[0].spreadByField: Unsupported value: "planet": supported values: "cluster", "region", "zone", "provider"',
      'spec.placement.replicaScheduling.replicaSchedulingType: Unsupported value: "Split": supported values: "Duplicated", "Divided"',
      'spec.placement.replicaScheduling.replicaDivisionPreference: Unsupported value: "Even": supported values: "Aggregated", "Weighted"',
    ]);
  });

  it("checks spread constraints as Karmada does", () => {
    const spread = (spreadConstraints: unknown[]) =>
      errorsOf(PP, { spec: deployments({ placement: { spreadConstraints } }) });
    expect(
      spread([
        { spreadByField: "region", maxGroups: 2 },
        { spreadByField: "cluster", maxGroups: 3 },
      ]),
    ).toEqual([]);
    expect(spread([{ spreadByLabel: "topology.example.com/rack" }])).toEqual([]);
    expect(spread([{ spreadByField: "region" }])).toEqual([
      'spec.placement.spreadConstraints: Invalid value: [{"spreadByField":"region","minGroups":1}]: the cluster spread constraint must be enabled in one of the constraints in case of SpreadByField is enabled',
    ]);
    expect(spread([{ spreadByField: "cluster", spreadByLabel: "rack", maxGroups: 1, minGroups: 2 }])).toEqual([
      'spec.placement.spreadConstraints[0]: Invalid value: {"spreadByField":"cluster","spreadByLabel":"rack","maxGroups":1,"minGroups":2}: spreadByLabel should not co-exist with spreadByField',
      'spec.placement.spreadConstraints[0]: Invalid value: {"spreadByField":"cluster","spreadByLabel":"rack","maxGroups":1,"minGroups":2}: maxGroups lower than minGroups is not allowed',
    ]);
    const twice = spread([{ spreadByField: "cluster" }, { spreadByField: "cluster" }, { spreadByField: "cluster" }]);
    expect(twice).toHaveLength(1);
    expect(twice[0]).toMatch(
      /^spec\.placement\.spreadConstraints: .*: multiple cluster spread constraints are not allowed$/,
    );
  });

  it("checks static weights, affinities and tolerations", () => {
    const errors = errorsOf(PP, {
      spec: deployments({
        placement: {
          clusterAffinity: {
            fieldSelector: { matchExpressions: [{ key: "country", operator: "In", values: ["de"] }] },
          },
          clusterAffinities: [{ affinityName: "primary", clusterNames: ["east"] }, { affinityName: "primary" }],
          clusterTolerations: [{ key: "cluster.karmada.io/not-ready", operator: "Lt", effect: "NoExecute" }],
          replicaScheduling: {
            replicaDivisionPreference: "Weighted",
            weightPreference: {
              staticWeightList: [
                { targetCluster: { clusterNames: ["east"] }, weight: 2 },
                { targetCluster: { clusterNames: ["west"] }, weight: 0 },
                { weight: 1 },
              ],
            },
          },
        },
      }),
    });
    expect(errors).toEqual([
      expect.stringMatching(
        /^spec\.placement: Invalid value: .*: clusterAffinities cannot co-exist with clusterAffinity$/,
      ),
      'spec.placement.clusterAffinity.fieldSelector: Invalid value: {"matchExpressions":[{"key":"country","operator":"In","values":["de"]}]}: unsupported key "country", must be provider, region, or zone',
      expect.stringMatching(
        /^spec\.placement\.clusterAffinities: .*: each affinity term in a policy must have a unique name$/,
      ),
      'spec.placement.clusterTolerations[0].operator: Unsupported value: "Lt": supported values: "", "Exists", "Equal"',
      "spec.placement.replicaScheduling.weightPreference.staticWeightList[1].weight: Invalid value: 0: spec.placement.replicaScheduling.weightPreference.staticWeightList[1].weight in body should be greater than or equal to 1",
      "spec.placement.replicaScheduling.weightPreference.staticWeightList[2].targetCluster: Required value",
    ]);
  });

  it("asks for propagateDeps with application failover, and named selectors with preemption", () => {
    const errors = errorsOf(PP, {
      spec: {
        resourceSelectors: [{ apiVersion: "apps/v1", kind: "Deployment" }],
        preemption: "Always",
        failover: { application: { decisionConditions: { tolerationSeconds: -1 } } },
      },
    });
    expect(errors).toEqual([
      'spec.resourceSelectors[0].name: Invalid value: "": name cannot be empty if preemption is Always, the empty name may cause unexpected resources preemption',
      "spec.propagateDeps: Invalid value: false: application failover is set, propagateDeps must be true",
      "spec.failover.application.decisionConditions.tolerationSeconds: Invalid value: -1: must be greater than or equal to 0",
    ]);
  });

  it("keeps its scheduler", () => {
    for (const resource of [PP, CPP]) {
      const { obj: old } = create(resource, { spec: deployments() });
      const moved = structuredClone(old);
      (moved.spec as { schedulerName: string }).schedulerName = "other-scheduler";
      expect(render(resource.strategy.validateUpdate?.(moved, old) ?? [])).toEqual([
        'spec.schedulerName: Invalid value: "other-scheduler": field is immutable',
      ]);
      const omitted = structuredClone(old);
      delete (omitted.spec as { schedulerName?: string }).schedulerName;
      resource.strategy.prepareForUpdate?.(omitted, old);
      expect(render(resource.strategy.validateUpdate?.(omitted, old) ?? [])).toEqual([]);
    }
  });

  it("prints NAME CONFLICT-RESOLUTION PRIORITY AGE (both scopes)", () => {
    for (const resource of [PP, CPP]) {
      expect(resource.table.columns.map((c) => c.name)).toEqual(["Name", "Conflict-Resolution", "Priority", "Age"]);
      const { obj } = create(resource, { spec: deployments() });
      obj.metadata.creationTimestamp = CREATED;
      expect(resource.table.cells(obj, NOW)).toEqual(["x", "Abort", 0, "60m"]);
    }
  });
});

describe("OverridePolicy", () => {
  const rule = (overriders: Record<string, unknown>, targetCluster?: Record<string, unknown>) => ({
    resourceSelectors: [{ apiVersion: "apps/v1", kind: "Deployment", name: "web" }],
    overrideRules: [{ ...(targetCluster ? { targetCluster } : {}), overriders }],
  });

  it("accepts Karmada's overriders and defaults selector namespaces", () => {
    const { obj, errors } = create(
      OP,
      {
        spec: rule(
          {
            plaintext: [{ path: "/spec/replicas", operator: "replace", value: 2 }],
            imageOverrider: [{ component: "Registry", operator: "replace", value: "registry.eu.example" }],
            commandOverrider: [{ containerName: "web", operator: "add", value: ["--region=eu"] }],
            labelsOverrider: [{ operator: "add", value: { region: "eu" } }],
            annotationsOverrider: [{ operator: "remove", value: { "example.com/debug": "" } }],
          },
          { clusterNames: ["east"] },
        ),
      },
      "shop",
    );
    expect(errors).toEqual([]);
    expect((obj.spec as { resourceSelectors: unknown[] }).resourceSelectors[0]).toMatchObject({ namespace: "shop" });
  });

  it("rejects bad operators, paths and image components", () => {
    const errors = errorsOf(
      OP,
      {
        spec: rule(
          {
            plaintext: [
              { path: "spec/replicas", operator: "replace", value: 2 },
              { path: "/spec/paused", operator: "toggle" },
              { operator: "remove" },
            ],
            imageOverrider: [{ component: "Digest", operator: "replace", predicate: { path: "spec" } }],
            argsOverrider: [{ operator: "replace", value: ["x"] }],
            labelsOverrider: [{ operator: "add", value: { "bad key!": "x" } }],
          },
          { fieldSelector: { matchExpressions: [{ key: "zone", operator: "Exists" }] } },
        ),
      },
      "shop",
    );
    const o = "spec.overrideRules[0].overriders";
    expect(errors).toEqual([
      'spec.overrideRules[0].targetCluster.fieldSelector: Invalid value: {"matchExpressions":[{"key":"zone","operator":"Exists"}]}: unsupported operator "Exists", must be In or NotIn',
      `${o}.plaintext[0].path: Invalid value: "spec/replicas": JSON pointer must be empty or start with a "/"`,
      `${o}.plaintext[1].operator: Unsupported value: "toggle": supported values: "add", "remove", "replace"`,
      `${o}.plaintext[2].path: Required value`,
      `${o}.imageOverrider[0].component: Unsupported value: "Digest": supported values: "Registry", "Repository", "Tag"`,
      `${o}.imageOverrider[0].predicate.path: Invalid value: "spec": JSON pointer must be empty or start with a "/"`,
      `${o}.argsOverrider[0].containerName: Required value`,
      `${o}.argsOverrider[0].operator: Unsupported value: "replace": supported values: "add", "remove"`,
      expect.stringContaining(`${o}.labelsOverrider[0].value: Invalid value: "bad key!"`),
    ]);
  });

  it("refuses a rule without overriders and the deprecated fields beside overrideRules", () => {
    const errors = errorsOf(COP, {
      spec: {
        targetCluster: { clusterNames: ["east"] },
        overriders: { plaintext: [{ path: "/x", operator: "remove" }] },
        overrideRules: [{ targetCluster: { clusterNames: ["west"] } }],
      },
    });
    expect(errors).toEqual([
      'spec.targetCluster: Invalid value: {"clusterNames":["east"]}: overrideRules and targetCluster can\'t co-exist',
      'spec.overriders: Invalid value: {"plaintext":[{"path":"/x","operator":"remove"}]}: overrideRules and overriders can\'t co-exist',
      "spec.overrideRules[0].overriders: Required value",
    ]);
  });

  it("selects in its own namespace only", () => {
    const spec = { resourceSelectors: [{ apiVersion: "v1", kind: "Secret", namespace: "kube-system" }] };
    expect(errorsOf(OP, { spec }, "shop")).toEqual([
      'spec.resourceSelectors[0].namespace: Invalid value: "kube-system": namespace of resource selector must be the same as the namespace of the policy',
    ]);
    expect(errorsOf(COP, { spec })).toEqual([]);
  });

  it("prints NAME and AGE", () => {
    for (const resource of [OP, COP]) expect(resource.table.columns.map((c) => c.name)).toEqual(["Name", "Age"]);
  });
});

describe("ResourceBinding", () => {
  const binding = (extra: Record<string, unknown> = {}) => ({
    spec: { resource: { apiVersion: "apps/v1", kind: "Deployment", namespace: "shop", name: "web" }, ...extra },
  });

  it("defaults conflictResolution and needs the resource it binds", () => {
    const { obj, errors } = create(RB, binding({ replicas: 3, clusters: [{ name: "east", replicas: 3 }] }), "shop");
    expect(errors).toEqual([]);
    expect(obj.spec).toMatchObject({ conflictResolution: "Abort" });
    expect(errorsOf(CRB, { spec: { resource: { kind: "ClusterRole" }, clusters: [{ replicas: -1 }] } })).toEqual([
      "spec.resource.apiVersion: Required value",
      "spec.resource.name: Required value",
      "spec.clusters[0].name: Required value",
      "spec.clusters[0].replicas: Invalid value: -1: must be greater than or equal to 0",
    ]);
  });

  it("checks what a /status write reports", () => {
    const status = (value: Record<string, unknown>) =>
      render(
        RB.strategy.validateStatusUpdate?.(
          { ...binding(), metadata: { name: "web" }, status: value },
          { metadata: { name: "web" } },
        ) ?? [],
      );
    expect(
      status({
        conditions: [{ type: "Scheduled", status: "True" }],
        aggregatedStatus: [{ clusterName: "east", applied: true, health: "Healthy", status: { replicas: 3 } }],
      }),
    ).toEqual([]);
    expect(status({ aggregatedStatus: [{ health: "Fine" }] })).toEqual([
      "status.aggregatedStatus[0].clusterName: Required value",
      'status.aggregatedStatus[0].health: Unsupported value: "Fine": supported values: "Healthy", "Unhealthy", "Unknown"',
    ]);
  });

  it("prints NAME SCHEDULED FULLYAPPLIED AGE, <none> for conditions not set yet", () => {
    for (const resource of [RB, CRB]) {
      expect(resource.table.columns.map((c) => c.name)).toEqual(["Name", "Scheduled", "FullyApplied", "Age"]);
    }
    const scheduled: KubeObject = {
      metadata: { name: "web-deployment", creationTimestamp: CREATED },
      ...binding(),
      status: { conditions: [{ type: "Scheduled", status: "True" }] },
    };
    expect(RB.table.cells(scheduled, NOW)).toEqual(["web-deployment", "True", null, "60m"]);
  });
});

describe("OpenAPI schemas", () => {
  it("describes every kind (none falls back to the generic schema)", () => {
    for (const d of karmadaResources) expect(schemaLibrary().has(kindSchemaName(d)), d.kind).toBe(true);
    expect(kindSchemaName(PP)).toBe("io.karmada.policy.v1alpha1.PropagationPolicy");
    const placement = schemaLibrary().get("io.karmada.policy.v1alpha1.Placement");
    expect(Object.keys(placement?.properties ?? {})).toEqual([
      "clusterAffinities",
      "clusterAffinity",
      "clusterTolerations",
      "replicaScheduling",
      "spreadConstraints",
      "workloadAffinity",
    ]);
  });

  it("are in the v2 document too (kubectl before 1.27 explains from it), JSON and protobuf", () => {
    const definitions = Object.keys(openApiV2(builtinResources).definitions);
    expect(definitions).toEqual(
      expect.arrayContaining([
        "io.karmada.cluster.v1alpha1.Cluster",
        "io.karmada.policy.v1alpha1.OverrideSpec",
        "io.karmada.work.v1alpha2.ResourceBindingStatus",
      ]),
    );
    expect(openApiV2Protobuf(builtinResources).length).toBeGreaterThan(0);
  });

  it("reports typos in user-written specs and keeps what controllers add to statuses", () => {
    const policy = {
      apiVersion: "policy.karmada.io/v1alpha1",
      kind: "PropagationPolicy",
      metadata: { name: "p" },
      spec: { ...deployments(), placement: { clusterAffinty: { clusterNames: ["east"] } } },
    };
    expect(unknownFields(builtinResources, PP, policy)).toEqual(["spec.placement.clusterAffinty"]);
    const binding = {
      metadata: { name: "b" },
      spec: { resource: { apiVersion: "v1", kind: "ConfigMap", name: "c" }, components: [] },
      status: { aggregatedStatus: [{ clusterName: "east", status: { anything: 1 } }], newField: true },
    };
    expect(unknownFields(builtinResources, RB, binding)).toEqual([]);
  });
});
