// Federation, end to end inside workerd: a Federation cluster registers two member clusters of
// the same deployment (Karmada `Cluster` + token Secret), and PropagationPolicies place templates
// on them: duplicated or divided, overridden per member, removed with the template, and moved off
// a member that stops answering.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../api/types.ts";
import { clusterStore } from "../../durable-objects/env.ts";
import { expectStatus, uniqueName, type ListOf } from "./helpers.ts";
import { CLUSTERS, federationWithTwoMembers, join, logicalCluster, OP, PP, RB } from "./federation-fixtures.ts";
import { eventually } from "./scheduler-fixtures.ts";

const DEPLOYMENTS = (ns: string) => `/apis/apps/v1/namespaces/${ns}/deployments`;
const CONFIGMAPS = (ns: string) => `/api/v1/namespaces/${ns}/configmaps`;

const deployment = (name: string, replicas: number) => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name, labels: { app: name } },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "web", image: "nginx:1.25" }] } },
  },
});

type Deployment = KubeObject & {
  spec: { replicas: number; template: { spec: { containers: { image: string }[] } } };
  status?: { replicas?: number };
};

const setUp = () => federationWithTwoMembers();

describe("federation", { timeout: 60_000 }, () => {
  it("probes members: Ready, with their version; a federation runs no pods of its own", async () => {
    const { fed, east } = await setUp();
    const member = await fed.mustGet<KubeObject & { status: { kubernetesVersion?: string } }>(
      `${CLUSTERS}/${east.cluster}`,
    );
    expect(member.status.kubernetesVersion).toMatch(/^v1\./);

    // Without a policy the template stays in the federation, and no ReplicaSet is made for it.
    await fed.mustCreate(DEPLOYMENTS("default"), deployment("idle", 2));
    const replicaSets = await fed.mustList("/apis/apps/v1/namespaces/default/replicasets");
    expect(replicaSets.items).toEqual([]);
    expect((await east.get(`${DEPLOYMENTS("default")}/idle`)).status).toBe(404);
  });

  it("divides replicas by static weight, overrides per member, aggregates status, and cleans up", async () => {
    const { fed, east, west } = await setUp();
    await fed.mustCreate(PP("default"), {
      apiVersion: "policy.karmada.io/v1alpha1",
      kind: "PropagationPolicy",
      metadata: { name: "web" },
      spec: {
        resourceSelectors: [{ apiVersion: "apps/v1", kind: "Deployment", name: "web" }],
        placement: {
          clusterAffinity: { clusterNames: [east.cluster, west.cluster] },
          replicaScheduling: {
            replicaSchedulingType: "Divided",
            replicaDivisionPreference: "Weighted",
            weightPreference: {
              staticWeightList: [
                { targetCluster: { clusterNames: [east.cluster] }, weight: 1 },
                { targetCluster: { clusterNames: [west.cluster] }, weight: 2 },
              ],
            },
          },
        },
      },
    });
    await fed.mustCreate(OP("default"), {
      apiVersion: "policy.karmada.io/v1alpha1",
      kind: "OverridePolicy",
      metadata: { name: "west-image" },
      spec: {
        resourceSelectors: [{ apiVersion: "apps/v1", kind: "Deployment", name: "web" }],
        overrideRules: [
          {
            targetCluster: { clusterNames: [west.cluster] },
            overriders: { imageOverrider: [{ component: "Registry", operator: "replace", value: "mirror.example" }] },
          },
        ],
      },
    });
    await fed.mustCreate(DEPLOYMENTS("default"), deployment("web", 9));

    const inEast = await eventually(
      () =>
        east
          .get<Deployment>(`${DEPLOYMENTS("default")}/web`)
          .then((r) => (r.status === 200 ? (r.body as Deployment) : undefined)),
      "web in east",
    );
    const inWest = await eventually(
      () =>
        west
          .get<Deployment>(`${DEPLOYMENTS("default")}/web`)
          .then((r) => (r.status === 200 ? (r.body as Deployment) : undefined)),
      "web in west",
    );
    expect(inEast.spec.replicas).toBe(3);
    expect(inWest.spec.replicas).toBe(6);
    expect(inEast.spec.template.spec.containers[0].image).toBe("nginx:1.25");
    expect(inWest.spec.template.spec.containers[0].image).toBe("mirror.example/nginx:1.25");

    const binding = await fed.mustGet<
      KubeObject & {
        spec: { clusters: { name: string; replicas: number }[] };
        status: { conditions: { type: string; status: string }[] };
      }
    >(`${RB("default")}/web-deployment`);
    expect(binding.spec.clusters).toEqual(
      [
        { name: east.cluster, replicas: 3 },
        { name: west.cluster, replicas: 6 },
      ].sort((a, b) => a.name.localeCompare(b.name)),
    );
    expect(binding.status.conditions.find((c) => c.type === "Scheduled")?.status).toBe("True");
    // `kubectl describe` on the template tells where it went.
    const reasons = await eventually(async () => {
      const events = await fed.mustList<KubeObject & { reason: string; involvedObject: { name: string } }>(
        "/api/v1/namespaces/default/events",
      );
      const mine = events.items.filter((e) => e.involvedObject.name === "web").map((e) => e.reason);
      return mine.includes("SyncSucceed") ? mine : undefined;
    }, "events on the template");
    expect(reasons).toContain("ScheduleBindingSucceed");

    // The template's status sums its members' (each member's ReplicaSet counts its pods).
    await eventually(async () => {
      const template = await fed.mustGet<Deployment>(`${DEPLOYMENTS("default")}/web`);
      return template.status?.replicas === 9;
    }, "template status replicas 9");

    // Deleting the template removes its member copies, then its binding.
    await fed.mustDelete(`${DEPLOYMENTS("default")}/web`);
    await eventually(
      async () => (await east.get(`${DEPLOYMENTS("default")}/web`)).status === 404,
      "web gone from east",
    );
    await eventually(
      async () => (await west.get(`${DEPLOYMENTS("default")}/web`)).status === 404,
      "web gone from west",
    );
    await eventually(async () => (await fed.get(`${RB("default")}/web-deployment`)).status === 404, "binding gone");
  });

  it("duplicates to members matching a label selector, creating the namespace there", async () => {
    const { fed, east, west } = await setUp();
    await fed.createNamespace("shop");
    await fed.mustCreate(PP("shop"), {
      apiVersion: "policy.karmada.io/v1alpha1",
      kind: "PropagationPolicy",
      metadata: { name: "config" },
      spec: {
        resourceSelectors: [{ apiVersion: "v1", kind: "ConfigMap", labelSelector: { matchLabels: { fed: "yes" } } }],
        placement: { clusterAffinity: { labelSelector: { matchLabels: { env: "prod" } } } },
      },
    });
    await fed.mustCreate(CONFIGMAPS("shop"), {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "settings", labels: { fed: "yes" } },
      data: { color: "blue" },
    });
    for (const member of [east, west]) {
      const cm = await eventually(
        () =>
          member
            .get<KubeObject & { data: Record<string, string> }>(`${CONFIGMAPS("shop")}/settings`)
            .then((r) => (r.status === 200 ? (r.body as KubeObject & { data: Record<string, string> }) : undefined)),
        `settings in ${member.cluster}`,
      );
      expect(cm.data).toEqual({ color: "blue" });
    }
    // An update reaches the members.
    const current = await fed.mustGet<KubeObject>(`${CONFIGMAPS("shop")}/settings`);
    await fed.mustUpdate(`${CONFIGMAPS("shop")}/settings`, { ...current, data: { color: "green" } });
    await eventually(async () => {
      const cm = await west.mustGet<KubeObject & { data: Record<string, string> }>(`${CONFIGMAPS("shop")}/settings`);
      return cm.data.color === "green";
    }, "the update in west");

    // A member that joins later and matches the placement gets the copy too.
    const north = await logicalCluster("north", "Standard");
    await join(fed, north, { region: "eu-north" }, { env: "prod" });
    await eventually(
      async () => (await north.get(`${CONFIGMAPS("shop")}/settings`)).status === 200,
      "settings in the new member",
    );
  });

  it("a member that stops answering goes NotReady after the grace period, and its replicas move", async () => {
    const { fed, east, west } = await setUp();
    await fed.mustCreate(PP("default"), {
      apiVersion: "policy.karmada.io/v1alpha1",
      kind: "PropagationPolicy",
      metadata: { name: "api" },
      spec: {
        resourceSelectors: [{ apiVersion: "apps/v1", kind: "Deployment" }],
        placement: { replicaScheduling: { replicaSchedulingType: "Divided", replicaDivisionPreference: "Weighted" } },
      },
    });
    await fed.mustCreate(DEPLOYMENTS("default"), deployment("api", 4));
    await eventually(async () => (await east.get(`${DEPLOYMENTS("default")}/api`)).status === 200, "api in east");

    // West's credential stops working: it is unreachable for the federation.
    await fed.mustUpdate(`/api/v1/namespaces/karmada-cluster/secrets/${west.cluster}`, {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: west.cluster, namespace: "karmada-cluster" },
      stringData: { token: "revoked" },
    });
    const store = clusterStore(env, fed.cluster);
    await eventually(async () => {
      await store.advanceClock(45_000);
      const cluster = await fed.mustGet<KubeObject & { status?: { conditions?: { type: string; status: string }[] } }>(
        `${CLUSTERS}/${west.cluster}`,
      );
      return cluster.status?.conditions?.some((c) => c.type === "Ready" && c.status === "False");
    }, "west NotReady");
    await eventually(async () => {
      const binding = await fed.mustGet<KubeObject & { spec: { clusters: { name: string; replicas: number }[] } }>(
        `${RB("default")}/api-deployment`,
      );
      return JSON.stringify(binding.spec.clusters) === JSON.stringify([{ name: east.cluster, replicas: 4 }]);
    }, "all replicas in east");
    await eventually(
      async () => (await east.mustGet<Deployment>(`${DEPLOYMENTS("default")}/api`)).spec.replicas === 4,
      "east scaled to 4",
    );
  });

  it("propagateDeps sends a workload's ConfigMap and Secret along, and takes them back with it", async () => {
    const { fed, east, west } = await setUp();
    await fed.mustCreate(PP("default"), {
      apiVersion: "policy.karmada.io/v1alpha1",
      kind: "PropagationPolicy",
      metadata: { name: "app" },
      spec: {
        propagateDeps: true,
        resourceSelectors: [{ apiVersion: "apps/v1", kind: "Deployment", name: "app" }],
        placement: { clusterAffinity: { clusterNames: [east.cluster] } },
      },
    });
    await fed.mustCreate(CONFIGMAPS("default"), {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "app-config" },
      data: { mode: "fast" },
    });
    await fed.mustCreate("/api/v1/namespaces/default/secrets", {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "app-secret" },
      stringData: { password: "s3cret" },
    });
    const app = deployment("app", 1);
    const podSpec = app.spec.template.spec as Record<string, unknown>;
    podSpec.volumes = [{ name: "config", configMap: { name: "app-config" } }];
    podSpec.containers = [
      {
        name: "web",
        image: "nginx",
        env: [{ name: "PW", valueFrom: { secretKeyRef: { name: "app-secret", key: "password" } } }],
      },
    ];
    await fed.mustCreate(DEPLOYMENTS("default"), app);

    await eventually(
      async () => (await east.get(`${CONFIGMAPS("default")}/app-config`)).status === 200,
      "config in east",
    );
    await eventually(
      async () => (await east.get("/api/v1/namespaces/default/secrets/app-secret")).status === 200,
      "secret in east",
    );
    expect((await west.get(`${CONFIGMAPS("default")}/app-config`)).status).toBe(404);
    const dependency = await fed.mustGet<KubeObject & { spec: { requiredBy: { name: string }[] } }>(
      `${RB("default")}/app-config-configmap`,
    );
    expect(dependency.spec.requiredBy.map((r) => r.name)).toEqual(["app-deployment"]);

    // Without the workload, nothing needs them: their bindings and member copies go.
    await fed.mustDelete(`${DEPLOYMENTS("default")}/app`);
    await eventually(
      async () => (await east.get(`${CONFIGMAPS("default")}/app-config`)).status === 404,
      "config gone from east",
    );
    await eventually(
      async () => (await fed.get(`${RB("default")}/app-config-configmap`)).status === 404,
      "its binding gone",
    );
    // The federation's own ConfigMap stays.
    expect((await fed.get(`${CONFIGMAPS("default")}/app-config`)).status).toBe(200);
  });

  it("a ClusterPropagationPolicy places cluster-scoped templates with a ClusterResourceBinding", async () => {
    const { fed, east, west } = await setUp();
    const role = uniqueName("reader");
    await fed.mustCreate("/apis/policy.karmada.io/v1alpha1/clusterpropagationpolicies", {
      apiVersion: "policy.karmada.io/v1alpha1",
      kind: "ClusterPropagationPolicy",
      metadata: { name: role },
      spec: {
        resourceSelectors: [{ apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", name: role }],
        placement: { clusterAffinity: { clusterNames: [west.cluster] } },
      },
    });
    await fed.mustCreate("/apis/rbac.authorization.k8s.io/v1/clusterroles", {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name: role },
      rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["get", "list"] }],
    });
    const path = `/apis/rbac.authorization.k8s.io/v1/clusterroles/${role}`;
    await eventually(async () => (await west.get(path)).status === 200, "the ClusterRole in west");
    expect((await east.get(path)).status).toBe(404);
    const binding = await fed.mustGet<KubeObject & { kind: string; spec: { clusters: { name: string }[] } }>(
      `/apis/work.karmada.io/v1alpha2/clusterresourcebindings/${role}-clusterrole`,
    );
    expect(binding.spec.clusters).toEqual([{ name: west.cluster }]);
    await fed.mustDelete(path);
    await eventually(async () => (await west.get(path)).status === 404, "the ClusterRole gone from west");
  });

  it("propagates a CRD with a ClusterPropagationPolicy and its custom resources with a PropagationPolicy", async () => {
    const { fed, east } = await setUp();
    const group = `${uniqueName("g")}.example.com`;
    const crd = `gadgets.${group}`;
    await fed.mustCreate("/apis/policy.karmada.io/v1alpha1/clusterpropagationpolicies", {
      apiVersion: "policy.karmada.io/v1alpha1",
      kind: "ClusterPropagationPolicy",
      metadata: { name: crd },
      spec: {
        resourceSelectors: [{ apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", name: crd }],
        placement: { clusterAffinity: { clusterNames: [east.cluster] } },
      },
    });
    await fed.mustCreate("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", {
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: { name: crd },
      spec: {
        group,
        scope: "Namespaced",
        names: { plural: "gadgets", singular: "gadget", kind: "Gadget", listKind: "GadgetList" },
        versions: [
          {
            name: "v1",
            served: true,
            storage: true,
            schema: {
              openAPIV3Schema: {
                type: "object",
                properties: { spec: { type: "object", properties: { size: { type: "string" } } } },
              },
            },
          },
        ],
      },
    });
    await fed.mustCreate(PP("default"), {
      apiVersion: "policy.karmada.io/v1alpha1",
      kind: "PropagationPolicy",
      metadata: { name: "gadgets" },
      spec: {
        resourceSelectors: [{ apiVersion: `${group}/v1`, kind: "Gadget" }],
        placement: { clusterAffinity: { clusterNames: [east.cluster] } },
      },
    });
    const gadgets = `/apis/${group}/v1/namespaces/default/gadgets`;
    await eventually(async () => (await fed.get(gadgets)).status === 200, "the CRD served in the federation");
    await fed.mustCreate(gadgets, {
      apiVersion: `${group}/v1`,
      kind: "Gadget",
      metadata: { name: "g1" },
      spec: { size: "L" },
    });

    await eventually(
      async () => (await east.get(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd}`)).status === 200,
      "the CRD in east",
    );
    const copy = await eventually(
      () =>
        east
          .get<KubeObject & { spec: { size: string } }>(`${gadgets}/g1`)
          .then((r) => (r.status === 200 ? (r.body as KubeObject & { spec: { size: string } }) : undefined)),
      "the Gadget in east",
      20_000,
    );
    expect(copy.spec.size).toBe("L");
  });

  it("a policy written to a Standard cluster is kept, with a warning that it propagates nothing", async () => {
    const plain = await logicalCluster("plain", "Standard");
    const policy = {
      apiVersion: "policy.karmada.io/v1alpha1",
      kind: "PropagationPolicy",
      metadata: { name: "p" },
      spec: { resourceSelectors: [{ apiVersion: "v1", kind: "ConfigMap" }] },
    };
    const response = await plain.call(PP("default"), { method: "POST", body: policy });
    expect(response.status).toBe(201);
    expect(response.headers.get("warning")).toContain("not a federation");
    await response.arrayBuffer();
  });

  it("unjoining a member takes the federation's copies off it before its Cluster goes", async () => {
    const { fed, east, west } = await setUp();
    await fed.mustCreate(PP("default"), {
      apiVersion: "policy.karmada.io/v1alpha1",
      kind: "PropagationPolicy",
      metadata: { name: "shared" },
      spec: { resourceSelectors: [{ apiVersion: "v1", kind: "ConfigMap", name: "shared" }] },
    });
    await fed.mustCreate(CONFIGMAPS("default"), {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "shared" },
      data: { a: "1" },
    });
    for (const member of [east, west])
      await eventually(
        async () => (await member.get(`${CONFIGMAPS("default")}/shared`)).status === 200,
        "shared everywhere",
      );
    const cluster = await fed.mustGet<KubeObject>(`${CLUSTERS}/${west.cluster}`);
    expect(cluster.metadata.finalizers).toContain("karmada.io/cluster-controller");

    await fed.mustDelete(`${CLUSTERS}/${west.cluster}`);
    await eventually(
      async () => (await west.get(`${CONFIGMAPS("default")}/shared`)).status === 404,
      "shared gone from west",
    );
    await eventually(async () => (await fed.get(`${CLUSTERS}/${west.cluster}`)).status === 404, "west's Cluster gone");
    expect((await east.get(`${CONFIGMAPS("default")}/shared`)).status).toBe(200);
  });

  it("lists members in kubectl's table", async () => {
    const { fed } = await setUp();
    const table = expectStatus(
      await fed.json<{ columnDefinitions: { name: string }[] }>(CLUSTERS, {
        accept: "application/json;as=Table;v=v1;g=meta.k8s.io",
      }),
      200,
    );
    expect(table.columnDefinitions.map((c) => c.name)).toEqual(expect.arrayContaining(["Name", "Ready"]));
    const list = await fed.mustList<KubeObject>(CLUSTERS);
    expect((list as ListOf<KubeObject>).items.length).toBe(2);
  });
});
