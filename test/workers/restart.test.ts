// Durable Object restarts: evictions between writes and around watches, and the outbox that
// carries a NamespaceStore's commits to the ClusterStore across a restart.
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../api/types.ts";
import type { ClusterStore } from "../../durable-objects/cluster-store.ts";
import { clusterStore, namespaceStore } from "../../durable-objects/env.ts";
import type { NamespaceStore } from "../../durable-objects/namespace-store.ts";
import type { OutboxEvent, OutboxRuntime } from "../../durable-objects/runtime/outbox-runtime.ts";
import {
  cmPath,
  configMap,
  createCluster,
  expectStatus,
  rvOf,
  summarize,
  type Client,
  type ConfigMap,
  withoutSystem,
} from "./helpers.ts";

const ALL = "/api/v1/configmaps";

const line = (type: string, object: KubeObject) =>
  `${type} ${object.metadata.namespace ?? ""}/${object.metadata.name}@${object.metadata.resourceVersion}`;

/** Evicts a Durable Object (starting it first: workerd only evicts running objects). */
async function evict(stub: DurableObjectStub): Promise<void> {
  await runInDurableObject(stub, () => {});
  await evictDurableObject(stub);
}

const nsStub = (c: Client, ns: string) => namespaceStore(env, c.cluster, ns);
const clusterStub = (c: Client) => clusterStore(env, c.cluster);

/** The NamespaceStore's runtime, as its own requests use it (private: tests only). */
const runtimeOf = (instance: NamespaceStore) =>
  (instance as unknown as { runtimeFor(cluster: string | null, ns: string | null): OutboxRuntime }).runtimeFor(
    null,
    null,
  );

/** A ConfigMap as the create verb would store it. */
const storedConfigMap = (ns: string, name: string, data: Record<string, string>): KubeObject => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: {
    name,
    namespace: ns,
    uid: crypto.randomUUID(),
    creationTimestamp: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
    generation: 1,
  },
  data,
});

/** Commits changes through the NamespaceStore's runtime without flushing its outbox. */
async function commitWithoutFlush(c: Client, ns: string, names: string[], modify?: string): Promise<number[]> {
  return runInDurableObject(nsStub(c, ns), (instance: NamespaceStore) => {
    const rt = runtimeOf(instance);
    const seqs: number[] = [];
    for (const name of names) {
      const object = storedConfigMap(ns, name, { from: "outbox" });
      seqs.push(rt.commit({ type: "ADDED", resource: "configmaps", namespace: ns, name, object }).seq);
    }
    if (modify) {
      const row = rt.objects.get("configmaps", ns, modify);
      if (!row) throw new Error(`${modify} is not stored`);
      const object = JSON.parse(row.value) as KubeObject;
      object.data = { from: "outbox" };
      seqs.push(rt.commit({ type: "MODIFIED", resource: "configmaps", namespace: ns, name: modify, object }).seq);
    }
    expect(rt.hasPending).toBe(true);
    return seqs;
  });
}

/** seq → rv of a NamespaceStore's events (null while in the outbox). */
async function outboxState(c: Client, ns: string, seqs: number[]): Promise<(number | null)[]> {
  return runInDurableObject(nsStub(c, ns), (instance: NamespaceStore) => {
    const objects = (instance as unknown as { objects: OutboxRuntime["objects"] }).objects;
    return seqs.map((seq) => objects.eventBySeq(seq)?.rv ?? null);
  });
}

describe("restarts", { timeout: 60_000 }, () => {
  it("state and the revision counter survive evictions of both stores between writes", async () => {
    const c = await createCluster("rs-persist");
    const rvs: number[] = [];
    const a = await c.mustCreate<ConfigMap>(cmPath("default"), configMap("a", { v: "1" }));
    rvs.push(rvOf(a));
    await evict(nsStub(c, "default"));
    expect(await c.mustGet(cmPath("default", "a"))).toEqual(a);
    const a2 = await c.mustUpdate<ConfigMap>(cmPath("default", "a"), { ...a, data: { v: "2" } });
    rvs.push(rvOf(a2));
    await evict(clusterStub(c));
    const b = await c.mustCreate<ConfigMap>(cmPath("default"), configMap("b"));
    rvs.push(rvOf(b));
    await evict(clusterStub(c));
    await evict(nsStub(c, "default"));
    const stale = await c.update(cmPath("default", "a"), { ...a, data: { v: "3" } });
    expect(stale.status).toBe(409);
    await c.createNamespace("other");
    await evict(clusterStub(c));
    const o = await c.mustCreate<ConfigMap>(cmPath("other"), configMap("o"));
    rvs.push(rvOf(o));
    for (let i = 1; i < rvs.length; i++) expect(rvs[i]).toBeGreaterThan(rvs[i - 1]);

    await evict(clusterStub(c));
    await evict(nsStub(c, "default"));
    await evict(nsStub(c, "other"));
    expect(withoutSystem((await c.mustList(cmPath("default"))).items)).toEqual([a2, b]);
    expect(withoutSystem((await c.mustList(ALL)).items)).toEqual([a2, b, o]);
    const namespaces = await c.mustList("/api/v1/namespaces");
    expect(namespaces.items.map((n) => n.metadata.name)).toContain("other");
  });

  it("a watch stays correct while the other store is evicted under it", async () => {
    const c = await createCluster("rs-midwatch");
    await c.createNamespace("ns1");
    const start = await c.mustList(cmPath("default"));

    // A namespaced watch is open while the ClusterStore restarts.
    const nsWatch = await c.watch(cmPath("default"), `resourceVersion=${start.metadata.resourceVersion}`);
    const expectedNs: string[] = [line("ADDED", await c.mustCreate(cmPath("default"), configMap("a")))];
    await evict(clusterStub(c));
    expectedNs.push(line("ADDED", await c.mustCreate(cmPath("default"), configMap("b"))));
    await c.mustCreate(cmPath("ns1"), configMap("elsewhere"));
    await evict(clusterStub(c));
    expectedNs.push(line("DELETED", (await c.mustDelete<ConfigMap>(cmPath("default", "a"))) as ConfigMap));
    expect(summarize(await nsWatch.waitForChanges(expectedNs.length))).toEqual(expectedNs);
    expectStrictlyIncreasing(nsWatch.changes.map((e) => rvOf(e.object)));
    await nsWatch.cancel();

    // A cluster-wide watch is open while NamespaceStores restart.
    const list = await c.mustList(ALL);
    const clusterWatch = await c.watch(ALL, `resourceVersion=${list.metadata.resourceVersion}`);
    const expectedAll: string[] = [];
    expectedAll.push(line("ADDED", await c.mustCreate(cmPath("default"), configMap("c"))));
    await evict(nsStub(c, "default"));
    expectedAll.push(line("ADDED", await c.mustCreate(cmPath("ns1"), configMap("d"))));
    await evict(nsStub(c, "ns1"));
    expectedAll.push(line("ADDED", await c.mustCreate(cmPath("default"), configMap("e"))));
    expectedAll.push(line("ADDED", await c.mustCreate(cmPath("ns1"), configMap("f"))));
    expect(summarize(await clusterWatch.waitForChanges(expectedAll.length))).toEqual(expectedAll);
    await clusterWatch.cancel();
  });

  it("a watch resumed after an eviction from the last revision it saw misses nothing", async () => {
    const c = await createCluster("rs-resume");
    await c.createNamespace("ns1");
    for (const [path, store] of [
      [cmPath("default"), () => nsStub(c, "default")],
      [ALL, () => clusterStub(c)],
    ] as const) {
      const start = await c.mustList(path);
      const first = await c.watch(path, `resourceVersion=${start.metadata.resourceVersion}`);
      const before: string[] = [];
      for (const name of ["p1", "p2"]) {
        before.push(line("ADDED", await c.mustCreate(cmPath("default"), configMap(`${name}-${path.length}`))));
      }
      const seen = await first.waitForChanges(before.length);
      expect(summarize(seen)).toEqual(before);
      const lastSeen = rvOf(seen[seen.length - 1].object);
      // The connection drops (workerd evicts only objects without requests in flight), the store restarts.
      await first.cancel();
      await evict(store());

      const after: string[] = [];
      after.push(line("ADDED", await c.mustCreate(cmPath("default"), configMap(`q1-${path.length}`))));
      await evict(store());
      const patched = await c.patch<ConfigMap>(cmPath("default", `p1-${path.length}`), "merge", { data: { x: "y" } });
      after.push(line("MODIFIED", expectStatus(patched, 200, "patch") as ConfigMap));
      if (path === ALL) await c.mustCreate(cmPath("ns1"), configMap("other")).then((o) => after.push(line("ADDED", o)));
      await evict(store());

      const resumed = await c.watch(path, `resourceVersion=${lastSeen}`);
      expect(summarize(await resumed.waitForChanges(after.length))).toEqual(after);
      const sentinel = line("ADDED", await c.mustCreate(cmPath("default"), configMap(`s-${path.length}`)));
      await resumed.waitForChanges(after.length + 1);
      expect(summarize(resumed.changes)).toEqual([...after, sentinel]);
      await resumed.cancel();
    }
  });

  it("outbox entries left unflushed by an eviction are flushed on the next request, in order", async () => {
    const c = await createCluster("rs-outbox");
    const seed = await c.mustCreate<ConfigMap>(cmPath("default"), configMap("seed", { from: "api" }));
    const list = await c.mustList(ALL);
    const clusterWatch = await c.watch(ALL, `resourceVersion=${list.metadata.resourceVersion}`);

    const seqs = await commitWithoutFlush(c, "default", ["o1", "o2", "o3"], "seed");
    expect(await outboxState(c, "default", seqs)).toEqual([null, null, null, null]);
    await evict(nsStub(c, "default"));
    // The ClusterStore has not heard of them.
    expect(withoutSystem((await c.mustList(ALL)).items).map((i) => i.metadata.name)).toEqual(["seed"]);

    // The next request flushes the outbox before it reads.
    const nsList = await c.mustList<ConfigMap>(cmPath("default"));
    expect(withoutSystem(nsList.items).map((i) => i.metadata.name)).toEqual(["o1", "o2", "o3", "seed"]);
    const rvs = await outboxState(c, "default", seqs);
    expect(rvs.every((rv) => rv !== null)).toBe(true);
    expectStrictlyIncreasing(rvs as number[]);
    const byName = new Map(nsList.items.map((i) => [i.metadata.name, i]));
    expect(["o1", "o2", "o3", "seed"].map((n) => rvOf(byName.get(n)!))).toEqual(rvs);
    expect(byName.get("seed")!.data).toEqual({ from: "outbox" });
    expect(rvOf(byName.get("seed")!)).toBeGreaterThan(rvOf(seed));
    expect(Number(nsList.metadata.resourceVersion)).toBeGreaterThanOrEqual(rvs[3]!);

    // The cluster-wide view got them once each, in commit order, with the same revisions.
    const events = await clusterWatch.waitForChanges(4);
    expect(summarize(events)).toEqual([
      line("ADDED", byName.get("o1")!),
      line("ADDED", byName.get("o2")!),
      line("ADDED", byName.get("o3")!),
      line("MODIFIED", byName.get("seed")!),
    ]);
    expect(withoutSystem((await c.mustList<ConfigMap>(ALL)).items)).toEqual(withoutSystem(nsList.items));
    await clusterWatch.cancel();
  });

  it("the retry alarm flushes an outbox left by an eviction", async () => {
    const c = await createCluster("rs-alarm");
    await c.mustCreate(cmPath("default"), configMap("seed"));
    const seqs = await commitWithoutFlush(c, "default", ["late"]);
    await runInDurableObject(nsStub(c, "default"), (_instance: NamespaceStore, state) =>
      state.storage.setAlarm(Date.now() + 60_000),
    );
    await evict(nsStub(c, "default"));
    expect(await runDurableObjectAlarm(nsStub(c, "default"))).toBe(true);
    const [rv] = await outboxState(c, "default", seqs);
    expect(rv).not.toBeNull();
    // Visible cluster-wide without any request to the namespace.
    const all = await c.mustList<ConfigMap>(ALL);
    expect(all.items.find((i) => i.metadata.name === "late")?.metadata.resourceVersion).toBe(String(rv));
  });

  it("a batch the ClusterStore ingested but whose answer was lost gets its original revisions back", async () => {
    const c = await createCluster("rs-resend");
    await c.mustCreate(cmPath("default"), configMap("seed"));
    const list = await c.mustList(ALL);
    const clusterWatch = await c.watch(ALL, `resourceVersion=${list.metadata.resourceVersion}`);
    const seqs = await commitWithoutFlush(c, "default", ["r1", "r2"]);

    // Deliver the outbox to the ClusterStore, then "lose" the answer: the NamespaceStore records nothing.
    const pending = await runInDurableObject(nsStub(c, "default"), (instance: NamespaceStore) =>
      runtimeOf(instance)
        .objects.pendingEvents(10)
        .map((e): OutboxEvent => ({
          seq: e.seq,
          resource: e.resource,
          name: e.name,
          type: e.type,
          value: e.value,
          prevNodeName: e.prevNodeName,
        })),
    );
    expect(pending.map((e) => e.seq)).toEqual(seqs);
    const first = await runInDurableObject(clusterStub(c), (instance: ClusterStore) =>
      instance.ingest("default", pending),
    );
    await evict(nsStub(c, "default"));

    // The next request re-sends them: same revisions, no second copy in the cluster log.
    const nsList = await c.mustList<ConfigMap>(cmPath("default"));
    expect(await outboxState(c, "default", seqs)).toEqual(first.revisions);
    expect(
      withoutSystem(nsList.items)
        .filter((i) => i.metadata.name !== "seed")
        .map(rvOf),
    ).toEqual(first.revisions);
    const sentinel = await c.mustCreate(cmPath("default"), configMap("sentinel"));
    await clusterWatch.waitFor((events) => events.some((e) => e.object.metadata.name === "sentinel"), "the sentinel");
    expect(summarize(clusterWatch.changes)).toEqual([
      ...withoutSystem(nsList.items)
        .filter((i) => i.metadata.name !== "seed")
        .map((i) => line("ADDED", i)),
      line("ADDED", sentinel),
    ]);
    await clusterWatch.cancel();
  });

  it("revisions learnt but not yet written come back the same after an eviction, with no second copy", async () => {
    const c = await createCluster("rs-unwritten");
    await c.mustCreate(cmPath("default"), configMap("seed"));
    const list = await c.mustList(ALL);
    const clusterWatch = await c.watch(ALL, `resourceVersion=${list.metadata.resourceVersion}`);
    const created: ConfigMap[] = [];
    for (const name of ["u1", "u2", "u3"])
      created.push(await c.mustCreate<ConfigMap>(cmPath("default"), configMap(name)));
    // The newest revisions are written by the next write (or a second later): evict before either.
    await evict(nsStub(c, "default"));
    const after = withoutSystem((await c.mustList<ConfigMap>(cmPath("default"))).items).filter((i) =>
      i.metadata.name?.startsWith("u"),
    );
    expect(after).toEqual(created);
    const sentinel = await c.mustCreate(cmPath("default"), configMap("sentinel"));
    await clusterWatch.waitFor((events) => events.some((e) => e.object.metadata.name === "sentinel"), "the sentinel");
    expect(summarize(clusterWatch.changes)).toEqual([...created.map((i) => line("ADDED", i)), line("ADDED", sentinel)]);
    await clusterWatch.cancel();
  });

  it("a quiet namespace writes the revisions it learnt on its own", async () => {
    const c = await createCluster("rs-quiet");
    const made = await c.mustCreate<ConfigMap>(cmPath("default"), configMap("q"));
    const unwritten = () =>
      runInDurableObject(
        nsStub(c, "default"),
        (instance: NamespaceStore) => runtimeOf(instance).objects.hasUnwrittenRevisions,
      );
    for (let tries = 0; await unwritten(); tries++) {
      if (tries > 200) throw new Error("revisions still unwritten after 10 s");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const [seq] = await runInDurableObject(nsStub(c, "default"), (instance: NamespaceStore) =>
      runtimeOf(instance)
        .objects.db.all<{ seq: number }>(sql`SELECT seq FROM events WHERE name = 'q'`)
        .map((r) => r.seq),
    );
    const [rv] = await runInDurableObject(nsStub(c, "default"), (instance: NamespaceStore) =>
      runtimeOf(instance)
        .objects.db.all<{ rv: number }>(sql`SELECT rv FROM objects WHERE name = 'q'`)
        .map((r) => r.rv),
    );
    expect(seq).toBeGreaterThan(0);
    expect(rv).toBe(rvOf(made));
  });

  // Regression (was a bug in durable-objects/api-server/verbs/list.ts, watch.ts, get.ts readExisting): reads `await rt.settle()`
  // and read in a later microtask; a commit made in between (e.g. by a deletecollection or another
  // verb resuming from the same flush) is read while still in the outbox: the item has no
  // resourceVersion, and the list's resourceVersion is older than the state it shows.
  it("a read never shows a change that is still in the outbox", async () => {
    const c = await createCluster("rs-window");
    await c.mustCreate(cmPath("default"), configMap("seed"));
    const body = await runInDurableObject(nsStub(c, "default"), async (instance: NamespaceStore) => {
      const rt = runtimeOf(instance);
      await rt.settle();
      // Another request's commit lands right after the list's wait for the outbox returned (as when
      // two requests wake from the same flush), before the list reads.
      const settle = rt.settle.bind(rt);
      let raced = false;
      rt.settle = async () => {
        await settle();
        if (raced) return;
        raced = true;
        rt.commit({
          type: "ADDED",
          resource: "configmaps",
          namespace: "default",
          name: "racing",
          object: storedConfigMap("default", "racing", {}),
        });
      };
      const response = await instance.fetch(
        new Request("https://store.flotilla.internal/api/v1/namespaces/default/configmaps", {
          headers: { "x-flotilla-cluster": c.cluster, "x-flotilla-namespace": "default" },
        }),
      );
      rt.settle = settle;
      return (await response.json()) as { items: KubeObject[] };
    });
    expect(body.items.map((i) => i.metadata.name)).toContain("racing");
    for (const item of body.items)
      expect(item.metadata.resourceVersion ?? "(none)", item.metadata.name).toMatch(/^\d+$/);
  });

  // Regression (was a bug in durable-objects/cluster-store.ts ingest + runtime/compactor.ts): re-sent outbox entries are
  // recognised through the (origin_namespace, origin_seq) of rows in `events`, which compaction deletes.
  // An entry re-sent after the ClusterStore compacted past its first ingestion gets a second revision:
  // the cluster log holds the change twice and the namespace and cluster-wide revisions disagree.
  it("a re-sent batch keeps its revisions even after the ClusterStore compacted its history", async () => {
    const c = await createCluster("rs-resend-compact");
    await c.createNamespace("busy");
    await c.mustCreate(cmPath("default"), configMap("seed"));
    const seqs = await commitWithoutFlush(c, "default", ["lost"]);
    const pending = await runInDurableObject(nsStub(c, "default"), (instance: NamespaceStore) =>
      runtimeOf(instance)
        .objects.pendingEvents(10)
        .map((e): OutboxEvent => ({
          seq: e.seq,
          resource: e.resource,
          name: e.name,
          type: e.type,
          value: e.value,
          prevNodeName: e.prevNodeName,
        })),
    );
    const first = await runInDurableObject(clusterStub(c), (instance: ClusterStore) =>
      instance.ingest("default", pending),
    );
    // More than HISTORY_EVENTS (50) writes elsewhere before the answer is re-requested.
    await c.mustCreate(cmPath("busy"), configMap("filler", { n: "0" }));
    for (let i = 1; i <= 60; i++) {
      expectStatus(await c.patch(cmPath("busy", "filler"), "merge", { data: { n: String(i) } }), 200, "filler");
    }
    await evict(nsStub(c, "default"));
    await c.mustList(cmPath("default"));
    expect(await outboxState(c, "default", seqs)).toEqual(first.revisions);
  });
});

function expectStrictlyIncreasing(rvs: number[]) {
  for (let i = 1; i < rvs.length; i++) expect(rvs[i], `revisions ${rvs.join(",")}`).toBeGreaterThan(rvs[i - 1]);
}
