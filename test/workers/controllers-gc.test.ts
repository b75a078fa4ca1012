// The garbage collector inside a NamespaceStore: Background, Foreground and Orphan deletion,
// with ConfigMaps wired by hand and with Deployment → ReplicaSet → Pod chains made by the
// workload controllers. The test drives the store's alarm (runDurableObjectAlarm).
import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { KubeObject, OwnerReference } from "../../api/types.ts";
import { describe, expect, it } from "vitest";
import { cmPath, configMap, createCluster, expectStatus, type Client } from "./helpers.ts";

const NS = "default";
const DEPLOYMENTS = `/apis/apps/v1/namespaces/${NS}/deployments`;
const REPLICASETS = `/apis/apps/v1/namespaces/${NS}/replicasets`;
const PODS = `/api/v1/namespaces/${NS}/pods`;

const storeOf = (c: Client) => env.NAMESPACE_STORE.get(env.NAMESPACE_STORE.idFromName(`${c.cluster}/${NS}`));

async function driveUntil(c: Client, done: () => Promise<boolean>, what: string, attempts = 40): Promise<void> {
  const stub = storeOf(c);
  for (let i = 0; i < attempts; i++) {
    if (await done()) return;
    await runDurableObjectAlarm(stub);
  }
  if (await done()) return;
  throw new Error(`controllers did not reach: ${what}`);
}

/** Runs the alarm a few times: for checking that something does NOT happen. */
async function settle(c: Client): Promise<void> {
  for (let i = 0; i < 5; i++) await runDurableObjectAlarm(storeOf(c));
}

const refTo = (owner: KubeObject, extra: Partial<OwnerReference> = {}): OwnerReference => ({
  apiVersion: owner.apiVersion ?? "v1",
  kind: owner.kind ?? "ConfigMap",
  name: owner.metadata.name ?? "",
  uid: owner.metadata.uid ?? "",
  ...extra,
});

const owned = (name: string, refs: OwnerReference[], finalizers?: string[]) => {
  const body = configMap(name) as KubeObject;
  body.metadata.ownerReferences = refs;
  if (finalizers) body.metadata.finalizers = finalizers;
  return body;
};

/** A DELETE that was accepted (Kubernetes answers 200 even when finalizers hold the object; Flotilla may say 202). */
function expectDeleteAccepted(result: { status: number; body: unknown }, what: string): void {
  if (result.status !== 200 && result.status !== 202) expectStatus(result, 200, what);
}

const exists = async (c: Client, path: string) => (await c.get(path)).status === 200;

describe("garbage collector", { timeout: 60_000 }, () => {
  it("Background: dependents of a deleted owner go; a second owner keeps its dependent", async () => {
    const c = await createCluster("gc-bg");
    const owner = await c.mustCreate<KubeObject>(cmPath(NS), configMap("owner"));
    const other = await c.mustCreate<KubeObject>(cmPath(NS), configMap("other"));
    await c.mustCreate(cmPath(NS), owned("child", [refTo(owner)]));
    await c.mustCreate(cmPath(NS), owned("shared", [refTo(owner), refTo(other)]));
    await settle(c);
    expect(await exists(c, cmPath(NS, "child"))).toBe(true);

    expectDeleteAccepted(await c.delete(cmPath(NS, "owner")), "delete owner");
    await driveUntil(c, async () => !(await exists(c, cmPath(NS, "child"))), "child collected");
    await driveUntil(
      c,
      async () => (await c.mustGet<KubeObject>(cmPath(NS, "shared"))).metadata.ownerReferences?.length === 1,
      "shared keeps only its other owner",
    );
    const shared = await c.mustGet<KubeObject>(cmPath(NS, "shared"));
    expect(shared.metadata.ownerReferences?.map((r) => r.name)).toEqual(["other"]);
  });

  it("an object whose owner does not exist (wrong uid) is collected", async () => {
    const c = await createCluster("gc-dangling");
    const owner = await c.mustCreate<KubeObject>(cmPath(NS), configMap("owner"));
    await c.mustCreate(cmPath(NS), owned("stale", [{ ...refTo(owner), uid: "00000000-0000-0000-0000-000000000000" }]));
    await c.mustCreate(cmPath(NS), owned("ghost", [{ apiVersion: "v1", kind: "ConfigMap", name: "nobody", uid: "x" }]));
    // Cluster-scoped owners are out of scope here: never collected by the namespace's collector.
    await c.mustCreate(cmPath(NS), owned("node-owned", [{ apiVersion: "v1", kind: "Node", name: "n1", uid: "y" }]));
    await driveUntil(
      c,
      async () => !(await exists(c, cmPath(NS, "stale"))) && !(await exists(c, cmPath(NS, "ghost"))),
      "dangling dependents collected",
    );
    expect(await exists(c, cmPath(NS, "node-owned"))).toBe(true);
  });

  it("Foreground: the owner waits (foregroundDeletion) until its blocking dependents are gone", async () => {
    const c = await createCluster("gc-fg");
    const owner = await c.mustCreate<KubeObject>(cmPath(NS), configMap("owner"));
    await c.mustCreate(
      cmPath(NS),
      owned("blocker", [refTo(owner, { blockOwnerDeletion: true })], ["example.com/hold"]),
    );
    await c.mustCreate(cmPath(NS), owned("loose", [refTo(owner)]));

    expectDeleteAccepted(await c.delete(cmPath(NS, "owner"), "?propagationPolicy=Foreground"), "foreground delete");
    await driveUntil(
      c,
      async () => (await c.mustGet<KubeObject>(cmPath(NS, "blocker"))).metadata.deletionTimestamp !== undefined,
      "the blocking dependent being deleted",
    );
    await settle(c);
    const waiting = await c.mustGet<KubeObject>(cmPath(NS, "owner"));
    expect(waiting.metadata.deletionTimestamp).toBeDefined();
    expect(waiting.metadata.finalizers).toEqual(["foregroundDeletion"]);

    // The dependent's own finalizer comes off: it goes, then the owner, then the non-blocking one.
    const blocker = await c.mustGet<KubeObject>(cmPath(NS, "blocker"));
    expectStatus(
      await c.update(cmPath(NS, "blocker"), { ...blocker, metadata: { ...blocker.metadata, finalizers: [] } }),
      200,
      "release blocker",
    );
    await driveUntil(c, async () => !(await exists(c, cmPath(NS, "owner"))), "owner deleted");
    await driveUntil(c, async () => !(await exists(c, cmPath(NS, "loose"))), "non-blocking dependent collected");
  });

  it("Orphan: dependents lose the owner reference and stay", async () => {
    const c = await createCluster("gc-orphan");
    const owner = await c.mustCreate<KubeObject>(cmPath(NS), configMap("owner"));
    const other = await c.mustCreate<KubeObject>(cmPath(NS), configMap("other"));
    await c.mustCreate(cmPath(NS), owned("child", [refTo(owner, { controller: true, blockOwnerDeletion: true })]));
    await c.mustCreate(cmPath(NS), owned("two", [refTo(owner), refTo(other)]));

    expectDeleteAccepted(await c.delete(cmPath(NS, "owner"), "?propagationPolicy=Orphan"), "orphan delete");
    await driveUntil(c, async () => !(await exists(c, cmPath(NS, "owner"))), "owner deleted");
    await settle(c);
    expect((await c.mustGet<KubeObject>(cmPath(NS, "child"))).metadata.ownerReferences).toBeUndefined();
    expect((await c.mustGet<KubeObject>(cmPath(NS, "two"))).metadata.ownerReferences?.map((r) => r.name)).toEqual([
      "other",
    ]);
  });
});

describe("garbage collector with workloads", { timeout: 60_000 }, () => {
  const deployment = (name: string, replicas: number) => ({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "web", image: "nginx" }] } },
    },
  });
  const count = async (c: Client, path: string) => (await c.mustList(path)).items.length;

  it("Background: deleting a Deployment removes its ReplicaSet and pods", async () => {
    const c = await createCluster("gc-deploy-bg");
    await c.mustCreate(DEPLOYMENTS, deployment("web", 2));
    await driveUntil(c, async () => (await count(c, PODS)) === 2, "2 pods");
    expectDeleteAccepted(await c.delete(`${DEPLOYMENTS}/web`), "delete deployment");
    await driveUntil(
      c,
      async () => (await count(c, REPLICASETS)) === 0 && (await count(c, PODS)) === 0,
      "ReplicaSet and pods collected",
    );
  });

  it("Foreground: pods, then the ReplicaSet, then the Deployment", async () => {
    const c = await createCluster("gc-deploy-fg");
    await c.mustCreate(DEPLOYMENTS, deployment("web", 2));
    await driveUntil(c, async () => (await count(c, PODS)) === 2, "2 pods");
    const watch = await c.watch(`${PODS}`, "");
    const rsWatch = await c.watch(`${REPLICASETS}`, "");
    const dWatch = await c.watch(`${DEPLOYMENTS}`, "");
    expectDeleteAccepted(await c.delete(`${DEPLOYMENTS}/web`, "?propagationPolicy=Foreground"), "foreground delete");
    await driveUntil(c, async () => !(await exists(c, `${DEPLOYMENTS}/web`)), "Deployment deleted");
    expect(await count(c, REPLICASETS)).toBe(0);
    expect(await count(c, PODS)).toBe(0);

    // Order of the DELETED events: both pods before the ReplicaSet, the ReplicaSet before the Deployment.
    const deletedAt = async (w: typeof watch, n: number) => {
      await w.waitFor((events) => events.filter((e) => e.type === "DELETED").length >= n, `${n} deletions`);
      return w.events.filter((e) => e.type === "DELETED").map((e) => Number(e.object.metadata.resourceVersion));
    };
    const pods = await deletedAt(watch, 2);
    const [rs] = await deletedAt(rsWatch, 1);
    const [d] = await deletedAt(dWatch, 1);
    expect(Math.max(...pods)).toBeLessThan(rs!);
    expect(rs!).toBeLessThan(d!);
    // While it waited, the ReplicaSet carried foregroundDeletion too.
    expect(
      rsWatch.events.some(
        (e) => e.type === "MODIFIED" && (e.object.metadata.finalizers ?? []).includes("foregroundDeletion"),
      ),
    ).toBe(true);
    for (const w of [watch, rsWatch, dWatch]) await w.cancel();
  });

  it("Orphan: the ReplicaSet and its pods stay, without the Deployment as owner", async () => {
    const c = await createCluster("gc-deploy-orphan");
    await c.mustCreate(DEPLOYMENTS, deployment("web", 2));
    await driveUntil(c, async () => (await count(c, PODS)) === 2, "2 pods");
    expectDeleteAccepted(await c.delete(`${DEPLOYMENTS}/web`, "?propagationPolicy=Orphan"), "orphan delete");
    await driveUntil(c, async () => !(await exists(c, `${DEPLOYMENTS}/web`)), "Deployment deleted");
    await settle(c);
    const replicaSets = (await c.mustList<KubeObject>(REPLICASETS)).items;
    expect(replicaSets).toHaveLength(1);
    expect(replicaSets[0]!.metadata.ownerReferences).toBeUndefined();
    expect(await count(c, PODS)).toBe(2);
  });
});
