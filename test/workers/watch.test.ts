// Namespaced watches served by a NamespaceStore: replay from a resourceVersion, initial state,
// compaction (410 Expired), bookmarks, timeouts, selector transitions and Table output.
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
  type Status,
  type WatchEvent,
} from "./helpers.ts";

const NS = "default";
const TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io";

/** `TYPE ns/name@rv` as summarize() renders it. */
const line = (type: string, object: KubeObject) =>
  `${type} ${object.metadata.namespace ?? ""}/${object.metadata.name}@${object.metadata.resourceVersion}`;

async function patched(c: Client, name: string, patch: unknown): Promise<ConfigMap> {
  return expectStatus(await c.patch<ConfigMap>(cmPath(NS, name), "merge", patch), 200, `patch ${name}`) as ConfigMap;
}

async function deleted(c: Client, name: string): Promise<ConfigMap> {
  return expectStatus(await c.delete<ConfigMap>(cmPath(NS, name)), 200, `delete ${name}`) as ConfigMap;
}

describe("namespaced watch", { timeout: 30_000 }, () => {
  it("from the list's resourceVersion delivers exactly the later changes, in order", async () => {
    const c = await createCluster("w-list");
    await c.mustCreate(cmPath(NS), configMap("a", { v: "0" }));
    await c.mustCreate(cmPath(NS), configMap("b", { v: "0" }));
    const list = await c.mustList(cmPath(NS));
    const watch = await c.watch(cmPath(NS), `resourceVersion=${list.metadata.resourceVersion}`);

    const expected: string[] = [];
    expected.push(line("ADDED", await c.mustCreate(cmPath(NS), configMap("c"))));
    expected.push(line("MODIFIED", await patched(c, "a", { data: { v: "1" } })));
    const b = await c.mustGet<ConfigMap>(cmPath(NS, "b"));
    expected.push(line("MODIFIED", await c.mustUpdate(cmPath(NS, "b"), { ...b, data: { v: "2" } })));
    expected.push(line("DELETED", await deleted(c, "c")));
    expected.push(line("ADDED", await c.mustCreate(cmPath(NS), configMap("d"))));

    const events = await watch.waitForChanges(expected.length);
    expect(summarize(events)).toEqual(expected);
    const rvs = events.map((e) => rvOf(e.object));
    expect(rvs[0]).toBeGreaterThan(Number(list.metadata.resourceVersion));
    for (let i = 1; i < rvs.length; i++) expect(rvs[i]).toBeGreaterThan(rvs[i - 1]);
    // The DELETED event carries the object's last state.
    expect(events[3].object.metadata.name).toBe("c");

    // Nothing else arrives: the next event is the next write.
    const sentinel = await c.mustCreate(cmPath(NS), configMap("sentinel"));
    await watch.waitForChanges(expected.length + 1);
    expect(summarize(watch.changes)).toEqual([...expected, line("ADDED", sentinel)]);
    await watch.cancel();
  });

  it('from resourceVersion "0" or unset starts with ADDED for the current state, then live changes', async () => {
    const c = await createCluster("w-zero");
    const a = await c.mustCreate(cmPath(NS), configMap("a"));
    const b = await c.mustCreate(cmPath(NS), configMap("b"));
    await c.mustCreate(cmPath(NS), configMap("gone"));
    await deleted(c, "gone");
    const bNow = await patched(c, "b", { data: { x: "1" } });

    const current = [line("ADDED", a), line("ADDED", bNow)];
    for (const [query, name] of [
      ["resourceVersion=0", "live1"],
      ["", "live2"],
    ]) {
      const watch = await c.watch(cmPath(NS), query);
      const initial = await watch.waitForChanges(current.length);
      expect(summarize(initial)).toEqual(current);
      expect(initial[1].object).toEqual(bNow);
      const next = line("ADDED", await c.mustCreate(cmPath(NS), configMap(name)));
      await watch.waitForChanges(current.length + 1);
      expect(summarize(watch.changes)).toEqual([...current, next]);
      current.push(next);
      await watch.cancel();
    }
    expect(rvOf(bNow)).toBeGreaterThan(rvOf(b));
  });

  it("resumed from the resourceVersion of any event delivers exactly the events after it", async () => {
    const c = await createCluster("w-resume");
    const start = await c.mustList(cmPath(NS));
    const full = await c.watch(cmPath(NS), `resourceVersion=${start.metadata.resourceVersion}`);
    await c.mustCreate(cmPath(NS), configMap("a"));
    await c.mustCreate(cmPath(NS), configMap("b"));
    await patched(c, "a", { data: { k: "1" } });
    await deleted(c, "b");
    await patched(c, "a", { data: { k: "2" } });
    await c.mustCreate(cmPath(NS), configMap("c"));
    const sequence = await full.waitForChanges(6);
    await full.cancel();

    const resumed: { from: number; watch: Awaited<ReturnType<Client["watch"]>> }[] = [];
    for (let i = 0; i < sequence.length; i++) {
      resumed.push({ from: i, watch: await c.watch(cmPath(NS), `resourceVersion=${rvOf(sequence[i].object)}`) });
    }
    const sentinel = line("ADDED", await c.mustCreate(cmPath(NS), configMap("sentinel")));
    for (const { from, watch } of resumed) {
      const want = [...summarize(sequence.slice(from + 1)), sentinel];
      await watch.waitForChanges(want.length);
      expect(summarize(watch.changes), `resumed after event ${from}`).toEqual(want);
      await watch.cancel();
    }
  });

  it("from a compacted resourceVersion answers 200 then an ERROR event with 410 Expired", async () => {
    const c = await createCluster("w-expired");
    await c.mustCreate(cmPath(NS), configMap("busy", { n: "0" }));
    const first = await c.mustList(cmPath(NS));
    const firstRv = Number(first.metadata.resourceVersion);
    let last: ConfigMap | undefined;
    for (let i = 1; i <= 65; i++) last = await patched(c, "busy", { data: { n: String(i) } });

    for (const path of [cmPath(NS), "/api/v1/configmaps"]) {
      const watch = await c.watch(path, `resourceVersion=${firstRv}`);
      expect(watch.response.status).toBe(200);
      await watch.closed();
      expect(watch.events).toHaveLength(1);
      const [event] = watch.events as unknown as WatchEvent<Status>[];
      expect(event.type).toBe("ERROR");
      expect(event.object).toMatchObject({ kind: "Status", status: "Failure", code: 410, reason: "Expired" });
      expect(event.object.message).toMatch(new RegExp(`^too old resource version: ${firstRv} \\(\\d+\\)$`));
    }

    // A recent resourceVersion still resumes.
    const recent = await c.watch(cmPath(NS), `resourceVersion=${rvOf(last!)}`);
    const next = await patched(c, "busy", { data: { n: "last" } });
    expect(summarize(await recent.waitForChanges(1))).toEqual([line("MODIFIED", next)]);
    await recent.cancel();
  });

  it("sends bookmarks only when allowWatchBookmarks=true", async () => {
    const c = await createCluster("w-bookmark");
    await c.mustCreate(cmPath(NS), configMap("a"));
    const rv = (await c.mustList(cmPath(NS))).metadata.resourceVersion;

    const plain = await c.watch(cmPath(NS), `resourceVersion=${rv}`);
    const withBookmarks = await c.watch(cmPath(NS), `resourceVersion=${rv}&allowWatchBookmarks=true`);
    await withBookmarks.waitFor((events) => events.some((e) => e.type === "BOOKMARK"), "a bookmark");
    const bookmark = withBookmarks.bookmarks[0];
    expect(bookmark.object).toEqual({ kind: "ConfigMap", apiVersion: "v1", metadata: { resourceVersion: rv } });

    // After a write, bookmarks carry at least its revision.
    const written = await c.mustCreate(cmPath(NS), configMap("b"));
    const count = withBookmarks.bookmarks.length;
    await withBookmarks.waitFor(
      (events) => events.filter((e) => e.type === "BOOKMARK").length > count + 1,
      "two more bookmarks",
    );
    expect(rvOf(withBookmarks.bookmarks[withBookmarks.bookmarks.length - 1].object)).toBeGreaterThanOrEqual(
      rvOf(written),
    );
    expect(summarize(withBookmarks.changes)).toEqual([line("ADDED", written)]);

    // Several bookmark intervals (300 ms) pass: keepalives (200 ms) arrive, bookmarks do not.
    await plain.waitFor(() => plain.keepalives >= 5, "five keepalives");
    expect(plain.bookmarks).toEqual([]);
    expect(summarize(plain.events)).toEqual([line("ADDED", written)]);
    await plain.cancel();
    await withBookmarks.cancel();
  });

  it("timeoutSeconds closes the stream", async () => {
    const c = await createCluster("w-timeout");
    const started = Date.now();
    const watch = await c.watch(cmPath(NS), "timeoutSeconds=1");
    await watch.closed(10_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(watch.failure).toBeUndefined();
    expect(watch.events).toEqual([]);
  });

  it("a label-selector watch sees ADDED when an object starts matching and DELETED when it stops", async () => {
    const c = await createCluster("w-selector");
    await c.mustCreate(cmPath(NS), configMap("pre-web", {}, { app: "web" }));
    await c.mustCreate(cmPath(NS), configMap("pre-db", {}, { app: "db" }));
    const rv = (await c.mustList(cmPath(NS))).metadata.resourceVersion;
    const watch = await c.watch(cmPath(NS), `resourceVersion=${rv}&labelSelector=app%3Dweb`);
    const initial = await c.watch(cmPath(NS), `resourceVersion=0&labelSelector=app%3Dweb`);

    const expected: string[] = [];
    await c.mustCreate(cmPath(NS), configMap("x", {}, { app: "db" }));
    expected.push(line("ADDED", await patched(c, "x", { metadata: { labels: { app: "web" } } })));
    expected.push(line("MODIFIED", await patched(c, "x", { data: { k: "1" } })));
    expected.push(line("DELETED", await patched(c, "x", { metadata: { labels: { app: "db" } } })));
    await patched(c, "x", { data: { k: "2" } });
    await deleted(c, "x");
    await patched(c, "pre-db", { data: { k: "1" } });
    expected.push(line("ADDED", await c.mustCreate(cmPath(NS), configMap("y", {}, { app: "web" }))));
    expected.push(line("DELETED", await deleted(c, "y")));
    expected.push(line("ADDED", await c.mustCreate(cmPath(NS), configMap("z", {}, { app: "web" }))));

    expect(summarize(await watch.waitForChanges(expected.length))).toEqual(expected);
    const initialEvents = await initial.waitForChanges(expected.length + 1);
    expect(initialEvents[0].type).toBe("ADDED");
    expect(initialEvents[0].object.metadata.name).toBe("pre-web");
    expect(summarize(initialEvents.slice(1))).toEqual(expected);

    // A field-selector watch follows the same rule.
    const byName = await c.watch(cmPath(NS), `resourceVersion=${rv}&fieldSelector=metadata.name%3Dz`);
    expect(summarize(await byName.waitForChanges(1))).toEqual([expected[expected.length - 1]]);
    await Promise.all([watch.cancel(), initial.cancel(), byName.cancel()]);
  });

  // Regression (was a bug in durable-objects/watch/watch-hub.ts deliver + storage/object-store.ts previousValue): the state
  // an object had before a MODIFIED event is looked up in the event log; once compaction removed it,
  // `matchedBefore` is guessed as `!matchesNow`, so a never-matching object's change is sent as DELETED
  // and a still-matching object's change as ADDED. Kubernetes' watch cache keeps the previous object.
  it("selector transitions stay right after the object's earlier history was compacted", async () => {
    const c = await createCluster("w-sel-compact");
    await c.mustCreate(cmPath(NS), configMap("never", {}, { app: "db" }));
    await c.mustCreate(cmPath(NS), configMap("always", {}, { app: "web" }));
    await c.mustCreate(cmPath(NS), configMap("filler", { n: "0" }));
    // HISTORY_EVENTS=50: push both objects' events out of the history.
    for (let i = 1; i <= 60; i++) await patched(c, "filler", { data: { n: String(i) } });
    const rv = (await c.mustList(cmPath(NS))).metadata.resourceVersion;
    const watch = await c.watch(cmPath(NS), `resourceVersion=${rv}&labelSelector=app%3Dweb`);

    await patched(c, "never", { data: { k: "1" } }); // never matched: nothing to send
    const modified = await patched(c, "always", { data: { k: "1" } }); // matched before and after: MODIFIED
    const sentinel = await c.mustCreate(cmPath(NS), configMap("sentinel", {}, { app: "web" }));
    await watch.waitFor((events) => events.some((e) => e.object.metadata?.name === "sentinel"), "the sentinel");
    expect(summarize(watch.changes)).toEqual([line("MODIFIED", modified), line("ADDED", sentinel)]);
    await watch.cancel();
  });

  it("serves a Table watch (kubectl get -w)", async () => {
    const c = await createCluster("w-table");
    const a = await c.mustCreate<ConfigMap>(cmPath(NS), configMap("a", { k1: "v", k2: "v" }));
    const watch = await c.watch(cmPath(NS), "resourceVersion=0", TABLE);
    const b = await c.mustCreate<ConfigMap>(cmPath(NS), configMap("b"));
    const events = (await watch.waitForChanges(2)) as unknown as WatchEvent<{
      kind: string;
      apiVersion: string;
      columnDefinitions: { name: string }[];
      rows: { cells: unknown[]; object: KubeObject }[];
    }>[];
    expect(events.map((e) => e.type)).toEqual(["ADDED", "ADDED"]);
    const [first, second] = events.map((e) => e.object);
    expect(first.kind).toBe("Table");
    expect(first.apiVersion).toBe("meta.k8s.io/v1");
    expect(first.columnDefinitions.map((col) => col.name)).toEqual(["Name", "Data", "Age"]);
    expect(first.rows).toHaveLength(1);
    expect(first.rows[0].cells.slice(0, 2)).toEqual(["a", 2]);
    expect(first.rows[0].object).toMatchObject({
      kind: "PartialObjectMetadata",
      apiVersion: "meta.k8s.io/v1",
      metadata: { name: "a", resourceVersion: a.metadata.resourceVersion },
    });
    // Column definitions come once per watch.
    expect(second.columnDefinitions).toEqual([]);
    expect(second.rows[0].cells[0]).toBe("b");
    expect(second.rows[0].object.metadata.resourceVersion).toBe(b.metadata.resourceVersion);
    await watch.cancel();
  });

  it("rejects watch parameters it cannot serve before streaming", async () => {
    const c = await createCluster("w-params");
    const bad = await c.call(cmPath(NS) + "?watch=true&resourceVersion=abc");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as Status).reason).toBe("BadRequest");
    const selector = await c.call(cmPath(NS) + "?watch=true&labelSelector=" + encodeURIComponent("a in (b"));
    expect(selector.status).toBe(400);
    await selector.body?.cancel();
  });
});
