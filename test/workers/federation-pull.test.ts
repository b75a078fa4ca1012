// Pull-mode members, the federation's side: a member's copies are written as Works for its agent,
// their status comes from what the agent reports on them, removal waits for the agent's cleanup,
// and a member whose agent falls silent goes NotReady. The test plays the agent.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../api/types.ts";
import { clusterStore } from "../../durable-objects/env.ts";
import { CLUSTERS, logicalCluster, PP, RB } from "./federation-fixtures.ts";
import type { Client } from "./helpers.ts";
import { eventually } from "./scheduler-fixtures.ts";

const WORKS = (ns: string) => `/apis/work.karmada.io/v1alpha1/namespaces/${ns}/works`;

type Work = KubeObject & {
  spec: { workload: { manifests: KubeObject[] } };
  status?: Record<string, unknown>;
};

/** What an agent does on each heartbeat: report Ready and stamp the time. */
async function heartbeat(fed: Client, name: string, at: Date): Promise<void> {
  const cluster = await fed.mustGet<KubeObject>(`${CLUSTERS}/${name}`);
  const annotated = await fed.mustUpdate<KubeObject>(`${CLUSTERS}/${name}`, {
    ...cluster,
    metadata: {
      ...cluster.metadata,
      annotations: { ...cluster.metadata.annotations, "federation.flotilla.dev/agent-heartbeat": at.toISOString() },
    },
  });
  await fed.mustUpdate(`${CLUSTERS}/${name}/status`, {
    ...annotated,
    status: {
      kubernetesVersion: "v1.33.0",
      conditions: [
        { type: "Ready", status: "True", reason: "ClusterReady", message: "ok", lastTransitionTime: at.toISOString() },
      ],
    },
  });
}

describe("Pull-mode members", { timeout: 60_000 }, () => {
  it("get Works their agent applies; status and removal go through the Work", async () => {
    const fed = await logicalCluster("fedpull", "Federation");
    await fed.mustCreate(CLUSTERS, {
      apiVersion: "cluster.karmada.io/v1alpha1",
      kind: "Cluster",
      metadata: { name: "edge" },
      spec: { syncMode: "Pull" },
    });
    await heartbeat(fed, "edge", new Date());
    await fed.mustCreate(PP("default"), {
      apiVersion: "policy.karmada.io/v1alpha1",
      kind: "PropagationPolicy",
      metadata: { name: "settings" },
      spec: {
        resourceSelectors: [{ apiVersion: "v1", kind: "ConfigMap", name: "settings" }],
        placement: { clusterAffinity: { clusterNames: ["edge"] } },
      },
    });
    await fed.mustCreate("/api/v1/namespaces/default/configmaps", {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "settings" },
      data: { color: "blue" },
    });

    const work = await eventually(
      () =>
        fed
          .get<Work>(`${WORKS("default")}/settings-configmap.edge`)
          .then((r) => (r.status === 200 ? (r.body as Work) : undefined)),
      "the Work for edge",
    );
    expect(work.metadata.labels).toMatchObject({ "federation.flotilla.dev/cluster": "edge" });
    expect(work.metadata.finalizers).toContain("federation.flotilla.dev/agent-cleanup");
    expect(work.spec.workload.manifests[0]).toMatchObject({ kind: "ConfigMap", data: { color: "blue" } });

    // The agent applied it and reports so.
    await fed.mustUpdate(`${WORKS("default")}/settings-configmap.edge/status`, {
      ...work,
      status: {
        conditions: [
          {
            type: "Applied",
            status: "True",
            reason: "AppliedSuccessful",
            message: "",
            lastTransitionTime: new Date().toISOString(),
          },
        ],
        manifestStatuses: [
          {
            identifier: {
              group: "",
              version: "v1",
              kind: "ConfigMap",
              namespace: "default",
              name: "settings",
              ordinal: 0,
            },
            health: "Healthy",
          },
        ],
      },
    });
    await eventually(async () => {
      const binding = await fed.mustGet<
        KubeObject & { status?: { aggregatedStatus?: { applied?: boolean; health?: string }[] } }
      >(`${RB("default")}/settings-configmap`);
      const item = binding.status?.aggregatedStatus?.[0];
      return item?.applied === true && item.health === "Healthy";
    }, "the binding reports edge applied");

    // Deleting the template deletes the Work; the binding waits for the agent to clean up.
    await fed.mustDelete("/api/v1/namespaces/default/configmaps/settings");
    const terminating = await eventually(
      () =>
        fed
          .mustGet<Work>(`${WORKS("default")}/settings-configmap.edge`)
          .then((w) => (w.metadata.deletionTimestamp ? w : undefined)),
      "the Work terminating",
    );
    expect((await fed.get(`${RB("default")}/settings-configmap`)).status).toBe(200);
    await fed.mustUpdate(`${WORKS("default")}/settings-configmap.edge`, {
      ...terminating,
      metadata: { ...terminating.metadata, finalizers: [] },
    });
    await eventually(
      async () => (await fed.get(`${RB("default")}/settings-configmap`)).status === 404,
      "the binding gone",
    );
  });

  it("a member whose agent stops reporting goes NotReady after the grace period", async () => {
    const fed = await logicalCluster("fedsilent", "Federation");
    await fed.mustCreate(CLUSTERS, {
      apiVersion: "cluster.karmada.io/v1alpha1",
      kind: "Cluster",
      metadata: { name: "quiet" },
      spec: { syncMode: "Pull" },
    });
    await heartbeat(fed, "quiet", new Date());
    const store = clusterStore(env, fed.cluster);
    await eventually(async () => {
      await store.advanceClock(45_000);
      const cluster = await fed.mustGet<
        KubeObject & {
          spec: { taints?: { key: string }[] };
          status?: { conditions?: { type: string; status: string; message?: string }[] };
        }
      >(`${CLUSTERS}/quiet`);
      const ready = cluster.status?.conditions?.find((c) => c.type === "Ready");
      return ready?.status === "False" && cluster.spec.taints?.some((t) => t.key === "cluster.karmada.io/unreachable");
    }, "quiet NotReady and tainted");
  });
});
