// Logical clusters: the root API that creates and deletes them, and the bearer tokens that
// give access to exactly one of them.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../api/types.ts";
import { clusterStore, namespaceStore } from "../../durable-objects/env.ts";
import type { NamespaceStore } from "../../durable-objects/namespace-store.ts";
import type { ObjectStore } from "../../durable-objects/storage/object-store.ts";
import {
  call,
  callJson,
  Client,
  cmPath,
  configMap,
  createCluster,
  expectStatus,
  root,
  ROOT_TOKEN,
  TENANCY,
  uniqueName,
  type Status,
  withoutSystem,
} from "./helpers.ts";

const NAMESPACES = "/api/v1/namespaces";

function expectUnauthorized(result: { status: number; body: unknown }) {
  expect(result.status).toBe(401);
  expect(result.body).toMatchObject({ kind: "Status", status: "Failure", reason: "Unauthorized", code: 401 });
}

/** Everything a NamespaceStore holds (its objects and events). */
const storedIn = (cluster: string, ns: string) =>
  runInDurableObject(namespaceStore(env, cluster, ns), (instance: NamespaceStore) => {
    const objects = (instance as unknown as { objects: ObjectStore }).objects;
    return { objects: objects.listAll().length, events: objects.eventsAfter(0).length };
  });

describe("logical clusters", { timeout: 30_000 }, () => {
  it("the root API creates, lists, gets and deletes logical clusters", async () => {
    const name = uniqueName("lc");
    const created = await root.create(name);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      apiVersion: "tenancy.flotilla.dev/v1alpha1",
      kind: "LogicalCluster",
      metadata: { name },
      status: { phase: "Ready" },
    });
    expect((await root.list()).body.items.map((i) => i.metadata.name)).toContain(name);
    expect((await root.get(name)).body).toEqual(created.body);

    // A new cluster starts with the system namespaces.
    const admin = new Client(name, ROOT_TOKEN);
    const namespaces = (await admin.mustList(NAMESPACES)).items.map((n) => n.metadata.name);
    expect(namespaces).toEqual(["default", "kube-node-lease", "kube-public", "kube-system"]);

    // Duplicates and bad names are refused.
    expect((await root.create(name)).body).toMatchObject({ code: 409, reason: "AlreadyExists" });
    const invalid = await root.create("Not_Valid");
    expect(invalid.status).toBe(422);
    expect((invalid.body as Status).details?.causes?.[0]?.field).toBe("metadata.name");

    // Tokens: only for clusters that exist, only with a known role.
    expect((await root.token(uniqueName("nope"))).status).toBe(404);
    const badRole = await callJson(`${TENANCY}/${name}/token`, {
      method: "POST",
      token: ROOT_TOKEN,
      body: { spec: { role: "superuser" } },
    });
    expect(badRole.status).toBe(400);

    const deleted = await root.delete(name);
    expect(deleted.status).toBe(200);
    expect((await root.get(name)).status).toBe(404);
    expect((await root.list()).body.items.map((i) => i.metadata.name)).not.toContain(name);
    expect((await root.delete(name)).status).toBe(404);
  });

  it("the root API needs the root token", async () => {
    const c = await createCluster("lc-auth");
    expectUnauthorized(await callJson(TENANCY));
    expectUnauthorized(await callJson(TENANCY, { token: "wrong" }));
    expectUnauthorized(await callJson(TENANCY, { token: c.token }));
    expectUnauthorized(
      await callJson(TENANCY, {
        method: "POST",
        token: c.token,
        body: { apiVersion: "tenancy.flotilla.dev/v1alpha1", kind: "LogicalCluster", metadata: { name: "x" } },
      }),
    );
    expectUnauthorized(await callJson(`${TENANCY}/${c.cluster}`, { method: "DELETE", token: c.token }));
    expect((await root.get(c.cluster)).status).toBe(200);
  });

  it("a cluster's token works on its cluster and nowhere else; the root token works everywhere", async () => {
    const a = await createCluster("lc-a");
    const b = await createCluster("lc-b");
    await a.mustCreate(cmPath("default"), configMap("in-a"));
    await b.mustCreate(cmPath("default"), configMap("in-b"));

    expect(withoutSystem((await a.mustList(cmPath("default"))).items).map((i) => i.metadata.name)).toEqual(["in-a"]);
    expect(withoutSystem((await b.mustList(cmPath("default"))).items).map((i) => i.metadata.name)).toEqual(["in-b"]);
    // A's token on B, and the other way round.
    expectUnauthorized(await b.withToken(a.token).list(cmPath("default")));
    expectUnauthorized(await a.withToken(b.token).get(cmPath("default", "in-a")));
    expectUnauthorized(await b.withToken(a.token).create(cmPath("default"), configMap("intruder")));
    // No token, a malformed header, an unknown token.
    expectUnauthorized(await a.withToken(null).list(cmPath("default")));
    expectUnauthorized(
      await a.json(cmPath("default"), { token: null, headers: { authorization: "Basic Zm9vOmJhcg==" } }),
    );
    expectUnauthorized(await a.withToken("flt_not-a-token").list(cmPath("default")));
    expectUnauthorized(await a.withToken(null).json("/api"));
    // The root token reaches both.
    for (const c of [a, b]) {
      const asRoot = c.withToken(ROOT_TOKEN);
      expect(withoutSystem((await asRoot.mustList(cmPath("default"))).items)).toHaveLength(1);
      await asRoot.mustCreate(cmPath("default"), configMap("by-root"));
    }
    // Nothing leaked between the clusters.
    expect(withoutSystem((await b.mustList(cmPath("default"))).items).map((i) => i.metadata.name)).toEqual([
      "by-root",
      "in-b",
    ]);
    expect(withoutSystem((await a.mustList("/api/v1/configmaps")).items).map((i) => i.metadata.name)).toEqual([
      "by-root",
      "in-a",
    ]);
    // A cluster that does not exist: 404 for the root token, 401 for a cluster token.
    const missing = uniqueName("missing");
    expect((await new Client(missing, ROOT_TOKEN).get(NAMESPACES)).status).toBe(404);
    expectUnauthorized(await new Client(missing, a.token).get(NAMESPACES));
    // A second token for the same cluster works as well; a node token may not manage resources.
    const second = expectStatus(await root.token(a.cluster), 201, "second token").status?.token ?? "";
    expect(withoutSystem((await a.withToken(second).mustList(cmPath("default"))).items)).toHaveLength(2);
    const nodeToken = expectStatus(await root.token(a.cluster, "node"), 201, "node token").status?.token ?? "";
    expect((await a.withToken(nodeToken).list(cmPath("default"))).status).toBe(403);
  });

  it("deleting a cluster removes its data, closes its watches, and its tokens stop working", async () => {
    const c = await createCluster("lc-delete");
    await c.createNamespace("extra");
    await c.mustCreate(cmPath("default"), configMap("a"));
    await c.mustCreate(cmPath("extra"), configMap("b"));
    const nsWatch = await c.watch(cmPath("default"), "resourceVersion=0");
    const clusterWatch = await c.watch("/api/v1/configmaps", "resourceVersion=0");
    await nsWatch.waitForChanges(1);
    await clusterWatch.waitForChanges(2);

    expect((await root.delete(c.cluster)).status).toBe(200);
    await nsWatch.closed();
    await clusterWatch.closed();
    expectUnauthorized(await c.list(cmPath("default")));
    expectUnauthorized(await c.get(NAMESPACES));
    expect((await c.withToken(ROOT_TOKEN).get(NAMESPACES)).status).toBe(404);
    expect(await storedIn(c.cluster, "default")).toEqual({ objects: 0, events: 0 });
    expect(await storedIn(c.cluster, "extra")).toEqual({ objects: 0, events: 0 });

    // A new cluster with the same name starts empty; the old token stays dead.
    expectStatus(await root.create(c.cluster), 201, "re-create");
    expectUnauthorized(await c.list(cmPath("default")));
    const token = expectStatus(await root.token(c.cluster), 201, "new token").status?.token ?? "";
    const fresh = c.withToken(token);
    expect(withoutSystem((await fresh.mustList("/api/v1/configmaps")).items)).toEqual([]);
    expect(withoutSystem((await fresh.mustList(cmPath("default"))).items)).toEqual([]);
    expect((await fresh.get(`${NAMESPACES}/extra`)).status).toBe(404);
    await fresh.mustCreate(cmPath("default"), configMap("again"));
    expect(withoutSystem((await fresh.mustList("/api/v1/configmaps")).items).map((i) => i.metadata.name)).toEqual([
      "again",
    ]);
  });

  // Regression (was a bug in durable-objects/cluster-store.ts destroy): only the NamespaceStores of namespaces that exist
  // at deletion time are wiped. A namespace deleted earlier keeps its NamespaceStore's events, meta
  // (`head`) and revisions from the old incarnation; when a cluster of the same name creates that
  // namespace again, the new revisions (restarting from 1) collide with the old events' `rv` (UNIQUE
  // index events_rv) and the flush fails for good, or the stale `head` makes list resourceVersions lie.
  it("a cluster re-created under a deleted one's name is not disturbed by its old namespaces", async () => {
    const c = await createCluster("lc-reuse");
    await c.createNamespace("tmp");
    for (const name of ["x", "y", "z"]) await c.mustCreate(cmPath("tmp"), configMap(name));
    const nsWatch = await c.watch(NAMESPACES, "resourceVersion=0");
    expect([200, 202]).toContain((await c.delete(`${NAMESPACES}/tmp`)).status);
    await runDurableObjectAlarm(clusterStore(env, c.cluster));
    await nsWatch.waitFor(
      (events) => events.some((e) => e.type === "DELETED" && e.object.metadata.name === "tmp"),
      "tmp deleted",
    );
    await nsWatch.cancel();

    expectStatus(await root.delete(c.cluster), 200, "delete cluster");
    expectStatus(await root.create(c.cluster), 201, "re-create");
    const token = expectStatus(await root.token(c.cluster), 201, "token").status?.token ?? "";
    const fresh = c.withToken(token);
    await fresh.createNamespace("tmp", { ready: false });
    const created = await fresh.create<KubeObject>(cmPath("tmp"), configMap("new"));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const list = await fresh.mustList(cmPath("tmp"));
    expect(withoutSystem(list.items).map((i) => i.metadata.name)).toEqual(["new"]);
    expect(Number(list.metadata.resourceVersion)).toBe(
      Number((await fresh.mustList("/api/v1/configmaps")).metadata.resourceVersion),
    );
  });

  // Regression (was a bug in durable-objects/root-store.ts fetch): on DELETE the cluster's stores are destroyed and its
  // tokens revoked before the generic delete runs, so a DELETE that the verb then turns into a no-op
  // (`?dryRun=All`) or refuses (a failed precondition, 409) still wipes the cluster.
  it("a dry-run delete of a cluster keeps its data and tokens", async () => {
    const c = await createCluster("lc-dry");
    await c.mustCreate(cmPath("default"), configMap("keep"));
    const result = await callJson(`${TENANCY}/${c.cluster}?dryRun=All`, { method: "DELETE", token: ROOT_TOKEN });
    expect(result.status).toBe(200);
    expect((await root.get(c.cluster)).status).toBe(200);
    expect(withoutSystem((await c.mustList(cmPath("default"))).items).map((i) => i.metadata.name)).toEqual(["keep"]);
  });

  it("a cluster delete with a failing precondition is 409 and keeps the cluster's data", async () => {
    const c = await createCluster("lc-pre");
    await c.mustCreate(cmPath("default"), configMap("keep"));
    const result = await callJson(`${TENANCY}/${c.cluster}`, {
      method: "DELETE",
      token: ROOT_TOKEN,
      body: { preconditions: { uid: "not-the-uid" } },
    });
    expect(result.status).toBe(409);
    expect(withoutSystem((await c.mustList(cmPath("default"))).items).map((i) => i.metadata.name)).toEqual(["keep"]);
  });

  it("health endpoints answer without a token; everything else needs one", async () => {
    for (const path of ["/healthz", "/readyz", "/livez"]) {
      const response = await call(path);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe("ok");
    }
    const unknown = await callJson("/nothing-here", { token: ROOT_TOKEN });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ kind: "Status", reason: "NotFound" });
  });
});

describe("requests without the /clusters/<name> prefix (kubectl get --raw)", () => {
  it("go to the token's own cluster; no token is 401", async () => {
    const a = await createCluster("raw-a");
    const b = await createCluster("raw-b");
    await a.mustCreate(cmPath("default"), configMap("only-in-a"));
    const bare = await callJson<{ items: Array<{ metadata: { name: string } }> }>(
      "/api/v1/namespaces/default/configmaps",
      { token: a.token },
    );
    expect(bare.status).toBe(200);
    expect(bare.body.items.map((i) => i.metadata.name)).toContain("only-in-a");
    const other = await callJson<{ items: Array<{ metadata: { name: string } }> }>(
      "/api/v1/namespaces/default/configmaps",
      { token: b.token },
    );
    expect(other.body.items.map((i) => i.metadata.name)).not.toContain("only-in-a");
    const created = await callJson("/api/v1/namespaces/default/configmaps", {
      method: "POST",
      token: b.token,
      body: configMap("made-bare"),
    });
    expect(created.status).toBe(201);
    expect((await b.get(cmPath("default", "made-bare"))).status).toBe(200);
    const version = await callJson<{ gitVersion: string }>("/version", { token: a.token });
    expect(version.status).toBe(200);
    expect(version.body.gitVersion).toMatch(/^v1\./);
    expect((await call("/api/v1/namespaces", { token: null })).status).toBe(401);
    expect((await call("/api/v1/namespaces", { token: "flt_not-a-token" })).status).toBe(401);
  });
});
