// @kubernetes/client-node 2.x against the control plane: typed APIs, the generic object API and
// informers (list + watch) that must mirror the server exactly.
import {
  ApiException,
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  makeInformer,
  PatchStrategy,
  setHeaderOptions,
  type Informer,
  type KubernetesObject,
  type ObjectCache,
  type V1ConfigMap,
  type V1Deployment,
} from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { eventually } from "./kubectl.ts";

const kc = new KubeConfig();
kc.loadFromFile(inject("kubeconfig"));
const core = kc.makeApiClient(CoreV1Api);
const apps = kc.makeApiClient(AppsV1Api);
const objects = KubernetesObjectApi.makeApiClient(kc);

const ns = "client-node";
/** kube-apiserver defaults a missing apiVersion/kind from the URL; most calls here name them anyway. */
const CM = { apiVersion: "v1", kind: "ConfigMap" } as const;
const mergePatch = setHeaderOptions("Content-Type", PatchStrategy.MergePatch);

/** The HTTP status of a failed call (client-node 2.x throws ApiException). */
async function statusOf(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ApiException) return err.code;
    throw err;
  }
  throw new Error("the call succeeded");
}

/** False once the object is gone (404); other failures throw. */
async function exists(read: () => Promise<unknown>): Promise<boolean> {
  try {
    await read();
    return true;
  } catch (err) {
    if (err instanceof ApiException && err.code === 404) return false;
    throw err;
  }
}

async function ensureNamespace(name: string): Promise<void> {
  await core.createNamespace({ body: { apiVersion: "v1", kind: "Namespace", metadata: { name } } });
}

type TrackedInformer<T extends KubernetesObject> = Informer<T> &
  ObjectCache<T> & { connects: number; errors: unknown[]; events: number; lastEventAt: number };

/** An informer that counts its (re)connects and events and keeps its errors. */
function informer<T extends KubernetesObject>(path: string, list: () => Promise<any>): TrackedInformer<T> {
  const tracked = makeInformer<T>(kc, path, list) as TrackedInformer<T>;
  tracked.connects = 0;
  tracked.errors = [];
  tracked.events = 0;
  tracked.lastEventAt = Date.now();
  tracked.on("connect", () => tracked.connects++);
  tracked.on("error", (err) => tracked.errors.push(err));
  for (const verb of ["add", "update", "delete"] as const)
    tracked.on(verb, () => {
      tracked.events++;
      tracked.lastEventAt = Date.now();
    });
  return tracked;
}

const started: Array<Informer<any>> = [];
async function start<T extends KubernetesObject>(tracked: TrackedInformer<T>): Promise<TrackedInformer<T>> {
  started.push(tracked);
  await tracked.start();
  return tracked;
}

// The idle informer starts first and is checked last: the other tests run during its idle time.
const IDLE_MS = 65_000;
const idleNs = "client-node-idle";
let idle: TrackedInformer<V1ConfigMap>;

beforeAll(async () => {
  await ensureNamespace(ns);
  await ensureNamespace(idleNs);
  await core.createNamespacedConfigMap({ namespace: idleNs, body: { ...CM, metadata: { name: "before" } } });
  idle = await start(
    informer<V1ConfigMap>(`/api/v1/namespaces/${idleNs}/configmaps`, () =>
      core.listNamespacedConfigMap({ namespace: idleNs }),
    ),
  );
  await eventually(() => idle.get("before", idleNs) !== undefined, 20_000, "the idle informer's first list");
});

afterAll(async () => {
  for (const each of started) await each.stop();
});

describe("client-node CoreV1Api", () => {
  it("creates, reads, lists, patches, replaces and deletes ConfigMaps", async () => {
    const created = await core.createNamespacedConfigMap({
      namespace: ns,
      body: { ...CM, metadata: { name: "typed", labels: { app: "typed" } }, data: { a: "1" } },
    });
    expect(created.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata?.namespace).toBe(ns);
    expect(created.metadata?.creationTimestamp).toBeInstanceOf(Date);

    const read = await core.readNamespacedConfigMap({ name: "typed", namespace: ns });
    expect(read.data).toEqual({ a: "1" });
    expect(read.metadata?.resourceVersion).toBe(created.metadata?.resourceVersion);

    const listed = await core.listNamespacedConfigMap({ namespace: ns, labelSelector: "app=typed" });
    expect(listed.items.map((item) => item.metadata?.name)).toEqual(["typed"]);
    expect(listed.metadata?.resourceVersion).toMatch(/^\d+$/);

    // Typed patch methods send json-patch by default …
    const jsonPatched = await core.patchNamespacedConfigMap({
      name: "typed",
      namespace: ns,
      body: [{ op: "add", path: "/data/b", value: "2" }],
    });
    expect(jsonPatched.data).toEqual({ a: "1", b: "2" });
    // … and merge-patch when asked.
    const merged = await core.patchNamespacedConfigMap(
      { name: "typed", namespace: ns, body: { data: { a: null, c: "3" } } },
      mergePatch,
    );
    expect(merged.data).toEqual({ b: "2", c: "3" });

    const replaced = await core.replaceNamespacedConfigMap({
      name: "typed",
      namespace: ns,
      body: { ...merged, data: { only: "this" } },
    });
    expect(replaced.data).toEqual({ only: "this" });
    expect(Number(replaced.metadata?.resourceVersion)).toBeGreaterThan(Number(merged.metadata?.resourceVersion));
    // A stale resourceVersion is a Conflict.
    expect(
      await statusOf(core.replaceNamespacedConfigMap({ name: "typed", namespace: ns, body: { ...merged, data: {} } })),
    ).toBe(409);

    await core.deleteNamespacedConfigMap({ name: "typed", namespace: ns });
    expect(await statusOf(core.readNamespacedConfigMap({ name: "typed", namespace: ns }))).toBe(404);
    expect(await statusOf(core.deleteNamespacedConfigMap({ name: "typed", namespace: ns }))).toBe(404);
  });

  // client-node's own examples create `{ metadata: { name } }`: kube-apiserver takes the kind
  // and version a typed endpoint implies when the body leaves them out.
  it("accepts bodies without apiVersion and kind, as kube-apiserver does", async () => {
    const namespace = await core.createNamespace({ body: { metadata: { name: "client-node-bare" } } });
    expect(namespace.metadata?.name).toBe("client-node-bare");
    const configMap = await core.createNamespacedConfigMap({
      namespace: ns,
      body: { metadata: { name: "bare" }, data: { a: "1" } },
    });
    expect(configMap.kind).toBe("ConfigMap");
    expect((await core.readNamespacedConfigMap({ name: "bare", namespace: ns })).apiVersion).toBe("v1");
  });

  it("reports AlreadyExists and Invalid as ApiException with the Status body", async () => {
    await core.createNamespacedConfigMap({ namespace: ns, body: { ...CM, metadata: { name: "twice" } } });
    try {
      await core.createNamespacedConfigMap({ namespace: ns, body: { ...CM, metadata: { name: "twice" } } });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ApiException);
      const api = err as ApiException<string>;
      expect(api.code).toBe(409);
      expect(JSON.parse(api.body)).toMatchObject({ kind: "Status", reason: "AlreadyExists" });
    }
    expect(
      await statusOf(
        core.createNamespacedConfigMap({ namespace: ns, body: { ...CM, metadata: { name: "Not_Valid" } } }),
      ),
    ).toBe(422);
  });

  it("lists namespaces and pages with limit/continue", async () => {
    const namespaces = await core.listNamespace();
    expect(namespaces.items.map((item) => item.metadata?.name)).toEqual(
      expect.arrayContaining(["default", "kube-system", ns]),
    );
    for (let i = 0; i < 5; i++)
      await core.createNamespacedConfigMap({
        namespace: ns,
        body: { ...CM, metadata: { name: `page-${i}`, labels: { page: "y" } } },
      });
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await core.listNamespacedConfigMap({
        namespace: ns,
        labelSelector: "page=y",
        limit: 2,
        _continue: token,
      });
      seen.push(...page.items.map((item) => item.metadata!.name!));
      token = page.metadata?._continue || undefined;
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(seen).toEqual(["page-0", "page-1", "page-2", "page-3", "page-4"]);
  });
});

describe("client-node AppsV1Api", () => {
  const deployment = (name: string): V1Deployment => ({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, labels: { app: name } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: "app", image: "nginx:1.27", ports: [{ containerPort: 80 }] }] },
      },
    },
  });

  it("creates, reads, scales, patches, lists and deletes Deployments", async () => {
    const created = await apps.createNamespacedDeployment({ namespace: ns, body: deployment("api") });
    expect(created.metadata?.generation).toBe(1);
    expect(created.spec?.template.spec?.containers[0].image).toBe("nginx:1.27");

    const scaled = await apps.patchNamespacedDeploymentScale(
      { name: "api", namespace: ns, body: { spec: { replicas: 3 } } },
      mergePatch,
    );
    expect(scaled.spec?.replicas).toBe(3);
    expect((await apps.readNamespacedDeploymentScale({ name: "api", namespace: ns })).spec?.replicas).toBe(3);
    expect((await apps.readNamespacedDeployment({ name: "api", namespace: ns })).spec?.replicas).toBe(3);

    const patched = await apps.patchNamespacedDeployment(
      {
        name: "api",
        namespace: ns,
        body: { spec: { template: { spec: { containers: [{ name: "app", image: "nginx:1.28" }] } } } },
      },
      setHeaderOptions("Content-Type", PatchStrategy.StrategicMergePatch),
    );
    expect(patched.spec?.template.spec?.containers).toHaveLength(1);
    expect(patched.spec?.template.spec?.containers[0]).toMatchObject({
      name: "app",
      image: "nginx:1.28",
      ports: [{ containerPort: 80 }],
    });
    expect(patched.metadata?.generation).toBeGreaterThan(created.metadata!.generation!);

    const listed = await apps.listNamespacedDeployment({ namespace: ns });
    expect(listed.items.map((item) => item.metadata?.name)).toContain("api");
    const everywhere = await apps.listDeploymentForAllNamespaces({ labelSelector: "app=api" });
    expect(everywhere.items.map((item) => `${item.metadata?.namespace}/${item.metadata?.name}`)).toEqual([`${ns}/api`]);

    await apps.deleteNamespacedDeployment({ name: "api", namespace: ns });
    await eventually(
      async () => !(await exists(() => apps.readNamespacedDeployment({ name: "api", namespace: ns }))),
      20_000,
      "the deployment to be gone",
    );
  });
});

describe("client-node KubernetesObjectApi", () => {
  it("creates, reads, lists, patches and deletes by apiVersion/kind", async () => {
    const spec = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "generic", namespace: ns },
      data: { a: "1" },
    };
    const created: KubernetesObject = await objects.create(spec);
    expect(created.metadata?.uid).toBeTruthy();
    const read = await objects.read<V1ConfigMap & KubernetesObject>({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "generic", namespace: ns },
    });
    expect(read.data).toEqual({ a: "1" });
    const patched = await objects.patch<V1ConfigMap & KubernetesObject>({ ...spec, data: { b: "2" } });
    expect(patched.data).toEqual({ a: "1", b: "2" });
    const list = await objects.list("v1", "ConfigMap", ns);
    expect(list.items.map((item) => item.metadata?.name)).toContain("generic");

    const deployment: KubernetesObject = await objects.create({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "generic-deploy", namespace: ns },
      spec: {
        selector: { matchLabels: { app: "g" } },
        template: { metadata: { labels: { app: "g" } }, spec: { containers: [{ name: "c", image: "busybox" }] } },
      },
    } as KubernetesObject);
    expect(deployment.kind).toBe("Deployment");
    const readBack: KubernetesObject = await objects.read({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "generic-deploy", namespace: ns },
    });
    expect(readBack.metadata?.uid).toBe(deployment.metadata?.uid);

    await objects.delete(spec);
    expect(await statusOf(objects.read(spec))).toBe(404);
  });
});

describe("client-node informers", () => {
  const namespaces = ["informer-a", "informer-b", "informer-c", "informer-d"];
  /** A deterministic pseudo-random sequence (the writes are the same on every run). */
  const random = (seed: number) => () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const keyOf = (item: KubernetesObject) =>
    `${item.metadata?.namespace}/${item.metadata?.name}@${item.metadata?.resourceVersion}`;
  const keys = (items: ReadonlyArray<KubernetesObject>) => items.map(keyOf).sort();

  /** Creates, updates and deletes ConfigMaps in one namespace, one request at a time. */
  async function writer(namespace: string, seed: number, operations: number): Promise<void> {
    const next = random(seed);
    const live: string[] = [];
    let counter = 0;
    for (let i = 0; i < operations; i++) {
      const roll = next();
      if (live.length === 0 || roll < 0.5) {
        const name = `cm-${seed}-${counter++}`;
        await core.createNamespacedConfigMap({ namespace, body: { ...CM, metadata: { name }, data: { v: "0" } } });
        live.push(name);
      } else if (roll < 0.8) {
        const name = live[Math.floor(next() * live.length)];
        await core.patchNamespacedConfigMap({ name, namespace, body: { data: { v: String(i) } } }, mergePatch);
      } else {
        const [name] = live.splice(Math.floor(next() * live.length), 1);
        await core.deleteNamespacedConfigMap({ name, namespace });
      }
    }
  }

  it("converge to the server's exact state under concurrent writes in 4 namespaces", async () => {
    for (const namespace of namespaces) {
      await ensureNamespace(namespace);
      // Some state before the informers start: it reaches them through the list.
      await writer(namespace, namespaces.indexOf(namespace) + 100, 6);
    }
    const perNamespace = await Promise.all(
      namespaces.map((namespace) =>
        start(
          informer<V1ConfigMap>(`/api/v1/namespaces/${namespace}/configmaps`, () =>
            core.listNamespacedConfigMap({ namespace }),
          ),
        ),
      ),
    );
    const all = await start(informer<V1ConfigMap>("/api/v1/configmaps", () => core.listConfigMapForAllNamespaces()));

    // Two concurrent writers per namespace, all namespaces at once.
    await Promise.all(
      namespaces.flatMap((namespace, i) => [writer(namespace, i * 2 + 1, 40), writer(namespace, i * 2 + 2, 40)]),
    );

    for (const [i, namespace] of namespaces.entries()) {
      const cache = perNamespace[i];
      let server: string[] = [];
      await eventually(
        async () => {
          server = keys((await core.listNamespacedConfigMap({ namespace })).items);
          return JSON.stringify(keys(cache.list(namespace))) === JSON.stringify(server);
        },
        20_000,
        `the ${namespace} informer to match the server`,
      ).catch(() => expect(keys(cache.list(namespace))).toEqual(server));
      expect(server.length).toBeGreaterThan(0);
    }
    let server: string[] = [];
    await eventually(
      async () => {
        server = keys((await core.listConfigMapForAllNamespaces()).items);
        return JSON.stringify(keys(all.list())) === JSON.stringify(server);
      },
      20_000,
      "the all-namespaces informer to match the server",
    ).catch(() => expect(keys(all.list())).toEqual(server));

    // The caches were kept by the watches: no informer had to reconnect or failed.
    for (const each of [...perNamespace, all]) {
      expect(each.errors).toEqual([]);
      expect(each.connects).toBe(1);
      expect(each.events).toBeGreaterThan(0);
    }
  });

  it(
    "keep receiving events after more than 60 s of idleness",
    async () => {
      // The watch must carry no event for IDLE_MS (controllers may still have written to the
      // namespace just after it was created: count from the informer's last event).
      for (;;) {
        const remaining = idle.lastEventAt + IDLE_MS - Date.now();
        if (remaining <= 0) break;
        await new Promise((resolve) => setTimeout(resolve, remaining));
      }
      await core.createNamespacedConfigMap({ namespace: idleNs, body: { ...CM, metadata: { name: "after" } } });
      await eventually(() => idle.get("after", idleNs) !== undefined, 20_000, "the event after the idle period");
      // It came over the original watch: no reconnect (client-node 2.x drops a watch after 30 s
      // without a byte, so without keepalives this would be 2 or more).
      expect(idle.errors).toEqual([]);
      expect(idle.connects).toBe(1);
    },
    IDLE_MS + 60_000,
  );
});
