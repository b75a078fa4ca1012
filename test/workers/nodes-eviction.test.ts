// The eviction subresource (policy/v1 Eviction): a graceful delete that a PodDisruptionBudget may
// refuse with 429, as `kubectl drain` uses it.
import { describe, expect, it } from "vitest";
import { createCluster, type Client, type Status } from "./helpers.ts";
import { createNode, createPod, getPod, podsPath, waitBound } from "./scheduler-fixtures.ts";

const NS = "default";

const eviction = (name: string) => ({
  apiVersion: "policy/v1",
  kind: "Eviction",
  metadata: { name, namespace: NS },
});

const evict = (c: Client, name: string) => c.create<Status>(podsPath(NS, name) + "/eviction", eviction(name));

async function readyPod(c: Client, name: string, labels: Record<string, string>): Promise<void> {
  await createPod(c, NS, name, { labels });
  await waitBound(c, NS, name);
  const pod = await getPod(c, NS, name);
  const conditions = [{ type: "Ready", status: "True" }];
  await c.mustUpdate(podsPath(NS, name) + "/status", {
    ...pod,
    status: { ...pod.status, phase: "Running", conditions },
  });
}

describe("pods/eviction", { timeout: 60_000 }, () => {
  it("evicts gracefully when no budget objects; 429 when the budget would be violated", async () => {
    const c = await createCluster("evict-pdb");
    await createNode(c, "n1");
    await readyPod(c, "web-1", { app: "web" });
    await readyPod(c, "web-2", { app: "web" });
    await readyPod(c, "lonely", { app: "other" });

    const free = await evict(c, "lonely");
    expect(free.status, JSON.stringify(free.body)).toBe(201);
    expect(free.body).toMatchObject({ kind: "Status", status: "Success", code: 201 });
    expect((await getPod(c, NS, "lonely")).metadata.deletionTimestamp).toBeDefined();

    await c.mustCreate("/apis/policy/v1/namespaces/default/poddisruptionbudgets", {
      apiVersion: "policy/v1",
      kind: "PodDisruptionBudget",
      metadata: { name: "web" },
      spec: { minAvailable: 1, selector: { matchLabels: { app: "web" } } },
    });
    const first = await evict(c, "web-1");
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    const second = await evict(c, "web-2");
    expect(second.status).toBe(429);
    expect(second.body).toMatchObject({
      kind: "Status",
      reason: "TooManyRequests",
      code: 429,
      message: "Cannot evict pod as it would violate the pod's disruption budget.",
      details: {
        causes: [
          { reason: "DisruptionBudget", message: "The disruption budget web needs 1 healthy pods and has 1 currently" },
        ],
      },
    });
    expect((await getPod(c, NS, "web-2")).metadata.deletionTimestamp).toBeUndefined();
    // An already terminating pod may be "evicted" again.
    expect((await evict(c, "web-1")).status).toBe(201);
  });

  it("validates the body and answers 404 for a missing pod", async () => {
    const c = await createCluster("evict-errors");
    expect((await evict(c, "ghost")).status).toBe(404);
    await createNode(c, "n1");
    await readyPod(c, "p", {});
    const mismatch = await c.create<Status>(podsPath(NS, "p") + "/eviction", eviction("q"));
    expect(mismatch.status).toBe(400);
    expect((mismatch.body as Status).message).toBe("name in URL does not match name in Eviction object");
    const get = await c.get(podsPath(NS, "p") + "/eviction");
    expect(get.status).toBe(405);
  });
});
