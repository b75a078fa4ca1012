// The pod garbage collector with an injected clock: pods of a vanished node go after the 40 s
// quarantine (and stay if the node registers again), terminating pods on an out-of-service node
// are force-deleted, and finished pods beyond the threshold are trimmed, evicted and oldest first.
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { quarantineMetaKey } from "../../durable-objects/controllers/cluster/pod-gc.ts";
import { clusterStore } from "../../durable-objects/env.ts";
import { createCluster, expectStatus, type Client, type WatchReader } from "./helpers.ts";
import {
  advanceClock,
  createNode,
  eventually,
  getPod,
  podCondition,
  podObject,
  podsPath,
  type Node,
  type Pod,
} from "./scheduler-fixtures.ts";

const NS = "default";
const TAINT_OUT_OF_SERVICE = "node.kubernetes.io/out-of-service";

const clusterStub = (c: Client) => clusterStore(env, c.cluster);

/** A pod bound to `node` at creation (no scheduler involved; the node need not exist). */
const createBoundPod = (c: Client, name: string, node: string) => {
  const pod = podObject(name);
  return c.mustCreate<Pod>(podsPath(NS), { ...pod, spec: { ...(pod.spec as object), nodeName: node } });
};

const exists = async (c: Client, name: string) => (await c.get(podsPath(NS, name))).status === 200;

/** What a kubelet reports for a finished pod. */
async function finish(c: Client, name: string, phase: "Succeeded" | "Failed", reason?: string): Promise<void> {
  const pod = await getPod(c, NS, name);
  await c.mustUpdate(podsPath(NS, name) + "/status", {
    ...pod,
    status: { ...pod.status, phase, ...(reason ? { reason } : {}) },
  });
}

/** When the collector noticed `node` missing (its persisted quarantine start), if it has. */
const quarantineStart = (c: Client, node: string) =>
  runInDurableObject(clusterStub(c), (_instance, state) => {
    const rows = state.storage.sql.exec("SELECT value FROM meta WHERE key = ?", quarantineMetaKey(node)).toArray();
    return rows.length > 0 ? Number(rows[0]!.value) : undefined;
  });

/**
 * Lets whatever is due on the ClusterStore run now. Checks that something did *not* happen rely on
 * it: if the alarm had not run yet the check passes anyway, so it can never fail spuriously.
 */
const settle = (c: Client) => runDurableObjectAlarm(clusterStub(c));

/** The pod's last state before it was deleted, from a watch. */
function lastStateBefore(watch: WatchReader, name: string): Pod | undefined {
  const events = watch.events.filter((e) => e.object.metadata?.name === name);
  const deleted = events.findIndex((e) => e.type === "DELETED");
  return deleted > 0 ? (events[deleted - 1]!.object as Pod) : undefined;
}

describe("pod garbage collector", { timeout: 60_000 }, () => {
  it("pods of a deleted node, or of one that never existed, go after the 40 s quarantine", async () => {
    const c = await createCluster("podgc-orphans");
    await createNode(c, "n1");
    await createNode(c, "healthy");
    await createBoundPod(c, "on-n1", "n1");
    await createBoundPod(c, "on-ghost", "ghost");
    await createBoundPod(c, "on-healthy", "healthy");
    const watch = await c.watch(podsPath(NS), "resourceVersion=0");
    try {
      await c.mustDelete("/api/v1/nodes/n1");
      await eventually(() => quarantineStart(c, "n1"), "n1's quarantine to start");
      await eventually(() => quarantineStart(c, "ghost"), "ghost's quarantine to start");

      await advanceClock(c, 30_000);
      await settle(c);
      expect(await exists(c, "on-n1")).toBe(true);
      expect(await exists(c, "on-ghost")).toBe(true);

      await advanceClock(c, 11_000);
      await eventually(async () => !(await exists(c, "on-n1")) && !(await exists(c, "on-ghost")), "orphans deleted");
      await watch.waitFor((events) => events.filter((e) => e.type === "DELETED").length === 2, "both DELETED events");
      // Marked Failed, with the reason, just before the forced deletion.
      for (const name of ["on-n1", "on-ghost"]) {
        const last = lastStateBefore(watch, name);
        expect(last?.status?.phase, name).toBe("Failed");
        expect(podCondition(last!, "DisruptionTarget")).toMatchObject({
          status: "True",
          reason: "DeletionByPodGC",
          message: "PodGC: node no longer exists",
        });
      }
      expect(await exists(c, "on-healthy")).toBe(true);
      // Nothing left to watch for: the quarantine records go with the pods.
      await eventually(async () => (await quarantineStart(c, "n1")) === undefined, "n1's record removed");
      await eventually(async () => (await quarantineStart(c, "ghost")) === undefined, "ghost's record removed");
    } finally {
      await watch.cancel();
    }
  });

  it("a node that registers again within the quarantine keeps its pods", async () => {
    const c = await createCluster("podgc-back");
    await createNode(c, "n1");
    await createBoundPod(c, "stays", "n1");
    await c.mustDelete("/api/v1/nodes/n1");
    await eventually(() => quarantineStart(c, "n1"), "the quarantine to start");
    await advanceClock(c, 30_000);
    await createNode(c, "n1");
    await eventually(async () => (await quarantineStart(c, "n1")) === undefined, "the quarantine lifted");
    await advanceClock(c, 30_000);
    await settle(c);
    expect(await exists(c, "stays")).toBe(true);
  });

  it("the quarantine survives an eviction of the ClusterStore", async () => {
    const c = await createCluster("podgc-evict");
    await createBoundPod(c, "orphan", "gone");
    const started = await eventually(() => quarantineStart(c, "gone"), "the quarantine to start");
    await evictDurableObject(clusterStub(c));
    // The restarted store re-finds the orphan but keeps the recorded start.
    await advanceClock(c, 1000);
    await settle(c);
    expect(await quarantineStart(c, "gone")).toBe(started);
    await advanceClock(c, 40_000);
    await eventually(async () => !(await exists(c, "orphan")), "the orphan deleted");
  });

  it("terminating pods on a NotReady node tainted out-of-service are force-deleted", async () => {
    const c = await createCluster("podgc-oos");
    await createNode(c, "down", { ready: "False" });
    await createNode(c, "slow", { ready: "False" });
    await createBoundPod(c, "on-down", "down");
    await createBoundPod(c, "on-slow", "slow");
    const watch = await c.watch(podsPath(NS), "resourceVersion=0");
    try {
      // Deleted gracefully: they wait for a kubelet that will never answer.
      for (const name of ["on-down", "on-slow"]) await c.mustDelete(podsPath(NS, name));
      expect((await getPod(c, NS, "on-down")).metadata.deletionTimestamp).toBeDefined();

      // The operator declares "down" shut down for good.
      // (A merge patch: the node lifecycle controller writes its own taints meanwhile.)
      const node = await c.mustGet<Node>("/api/v1/nodes/down");
      const taints = [
        ...(node.spec?.taints ?? []),
        { key: TAINT_OUT_OF_SERVICE, value: "nodeshutdown", effect: "NoExecute" },
      ];
      expectStatus(await c.patch("/api/v1/nodes/down", "merge", { spec: { taints } }), 200, "taint the node");
      await eventually(async () => !(await exists(c, "on-down")), "on-down force-deleted");
      await watch.waitFor((events) => events.some((e) => e.type === "DELETED"), "the DELETED event");
      expect(lastStateBefore(watch, "on-down")?.status?.phase).toBe("Failed");
      await settle(c);
      expect((await getPod(c, NS, "on-slow")).metadata.deletionTimestamp).toBeDefined();
    } finally {
      await watch.cancel();
    }
  });

  it("finished pods beyond the threshold are deleted, evicted ones first, then the oldest", async () => {
    const c = await createCluster("podgc-threshold");
    await createNode(c, "n1");
    const names = ["done-1", "done-2", "done-3", "done-4", "evicted", "running"];
    for (const name of names) await createBoundPod(c, name, "n1");
    for (const name of ["done-1", "done-2", "done-3", "done-4"]) await finish(c, name, "Succeeded");
    await finish(c, "evicted", "Failed", "Evicted");
    // The ClusterStore's mirror has them all before the threshold drops.
    await eventually(async () => {
      const list = await c.mustList<Pod>("/api/v1/pods");
      return list.items.filter((p) => p.status?.phase === "Succeeded" || p.status?.phase === "Failed").length === 5;
    }, "5 finished pods in the cluster-wide list");

    await clusterStub(c).setTerminatedPodThreshold(3);
    await eventually(async () => !(await exists(c, "evicted")) && !(await exists(c, "done-1")), "two trimmed");
    await settle(c);
    for (const name of ["done-2", "done-3", "done-4", "running"]) expect(await exists(c, name), name).toBe(true);

    // One more finished pod: the oldest left goes.
    await finish(c, "running", "Failed");
    await eventually(async () => !(await exists(c, "done-2")), "done-2 trimmed");
    for (const name of ["done-3", "done-4", "running"]) expect(await exists(c, name), name).toBe(true);

    // 0 keeps everything.
    await clusterStub(c).setTerminatedPodThreshold(0);
    await createBoundPod(c, "late", "n1");
    await finish(c, "late", "Succeeded");
    await eventually(async () => (await getPod(c, NS, "late")).status?.phase === "Succeeded", "late finished");
    await settle(c);
    for (const name of ["done-3", "done-4", "running", "late"]) expect(await exists(c, name), name).toBe(true);
  });
});
