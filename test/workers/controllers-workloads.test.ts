// Deployments and ReplicaSets reconciled inside a NamespaceStore: the test drives the store's
// alarm (runDurableObjectAlarm), plays kubelet through PUT pods/status, and checks what
// kubectl would see. Pod counts during rollouts come from a pods watch, so the limits are
// checked at every committed state, not only where the test happens to look.
import { evictDurableObject, runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Deployment, Pod, ReplicaSet } from "../../api/controllers/common/types.ts";
import { createCluster, expectStatus, type Client, type WatchReader } from "./helpers.ts";

const NS = "default";
const DEPLOYMENTS = `/apis/apps/v1/namespaces/${NS}/deployments`;
const REPLICASETS = `/apis/apps/v1/namespaces/${NS}/replicasets`;
const PODS = `/api/v1/namespaces/${NS}/pods`;
const REVISION = "deployment.kubernetes.io/revision";

const storeOf = (c: Client, ns = NS) => env.NAMESPACE_STORE.get(env.NAMESPACE_STORE.idFromName(`${c.cluster}/${ns}`));

function deploymentBody(name: string, replicas: number, spec: Partial<Deployment["spec"]> = {}): Deployment {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: "web", image: "nginx:1.27" }] },
      },
      ...spec,
    },
  };
}

const isReady = (pod: Pod) => (pod.status?.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True");
const isActive = (pod: Pod) =>
  !pod.metadata.deletionTimestamp && pod.status?.phase !== "Succeeded" && pod.status?.phase !== "Failed";
const controlledBy = (pod: { metadata: Pod["metadata"] }, uid: string | undefined) =>
  (pod.metadata.ownerReferences ?? []).some((r) => r.controller && r.uid === uid);

async function pods(c: Client): Promise<Pod[]> {
  return (await c.mustList<Pod>(PODS)).items;
}
async function replicaSets(c: Client): Promise<ReplicaSet[]> {
  return (await c.mustList<ReplicaSet>(REPLICASETS)).items;
}
async function deployment(c: Client, name: string): Promise<Deployment> {
  return c.mustGet<Deployment>(`${DEPLOYMENTS}/${name}`);
}

/** The kubelet's part: up to `max` active pods that are not ready become Running and Ready. */
async function kubelet(c: Client, max = Infinity): Promise<number> {
  let marked = 0;
  for (const pod of await pods(c)) {
    if (marked >= max) break;
    if (!isActive(pod) || isReady(pod)) continue;
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
    pod.status = {
      ...pod.status,
      phase: "Running",
      conditions: [
        { type: "Initialized", status: "True", lastTransitionTime: now },
        { type: "Ready", status: "True", lastTransitionTime: now },
        { type: "ContainersReady", status: "True", lastTransitionTime: now },
        { type: "PodScheduled", status: "True", lastTransitionTime: now },
      ],
    };
    const result = await c.update(`${PODS}/${pod.metadata.name}/status`, pod);
    if (result.status === 409 || result.status === 404) continue; // changed or gone meanwhile
    expectStatus(result, 200, `kubelet: status of ${pod.metadata.name}`);
    marked += 1;
  }
  return marked;
}

/** What `kubectl rollout status` waits for. */
function rolledOut(d: Deployment): boolean {
  const s = d.status ?? {};
  const replicas = d.spec.replicas ?? 1;
  const exceeded = (s.conditions ?? []).some(
    (x) => x.type === "Progressing" && x.reason === "ProgressDeadlineExceeded",
  );
  return (
    (d.metadata.generation ?? 0) <= (s.observedGeneration ?? 0) &&
    !exceeded &&
    (s.updatedReplicas ?? 0) >= replicas &&
    (s.replicas ?? 0) <= (s.updatedReplicas ?? 0) &&
    (s.availableReplicas ?? 0) >= (s.updatedReplicas ?? 0)
  );
}

/** Runs the store's alarm until `done()` holds (alarms may also fire on their own). */
async function driveUntil(c: Client, done: () => Promise<boolean>, what: string, attempts = 60): Promise<void> {
  const stub = storeOf(c);
  for (let i = 0; i < attempts; i++) {
    if (await done()) return;
    await runDurableObjectAlarm(stub);
  }
  if (await done()) return;
  throw new Error(`controllers did not reach: ${what}`);
}

/** Drives the controllers and plays kubelet one pod at a time until the rollout is complete. */
async function rollOut(c: Client, name: string, steps = 80): Promise<Deployment> {
  const stub = storeOf(c);
  for (let i = 0; i < steps; i++) {
    await runDurableObjectAlarm(stub);
    const d = await deployment(c, name);
    if (rolledOut(d)) return d;
    if ((await kubelet(c, 1)) === 0) await runDurableObjectAlarm(stub);
  }
  throw new Error(`rollout of ${name} did not finish: ${JSON.stringify((await deployment(c, name)).status)}`);
}

/** Follows the namespace's pods through a watch; tracks the most active and fewest ready pods seen. */
class PodCounter {
  private readonly state = new Map<string, Pod>();
  private seen = 0;
  maxActive = 0;
  minReady = Infinity;
  readonly watch: WatchReader<Pod>;

  private constructor(watch: WatchReader<Pod>, initial: Pod[]) {
    this.watch = watch;
    for (const pod of initial) this.state.set(pod.metadata.name ?? "", pod);
  }

  static async start(c: Client): Promise<PodCounter> {
    const list = await c.mustList<Pod>(PODS);
    const watch = (await c.watch(
      PODS,
      `resourceVersion=${list.metadata.resourceVersion}`,
    )) as unknown as WatchReader<Pod>;
    return new PodCounter(watch, list.items);
  }

  /** Applies the events received so far. */
  update(): void {
    for (const event of this.watch.events.slice(this.seen)) {
      this.seen += 1;
      if (event.type === "BOOKMARK") continue;
      const name = event.object.metadata.name ?? "";
      if (event.type === "DELETED") this.state.delete(name);
      else this.state.set(name, event.object);
      const active = [...this.state.values()].filter(isActive);
      this.maxActive = Math.max(this.maxActive, active.length);
      this.minReady = Math.min(this.minReady, active.filter(isReady).length);
    }
  }

  /** Waits until the watch has caught up with the store's current pods (same names, same versions). */
  async catchUp(c: Client): Promise<void> {
    const list = await c.mustList<Pod>(PODS);
    const want = new Map(list.items.map((p) => [p.metadata.name ?? "", p.metadata.resourceVersion]));
    await this.watch.waitFor(() => {
      this.update();
      return (
        this.state.size === want.size &&
        [...want].every(([name, rv]) => this.state.get(name)?.metadata.resourceVersion === rv)
      );
    }, "the pods watch to catch up");
  }
}

describe("Deployment and ReplicaSet controllers in a NamespaceStore", { timeout: 60_000 }, () => {
  it("a Deployment of 3 gets a ReplicaSet and 3 pods with the right owners, then rolls out", async () => {
    const c = await createCluster("wl-basic");
    const created = await c.mustCreate<Deployment>(DEPLOYMENTS, deploymentBody("web", 3));
    await driveUntil(c, async () => (await pods(c)).length === 3, "3 pods");

    const [rs] = await replicaSets(c);
    const hash = rs.metadata.labels?.["pod-template-hash"];
    expect(rs.metadata.name).toBe(`web-${hash}`);
    expect(rs.metadata.ownerReferences).toEqual([
      {
        apiVersion: "apps/v1",
        kind: "Deployment",
        name: "web",
        uid: created.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    expect(rs.spec.selector).toEqual({ matchLabels: { app: "web", "pod-template-hash": hash } });
    expect(rs.metadata.annotations?.[REVISION]).toBe("1");
    for (const pod of await pods(c)) {
      expect(pod.metadata.name).toMatch(new RegExp(`^${rs.metadata.name}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
      expect(pod.metadata.labels).toEqual({ app: "web", "pod-template-hash": hash });
      expect(pod.metadata.ownerReferences).toEqual([
        {
          apiVersion: "apps/v1",
          kind: "ReplicaSet",
          name: rs.metadata.name,
          uid: rs.metadata.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ]);
    }

    const d = await rollOut(c, "web");
    expect(d.status).toMatchObject({
      observedGeneration: 1,
      replicas: 3,
      updatedReplicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
    });
    expect(d.status?.unavailableReplicas).toBeUndefined();
    expect(d.metadata.annotations?.[REVISION]).toBe("1");
    const types = (d.status?.conditions ?? []).map((x) => `${x.type}=${x.status}/${x.reason}`);
    expect(types).toEqual(["Available=True/MinimumReplicasAvailable", "Progressing=True/NewReplicaSetAvailable"]);
    const rsAfter = (await replicaSets(c))[0];
    expect(rsAfter.status).toMatchObject({
      replicas: 3,
      fullyLabeledReplicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
      observedGeneration: 1,
    });

    // The events kubectl describe shows.
    const events = (
      await c.mustList<{ reason?: string; message?: string; metadata: object }>(`/api/v1/namespaces/${NS}/events`)
    ).items;
    expect(
      events.some(
        (e) =>
          e.reason === "ScalingReplicaSet" && e.message === `Scaled up replica set ${rs.metadata.name} from 0 to 3`,
      ),
    ).toBe(true);
    expect(events.filter((e) => e.reason === "SuccessfulCreate")).toHaveLength(3);
  });

  it("scales to 5 and back to 2 through the scale subresource", async () => {
    const c = await createCluster("wl-scale");
    await c.mustCreate(DEPLOYMENTS, deploymentBody("web", 3));
    await rollOut(c, "web");
    for (const replicas of [5, 2]) {
      expectStatus(await c.patch(`${DEPLOYMENTS}/web/scale`, "merge", { spec: { replicas } }), 200, "scale");
      const d = await rollOut(c, "web");
      expect(d.status).toMatchObject({ replicas, updatedReplicas: replicas, availableReplicas: replicas });
      expect((await pods(c)).filter(isActive)).toHaveLength(replicas);
      const sets = await replicaSets(c);
      expect(sets).toHaveLength(1);
      expect(sets[0].spec.replicas).toBe(replicas);
    }
  });

  it("a template change rolls within maxSurge / maxUnavailable; undo goes back to revision 1's ReplicaSet", async () => {
    const c = await createCluster("wl-roll");
    const strategy = { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } };
    await c.mustCreate(DEPLOYMENTS, deploymentBody("web", 4, { strategy }));
    await rollOut(c, "web");
    const [first] = await replicaSets(c);

    const counter = await PodCounter.start(c);
    expectStatus(
      await c.patch(`${DEPLOYMENTS}/web`, "strategic", {
        spec: { template: { spec: { containers: [{ name: "web", image: "nginx:1.28" }] } } },
      }),
      200,
      "set image",
    );
    const stub = storeOf(c);
    for (let step = 0; step < 80; step++) {
      await runDurableObjectAlarm(stub);
      await counter.catchUp(c);
      if (rolledOut(await deployment(c, "web"))) break;
      await kubelet(c, 1);
    }
    const rolled = await deployment(c, "web");
    expect(rolledOut(rolled)).toBe(true);
    await counter.catchUp(c);
    expect(counter.maxActive).toBeLessThanOrEqual(4 + 1);
    expect(counter.minReady).toBeGreaterThanOrEqual(4 - 1);
    expect(counter.maxActive).toBe(5); // the surge was used
    await counter.watch.cancel();

    expect(rolled.metadata.annotations?.[REVISION]).toBe("2");
    const sets = await replicaSets(c);
    expect(sets).toHaveLength(2);
    const second = sets.find((rs) => rs.metadata.uid !== first.metadata.uid)!;
    expect(second.metadata.annotations?.[REVISION]).toBe("2");
    expect(sets.find((rs) => rs.metadata.uid === first.metadata.uid)?.spec.replicas).toBe(0);
    for (const pod of (await pods(c)).filter(isActive)) {
      expect(pod.spec?.containers[0].image).toBe("nginx:1.28");
      expect(controlledBy(pod, second.metadata.uid)).toBe(true);
    }

    // `kubectl rollout undo`: a JSON patch of the template from revision 1 (hash label removed) and its annotations.
    const template = structuredClone(first.spec.template!);
    delete template.metadata!.labels!["pod-template-hash"];
    const annotations = Object.fromEntries(
      Object.entries(first.metadata.annotations ?? {}).filter(([k]) => !k.startsWith("deployment.kubernetes.io/")),
    );
    expectStatus(
      await c.patch(`${DEPLOYMENTS}/web`, "json", [
        { op: "replace", path: "/spec/template", value: template },
        { op: "replace", path: "/metadata/annotations", value: annotations },
      ]),
      200,
      "undo",
    );
    const undone = await rollOut(c, "web");
    expect(undone.metadata.annotations?.[REVISION]).toBe("3");
    const after = await replicaSets(c);
    expect(after).toHaveLength(2);
    const reused = after.find((rs) => rs.metadata.uid === first.metadata.uid)!;
    expect(reused.metadata.annotations).toMatchObject({
      [REVISION]: "3",
      "deployment.kubernetes.io/revision-history": "1",
    });
    expect(reused.spec.replicas).toBe(4);
    for (const pod of (await pods(c)).filter(isActive)) expect(pod.spec?.containers[0].image).toBe("nginx:1.27");
  });

  it("Recreate removes every old pod before the first new one exists", async () => {
    const c = await createCluster("wl-recreate");
    await c.mustCreate(DEPLOYMENTS, deploymentBody("web", 3, { strategy: { type: "Recreate" } }));
    await rollOut(c, "web");
    const counter = await PodCounter.start(c);
    expectStatus(
      await c.patch(`${DEPLOYMENTS}/web`, "strategic", {
        spec: { template: { spec: { containers: [{ name: "web", image: "nginx:1.28" }] } } },
      }),
      200,
      "set image",
    );
    await rollOut(c, "web");
    await counter.catchUp(c);
    // Every committed state had only one image among its active pods.
    let mixed = false;
    const live = new Map<string, Pod>();
    for (const event of counter.watch.events) {
      if (event.type === "BOOKMARK") continue;
      const name = event.object.metadata.name ?? "";
      if (event.type === "DELETED") live.delete(name);
      else live.set(name, event.object);
      const images = new Set([...live.values()].filter(isActive).map((p) => p.spec?.containers[0].image));
      if (images.size > 1) mixed = true;
    }
    await counter.watch.cancel();
    expect(mixed).toBe(false);
    const active = (await pods(c)).filter(isActive);
    expect(active.map((p) => p.spec?.containers[0].image)).toEqual(["nginx:1.28", "nginx:1.28", "nginx:1.28"]);
  });

  it("a deleted ReplicaSet of a Deployment is recreated and brought back to size", async () => {
    const c = await createCluster("wl-repair");
    await c.mustCreate(DEPLOYMENTS, deploymentBody("web", 3));
    await rollOut(c, "web");
    const [rs] = await replicaSets(c);
    expectStatus(await c.delete(`${REPLICASETS}/${rs.metadata.name}`), 200, "delete rs");
    await driveUntil(
      c,
      async () => {
        const sets = await replicaSets(c);
        return sets.length === 1 && sets[0].metadata.uid !== rs.metadata.uid;
      },
      "a new ReplicaSet",
    );
    const d = await rollOut(c, "web");
    const [again] = await replicaSets(c);
    expect(again.metadata.name).toBe(rs.metadata.name);
    expect(again.status?.replicas).toBe(3);
    expect((await pods(c)).filter((p) => isActive(p) && controlledBy(p, again.metadata.uid))).toHaveLength(3);
    expect(d.status).toMatchObject({ replicas: 3, availableReplicas: 3 });
  });

  it("evicting the NamespaceStore between and during reconciles creates no duplicate pods", async () => {
    const c = await createCluster("wl-evict");
    const stub = storeOf(c);
    await c.mustCreate(DEPLOYMENTS, deploymentBody("web", 5));
    // Evicted before its first alarm: the restarted store resyncs from storage.
    await evictDurableObject(stub).catch(() => {});
    for (let i = 0; i < 6; i++) {
      // An alarm in flight while the store is evicted, then an eviction between alarms.
      const alarm = runDurableObjectAlarm(stub).catch(() => false);
      await evictDurableObject(stub).catch(() => {});
      await alarm;
      await c.mustList(PODS); // wakes the store again
      await evictDurableObject(stub).catch(() => {});
    }
    await driveUntil(c, async () => (await pods(c)).length >= 5, "5 pods");
    for (let i = 0; i < 5; i++) {
      await runDurableObjectAlarm(stub);
      await evictDurableObject(stub).catch(() => {});
      await c.mustList(PODS);
    }
    const sets = await replicaSets(c);
    expect(sets).toHaveLength(1);
    const all = await pods(c);
    expect(all).toHaveLength(5);
    expect(all.every((p) => controlledBy(p, sets[0].metadata.uid))).toBe(true);

    // And through a rollout with evictions at every step.
    const d = await rollOut(c, "web");
    expect(d.status).toMatchObject({ replicas: 5, availableReplicas: 5 });
    expect(await pods(c)).toHaveLength(5);
  });
  it("a ReplicaSet adopts a matching orphan pod when it appears, and releases a pod relabelled away", async () => {
    const c = await createCluster("wl-adopt");
    await c.mustCreate(REPLICASETS, {
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata: { name: "bare" },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: "bare" } },
        template: { metadata: { labels: { app: "bare" } }, spec: { containers: [{ name: "c", image: "nginx:1.27" }] } },
      },
    });
    await driveUntil(c, async () => (await pods(c)).length === 2, "2 pods");
    await kubelet(c);
    const rs = (await replicaSets(c))[0];
    // A matching orphan wakes the ReplicaSet: it adopts it, then deletes one pod (the orphan, newest and not ready).
    await c.mustCreate(PODS, {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "stray", labels: { app: "bare" } },
      spec: { containers: [{ name: "c", image: "nginx:1.27" }] },
    });
    await driveUntil(
      c,
      async () => {
        const all = await pods(c);
        return all.length === 2 && all.every((p) => controlledBy(p, rs.metadata.uid));
      },
      "2 pods, all controlled by the ReplicaSet",
    );
    expect((await pods(c)).map((p) => p.metadata.name)).not.toContain("stray");

    // Relabel one away: released (ownerReference removed) and replaced.
    const [first] = await pods(c);
    expectStatus(
      await c.patch(`${PODS}/${first.metadata.name}`, "merge", { metadata: { labels: { app: "debug" } } }),
      200,
      "relabel",
    );
    await driveUntil(
      c,
      async () => {
        const all = await pods(c);
        const released = all.find((p) => p.metadata.name === first.metadata.name);
        return all.length === 3 && released !== undefined && !released.metadata.ownerReferences?.length;
      },
      "the relabelled pod released and replaced",
    );
    expect((await replicaSets(c))[0].status?.replicas).toBe(2);
  });
});
