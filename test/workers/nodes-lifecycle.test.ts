// The node lifecycle controller with an injected clock: a node whose lease stops being renewed goes
// Unknown after the 40 s grace, is tainted unreachable, its pods turn NotReady and are evicted when
// their tolerationSeconds run out (rate-limited per zone); the taints go when it reports Ready again.
import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../api/types.ts";
import { createCluster, type Client } from "./helpers.ts";
import {
  advanceClock,
  createNode,
  createPod,
  eventsOf,
  eventually,
  getPod,
  nodeObject,
  podCondition,
  podsPath,
  waitBound,
  type Node,
  type Pod,
} from "./scheduler-fixtures.ts";

const NS = "default";
const LEASES = "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases";
const microTime = (date = new Date()) => date.toISOString().replace("Z", "000Z");

async function createLease(c: Client, node: string): Promise<KubeObject> {
  return c.mustCreate(LEASES, {
    apiVersion: "coordination.k8s.io/v1",
    kind: "Lease",
    metadata: { name: node },
    spec: { holderIdentity: node, leaseDurationSeconds: 40, renewTime: microTime() },
  });
}

async function renewLease(c: Client, node: string): Promise<void> {
  const lease = await c.mustGet<KubeObject & { spec: Record<string, unknown> }>(`${LEASES}/${node}`);
  // A new renewTime is what counts (the controller times it by its own clock).
  const renewTime = microTime(new Date(Date.parse(String(lease.spec.renewTime).replace("000Z", "Z")) + 1000));
  await c.mustUpdate(`${LEASES}/${node}`, { ...lease, spec: { ...lease.spec, renewTime } });
}

/** What a kubelet reports for a running pod. */
async function markRunning(c: Client, name: string): Promise<void> {
  const pod = await getPod(c, NS, name);
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
  const conditions = ["Initialized", "Ready", "ContainersReady", "PodScheduled"].map((type) => ({
    type,
    status: "True",
    lastTransitionTime: now,
  }));
  await c.mustUpdate(podsPath(NS, name) + "/status", {
    ...pod,
    status: { ...pod.status, phase: "Running", conditions },
  });
}

/** Advances the controller's clock by `ms` (< 40 s) while `alive` nodes renew their leases first. */
async function advance(c: Client, ms: number, alive: string[] = []): Promise<void> {
  for (const node of alive) await renewLease(c, node);
  await advanceClock(c, ms);
}

const getNode = (c: Client, name: string) => c.mustGet<Node>(`/api/v1/nodes/${name}`);
const readyOf = (node: Node) => node.status?.conditions?.find((cond) => cond.type === "Ready");
const taintKeys = (node: Node) => (node.spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`).sort();

async function waitNode(c: Client, name: string, check: (node: Node) => boolean, what: string): Promise<Node> {
  return eventually(async () => {
    const node = await getNode(c, name);
    return check(node) ? node : undefined;
  }, `node ${name}: ${what}`);
}

describe("node lifecycle", { timeout: 60_000 }, () => {
  it("a silent node goes Unknown after 40 s; its pods turn NotReady and are evicted after tolerationSeconds", async () => {
    const c = await createCluster("nl-evict");
    // A second, healthy node: with every node down kube evicts nothing (see below).
    for (const name of ["n1", "healthy"]) {
      await createNode(c, name);
      await createLease(c, name);
    }
    const onN1 = { nodeSelector: { "kubernetes.io/hostname": "n1" } };
    await createPod(c, NS, "plain", onN1); // the default tolerations: 300 s
    await createPod(c, NS, "quick", {
      ...onN1,
      tolerations: [
        { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 60 },
      ],
    });
    await createPod(c, NS, "forever", {
      ...onN1,
      tolerations: [{ key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute" }],
    });
    for (const name of ["plain", "quick", "forever"]) {
      expect(await waitBound(c, NS, name)).toBe("n1");
      await markRunning(c, name);
    }

    // 30 s of silence: still Ready.
    await advance(c, 30_000, ["healthy"]);
    expect(readyOf(await getNode(c, "n1"))?.status).toBe("True");

    // Past the 40 s grace: Unknown, tainted unreachable.
    await advance(c, 11_000, ["healthy"]);
    const lost = await waitNode(c, "n1", (n) => readyOf(n)?.status === "Unknown", "Ready Unknown");
    expect(readyOf(lost)).toMatchObject({
      reason: "NodeStatusUnknown",
      message: "Kubelet stopped posting node status.",
    });
    const tainted = await waitNode(c, "n1", (n) => taintKeys(n).length === 2, "unreachable taints");
    expect(taintKeys(tainted)).toEqual([
      "node.kubernetes.io/unreachable:NoExecute",
      "node.kubernetes.io/unreachable:NoSchedule",
    ]);
    expect(readyOf(await getNode(c, "healthy"))?.status).toBe("True");
    for (const name of ["plain", "quick", "forever"]) {
      await eventually(
        async () => podCondition(await getPod(c, NS, name), "Ready")?.status === "False",
        `${name} NotReady`,
      );
    }
    const notReady = await eventually(
      async () => (await eventsOf(c, NS, "plain")).find((e) => e.reason === "NodeNotReady"),
      "a NodeNotReady event on the pod",
    );
    expect(notReady).toMatchObject({ type: "Warning", message: "Node is not ready" });
    const nodeEvent = await eventually(
      async () => (await eventsOf(c, "default", "n1")).find((e) => e.reason === "NodeNotReady"),
      "a NodeNotReady event on the node",
    );
    expect(nodeEvent.message).toBe("Node n1 status is now: NodeNotReady");

    // tolerationSeconds 60: evicted a minute after the taint (the healthy node renews more often than 40 s).
    await advance(c, 31_000, ["healthy"]);
    await advance(c, 30_000, ["healthy"]);
    await eventually(async () => (await getPod(c, NS, "quick")).metadata.deletionTimestamp, "quick evicted");
    const quick = await getPod(c, NS, "quick");
    expect(podCondition(quick, "DisruptionTarget")).toMatchObject({ status: "True", reason: "DeletionByTaintManager" });
    const eviction = await eventually(
      async () => (await eventsOf(c, NS, "quick")).find((e) => e.reason === "TaintManagerEviction"),
      "a TaintManagerEviction event",
    );
    expect(eviction.message).toBe(`Marking for deletion Pod ${NS}/quick`);
    expect((await getPod(c, NS, "plain")).metadata.deletionTimestamp).toBeUndefined();

    // The default 300 s.
    await advance(c, 30_000, ["healthy"]);
    await advance(c, 30_000, ["healthy"]);
    await advance(c, 30_000, ["healthy"]);
    await advance(c, 30_000, ["healthy"]);
    await advance(c, 30_000, ["healthy"]);
    await advance(c, 30_000, ["healthy"]);
    await advance(c, 30_000, ["healthy"]);
    await advance(c, 30_000, ["healthy"]);
    await eventually(async () => (await getPod(c, NS, "plain")).metadata.deletionTimestamp, "plain evicted");
    expect((await getPod(c, NS, "forever")).metadata.deletionTimestamp).toBeUndefined();
    expect(readyOf(await getNode(c, "healthy"))?.status).toBe("True");
  });

  it("recovery: renewals and a Ready report remove the taints", async () => {
    const c = await createCluster("nl-recover");
    for (const name of ["n1", "healthy"]) {
      await createNode(c, name);
      await createLease(c, name);
    }
    await advance(c, 30_000, ["healthy"]);
    await advance(c, 11_000, ["healthy"]);
    await waitNode(c, "n1", (n) => taintKeys(n).length === 2, "tainted");
    // The kubelet is back: it renews and reports Ready.
    await renewLease(c, "n1");
    const node = await getNode(c, "n1");
    const ready = nodeObject("n1").status as { conditions: unknown[] };
    await c.mustUpdate(`/api/v1/nodes/n1/status`, {
      ...node,
      status: { ...node.status, conditions: ready.conditions },
    });
    const healed = await waitNode(c, "n1", (n) => taintKeys(n).length === 0, "taints removed");
    expect(readyOf(healed)?.status).toBe("True");
    // And it stays Ready while it keeps renewing.
    await advance(c, 30_000, ["n1", "healthy"]);
    await advance(c, 30_000, ["n1", "healthy"]);
    expect(readyOf(await getNode(c, "n1"))?.status).toBe("True");
  });

  it("NoExecute taints are rate-limited per zone (0.1 nodes/s)", async () => {
    const c = await createCluster("nl-rate");
    for (let i = 0; i < 8; i++) {
      await createNode(c, `n${i}`);
      await createLease(c, `n${i}`);
    }
    // Six keep renewing, two fall silent.
    const alive = ["n2", "n3", "n4", "n5", "n6", "n7"];
    await advance(c, 30_000, alive);
    await advance(c, 11_000, alive);
    const noExecute = async () => {
      let count = 0;
      for (const name of ["n0", "n1"]) {
        const node = await getNode(c, name);
        if (taintKeys(node).includes("node.kubernetes.io/unreachable:NoExecute")) count++;
      }
      return count;
    };
    await waitNode(c, "n0", (n) => taintKeys(n).includes("node.kubernetes.io/unreachable:NoSchedule"), "NoSchedule");
    await waitNode(c, "n1", (n) => taintKeys(n).includes("node.kubernetes.io/unreachable:NoSchedule"), "NoSchedule");
    await eventually(async () => (await noExecute()) === 1, "one NoExecute taint");
    expect(await noExecute()).toBe(1);
    // Ten seconds later the limiter admits the second.
    await advance(c, 10_000, alive);
    await eventually(async () => (await noExecute()) === 2, "the second NoExecute taint");
  });

  it("when every node is down, nothing is evicted (the control plane is probably the one cut off)", async () => {
    const c = await createCluster("nl-alldown");
    for (const name of ["a", "b"]) {
      await createNode(c, name);
      await createLease(c, name);
    }
    await createPod(c, NS, "survivor");
    await waitBound(c, NS, "survivor");
    await advanceClock(c, 41_000);
    for (const name of ["a", "b"]) {
      const node = await waitNode(c, name, (n) => taintKeys(n).length > 0, "tainted");
      expect(taintKeys(node)).toEqual(["node.kubernetes.io/unreachable:NoSchedule"]);
    }
    await advanceClock(c, 600_000);
    expect((await getPod(c, NS, "survivor")).metadata.deletionTimestamp).toBeUndefined();
  });

  it("a node whose kubelet reports NotReady is tainted not-ready; cordoning adds the unschedulable taint", async () => {
    const c = await createCluster("nl-notready");
    await createNode(c, "sick", { ready: "False" });
    await createNode(c, "fine");
    await createLease(c, "sick");
    await createLease(c, "fine");
    const sick = await waitNode(c, "sick", (n) => taintKeys(n).length === 2, "not-ready taints");
    expect(taintKeys(sick)).toEqual([
      "node.kubernetes.io/not-ready:NoExecute",
      "node.kubernetes.io/not-ready:NoSchedule",
    ]);
    await c.patch("/api/v1/nodes/fine", "strategic", { spec: { unschedulable: true } });
    const cordoned = await waitNode(c, "fine", (n) => taintKeys(n).length === 1, "unschedulable taint");
    expect(taintKeys(cordoned)).toEqual(["node.kubernetes.io/unschedulable:NoSchedule"]);
    await c.patch("/api/v1/nodes/fine", "strategic", { spec: { unschedulable: null } });
    await waitNode(c, "fine", (n) => taintKeys(n).length === 0, "uncordoned");
    const pods = await c.mustList<Pod>("/api/v1/pods");
    expect(pods.items).toEqual([]);
  });
});
