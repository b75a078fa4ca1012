// The scheduler in the ClusterStore: binding, the FailedScheduling message and condition, retries
// when the cluster changes, priority and preemption, and accounting across restarts.
import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { ClusterStore } from "../../durable-objects/cluster-store.ts";
import { clusterStore } from "../../durable-objects/env.ts";
import { createCluster, expectStatus, type Status } from "./helpers.ts";
import {
  createNode,
  createPod,
  eventsOf,
  eventually,
  finishDeletion,
  getPod,
  podCondition,
  podObject,
  podsPath,
  waitBound,
  waitUnschedulable,
  type Node,
  type Pod,
} from "./scheduler-fixtures.ts";

const NS = "default";

describe("scheduler", { timeout: 60_000 }, () => {
  it("binds a pending pod: spec.nodeName, PodScheduled=True and a Scheduled event", async () => {
    const c = await createCluster("sched-bind");
    await createNode(c, "node-a");
    await createPod(c, NS, "web");
    expect(await waitBound(c, NS, "web")).toBe("node-a");
    const pod = await getPod(c, NS, "web");
    expect(podCondition(pod, "PodScheduled")).toMatchObject({ status: "True" });
    const events = await eventually(async () => {
      const list = await eventsOf(c, NS, "web");
      return list.some((e) => e.reason === "Scheduled") ? list : undefined;
    }, "a Scheduled event");
    const scheduled = events.find((e) => e.reason === "Scheduled")!;
    expect(scheduled).toMatchObject({
      type: "Normal",
      message: `Successfully assigned ${NS}/web to node-a`,
      source: { component: "default-scheduler" },
      involvedObject: { kind: "Pod", name: "web", uid: pod.metadata.uid },
    });
    // The per-node feed lists it.
    const feed = await c.mustList<Pod>("/api/v1/pods", "?fieldSelector=spec.nodeName%3Dnode-a");
    expect(feed.items.map((p) => p.metadata.name)).toEqual(["web"]);
  });

  it("places by nodeSelector, taints and requests; explains the rest as kubectl describe shows", async () => {
    const c = await createCluster("sched-fit");
    await createNode(c, "small-1", { cpu: "1" });
    await createNode(c, "small-2", { cpu: "1" });
    await createNode(c, "tainted", { cpu: "8", taints: [{ key: "dedicated", value: "gpu", effect: "NoSchedule" }] });
    await createPod(c, NS, "big", { cpu: "2" });
    const message = await waitUnschedulable(c, NS, "big");
    expect(message).toBe(
      "0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 2 Insufficient cpu. " +
        // Nodes smaller than the request are "not helpful" (kube ≥ 1.34; earlier versions tried them).
        "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    );
    const failed = await eventually(
      async () => (await eventsOf(c, NS, "big")).find((e) => e.reason === "FailedScheduling"),
      "a FailedScheduling event",
    );
    expect(failed).toMatchObject({ type: "Warning", message, source: { component: "default-scheduler" } });

    // A pod that tolerates the taint fits there.
    await createPod(c, NS, "tolerant", {
      cpu: "2",
      tolerations: [{ key: "dedicated", operator: "Equal", value: "gpu", effect: "NoSchedule" }],
    });
    expect(await waitBound(c, NS, "tolerant")).toBe("tainted");

    // nodeSelector picks the labelled node only.
    await c.patch("/api/v1/nodes/small-2", "merge", { metadata: { labels: { disk: "ssd" } } });
    await createPod(c, NS, "ssd", { nodeSelector: { disk: "ssd" } });
    expect(await waitBound(c, NS, "ssd")).toBe("small-2");
    await createPod(c, NS, "nvme", { nodeSelector: { disk: "nvme" } });
    expect(await waitUnschedulable(c, NS, "nvme")).toBe(
      "0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 2 node(s) didn't match Pod's node affinity/selector. " +
        "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    );
  });

  it("retries an unschedulable pod when a fitting node appears (no polling)", async () => {
    const c = await createCluster("sched-retry");
    await createPod(c, NS, "waiting", { cpu: "3" });
    expect(await waitUnschedulable(c, NS, "waiting")).toBe("no nodes available to schedule pods");
    await createNode(c, "tiny", { cpu: "1" });
    await waitUnschedulable(c, NS, "waiting", "1 Insufficient cpu");
    await createNode(c, "roomy", { cpu: "4" });
    expect(await waitBound(c, NS, "waiting")).toBe("roomy");
  });

  it("counts pods per node (allocatable pods) and frees room when a pod goes", async () => {
    const c = await createCluster("sched-podcount");
    await createNode(c, "two-pods", { pods: 2 });
    await createPod(c, NS, "p1");
    await createPod(c, NS, "p2");
    await waitBound(c, NS, "p1");
    await waitBound(c, NS, "p2");
    await createPod(c, NS, "p3");
    await waitUnschedulable(c, NS, "p3", "1 Too many pods");
    const deleted = await c.delete<Pod>(podsPath(NS, "p1"));
    expect((deleted.body as Pod).metadata.deletionTimestamp).toBeDefined(); // graceful: the node finishes it
    await finishDeletion(c, NS, "p1");
    expect(await waitBound(c, NS, "p3")).toBe("two-pods");
  });

  it("schedules higher priority first and preempts a lower-priority pod when nothing fits", async () => {
    const c = await createCluster("sched-preempt");
    await c.mustCreate("/apis/scheduling.k8s.io/v1/priorityclasses", {
      apiVersion: "scheduling.k8s.io/v1",
      kind: "PriorityClass",
      metadata: { name: "high" },
      value: 1000,
    });
    await createNode(c, "only", { cpu: "2" });
    await createPod(c, NS, "low", { cpu: "1500m" });
    expect(await waitBound(c, NS, "low")).toBe("only");
    await createPod(c, NS, "high", { cpu: "1500m", priorityClassName: "high" });
    // The victim is deleted gracefully; the preemptor is nominated meanwhile.
    await eventually(async () => (await getPod(c, NS, "low")).metadata.deletionTimestamp, "the victim to terminate");
    const nominated = await eventually(
      async () => (await getPod(c, NS, "high")).status?.nominatedNodeName,
      "the preemptor's nomination",
    );
    expect(nominated).toBe("only");
    const victim = await getPod(c, NS, "low");
    expect(podCondition(victim, "DisruptionTarget")).toMatchObject({ status: "True", reason: "PreemptionByScheduler" });
    const preempted = await eventually(
      async () => (await eventsOf(c, NS, "low")).find((e) => e.reason === "Preempted"),
      "a Preempted event",
    );
    expect(preempted.message).toMatch(/^Preempted by pod [0-9a-f-]{36} on node only$/);
    // The room is the preemptor's: a lower-priority pod arriving meanwhile does not take it.
    await createPod(c, NS, "latecomer", { cpu: "1" });
    expect(await waitUnschedulable(c, NS, "latecomer")).toMatch(/^0\/1 nodes are available: 1 Insufficient cpu\./);
    // Once the kubelet finishes the victim, the preemptor binds; the latecomer was never placed.
    await finishDeletion(c, NS, "low");
    expect(await waitBound(c, NS, "high")).toBe("only");
    const latecomer = await getPod(c, NS, "latecomer");
    expect(latecomer.spec?.nodeName).toBeUndefined();
    expect(latecomer.metadata.deletionTimestamp).toBeUndefined();
  });

  it("a pod that may not preempt says so", async () => {
    const c = await createCluster("sched-never");
    await createNode(c, "n", { cpu: "1" });
    const pod = podObject("polite", { cpu: "2" });
    (pod.spec as Record<string, unknown>).preemptionPolicy = "Never";
    await c.mustCreate(podsPath(NS), pod);
    expect(await waitUnschedulable(c, NS, "polite")).toBe(
      "0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.",
    );
  });

  it("accounting survives a restart of the ClusterStore", async () => {
    const c = await createCluster("sched-restart");
    await createNode(c, "one-cpu", { cpu: "1" });
    await createPod(c, NS, "first", { cpu: "600m" });
    await waitBound(c, NS, "first");
    const stub = clusterStore(env, c.cluster);
    await evictDurableObject(stub);
    await createPod(c, NS, "second", { cpu: "600m" });
    await waitUnschedulable(c, NS, "second", "1 Insufficient cpu");
    const queued = await runInDurableObject(stub, (instance: ClusterStore) => {
      const manager = (instance as unknown as { controllers?: { byName: Map<string, unknown> } }).controllers;
      const scheduler = manager?.byName.get("default-scheduler") as
        | { snapshot: { get(name: string): { requested: { milliCPU: number }; podCount: number } | undefined } }
        | undefined;
      const info = scheduler?.snapshot.get("one-cpu");
      return info ? { cpu: info.requested.milliCPU, pods: info.podCount } : undefined;
    });
    expect(queued).toEqual({ cpu: 600, pods: 1 });
  });

  it("POST pods/binding binds like the scheduler, and a second binding is 409", async () => {
    const c = await createCluster("sched-binding");
    await createNode(c, "target");
    await createPod(c, NS, "manual", { schedulerName: "my-scheduler" });
    const binding = {
      apiVersion: "v1",
      kind: "Binding",
      metadata: { name: "manual" },
      target: { apiVersion: "v1", kind: "Node", name: "target" },
    };
    const first = await c.create(podsPath(NS, "manual") + "/binding", binding);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ kind: "Status", status: "Success", code: 201 });
    const pod = await getPod(c, NS, "manual");
    expect(pod.spec.nodeName).toBe("target");
    expect(podCondition(pod, "PodScheduled")).toMatchObject({ status: "True" });
    const second = await c.create(podsPath(NS, "manual") + "/binding", binding);
    expect(second.status).toBe(409);
    expect((second.body as Status).message).toBe(
      'Operation cannot be fulfilled on pods/binding "manual": pod manual is already assigned to node "target"',
    );
    const missing = await c.create(podsPath(NS, "ghost") + "/binding", { ...binding, metadata: { name: "ghost" } });
    expect(missing.status).toBe(404);
  });

  it("cordoned nodes take no new pods", async () => {
    const c = await createCluster("sched-cordon");
    await createNode(c, "cordoned", { unschedulable: true });
    await createPod(c, NS, "p");
    expect(await waitUnschedulable(c, NS, "p")).toBe(
      "0/1 nodes are available: 1 node(s) were unschedulable. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.",
    );
    expectStatus(
      await c.patch<Node>("/api/v1/nodes/cordoned", "strategic", { spec: { unschedulable: null } }),
      200,
      "uncordon",
    );
    expect(await waitBound(c, NS, "p")).toBe("cordoned");
  });
});
