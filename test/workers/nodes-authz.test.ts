// Node credentials: read everything, write only the own Node, Lease, the status of (and deletion of)
// pods bound to it, and events; everything else is 403 with kube's RBAC message.
import { describe, expect, it } from "vitest";
import { createCluster, type Client, type Status } from "./helpers.ts";
import { createNode, createPod, getPod, nodeObject, nodeToken, podsPath, waitBound } from "./scheduler-fixtures.ts";

const NS = "default";
const LEASES = "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases";

function expectForbidden(result: { status: number; body: unknown }, message: string): void {
  expect(result.status, JSON.stringify(result.body)).toBe(403);
  expect(result.body).toMatchObject({ kind: "Status", reason: "Forbidden", code: 403, message });
}

async function nodeClient(admin: Client, node: string): Promise<Client> {
  return admin.withToken(await nodeToken(admin, node));
}

describe("node authorization", { timeout: 60_000 }, () => {
  it("a node registers and updates itself, and nothing else", async () => {
    const admin = await createCluster("authz-node");
    const n1 = await nodeClient(admin, "n1");
    const created = await n1.create("/api/v1/nodes", nodeObject("n1"));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect((await n1.patch("/api/v1/nodes/n1", "merge", { metadata: { labels: { zone: "a" } } })).status).toBe(200);
    const node = await n1.mustGet("/api/v1/nodes/n1");
    expect((await n1.update("/api/v1/nodes/n1/status", { ...node, status: nodeObject("n1").status })).status).toBe(200);

    expectForbidden(
      await n1.create("/api/v1/nodes", nodeObject("n2")),
      'nodes "n2" is forbidden: User "system:node:n1" cannot create resource "nodes" in API group "" at the cluster scope',
    );
    await createNode(admin, "n2");
    expectForbidden(
      await n1.patch("/api/v1/nodes/n2", "merge", { metadata: { labels: { x: "y" } } }),
      'nodes "n2" is forbidden: User "system:node:n1" cannot patch resource "nodes" in API group "" at the cluster scope',
    );
    expectForbidden(
      await n1.delete("/api/v1/nodes/n1"),
      'nodes "n1" is forbidden: User "system:node:n1" cannot delete resource "nodes" in API group "" at the cluster scope',
    );
    // Reads are allowed everywhere.
    expect((await n1.list("/api/v1/nodes")).status).toBe(200);
    expect((await n1.list("/api/v1/secrets")).status).toBe(200);
    expect((await n1.get("/api/v1/namespaces/default")).status).toBe(200);
    expectForbidden(
      await n1.create("/api/v1/namespaces/default/configmaps", {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "x" },
      }),
      'configmaps is forbidden: User "system:node:n1" cannot create resource "configmaps" in API group "" in the namespace "default"',
    );
  });

  it("its lease, but not another node's", async () => {
    const admin = await createCluster("authz-lease");
    const n1 = await nodeClient(admin, "n1");
    const lease = (name: string) => ({
      apiVersion: "coordination.k8s.io/v1",
      kind: "Lease",
      metadata: { name },
      spec: { holderIdentity: name, leaseDurationSeconds: 40 },
    });
    expect((await n1.create(LEASES, lease("n1"))).status).toBe(201);
    expect((await n1.patch(`${LEASES}/n1`, "merge", { spec: { leaseDurationSeconds: 41 } })).status).toBe(200);
    expectForbidden(
      await n1.create(LEASES, lease("n2")),
      'leases.coordination.k8s.io "n2" is forbidden: User "system:node:n1" cannot create resource "leases" in API group "coordination.k8s.io" in the namespace "kube-node-lease"',
    );
    expectForbidden(
      await n1.create("/apis/coordination.k8s.io/v1/namespaces/default/leases", lease("n1")),
      'leases.coordination.k8s.io is forbidden: User "system:node:n1" cannot create resource "leases" in API group "coordination.k8s.io" in the namespace "default"',
    );
  });

  it("pods bound to it: status and deletion; others' are forbidden; events are allowed", async () => {
    const admin = await createCluster("authz-pods");
    await createNode(admin, "n1");
    await createNode(admin, "n2");
    await createPod(admin, NS, "mine", { nodeSelector: { "kubernetes.io/hostname": "n1" } });
    await createPod(admin, NS, "theirs", { nodeSelector: { "kubernetes.io/hostname": "n2" } });
    await waitBound(admin, NS, "mine");
    await waitBound(admin, NS, "theirs");
    const n1 = await nodeClient(admin, "n1");

    const mine = await getPod(admin, NS, "mine");
    const running = { ...mine, status: { ...mine.status, phase: "Running" } };
    expect((await n1.update(podsPath(NS, "mine") + "/status", running)).status).toBe(200);
    const theirs = await getPod(admin, NS, "theirs");
    expectForbidden(
      await n1.update(podsPath(NS, "theirs") + "/status", { ...theirs, status: { phase: "Running" } }),
      'pods "theirs" is forbidden: User "system:node:n1" cannot update resource "pods/status" in API group "" in the namespace "default"',
    );
    expectForbidden(
      await n1.delete(podsPath(NS, "theirs")),
      'pods "theirs" is forbidden: User "system:node:n1" cannot delete resource "pods" in API group "" in the namespace "default"',
    );
    expectForbidden(
      await n1.update(podsPath(NS, "mine"), { ...mine }),
      'pods "mine" is forbidden: User "system:node:n1" cannot update resource "pods" in API group "" in the namespace "default"',
    );
    expect((await n1.delete(podsPath(NS, "mine"), "?gracePeriodSeconds=0")).status).toBe(200);
    expect((await admin.get(podsPath(NS, "mine"))).status).toBe(404);

    const event = await n1.create("/api/v1/namespaces/default/events", {
      apiVersion: "v1",
      kind: "Event",
      metadata: { name: "n1.started" },
      involvedObject: { kind: "Node", name: "n1" },
      reason: "Starting",
      message: "Starting kubelet.",
      type: "Normal",
    });
    expect(event.status, JSON.stringify(event.body)).toBe(201);
  });

  it("identity headers from clients are ignored", async () => {
    const admin = await createCluster("authz-spoof");
    await createNode(admin, "n2");
    await createPod(admin, NS, "victim");
    await waitBound(admin, NS, "victim");
    const n1 = await nodeClient(admin, "n1");
    const result = await n1.json<Status>(podsPath(NS, "victim"), {
      method: "DELETE",
      headers: { "x-flotilla-user-role": "admin", "x-flotilla-user-subject": "n2" },
    });
    expect(result.status).toBe(403);
  });
});
