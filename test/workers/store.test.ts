// Namespaced CRUD through the Worker and a NamespaceStore: revisions, preconditions, errors,
// dry runs, finalizers, selectors and pagination. Every test works in its own logical cluster.
import { describe, expect, it } from "vitest";
import type { KubeList, KubeObject } from "../../api/types.ts";
import {
  cmPath,
  configMap,
  createCluster,
  expectStatus,
  rvOf,
  snapshotOf,
  type Client,
  type ConfigMap,
  type Status,
  withoutSystem,
} from "./helpers.ts";

const NS = "default";

async function snapshot(c: Client, namespace = NS) {
  return snapshotOf(await c.mustList(cmPath(namespace)));
}

function expectFailure(result: { status: number; body: unknown }, code: number, reason: string): Status {
  const status = result.body as Status;
  expect(result.status, JSON.stringify(result.body)).toBe(code);
  expect(status.kind).toBe("Status");
  expect(status.apiVersion).toBe("v1");
  expect(status.status).toBe("Failure");
  expect(status.code).toBe(code);
  expect(status.reason).toBe(reason);
  return status;
}

describe("namespaced CRUD", { timeout: 30_000 }, () => {
  it("create, get, list, update, patch (merge, json, strategic) and delete move resourceVersion forward", async () => {
    const c = await createCluster("crud");
    const created = await c.mustCreate<ConfigMap>(cmPath(NS), configMap("app", { a: "1" }, { tier: "web" }));
    expect(created.metadata.name).toBe("app");
    expect(created.metadata.namespace).toBe(NS);
    expect(created.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const rv1 = rvOf(created);

    const got = await c.mustGet<ConfigMap>(cmPath(NS, "app"));
    expect(got).toEqual(created);

    const list = await c.mustList<ConfigMap>(cmPath(NS));
    expect(list.kind).toBe("ConfigMapList");
    expect(list.apiVersion).toBe("v1");
    expect(withoutSystem(list.items)).toEqual([created]);
    expect(Number(list.metadata.resourceVersion)).toBeGreaterThanOrEqual(rv1);

    // PUT with the current resourceVersion.
    const updated = await c.mustUpdate<ConfigMap>(cmPath(NS, "app"), { ...created, data: { a: "2" } });
    const rv2 = rvOf(updated);
    expect(rv2).toBeGreaterThan(rv1);
    expect(updated.data).toEqual({ a: "2" });
    expect(updated.metadata.uid).toBe(created.metadata.uid);

    // Merge patch: adds a key, removes another with null.
    const merged = expectStatus(
      await c.patch<ConfigMap>(cmPath(NS, "app"), "merge", { data: { b: "3", a: null } }),
      200,
      "merge patch",
    ) as ConfigMap;
    const rv3 = rvOf(merged);
    expect(rv3).toBeGreaterThan(rv2);
    expect(merged.data).toEqual({ b: "3" });

    // JSON patch with a test operation.
    const jsonPatched = expectStatus(
      await c.patch<ConfigMap>(cmPath(NS, "app"), "json", [
        { op: "test", path: "/data/b", value: "3" },
        { op: "add", path: "/data/c", value: "4" },
        { op: "replace", path: "/metadata/labels/tier", value: "api" },
      ]),
      200,
      "json patch",
    ) as ConfigMap;
    const rv4 = rvOf(jsonPatched);
    expect(rv4).toBeGreaterThan(rv3);
    expect(jsonPatched.data).toEqual({ b: "3", c: "4" });
    expect(jsonPatched.metadata.labels).toEqual({ tier: "api" });

    // Strategic merge patch: finalizers merge as a set (a merge patch would replace the list).
    const withFinalizer = expectStatus(
      await c.patch<ConfigMap>(cmPath(NS, "app"), "merge", { metadata: { finalizers: ["example.com/a"] } }),
      200,
      "add a finalizer",
    ) as ConfigMap;
    const strategic = expectStatus(
      await c.patch<ConfigMap>(cmPath(NS, "app"), "strategic", {
        metadata: { finalizers: ["example.com/b"] },
        data: { d: "5" },
      }),
      200,
      "strategic merge patch",
    ) as ConfigMap;
    expect(rvOf(strategic)).toBeGreaterThan(rvOf(withFinalizer));
    // Kubernetes' order: patch items not yet in the list first, then the server's (mergeSortedSlice).
    expect(strategic.metadata.finalizers).toEqual(["example.com/b", "example.com/a"]);
    expect(strategic.data).toEqual({ b: "3", c: "4", d: "5" });

    // A patch that changes nothing writes nothing.
    const unchanged = expectStatus(
      await c.patch<ConfigMap>(cmPath(NS, "app"), "merge", { data: { d: "5" } }),
      200,
      "no-op patch",
    ) as ConfigMap;
    expect(unchanged.metadata.resourceVersion).toBe(strategic.metadata.resourceVersion);

    // Delete: drop the finalizers first so it goes at once.
    const cleared = expectStatus(
      await c.patch<ConfigMap>(cmPath(NS, "app"), "merge", { metadata: { finalizers: null } }),
      200,
      "clear finalizers",
    ) as ConfigMap;
    const deleted = await c.delete(cmPath(NS, "app"));
    expect(deleted.status).toBe(200);
    expect(rvOf(deleted.body as KubeObject)).toBeGreaterThan(rvOf(cleared));
    expectFailure(await c.get(cmPath(NS, "app")), 404, "NotFound");
    expect(withoutSystem((await c.mustList(cmPath(NS))).items)).toEqual([]);
  });

  it("every resourceVersion a client sees is larger than the ones before", async () => {
    const c = await createCluster("mono");
    const seen: number[] = [];
    for (let i = 0; i < 5; i++) seen.push(rvOf(await c.mustCreate(cmPath(NS), configMap(`m${i}`))));
    for (let i = 0; i < 5; i++) {
      const current = await c.mustGet<ConfigMap>(cmPath(NS, `m${i}`));
      seen.push(rvOf(await c.mustUpdate(cmPath(NS, `m${i}`), { ...current, data: { i: String(i) } })));
    }
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThan(seen[i - 1]);
    const list = await c.mustList(cmPath(NS));
    expect(Number(list.metadata.resourceVersion)).toBeGreaterThanOrEqual(seen[seen.length - 1]);
  });

  it("update with a stale resourceVersion is 409 Conflict and changes nothing", async () => {
    const c = await createCluster("stale");
    const v1 = await c.mustCreate<ConfigMap>(cmPath(NS), configMap("x", { k: "1" }));
    const v2 = await c.mustUpdate<ConfigMap>(cmPath(NS, "x"), { ...v1, data: { k: "2" } });
    const before = await snapshot(c);

    const status = expectFailure(await c.update(cmPath(NS, "x"), { ...v1, data: { k: "3" } }), 409, "Conflict");
    expect(status.message).toBe(
      'Operation cannot be fulfilled on configmaps "x": the object has been modified; please apply your changes to the latest version and try again',
    );
    expect(status.details).toMatchObject({ name: "x", kind: "configmaps", group: "" });
    expect(await snapshot(c)).toEqual(before);
    expect((await c.mustGet<ConfigMap>(cmPath(NS, "x"))).data).toEqual({ k: "2" });

    // A patch carrying a stale resourceVersion is a precondition too.
    expectFailure(
      await c.patch(cmPath(NS, "x"), "merge", { metadata: { resourceVersion: v1.metadata.resourceVersion } }),
      409,
      "Conflict",
    );
    // So is a DELETE precondition.
    expectFailure(
      await c.delete(cmPath(NS, "x"), "", { preconditions: { resourceVersion: v1.metadata.resourceVersion } }),
      409,
      "Conflict",
    );
    expect(await snapshot(c)).toEqual(before);
    // The current resourceVersion is accepted.
    await c.mustUpdate(cmPath(NS, "x"), { ...v2, data: { k: "4" } });
  });

  it("concurrent writers: one update per resourceVersion wins, one create per name wins", async () => {
    const c = await createCluster("race");
    const base = await c.mustCreate<ConfigMap>(cmPath(NS), configMap("contended", { v: "0" }));
    const updates = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        c.update<ConfigMap>(cmPath(NS, "contended"), { ...base, data: { v: String(i + 1) } }),
      ),
    );
    const winners = updates.filter((u) => u.status === 200);
    expect(winners).toHaveLength(1);
    expect(updates.filter((u) => u.status === 409)).toHaveLength(7);
    expect(await c.mustGet(cmPath(NS, "contended"))).toEqual(winners[0].body);

    const creates = await Promise.all(
      Array.from({ length: 8 }, (_, i) => c.create<ConfigMap>(cmPath(NS), configMap("once", { v: String(i) }))),
    );
    expect(creates.filter((r) => r.status === 201)).toHaveLength(1);
    expect(creates.filter((r) => r.status === 409).map((r) => (r.body as Status).reason)).toEqual(
      Array(7).fill("AlreadyExists"),
    );
    expect(await c.mustGet(cmPath(NS, "once"))).toEqual(creates.find((r) => r.status === 201)?.body);

    // Concurrent writes to different objects all succeed with distinct revisions.
    const many = await Promise.all(
      Array.from({ length: 10 }, (_, i) => c.mustCreate<ConfigMap>(cmPath(NS), configMap(`many-${i}`))),
    );
    expect(new Set(many.map(rvOf)).size).toBe(10);
  });

  it("create of an existing name is 409 AlreadyExists and changes nothing", async () => {
    const c = await createCluster("exists");
    await c.mustCreate(cmPath(NS), configMap("dup", { k: "1" }));
    const before = await snapshot(c);
    const status = expectFailure(await c.create(cmPath(NS), configMap("dup", { k: "2" })), 409, "AlreadyExists");
    expect(status.message).toBe('configmaps "dup" already exists');
    expect(status.details).toMatchObject({ name: "dup", kind: "configmaps", group: "" });
    expect(await snapshot(c)).toEqual(before);
    expect((await c.mustGet<ConfigMap>(cmPath(NS, "dup"))).data).toEqual({ k: "1" });
  });

  it("rejects malformed, oversized and wrongly typed bodies and invalid names without writing", async () => {
    const c = await createCluster("bad");
    await c.mustCreate(cmPath(NS), configMap("keep", { k: "1" }));
    const before = await snapshot(c);

    // Malformed JSON: 400.
    expectFailure(
      await c.json(cmPath(NS), { method: "POST", body: '{"apiVersion":"v1","kind":"ConfigMap",' }),
      400,
      "BadRequest",
    );
    expectFailure(await c.json(cmPath(NS, "keep"), { method: "PUT", body: "{not json" }), 400, "BadRequest");
    expectFailure(
      await c.json(cmPath(NS, "keep"), { method: "PATCH", body: "{", contentType: "application/merge-patch+json" }),
      400,
      "BadRequest",
    );
    expect(await snapshot(c)).toEqual(before);

    // More than 3 MiB: 413.
    const huge = JSON.stringify(configMap("huge", { blob: "x".repeat(3 * 1024 * 1024 + 16) }));
    expectFailure(await c.json(cmPath(NS), { method: "POST", body: huge }), 413, "RequestEntityTooLarge");
    expectFailure(
      await c.json(cmPath(NS, "keep"), {
        method: "PATCH",
        body: JSON.stringify({ data: { blob: "y".repeat(3 * 1024 * 1024 + 16) } }),
        contentType: "application/merge-patch+json",
      }),
      413,
      "RequestEntityTooLarge",
    );
    expect(await snapshot(c)).toEqual(before);

    // Media types the verb does not take: 415.
    expectFailure(
      await c.json(cmPath(NS), { method: "POST", body: JSON.stringify(configMap("t")), contentType: "text/plain" }),
      415,
      "UnsupportedMediaType",
    );
    expectFailure(
      await c.json(cmPath(NS, "keep"), {
        method: "PATCH",
        body: JSON.stringify({ data: { k: "2" } }),
        contentType: "application/json",
      }),
      415,
      "UnsupportedMediaType",
    );
    expect(await snapshot(c)).toEqual(before);

    // An invalid name: 422 with field causes.
    const invalid = expectFailure(await c.create(cmPath(NS), configMap("Not_A_Name")), 422, "Invalid");
    expect(invalid.details?.kind).toBe("ConfigMap");
    expect(invalid.details?.name).toBe("Not_A_Name");
    expect(invalid.details?.causes?.length).toBeGreaterThan(0);
    expect(invalid.details?.causes?.[0]).toMatchObject({ field: "metadata.name", reason: "FieldValueInvalid" });
    expect(invalid.message).toContain('ConfigMap "Not_A_Name" is invalid: metadata.name: Invalid value: "Not_A_Name"');

    // No name at all: 422 Required.
    const required = expectFailure(
      await c.create(cmPath(NS), { apiVersion: "v1", kind: "ConfigMap", metadata: {} }),
      422,
      "Invalid",
    );
    expect(required.details?.causes?.[0]).toMatchObject({ field: "metadata.name", reason: "FieldValueRequired" });

    // The wrong kind for the URL: 400.
    expectFailure(
      await c.create(cmPath(NS), { apiVersion: "v1", kind: "Secret", metadata: { name: "s" } }),
      400,
      "BadRequest",
    );
    expect(await snapshot(c)).toEqual(before);
  });

  it("GET of an unknown object is 404 NotFound with details", async () => {
    const c = await createCluster("nf");
    const status = expectFailure(await c.get(cmPath(NS, "nope")), 404, "NotFound");
    expect(status.message).toBe('configmaps "nope" not found');
    expect(status.details).toEqual({ name: "nope", group: "", kind: "configmaps" });
    const before = await snapshot(c);
    expectFailure(await c.update(cmPath(NS, "nope"), configMap("nope")), 404, "NotFound");
    expectFailure(await c.patch(cmPath(NS, "nope"), "merge", { data: { a: "b" } }), 404, "NotFound");
    expectFailure(await c.delete(cmPath(NS, "nope")), 404, "NotFound");
    expect(await snapshot(c)).toEqual(before);
    // An unknown resource is a path 404.
    expectFailure(await c.get("/api/v1/namespaces/default/widgets"), 404, "NotFound");
  });

  it("generateName creates distinct names with the prefix", async () => {
    const c = await createCluster("gen");
    const names = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const created = await c.mustCreate<ConfigMap>(cmPath(NS), {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { generateName: "gen-" },
      });
      expect(created.metadata.name).toMatch(/^gen-[a-z0-9]{5}$/);
      expect(created.metadata.generateName).toBe("gen-");
      names.add(created.metadata.name ?? "");
    }
    expect(names.size).toBe(5);
    const list = await c.mustList(cmPath(NS));
    expect(new Set(withoutSystem(list.items).map((i) => i.metadata.name))).toEqual(names);
  });

  it("dryRun=All validates and answers but stores nothing", async () => {
    const c = await createCluster("dry");
    const kept = await c.mustCreate<ConfigMap>(cmPath(NS), configMap("kept", { k: "1" }));
    const before = await snapshot(c);

    const created = await c.create<ConfigMap>(cmPath(NS), configMap("ghost", { k: "1" }), "?dryRun=All");
    expect(created.status).toBe(201);
    expect((created.body as ConfigMap).metadata.name).toBe("ghost");
    expectFailure(await c.get(cmPath(NS, "ghost")), 404, "NotFound");

    const updated = await c.update<ConfigMap>(cmPath(NS, "kept"), { ...kept, data: { k: "2" } }, "?dryRun=All");
    expect(updated.status).toBe(200);
    expect((updated.body as ConfigMap).data).toEqual({ k: "2" });
    const patched = await c.patch<ConfigMap>(cmPath(NS, "kept"), "merge", { data: { k: "3" } }, "?dryRun=All");
    expect(patched.status).toBe(200);
    expect((patched.body as ConfigMap).data).toEqual({ k: "3" });
    const deleted = await c.delete(cmPath(NS, "kept"), "?dryRun=All");
    expect(deleted.status).toBe(200);
    const collection = await c.delete(cmPath(NS), "?dryRun=All");
    expect(collection.status).toBe(200);

    // An invalid object is still rejected in a dry run; an unknown dryRun value is a 400.
    expectFailure(await c.create(cmPath(NS), configMap("Bad_Name"), "?dryRun=All"), 422, "Invalid");
    expectFailure(await c.create(cmPath(NS), configMap("other"), "?dryRun=Some"), 400, "BadRequest");

    expect(await snapshot(c)).toEqual(before);
    expect(await c.mustGet<ConfigMap>(cmPath(NS, "kept"))).toEqual(kept);
  });

  it("delete of an object with finalizers marks it; removing the last finalizer deletes it", async () => {
    const c = await createCluster("fin");
    const created = await c.mustCreate<ConfigMap>(cmPath(NS), {
      ...configMap("held", { k: "1" }),
      metadata: { name: "held", finalizers: ["example.com/hold", "example.com/second"] },
    });
    const first = await c.delete<ConfigMap>(cmPath(NS, "held"));
    expect([200, 202]).toContain(first.status);
    const marked = first.body as ConfigMap;
    expect(marked.metadata.deletionTimestamp).toMatch(/Z$/);
    expect(marked.metadata.deletionGracePeriodSeconds).toBe(0);
    expect(rvOf(marked)).toBeGreaterThan(rvOf(created));

    // It remains, terminating.
    const stored = await c.mustGet<ConfigMap>(cmPath(NS, "held"));
    expect(stored).toEqual(marked);
    expect(withoutSystem((await c.mustList(cmPath(NS))).items).map((i) => i.metadata.name)).toEqual(["held"]);

    // A second delete changes nothing.
    const again = await c.delete<ConfigMap>(cmPath(NS, "held"));
    expect([200, 202]).toContain(again.status);
    expect((again.body as ConfigMap).metadata.resourceVersion).toBe(marked.metadata.resourceVersion);

    // No new finalizers on a terminating object.
    expectFailure(
      await c.patch(cmPath(NS, "held"), "strategic", { metadata: { finalizers: ["example.com/new"] } }),
      422,
      "Invalid",
    );

    // Removing one finalizer keeps it; removing the last one deletes it.
    const one = expectStatus(
      await c.patch<ConfigMap>(cmPath(NS, "held"), "json", [{ op: "remove", path: "/metadata/finalizers/0" }]),
      200,
      "remove a finalizer",
    ) as ConfigMap;
    expect(one.metadata.finalizers).toEqual(["example.com/second"]);
    expect((await c.mustGet<ConfigMap>(cmPath(NS, "held"))).metadata.finalizers).toEqual(["example.com/second"]);
    const last = await c.patch<ConfigMap>(cmPath(NS, "held"), "merge", { metadata: { finalizers: null } });
    expect(last.status).toBe(200);
    expect(rvOf(last.body as ConfigMap)).toBeGreaterThan(rvOf(one));
    expectFailure(await c.get(cmPath(NS, "held")), 404, "NotFound");
    expect(withoutSystem((await c.mustList(cmPath(NS))).items)).toEqual([]);
  });

  it("deletecollection deletes what the label selector matches, and only that", async () => {
    const c = await createCluster("dc");
    for (const [name, app] of [
      ["a1", "a"],
      ["a2", "a"],
      ["b1", "b"],
      ["n1", undefined],
    ] as const) {
      await c.mustCreate(cmPath(NS), configMap(name, {}, app ? { app } : undefined));
    }
    const kept = await c.mustGet(cmPath(NS, "b1"));
    const result = await c.json<{ kind: string; items: ConfigMap[] }>(cmPath(NS) + "?labelSelector=app%3Da", {
      method: "DELETE",
    });
    expect(result.status).toBe(200);
    expect(result.body.kind).toBe("ConfigMapList");
    expect(result.body.items.map((i) => i.metadata.name).sort()).toEqual(["a1", "a2"]);
    const left = await c.mustList(cmPath(NS));
    expect(withoutSystem(left.items).map((i) => i.metadata.name)).toEqual(["b1", "n1"]);
    expect(await c.mustGet(cmPath(NS, "b1"))).toEqual(kept);
  });

  it("lists with label and field selectors", async () => {
    const c = await createCluster("sel");
    const labels: Record<string, Record<string, string> | undefined> = {
      x1: { a: "x" },
      y1: { a: "y" },
      z1: { a: "z" },
      none: undefined,
      x2: { a: "x", b: "1" },
    };
    for (const [name, l] of Object.entries(labels)) await c.mustCreate(cmPath(NS), configMap(name, {}, l));
    const names = async (query: string) =>
      withoutSystem((await c.mustList(cmPath(NS), `?${query}`)).items).map((i) => i.metadata.name);

    expect(await names(`labelSelector=${encodeURIComponent("a in (x,y)")}`)).toEqual(["x1", "x2", "y1"]);
    expect(await names(`labelSelector=${encodeURIComponent("a notin (x,y)")}`)).toEqual(["none", "z1"]);
    expect(await names(`labelSelector=${encodeURIComponent("a=x,b")}`)).toEqual(["x2"]);
    expect(await names(`labelSelector=${encodeURIComponent("!a")}`)).toEqual(["none"]);
    expect(await names(`fieldSelector=${encodeURIComponent("metadata.name=x1")}`)).toEqual(["x1"]);
    expect(await names(`fieldSelector=${encodeURIComponent("metadata.name!=x1")}`)).toEqual(["none", "x2", "y1", "z1"]);
    expect(
      await names(
        `labelSelector=${encodeURIComponent("a in (x,y)")}&fieldSelector=${encodeURIComponent("metadata.name=y1")}`,
      ),
    ).toEqual(["y1"]);
    expect(await names(`fieldSelector=${encodeURIComponent(`metadata.namespace=${NS}`)}`)).toHaveLength(5);
    // Unparsable selectors are 400.
    expectFailure(await c.list(cmPath(NS), `?labelSelector=${encodeURIComponent("a in (x")}`), 400, "BadRequest");
    expectFailure(await c.list(cmPath(NS), `?fieldSelector=${encodeURIComponent("data.k=1")}`), 400, "BadRequest");
  });

  // Kubernetes serves continuations from the snapshot at the first page's revision (etcd MVCC);
  // here the event log rebuilds it (durable-objects/api-server/verbs/list-snapshot.ts).
  it("pages after the first show the state at the first page's resourceVersion", async () => {
    const c = await createCluster("snapshot");
    for (const name of ["p1", "p2", "p3", "p4", "p5"]) {
      await c.mustCreate(cmPath(NS), configMap(name, { v: "old" }, { set: "snap" }));
    }
    const first = await c.mustList<ConfigMap>(cmPath(NS), "?limit=2&labelSelector=set%3Dsnap");
    expect(first.items.map((i) => i.metadata.name)).toEqual(["p1", "p2"]);
    const listRv = Number(first.metadata.resourceVersion);
    // Changes after the first page.
    expectStatus(await c.patch(cmPath(NS, "p3"), "merge", { data: { v: "new" } }), 200, "patch p3");
    await c.mustDelete(cmPath(NS, "p4"));
    await c.mustDelete(cmPath(NS, "p5"));
    await c.mustCreate(cmPath(NS), configMap("p6", { v: "new" }, { set: "snap" }));
    const second = await c.mustList<ConfigMap>(
      cmPath(NS),
      `?limit=10&labelSelector=set%3Dsnap&continue=${encodeURIComponent(first.metadata.continue ?? "")}`,
    );
    expect(second.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
    for (const item of second.items) expect(rvOf(item)).toBeLessThanOrEqual(listRv);
    expect(second.items.map((i) => [i.metadata.name, i.data?.v])).toEqual([
      ["p3", "old"],
      ["p4", "old"],
      ["p5", "old"],
    ]);
  });

  it("cluster-wide pages (the ClusterStore's) show the state at the first page's resourceVersion too", async () => {
    const c = await createCluster("snapshot-wide");
    for (const name of ["w1", "w2", "w3", "w4"])
      await c.mustCreate(cmPath(NS), configMap(name, { v: "old" }, { set: "wide" }));
    const query = "?limit=1&labelSelector=set%3Dwide";
    const first = await c.mustList<ConfigMap>("/api/v1/configmaps", query);
    expect(first.items.map((i) => i.metadata.name)).toEqual(["w1"]);
    expectStatus(await c.patch(cmPath(NS, "w2"), "merge", { data: { v: "new" } }), 200, "patch w2");
    await c.mustDelete(cmPath(NS, "w3"));
    await c.mustCreate(cmPath(NS), configMap("w0", { v: "new" }, { set: "wide" }));
    await c.mustCreate(cmPath(NS), configMap("w5", { v: "new" }, { set: "wide" }));
    const rest = await c.mustList<ConfigMap>(
      "/api/v1/configmaps",
      `?limit=100&labelSelector=set%3Dwide&continue=${encodeURIComponent(first.metadata.continue ?? "")}`,
    );
    expect(rest.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
    expect(rest.items.filter((i) => i.metadata.namespace === NS).map((i) => [i.metadata.name, i.data?.v])).toEqual([
      ["w2", "old"],
      ["w3", "old"],
      ["w4", "old"],
    ]);
  });

  it("a continue token older than the history answers 410 Expired with a token that goes on", async () => {
    const c = await createCluster("snapshot-expired");
    for (const name of ["e1", "e2", "e3"]) await c.mustCreate(cmPath(NS), configMap(name, { n: "0" }));
    const first = await c.mustList<ConfigMap>(cmPath(NS), "?limit=1");
    // More writes than the history keeps (HISTORY_EVENTS is 50 in these tests).
    for (let i = 1; i <= 65; i++) {
      expectStatus(await c.patch(cmPath(NS, "e2"), "merge", { data: { n: String(i) } }), 200, "patch e2");
    }
    const expired = await c.list(cmPath(NS), `?limit=1&continue=${encodeURIComponent(first.metadata.continue ?? "")}`);
    const status = expectFailure(expired, 410, "Expired");
    expect(status.message).toMatch(/^The provided continue parameter is too old to display a consistent list result/);
    const token = (status as Status & { metadata: { continue?: string } }).metadata.continue;
    expect(token).toBeTruthy();
    // The inconsistent token goes on after e1, from the current state.
    const rest = await c.mustList<ConfigMap>(cmPath(NS), `?continue=${encodeURIComponent(token ?? "")}`);
    expect(withoutSystem(rest.items).map((i) => [i.metadata.name, i.data?.n])).toEqual([
      ["e2", "65"],
      ["e3", "0"],
    ]);
  });

  it("limit/continue pages through every object exactly once at one resourceVersion", async () => {
    const c = await createCluster("page");
    const all: string[] = [];
    for (let i = 0; i < 8; i++) {
      const name = `p${String(i).padStart(2, "0")}`;
      all.push(name);
      await c.mustCreate(cmPath(NS), configMap(name, {}, { even: String(i % 2 === 0) }));
    }
    const pages: string[][] = [];
    const rvs = new Set<string | undefined>();
    let token: string | undefined;
    do {
      const query: string = `?limit=3${token ? `&continue=${encodeURIComponent(token)}` : ""}`;
      const page: KubeList = await c.mustList(cmPath(NS), query);
      pages.push(page.items.map((i) => i.metadata.name ?? ""));
      rvs.add(page.metadata.resourceVersion);
      token = page.metadata.continue;
    } while (token && pages.length < 10);
    // The unpaged list (it may hold the namespace's kube-root-ca.crt as well), in pages of 3.
    const full = (await c.mustList(cmPath(NS))).items.map((i) => i.metadata.name ?? "");
    expect(withoutSystem(full.map((name) => ({ metadata: { name } }))).map((i) => i.metadata.name)).toEqual(all);
    expect(pages.map((p) => p.length)).toEqual(
      Array.from({ length: Math.ceil(full.length / 3) }, (_, i) => Math.min(3, full.length - 3 * i)),
    );
    expect(pages.flat()).toEqual(full);
    expect(rvs.size).toBe(1);

    // With a selector, pages fill with matching objects only.
    const evens: string[] = [];
    token = undefined;
    let count = 0;
    do {
      const query: string = `?limit=2&labelSelector=even%3Dtrue${token ? `&continue=${encodeURIComponent(token)}` : ""}`;
      const page: KubeList = await c.mustList(cmPath(NS), query);
      evens.push(...page.items.map((i) => i.metadata.name ?? ""));
      token = page.metadata.continue;
      count += 1;
    } while (token && count < 10);
    expect(evens).toEqual(all.filter((_, i) => i % 2 === 0));

    // A token that was not issued is a 400.
    expectFailure(await c.list(cmPath(NS), "?limit=3&continue=garbage"), 400, "BadRequest");
  });
});
