// Cluster-wide reads served by the ClusterStore: one revision space across namespaces, lists and
// watches over every namespace, and agreement with the namespaced endpoints.
import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../api/types.ts";
import {
  cmPath,
  configMap,
  createCluster,
  expectStatus,
  rvOf,
  summarize,
  type Client,
  type ConfigMap,
  type WatchReader,
  withoutSystem,
} from "./helpers.ts";

const ALL = "/api/v1/configmaps";

const line = (type: string, object: KubeObject) =>
  `${type} ${object.metadata.namespace ?? ""}/${object.metadata.name}@${object.metadata.resourceVersion}`;

async function clusterWithNamespaces(prefix: string, count = 5): Promise<{ c: Client; namespaces: string[] }> {
  const c = await createCluster(prefix);
  const namespaces = Array.from({ length: count }, (_, i) => `ns${i}`);
  await Promise.all(namespaces.map((ns) => c.createNamespace(ns)));
  return { c, namespaces };
}

/** A mixed sequence of writes in one namespace; answers the watch lines they must produce, in order. */
async function churn(c: Client, ns: string, round: string): Promise<string[]> {
  const out: string[] = [];
  const created: ConfigMap[] = [];
  for (let i = 0; i < 3; i++) {
    const obj = await c.mustCreate<ConfigMap>(cmPath(ns), configMap(`${round}-${i}`, { i: String(i) }));
    created.push(obj);
    out.push(line("ADDED", obj));
  }
  for (const obj of created.slice(0, 2)) {
    const updated = await c.mustUpdate<ConfigMap>(cmPath(ns, obj.metadata.name), { ...obj, data: { i: "changed" } });
    out.push(line("MODIFIED", updated));
  }
  const patched = expectStatus(
    await c.patch<ConfigMap>(cmPath(ns, created[2].metadata.name), "strategic", { data: { p: "1" } }),
    200,
    "patch",
  ) as ConfigMap;
  out.push(line("MODIFIED", patched));
  const removed = expectStatus(await c.delete<ConfigMap>(cmPath(ns, created[0].metadata.name)), 200, "delete");
  out.push(line("DELETED", removed as ConfigMap));
  return out;
}

function expectIncreasing(rvs: number[]) {
  for (let i = 1; i < rvs.length; i++) expect(rvs[i], `revision ${i} of ${rvs.join(",")}`).toBeGreaterThan(rvs[i - 1]);
}

describe("cluster-wide reads", { timeout: 60_000 }, () => {
  it("concurrent writes in 5 namespaces show up in one all-namespaces list with one resourceVersion", async () => {
    const { c, namespaces } = await clusterWithNamespaces("cw-list");
    const created = (
      await Promise.all(
        namespaces.flatMap((ns) =>
          Array.from({ length: 6 }, (_, i) => c.mustCreate<ConfigMap>(cmPath(ns), configMap(`cm${i}`, { ns }))),
        ),
      )
    ).flat();
    // Every write got its own cluster revision.
    expect(new Set(created.map(rvOf)).size).toBe(created.length);

    const list = await c.mustList<ConfigMap>(ALL);
    const items = withoutSystem(list.items);
    expect(list.kind).toBe("ConfigMapList");
    expect(items).toHaveLength(30);
    const listRv = Number(list.metadata.resourceVersion);
    expect(listRv).toBeGreaterThanOrEqual(Math.max(...created.map(rvOf)));
    // Ordered by namespace, then name; each item exactly as its create answered.
    expect(items.map((i) => `${i.metadata.namespace}/${i.metadata.name}`)).toEqual(
      namespaces.flatMap((ns) => Array.from({ length: 6 }, (_, i) => `${ns}/cm${i}`)),
    );
    const byKey = new Map(created.map((o) => [`${o.metadata.namespace}/${o.metadata.name}`, o]));
    for (const item of items) expect(item).toEqual(byKey.get(`${item.metadata.namespace}/${item.metadata.name}`));

    // Namespaced reads agree with the cluster-wide copy.
    for (const ns of namespaces) {
      const nsList = await c.mustList<ConfigMap>(cmPath(ns));
      expect(nsList.items).toEqual(list.items.filter((i) => i.metadata.namespace === ns));
      expect(Number(nsList.metadata.resourceVersion)).toBeLessThanOrEqual(listRv);
    }
    for (const item of list.items) {
      const got = await c.mustGet<ConfigMap>(cmPath(item.metadata.namespace ?? "", item.metadata.name));
      expect(got.metadata.resourceVersion).toBe(item.metadata.resourceVersion);
    }

    // Selectors and pagination work across namespaces.
    const two = await c.mustList<ConfigMap>(ALL, `?fieldSelector=${encodeURIComponent("metadata.name=cm2")}`);
    expect(two.items.map((i) => i.metadata.namespace)).toEqual(namespaces);
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page: { items: KubeObject[]; metadata: { continue?: string; resourceVersion?: string } } = await c.mustList(
        ALL,
        `?limit=7${token ? `&continue=${encodeURIComponent(token)}` : ""}`,
      );
      seen.push(...page.items.map((i) => `${i.metadata.namespace}/${i.metadata.name}`));
      expect(page.metadata.resourceVersion).toBe(list.metadata.resourceVersion);
      token = page.metadata.continue;
      pages += 1;
    } while (token && pages < 20);
    expect(pages).toBe(Math.ceil(list.items.length / 7));
    expect(seen).toEqual(list.items.map((i) => `${i.metadata.namespace}/${i.metadata.name}`));
  });

  it("a cluster-wide watch from the list's resourceVersion sees every later event once, in revision order", async () => {
    const { c, namespaces } = await clusterWithNamespaces("cw-watch");
    await Promise.all(namespaces.map((ns) => c.mustCreate(cmPath(ns), configMap("before"))));
    const list = await c.mustList(ALL);
    const watch = await c.watch(ALL, `resourceVersion=${list.metadata.resourceVersion}`);

    const perNamespace = await Promise.all(namespaces.map((ns) => churn(c, ns, "r1")));
    const total = perNamespace.reduce((n, events) => n + events.length, 0);
    const events = await watch.waitForChanges(total);
    const got = summarize(events);

    // Exactly the writes' events, each once, in increasing revision order.
    expect(new Set(got).size).toBe(got.length);
    expect([...got].sort()).toEqual(perNamespace.flat().sort());
    expectIncreasing(events.map((e) => rvOf(e.object)));
    expect(rvOf(events[0].object)).toBeGreaterThan(Number(list.metadata.resourceVersion));
    // Each namespace's events keep that namespace's order.
    for (const [i, ns] of namespaces.entries()) {
      expect(got.filter((l) => l.includes(` ${ns}/`))).toEqual(perNamespace[i]);
    }

    // Nothing more: the next event is the sentinel.
    const sentinel = line("ADDED", await c.mustCreate(cmPath("ns2"), configMap("sentinel")));
    await watch.waitForChanges(total + 1);
    expect(summarize(watch.changes).slice(total)).toEqual([sentinel]);
    await watch.cancel();
  });

  it("a cluster-wide watch resumed from any event's resourceVersion delivers exactly the events after it", async () => {
    const { c, namespaces } = await clusterWithNamespaces("cw-resume");
    const list = await c.mustList(ALL);
    const full = await c.watch(ALL, `resourceVersion=${list.metadata.resourceVersion}`);
    const perNamespace = await Promise.all(namespaces.map((ns) => churn(c, ns, "r")));
    const total = perNamespace.reduce((n, events) => n + events.length, 0);
    const sequence = await full.waitForChanges(total);
    await full.cancel();

    const resumed: { from: number; watch: WatchReader }[] = [];
    for (let i = 0; i < sequence.length; i++) {
      resumed.push({ from: i, watch: await c.watch(ALL, `resourceVersion=${rvOf(sequence[i].object)}`) });
    }
    const sentinel = line("ADDED", await c.mustCreate(cmPath("ns0"), configMap("sentinel")));
    for (const { from, watch } of resumed) {
      const want = [...summarize(sequence.slice(from + 1)), sentinel];
      await watch.waitForChanges(want.length);
      expect(summarize(watch.changes), `resumed after event ${from}`).toEqual(want);
    }
    await Promise.all(resumed.map(({ watch }) => watch.cancel()));

    // Resuming a namespaced watch from a cluster-wide revision gives that namespace's later events.
    const mid = rvOf(sequence[Math.floor(sequence.length / 2)].object);
    const nsWatch = await c.watch(cmPath("ns3"), `resourceVersion=${mid}`);
    const sentinel3 = line("ADDED", await c.mustCreate(cmPath("ns3"), configMap("sentinel")));
    const want = [
      ...summarize(sequence).filter((l) => l.includes(" ns3/") && Number(l.split("@")[1]) > mid),
      sentinel3,
    ];
    await nsWatch.waitForChanges(want.length);
    expect(summarize(nsWatch.changes)).toEqual(want);
    await nsWatch.cancel();
  });

  it("a cluster-wide watch from resourceVersion 0 starts with every object of every namespace", async () => {
    const { c, namespaces } = await clusterWithNamespaces("cw-zero", 3);
    const created = await Promise.all(namespaces.map((ns) => c.mustCreate(cmPath(ns), configMap("x"))));
    const watch = await c.watch(ALL, "resourceVersion=0");
    const initial = await watch.waitForChanges(created.length);
    expect(summarize(initial)).toEqual(created.map((o) => line("ADDED", o)));
    const later = await c.mustCreate(cmPath("ns1"), configMap("y"));
    await watch.waitForChanges(created.length + 1);
    expect(summarize(watch.changes).at(-1)).toBe(line("ADDED", later));
    await watch.cancel();
  });

  it("an object read from the cluster-wide list updates on its namespaced endpoint with that resourceVersion", async () => {
    const { c, namespaces } = await clusterWithNamespaces("cw-update", 3);
    await Promise.all(namespaces.map((ns) => c.mustCreate(cmPath(ns), configMap("target", { v: "1" }))));
    // Other namespaces keep writing, so the revisions interleave.
    await Promise.all(namespaces.map((ns) => c.mustCreate(cmPath(ns), configMap("noise"))));

    const list = await c.mustList<ConfigMap>(ALL, `?fieldSelector=${encodeURIComponent("metadata.name=target")}`);
    expect(list.items).toHaveLength(3);
    for (const item of list.items) {
      const ns = item.metadata.namespace ?? "";
      const updated = await c.mustUpdate<ConfigMap>(cmPath(ns, "target"), { ...item, data: { v: "2" } });
      expect(rvOf(updated)).toBeGreaterThan(rvOf(item));
      // The stale copy is now refused.
      const stale = await c.update(cmPath(ns, "target"), { ...item, data: { v: "3" } });
      expect(stale.status).toBe(409);
      // Both views show the new revision.
      expect(await c.mustGet(cmPath(ns, "target"))).toEqual(updated);
      const again = await c.mustList<ConfigMap>(
        ALL,
        `?fieldSelector=${encodeURIComponent(`metadata.namespace=${ns}`)}`,
      );
      expect(again.items.find((i) => i.metadata.name === "target")).toEqual(updated);
    }
    // A delete precondition with the cluster-wide resourceVersion works the same way.
    const fresh = await c.mustList<ConfigMap>(ALL, `?fieldSelector=${encodeURIComponent("metadata.name=noise")}`);
    const victim = fresh.items[0];
    const removed = await c.delete(cmPath(victim.metadata.namespace ?? "", "noise"), "", {
      preconditions: { resourceVersion: victim.metadata.resourceVersion },
    });
    expect(removed.status).toBe(200);
  });

  it("refuses writes to namespaced resources without a namespace", async () => {
    const c = await createCluster("cw-nowrite");
    const result = await c.create(ALL, configMap("x"));
    expect(result.status).toBe(405);
    expect(withoutSystem((await c.mustList(ALL)).items)).toEqual([]);
  });
});
