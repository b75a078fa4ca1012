// Karmada's federation kinds through the API: member Clusters (cluster-scoped, with /status),
// propagation and override policies, and ResourceBindings are stored, defaulted, validated (422 with
// Karmada's field paths), printed, and listed in discovery and OpenAPI like the other built-in kinds.
import { beforeAll, describe, expect, it } from "vitest";
import type { MemberCluster, PropagationPolicy, ResourceBinding } from "../../api/federation/types.ts";
import type { KubeObject } from "../../api/types.ts";
import { createCluster, expectStatus, uniqueName, type Client, type Status } from "./helpers.ts";

const CLUSTERS = "/apis/cluster.karmada.io/v1alpha1/clusters";
const POLICY_GV = "/apis/policy.karmada.io/v1alpha1";
const PP = `${POLICY_GV}/namespaces/default/propagationpolicies`;
const CPP = `${POLICY_GV}/clusterpropagationpolicies`;
const OP = `${POLICY_GV}/namespaces/default/overridepolicies`;
const COP = `${POLICY_GV}/clusteroverridepolicies`;
const RB = "/apis/work.karmada.io/v1alpha2/namespaces/default/resourcebindings";
const CRB = "/apis/work.karmada.io/v1alpha2/clusterresourcebindings";
const TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io";

interface Table {
  kind: string;
  columnDefinitions: { name: string; priority: number }[];
  rows: { cells: unknown[]; object: KubeObject }[];
}

const memberCluster = (name: string, spec: Record<string, unknown>) => ({
  apiVersion: "cluster.karmada.io/v1alpha1",
  kind: "Cluster",
  metadata: { name },
  spec,
});

const propagationPolicy = (name: string, spec: Record<string, unknown>, kind = "PropagationPolicy") => ({
  apiVersion: "policy.karmada.io/v1alpha1",
  kind,
  metadata: { name },
  spec,
});

const nginxSelectors = [{ apiVersion: "apps/v1", kind: "Deployment", name: "nginx" }];

let c: Client;
beforeAll(async () => {
  c = await createCluster("karmada");
});

describe("Cluster", () => {
  it("is created defaulted and without a client's status, updated, and given status through /status", async () => {
    const name = uniqueName("east");
    const created = await c.mustCreate<MemberCluster>(CLUSTERS, {
      ...memberCluster(name, { apiEndpoint: "https://127.0.0.1:8787/clusters/east", region: "eu" }),
      status: { kubernetesVersion: "v0.0.0" },
    });
    expect(created.metadata.namespace).toBeUndefined();
    expect(created.metadata.generation).toBe(1);
    expect(created.spec?.syncMode).toBe("Push");
    expect(created.status).toBeUndefined();

    const moved = await c.mustUpdate<MemberCluster>(`${CLUSTERS}/${name}`, {
      ...created,
      spec: { ...created.spec, region: "us" },
    });
    expect(moved.metadata.generation).toBe(2);

    const withStatus = {
      ...moved,
      spec: { ...moved.spec, region: "ignored" },
      status: {
        kubernetesVersion: "v1.33.1",
        conditions: [
          {
            type: "Ready",
            status: "True",
            reason: "ClusterReady",
            message: "cluster is healthy and ready to accept workloads",
            lastTransitionTime: "2026-11-25T12:00:00Z",
          },
        ],
      },
    };
    const reported = await c.mustUpdate<MemberCluster>(`${CLUSTERS}/${name}/status`, withStatus);
    expect(reported.status?.kubernetesVersion).toBe("v1.33.1");
    expect(reported.spec?.region).toBe("us");
    expect(reported.metadata.generation).toBe(2);

    const table = expectStatus(await c.json<Table>(CLUSTERS, { accept: TABLE }), 200, "LIST as Table");
    expect(table.columnDefinitions.filter((col) => col.priority === 0).map((col) => col.name)).toEqual([
      "Name",
      "Version",
      "Mode",
      "Ready",
      "Age",
    ]);
    const row = table.rows.find((r) => r.object.metadata.name === name);
    expect(row?.cells.slice(0, 4)).toEqual([name, "v1.33.1", "Push", "True"]);

    await c.mustDelete(`${CLUSTERS}/${name}`);
    expect(expectStatus(await c.get(`${CLUSTERS}/${name}`), 404, "GET after delete")).toMatchObject({
      reason: "NotFound",
      details: { name, group: "cluster.karmada.io", kind: "clusters" },
    });
  });

  it("answers 422 Invalid with Karmada's field paths, and stores nothing", async () => {
    const name = `${uniqueName("x")}-${"a".repeat(40)}`;
    const result = expectStatus(
      await c.create(CLUSTERS, memberCluster(name, { syncMode: "Push", secretRef: { namespace: "karmada-cluster" } })),
      422,
      "POST a bad cluster",
    ) as Status;
    expect(result).toMatchObject({
      reason: "Invalid",
      details: { name, group: "cluster.karmada.io", kind: "Cluster" },
    });
    expect(result.details?.causes).toEqual([
      {
        reason: "FieldValueInvalid",
        field: "metadata.name",
        message: `Invalid value: "${name}": must be no more than 48 characters`,
      },
      {
        reason: "FieldValueRequired",
        field: "spec.apiEndpoint",
        message: "Required value: a Push cluster is reached at its API endpoint",
      },
      { reason: "FieldValueRequired", field: "spec.secretRef.name", message: "Required value" },
    ]);
    expectStatus(await c.get(`${CLUSTERS}/${name}`), 404, "GET the refused cluster");
  });
});

describe("PropagationPolicy and ClusterPropagationPolicy", () => {
  it("are defaulted as Karmada does, listed, and count spec changes in generation", async () => {
    const name = uniqueName("nginx");
    const created = await c.mustCreate<PropagationPolicy>(
      PP,
      propagationPolicy(name, {
        resourceSelectors: nginxSelectors,
        placement: { clusterAffinity: { clusterNames: ["east", "west"] }, replicaScheduling: {} },
      }),
    );
    expect(created.metadata.generation).toBe(1);
    expect(created.spec).toMatchObject({
      resourceSelectors: [{ apiVersion: "apps/v1", kind: "Deployment", name: "nginx", namespace: "default" }],
      conflictResolution: "Abort",
      priority: 0,
      placement: { replicaScheduling: { replicaSchedulingType: "Divided", replicaDivisionPreference: "Weighted" } },
    });

    const merged = expectStatus(
      await c.patch<PropagationPolicy>(`${PP}/${name}`, "merge", { spec: { priority: 10 } }),
      200,
      "merge-patch priority",
    ) as PropagationPolicy;
    expect(merged.spec.priority).toBe(10);
    expect(merged.metadata.generation).toBe(2);

    const list = await c.mustList<PropagationPolicy>(PP);
    expect(list.items.map((item) => item.metadata.name)).toContain(name);
    const table = expectStatus(await c.json<Table>(`${PP}/${name}`, { accept: TABLE }), 200, "GET as Table");
    expect(table.columnDefinitions.map((col) => col.name)).toEqual(["Name", "Conflict-Resolution", "Priority", "Age"]);
    expect(table.rows[0]?.cells.slice(0, 3)).toEqual([name, "Abort", 10]);
  });

  it("answer 422 for selectors and placements Karmada refuses", async () => {
    const empty = expectStatus(
      await c.create(PP, propagationPolicy(uniqueName("none"), { resourceSelectors: [] })),
      422,
      "POST without selectors",
    ) as Status;
    expect(empty.details?.causes).toEqual([
      {
        reason: "FieldValueInvalid",
        field: "spec.resourceSelectors",
        message: "Invalid value: 0: spec.resourceSelectors in body should have at least 1 items",
      },
    ]);

    const name = uniqueName("bad");
    const bad = expectStatus(
      await c.create(
        PP,
        propagationPolicy(name, {
          resourceSelectors: [{ apiVersion: "v1", kind: "ConfigMap", namespace: "kube-system" }],
          conflictResolution: "Ignore",
          placement: { spreadConstraints: [{ spreadByField: "region", maxGroups: 2 }] },
        }),
      ),
      422,
      "POST a bad policy",
    ) as Status;
    expect(bad.message).toBe(
      `PropagationPolicy.policy.karmada.io "${name}" is invalid: [` +
        'spec.resourceSelectors[0].namespace: Invalid value: "kube-system": namespace of resource selector must be the same as the namespace of the policy, ' +
        'spec.conflictResolution: Unsupported value: "Ignore": supported values: "Abort", "Overwrite", ' +
        'spec.placement.spreadConstraints: Invalid value: [{"spreadByField":"region","maxGroups":2,"minGroups":1}]: the cluster spread constraint must be enabled in one of the constraints in case of SpreadByField is enabled]',
    );
  });

  it("ClusterPropagationPolicy is cluster-scoped and selects in any namespace", async () => {
    const name = uniqueName("everywhere");
    const created = await c.mustCreate<PropagationPolicy>(
      CPP,
      propagationPolicy(
        name,
        { resourceSelectors: [{ apiVersion: "v1", kind: "Namespace", name: "shop" }] },
        "ClusterPropagationPolicy",
      ),
    );
    expect(created.metadata.namespace).toBeUndefined();
    expect(created.spec.resourceSelectors[0]?.namespace).toBeUndefined();
    expect((await c.mustList(CPP)).items.map((item) => item.metadata.name)).toContain(name);
  });

  it("can be created by server-side apply", async () => {
    const name = uniqueName("applied");
    const applied = expectStatus(
      await c.json<PropagationPolicy>(`${PP}/${name}?fieldManager=test`, {
        method: "PATCH",
        body: propagationPolicy(name, { resourceSelectors: nginxSelectors, conflictResolution: "Overwrite" }),
        contentType: "application/apply-patch+yaml",
      }),
      201,
      "apply a policy",
    );
    expect(applied.spec.conflictResolution).toBe("Overwrite");
    expect(applied.metadata.managedFields).toMatchObject([{ manager: "test", operation: "Apply" }]);
  });
});

describe("OverridePolicy and ClusterOverridePolicy", () => {
  const overridePolicy = (name: string, overriders: Record<string, unknown>, kind = "OverridePolicy") => ({
    apiVersion: "policy.karmada.io/v1alpha1",
    kind,
    metadata: { name },
    spec: {
      resourceSelectors: nginxSelectors,
      overrideRules: [{ targetCluster: { clusterNames: ["east"] }, overriders }],
    },
  });

  it("store Karmada's overriders and refuse bad ones", async () => {
    const name = uniqueName("east-image");
    const overriders = {
      imageOverrider: [{ component: "Registry", operator: "replace", value: "registry.east.example" }],
      plaintext: [{ path: "/spec/replicas", operator: "replace", value: 1 }],
    };
    const created = await c.mustCreate<KubeObject>(OP, overridePolicy(name, overriders));
    expect(created.spec).toMatchObject({ overrideRules: [{ overriders }] });
    const table = expectStatus(await c.json<Table>(OP, { accept: TABLE }), 200, "LIST as Table");
    expect(table.columnDefinitions.map((col) => col.name)).toEqual(["Name", "Age"]);

    const bad = expectStatus(
      await c.create(
        COP,
        overridePolicy(
          uniqueName("bad"),
          { plaintext: [{ path: "spec", operator: "patch" }] },
          "ClusterOverridePolicy",
        ),
      ),
      422,
      "POST a bad override",
    ) as Status;
    expect(bad.details?.causes?.map((cause) => cause.field)).toEqual([
      "spec.overrideRules[0].overriders.plaintext[0].path",
      "spec.overrideRules[0].overriders.plaintext[0].operator",
    ]);
  });
});

describe("ResourceBinding and ClusterResourceBinding", () => {
  const binding = (name: string, kind = "ResourceBinding") => ({
    apiVersion: "work.karmada.io/v1alpha2",
    kind,
    metadata: { name },
    spec: {
      resource: { apiVersion: "apps/v1", kind: "Deployment", namespace: "default", name: "nginx" },
      replicas: 2,
      clusters: [
        { name: "east", replicas: 1 },
        { name: "west", replicas: 1 },
      ],
    },
  });

  it("keep spec and status apart, and print their conditions", async () => {
    const name = uniqueName("nginx-deployment");
    const created = await c.mustCreate<ResourceBinding>(RB, { ...binding(name), status: { conditions: [] } });
    expect(created.status).toBeUndefined();
    expect(created.spec.conflictResolution).toBe("Abort");

    const scheduled = await c.mustUpdate<ResourceBinding>(`${RB}/${name}/status`, {
      ...created,
      status: {
        schedulerObservedGeneration: 1,
        conditions: [
          {
            type: "Scheduled",
            status: "True",
            reason: "Success",
            message: "",
            lastTransitionTime: "2026-11-25T12:00:00Z",
          },
        ],
        aggregatedStatus: [{ clusterName: "east", applied: true, health: "Healthy", status: { readyReplicas: 1 } }],
      },
    });
    expect(scheduled.status?.aggregatedStatus?.[0]?.status).toEqual({ readyReplicas: 1 });
    expect(scheduled.metadata.generation).toBe(1);

    const table = expectStatus(await c.json<Table>(`${RB}/${name}`, { accept: TABLE }), 200, "GET as Table");
    expect(table.columnDefinitions.map((col) => col.name)).toEqual(["Name", "Scheduled", "FullyApplied", "Age"]);
    expect(table.rows[0]?.cells.slice(0, 3)).toEqual([name, "True", null]);

    const badStatus = expectStatus(
      await c.update(`${RB}/${name}/status`, {
        ...scheduled,
        status: { conditions: [{ type: "Scheduled", status: "Yes" }] },
      }),
      422,
      "PUT a bad status",
    ) as Status;
    expect(badStatus.details?.causes?.[0]?.field).toBe("status.conditions[0].status");

    const clusterWide = uniqueName("crb");
    const crb = await c.mustCreate<ResourceBinding>(CRB, binding(clusterWide, "ClusterResourceBinding"));
    expect(crb.metadata.namespace).toBeUndefined();
  });
});

describe("discovery and OpenAPI", () => {
  it("list the three Karmada groups and their resources", async () => {
    const groups = await c.mustGet<{ groups: { name: string; preferredVersion: { groupVersion: string } }[] }>("/apis");
    const served = Object.fromEntries(groups.groups.map((g) => [g.name, g.preferredVersion.groupVersion]));
    expect(served).toMatchObject({
      "cluster.karmada.io": "cluster.karmada.io/v1alpha1",
      "policy.karmada.io": "policy.karmada.io/v1alpha1",
      "work.karmada.io": "work.karmada.io/v1alpha2",
    });

    type ResourceList = {
      resources: { name: string; namespaced: boolean; kind: string; shortNames?: string[]; categories?: string[] }[];
    };
    const policies = await c.mustGet<ResourceList>(POLICY_GV);
    // Discovery lists resources by name.
    expect(policies.resources.map((r) => [r.name, r.namespaced, r.kind, r.shortNames, r.categories])).toEqual([
      ["clusteroverridepolicies", false, "ClusterOverridePolicy", ["cop"], ["karmada-io"]],
      ["clusterpropagationpolicies", false, "ClusterPropagationPolicy", ["cpp"], ["karmada-io"]],
      ["overridepolicies", true, "OverridePolicy", ["op"], ["karmada-io"]],
      ["propagationpolicies", true, "PropagationPolicy", ["pp"], ["karmada-io"]],
    ]);
    const work = await c.mustGet<ResourceList>("/apis/work.karmada.io/v1alpha2");
    expect(work.resources.map((r) => r.name)).toEqual([
      "clusterresourcebindings",
      "clusterresourcebindings/status",
      "resourcebindings",
      "resourcebindings/status",
    ]);
    const clusters = await c.mustGet<ResourceList>("/apis/cluster.karmada.io/v1alpha1");
    expect(clusters.resources.map((r) => [r.name, r.namespaced])).toEqual([
      ["clusters", false],
      ["clusters/status", false],
    ]);
  });

  it("publish a described schema per group-version", async () => {
    const root = await c.mustGet<{ paths: Record<string, { serverRelativeURL: string }> }>("/openapi/v3");
    const entry = root.paths["apis/policy.karmada.io/v1alpha1"];
    expect(entry?.serverRelativeURL).toMatch(/^\/openapi\/v3\/apis\/policy\.karmada\.io\/v1alpha1\?hash=/);
    const document = await c.mustGet<{
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    }>(entry!.serverRelativeURL);
    const placement = document.components.schemas["io.karmada.policy.v1alpha1.Placement"];
    expect(Object.keys(placement?.properties ?? {})).toContain("replicaScheduling");
    expect(document.components.schemas["io.karmada.policy.v1alpha1.PropagationPolicy"]).toMatchObject({
      "x-kubernetes-group-version-kind": [
        { group: "policy.karmada.io", version: "v1alpha1", kind: "PropagationPolicy" },
      ],
    });
  });
});
