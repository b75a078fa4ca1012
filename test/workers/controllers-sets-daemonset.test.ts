// The DaemonSet controller inside a NamespaceStore, with Node objects created through the API
// (they live in the ClusterStore; the controller reads them over RPC). The test drives the
// namespace store's alarm and plays kubelet; where nodes join and leave, the clock is Vitest's
// fake Date so the controller's periodic resync falls due when the test says.
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { clusterStore } from "../../durable-objects/env.ts";
import { targetNodeName } from "../../api/controllers/daemonset/node-affinity.ts";
import type { DaemonSet } from "../../api/controllers/daemonset/types.ts";
import type { ControllerRevision } from "../../api/controllers/history/types.ts";
import { createCluster, expectStatus, type Client } from "./helpers.ts";
import { createNode } from "./scheduler-fixtures.ts";
import {
  advanceClock,
  driveUntil,
  driveWithKubelet,
  isActive,
  isReady,
  kubelet,
  NS,
  pods,
  REVISIONS,
  setClock,
  storeOf,
} from "./controllers-sets-fixtures.ts";

const DAEMONSETS = `/apis/apps/v1/namespaces/${NS}/daemonsets`;

/** Runs the ClusterStore's alarm (node changes notify the namespace from there), then the namespace's. */
async function driveBoth(c: Client, done: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 30; i++) {
    if (await done()) return;
    await runDurableObjectAlarm(clusterStore(env, c.cluster));
    await runDurableObjectAlarm(storeOf(c));
  }
  if (!(await done())) throw new Error(`controllers did not reach: ${what}`);
}
const RESYNC_MS = 30_000;

afterEach(() => {
  vi.useRealTimers();
});

function daemonSet(name: string, podSpec: Record<string, unknown> = {}): DaemonSet {
  return {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name },
    spec: {
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: "agent", image: "agent:1" }], ...podSpec },
      },
    },
  };
}

const getDs = (c: Client, name = "agent") => c.mustGet<DaemonSet>(`${DAEMONSETS}/${name}`);
const activePods = async (c: Client) => (await pods(c)).filter(isActive);
const nodesOf = async (c: Client) => (await activePods(c)).map((p) => targetNodeName(p)).sort();

/** What `kubectl rollout status ds/<name>` waits for. */
function rolledOut(ds: DaemonSet): boolean {
  const s = ds.status;
  if (!s || (ds.metadata.generation ?? 0) > (s.observedGeneration ?? 0)) return false;
  return (
    (s.updatedNumberScheduled ?? 0) >= s.desiredNumberScheduled && (s.numberAvailable ?? 0) >= s.desiredNumberScheduled
  );
}

describe("DaemonSet controller in a NamespaceStore", { timeout: 60_000 }, () => {
  it("one pod per matching node; a tainted node without a toleration is skipped", async () => {
    const c = await createCluster("ds-nodes");
    await createNode(c, "node-a", { labels: { role: "worker" } });
    await createNode(c, "node-b", { labels: { role: "worker" } });
    await createNode(c, "node-c", {
      labels: { role: "worker" },
      taints: [{ key: "dedicated", value: "db", effect: "NoSchedule" }],
    });
    await createNode(c, "node-d");
    const created = await c.mustCreate<DaemonSet>(DAEMONSETS, daemonSet("agent", { nodeSelector: { role: "worker" } }));
    await driveUntil(c, async () => (await pods(c)).length >= 2, "2 pods");
    for (let i = 0; i < 3; i++) await runDurableObjectAlarm(storeOf(c));
    expect(await nodesOf(c)).toEqual(["node-a", "node-b"]);

    const [revision] = (await c.mustList<ControllerRevision>(REVISIONS)).items;
    const hash = revision.metadata.labels?.["controller-revision-hash"];
    expect(revision.metadata.name).toBe(`agent-${hash}`);
    for (const pod of await pods(c)) {
      expect(pod.metadata.labels).toEqual({ app: "agent", "controller-revision-hash": hash });
      expect(pod.metadata.ownerReferences?.[0]).toMatchObject({
        kind: "DaemonSet",
        uid: created.metadata.uid,
        controller: true,
      });
      expect(pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution).toEqual({
        nodeSelectorTerms: [{ matchFields: [{ key: "metadata.name", operator: "In", values: [targetNodeName(pod)] }] }],
      });
      expect(pod.spec?.tolerations?.map((t) => t.key)).toContain("node.kubernetes.io/unschedulable");
    }

    await driveWithKubelet(c, async () => rolledOut(await getDs(c)), "rolled out", { max: 2 });
    expect((await getDs(c)).status).toMatchObject({
      desiredNumberScheduled: 2,
      currentNumberScheduled: 2,
      numberReady: 2,
      numberAvailable: 2,
      updatedNumberScheduled: 2,
      numberMisscheduled: 0,
      observedGeneration: 1,
    });

    // A toleration brings node-c in.
    expectStatus(
      await c.patch(`${DAEMONSETS}/agent`, "strategic", {
        spec: { template: { spec: { tolerations: [{ key: "dedicated", operator: "Exists", effect: "NoSchedule" }] } } },
      }),
      200,
      "tolerate",
    );
    await driveWithKubelet(c, async () => rolledOut(await getDs(c)) && (await nodesOf(c)).length === 3, "3 nodes");
    expect(await nodesOf(c)).toEqual(["node-a", "node-b", "node-c"]);
  });

  it("a template change replaces the pods node by node (maxUnavailable 1), with a new revision", async () => {
    const c = await createCluster("ds-roll");
    for (const name of ["node-a", "node-b", "node-c"]) await createNode(c, name);
    await c.mustCreate(DAEMONSETS, daemonSet("agent"));
    await driveWithKubelet(
      c,
      async () => rolledOut(await getDs(c)) && (await getDs(c)).status?.desiredNumberScheduled === 3,
      "3 nodes",
      { max: 3 },
    );

    expectStatus(
      await c.patch(`${DAEMONSETS}/agent`, "strategic", {
        spec: { template: { spec: { containers: [{ name: "agent", image: "agent:2" }] } } },
      }),
      200,
      "set image",
    );
    const stub = storeOf(c);
    let minAvailable = Infinity;
    for (let step = 0; step < 80; step++) {
      await runDurableObjectAlarm(stub);
      const live = (await activePods(c)).filter(isReady);
      minAvailable = Math.min(minAvailable, live.length);
      const ds = await getDs(c);
      if (rolledOut(ds) && (await activePods(c)).every((p) => p.spec?.containers[0].image === "agent:2")) break;
      await kubelet(c, { max: 1 });
    }
    const ds = await getDs(c);
    expect(rolledOut(ds)).toBe(true);
    expect(minAvailable).toBe(2); // never more than one node without a ready daemon
    const all = await activePods(c);
    expect(all.map((p) => p.spec?.containers[0].image)).toEqual(["agent:2", "agent:2", "agent:2"]);
    expect(all.map(targetNodeName).sort()).toEqual(["node-a", "node-b", "node-c"]);
    const revisions = (await c.mustList<ControllerRevision>(REVISIONS)).items.sort((a, b) => a.revision - b.revision);
    expect(revisions.map((r) => r.revision)).toEqual([1, 2]);
    const hash = revisions[1].metadata.labels?.["controller-revision-hash"];
    expect(all.every((p) => p.metadata.labels?.["controller-revision-hash"] === hash)).toBe(true);
    expect(ds.status).toMatchObject({ desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 3 });
  });

  it("follows nodes joining and leaving at once: the ClusterStore tells the namespace", async () => {
    const c = await createCluster("ds-follow");
    setClock(Date.now() + 3_600_000);
    await createNode(c, "node-a");
    await c.mustCreate(DAEMONSETS, daemonSet("agent"));
    await driveUntil(c, async () => (await nodesOf(c)).length === 1, "a pod on node-a");

    // No clock advance: the resync is not what brings the pod to the new node.
    await createNode(c, "node-b");
    await driveBoth(c, async () => (await nodesOf(c)).length === 2, "a pod on node-b");
    expect(await nodesOf(c)).toEqual(["node-a", "node-b"]);

    // A node that leaves loses its daemon pod.
    expectStatus(await c.delete("/api/v1/nodes/node-a"), 200, "delete node-a");
    await driveBoth(c, async () => (await pods(c)).length === 1, "node-a's pod gone");
    expect(await nodesOf(c)).toEqual(["node-b"]);
    await driveBoth(c, async () => (await getDs(c)).status?.desiredNumberScheduled === 1, "desired 1");
  });

  it("still follows nodes through its periodic resync (the safety net)", async () => {
    const c = await createCluster("ds-resync");
    setClock(Date.now() + 3_600_000);
    await createNode(c, "node-a");
    await c.mustCreate(DAEMONSETS, daemonSet("agent"));
    await driveUntil(c, async () => (await nodesOf(c)).length === 1, "a pod on node-a");
    const alarm = await runInDurableObject(storeOf(c), (_instance, state) => state.storage.getAlarm());
    expect(alarm).not.toBeNull();
    expect(alarm!).toBeLessThanOrEqual(Date.now() + RESYNC_MS);

    // The ClusterStore's alarm never runs here (its clock is an hour ahead): only the resync can help.
    await createNode(c, "node-b");
    advanceClock(RESYNC_MS + 1000);
    await driveUntil(c, async () => (await nodesOf(c)).length === 2, "a pod on node-b");
  });

  it("evicting the NamespaceStore mid-reconcile (during the node read) creates no duplicates", async () => {
    const c = await createCluster("ds-evict");
    for (const name of ["node-a", "node-b", "node-c"]) await createNode(c, name);
    const stub = storeOf(c);
    await c.mustCreate(DAEMONSETS, daemonSet("agent"));
    for (let i = 0; i < 8; i++) {
      const alarm = runDurableObjectAlarm(stub).catch(() => false);
      await evictDurableObject(stub).catch(() => {});
      await alarm;
      await c.mustList(`/api/v1/namespaces/${NS}/pods`); // wakes the store again
      await kubelet(c, { max: 1 });
      await evictDurableObject(stub).catch(() => {});
    }
    await driveWithKubelet(
      c,
      async () => rolledOut(await getDs(c)) && (await getDs(c)).status?.desiredNumberScheduled === 3,
      "3 ready",
      { max: 3 },
    );
    const all = await pods(c);
    expect(all).toHaveLength(3);
    expect(all.map((p) => targetNodeName(p)).sort()).toEqual(["node-a", "node-b", "node-c"]);
    expect((await c.mustList<ControllerRevision>(REVISIONS)).items).toHaveLength(1);
  });
});
