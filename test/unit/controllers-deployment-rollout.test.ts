// Whole rollouts: the Deployment and ReplicaSet controllers run against an in-memory store
// that applies the API's lifecycle rules (defaults, validation, generation), with a
// stand-in kubelet that makes pods ready one at a time. Invariants are checked after
// every write: never more than replicas + maxSurge pods, never fewer than
// replicas − maxUnavailable available.
import { describe, expect, it } from "vitest";
import { prepareCreate } from "../../api/lifecycle/create.ts";
import { decideDelete } from "../../api/lifecycle/delete.ts";
import { prepareUpdate } from "../../api/lifecycle/update.ts";
import { applyJsonPatch } from "../../api/patch/json-patch.ts";
import { findByKey } from "../../api/registry/index.ts";
import type { KubeObject } from "../../api/types.ts";
import { isPodActive, isPodReady } from "../../api/controllers/common/pods.ts";
import { computePodTemplateHash } from "../../api/controllers/common/template-hash.ts";
import type { Deployment, Pod, ReplicaSet } from "../../api/controllers/common/types.ts";
import { syncDeployment, type DeploymentWorld } from "../../api/controllers/deployment/sync.ts";
import { syncReplicaSet, type ReplicaSetWorld } from "../../api/controllers/replicaset/sync.ts";

const T0 = Date.parse("2026-03-01T12:00:00Z");
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
const DEPLOYMENTS = "deployments.apps";
const REPLICASETS = "replicasets.apps";
const PODS = "pods";

interface Watcher {
  (cluster: FakeCluster): void;
}

class FakeCluster {
  clock = T0;
  private uids = 0;
  private seed = 7;
  writes = 0;
  readonly objects = new Map<string, Map<string, KubeObject>>();
  readonly events: string[] = [];
  readonly requeues: Array<{ key: string; ms: number }> = [];
  watchers: Watcher[] = [];
  /** Deployment syncs per pass before the ReplicaSets catch up (>1 = an adversarial queue order). */
  deploymentPasses = 1;

  private table(key: string) {
    let t = this.objects.get(key);
    if (!t) this.objects.set(key, (t = new Map()));
    return t;
  }
  private random = () => {
    this.seed = (this.seed * 48271) % 2147483647;
    return this.seed / 2147483647;
  };
  private wrote(): void {
    this.writes += 1;
    for (const watcher of this.watchers) watcher(this);
  }

  get<T extends KubeObject>(key: string, name: string): T | undefined {
    const obj = this.table(key).get(name);
    return obj ? (structuredClone(obj) as T) : undefined;
  }
  list<T extends KubeObject>(key: string): T[] {
    return [...this.table(key).values()].map((o) => structuredClone(o) as T);
  }
  create<T extends KubeObject>(key: string, body: KubeObject): T | undefined {
    const obj = prepareCreate(findByKey(key)!, structuredClone(body), "default", {
      now: new Date(this.clock),
      newUid: () => `uid-${++this.uids}`,
      random: this.random,
    });
    if (this.table(key).has(obj.metadata.name!)) return undefined;
    this.table(key).set(obj.metadata.name!, obj);
    this.wrote();
    return structuredClone(obj) as T;
  }
  update<T extends KubeObject>(key: string, body: KubeObject, target: "main" | "status" = "main"): T {
    const old = this.table(key).get(body.metadata.name!);
    if (!old) throw new Error(`no ${key} ${body.metadata.name}`);
    const { object, changed } = prepareUpdate(findByKey(key)!, structuredClone(body), old, target);
    if (changed) {
      this.table(key).set(object.metadata.name!, object);
      this.wrote();
    }
    return structuredClone(object) as T;
  }
  delete(key: string, name: string): void {
    const current = this.table(key).get(name);
    if (!current) return;
    const decision = decideDelete(findByKey(key)!, current, {}, new Date(this.clock));
    if (decision.action === "delete") this.table(key).delete(name);
    else if (decision.action === "update") this.table(key).set(name, decision.object);
    this.wrote();
  }

  private record = (_: KubeObject, type: string, reason: string, message: string) => {
    this.events.push(`${type} ${reason} ${message}`);
  };

  deploymentWorld(key: string): DeploymentWorld {
    return {
      now: () => new Date(this.clock),
      getDeployment: (name) => this.get<Deployment>(DEPLOYMENTS, name),
      listReplicaSets: () => this.list<ReplicaSet>(REPLICASETS),
      getReplicaSet: (name) => this.get<ReplicaSet>(REPLICASETS, name),
      listPods: () => this.list<Pod>(PODS),
      createReplicaSet: (rs) => this.create<ReplicaSet>(REPLICASETS, rs),
      updateReplicaSet: (rs) => this.update<ReplicaSet>(REPLICASETS, rs),
      deleteReplicaSet: (name) => this.delete(REPLICASETS, name),
      updateDeployment: (d) => this.update<Deployment>(DEPLOYMENTS, d),
      updateDeploymentStatus: (d) => this.update<Deployment>(DEPLOYMENTS, d, "status"),
      recordEvent: this.record,
      requeueAfter: (ms) => {
        this.requeues.push({ key, ms });
      },
    };
  }

  replicaSetWorld(key: string): ReplicaSetWorld {
    return {
      now: () => new Date(this.clock),
      getReplicaSet: (name) => this.get<ReplicaSet>(REPLICASETS, name),
      listReplicaSets: () => this.list<ReplicaSet>(REPLICASETS),
      listPods: () => this.list<Pod>(PODS),
      createPod: (pod) => this.create<Pod>(PODS, pod)!,
      deletePod: (name) => this.delete(PODS, name),
      updatePod: (pod) => this.update<Pod>(PODS, pod),
      updateReplicaSetStatus: (rs) => this.update<ReplicaSet>(REPLICASETS, rs, "status"),
      recordEvent: this.record,
      requeueAfter: (ms) => {
        this.requeues.push({ key, ms });
      },
    };
  }

  /** Runs both controllers over every object until a full pass writes nothing. */
  settle(): void {
    for (let pass = 0; pass < 200; pass++) {
      const before = this.writes;
      for (let i = 0; i < this.deploymentPasses; i++)
        for (const d of this.list(DEPLOYMENTS))
          syncDeployment(d.metadata.name!, this.deploymentWorld(d.metadata.name!));
      // In the adversarial order the newest ReplicaSet (which grows) acts before the old ones shrink.
      const sets = this.list(REPLICASETS);
      if (this.deploymentPasses > 1) sets.reverse();
      for (const rs of sets) syncReplicaSet(rs.metadata.name!, this.replicaSetWorld(rs.metadata.name!));
      if (this.writes === before) return;
    }
    throw new Error("controllers did not settle in 200 passes");
  }

  /** The kubelet: up to `n` pods that are not ready become Running and Ready (oldest first). */
  kubelet(n = Infinity, filter: (pod: Pod) => boolean = () => true): number {
    let marked = 0;
    for (const pod of this.list<Pod>(PODS).filter(isPodActive)) {
      if (marked >= n) break;
      if (isPodReady(pod) || !filter(pod)) continue;
      pod.status = {
        ...pod.status,
        phase: "Running",
        conditions: [{ type: "Ready", status: "True", lastTransitionTime: iso(this.clock) }],
      };
      this.update(PODS, pod, "status");
      marked += 1;
    }
    return marked;
  }

  deployment(name = "web"): Deployment {
    return this.get<Deployment>(DEPLOYMENTS, name)!;
  }
  replicaSets(): ReplicaSet[] {
    return this.list<ReplicaSet>(REPLICASETS);
  }
  activePods(): Pod[] {
    return this.list<Pod>(PODS).filter(isPodActive);
  }
  podsOf(rs: ReplicaSet): Pod[] {
    return this.activePods().filter((p) => p.metadata.ownerReferences?.some((r) => r.uid === rs.metadata.uid));
  }
  /** The ReplicaSet with this revision annotation. */
  revision(n: number): ReplicaSet | undefined {
    return this.replicaSets().find(
      (rs) => rs.metadata.annotations?.["deployment.kubernetes.io/revision"] === String(n),
    );
  }
  /** Patches the Deployment's spec as a user would (main resource). */
  edit(mutate: (d: Deployment) => void, name = "web"): void {
    const d = this.deployment(name);
    mutate(d);
    this.update(DEPLOYMENTS, d);
  }
  /** What `kubectl rollout undo --to-revision=n` sends: the revision's template (no hash label) and annotations. */
  undo(n: number, name = "web"): void {
    const rs = this.revision(n)!;
    const template = structuredClone(rs.spec.template!);
    delete template.metadata!.labels!["pod-template-hash"];
    const skip = new Set([
      "kubectl.kubernetes.io/last-applied-configuration",
      "deployment.kubernetes.io/revision",
      "deployment.kubernetes.io/revision-history",
      "deployment.kubernetes.io/desired-replicas",
      "deployment.kubernetes.io/max-replicas",
      "deprecated.deployment.rollback.to",
    ]);
    const d = this.deployment(name);
    const annotations: Record<string, string> = {};
    for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) if (skip.has(k)) annotations[k] = v;
    for (const [k, v] of Object.entries(rs.metadata.annotations ?? {})) if (!skip.has(k)) annotations[k] = v;
    const patched = applyJsonPatch(d, [
      { op: "replace", path: "/spec/template", value: template },
      { op: "replace", path: "/metadata/annotations", value: annotations },
    ]) as Deployment;
    this.update(DEPLOYMENTS, patched);
  }
  /** Complete as `kubectl rollout status` judges it. */
  rolledOut(name = "web"): boolean {
    const d = this.deployment(name);
    const s = d.status ?? {};
    const replicas = d.spec.replicas ?? 1;
    const deadline = s.conditions?.find((c) => c.type === "Progressing")?.reason === "ProgressDeadlineExceeded";
    return (
      (d.metadata.generation ?? 0) <= (s.observedGeneration ?? 0) &&
      !deadline &&
      (s.updatedReplicas ?? 0) >= replicas &&
      (s.replicas ?? 0) <= (s.updatedReplicas ?? 0) &&
      (s.availableReplicas ?? 0) >= (s.updatedReplicas ?? 0)
    );
  }
  /** Settles and plays kubelet one pod at a time until rolled out. */
  rollOut(name = "web", maxSteps = 200): number {
    for (let step = 0; step < maxSteps; step++) {
      this.settle();
      if (this.rolledOut(name)) return step;
      if (this.kubelet(1) === 0) throw new Error(`rollout stuck: ${JSON.stringify(this.deployment(name).status)}`);
    }
    throw new Error("rollout did not finish");
  }
}

function deploymentBody(
  replicas: number,
  opts: Partial<{ image: string; strategy: Deployment["spec"]["strategy"]; extra: Partial<Deployment["spec"]> }> = {},
): Deployment {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web" },
    spec: {
      replicas,
      selector: { matchLabels: { app: "web" } },
      template: {
        metadata: { labels: { app: "web" } },
        spec: { containers: [{ name: "c", image: opts.image ?? "nginx:1" }] },
      },
      ...(opts.strategy ? { strategy: opts.strategy } : {}),
      ...opts.extra,
    },
  };
}

const setImage = (image: string) => (d: Deployment) => {
  d.spec.template.spec!.containers[0].image = image;
};

/** Watches pod counts after every write while armed. */
function invariantWatcher(maxPods: number, minAvailable: number) {
  const seen = { maxPods: 0, minAvailable: Infinity, armed: true };
  const watcher: Watcher = (cluster) => {
    if (!seen.armed) return;
    const pods = cluster.activePods();
    seen.maxPods = Math.max(seen.maxPods, pods.length);
    seen.minAvailable = Math.min(seen.minAvailable, pods.filter(isPodReady).length);
  };
  return {
    seen,
    watcher,
    check: () => ({ maxPods: seen.maxPods <= maxPods, minAvailable: seen.minAvailable >= minAvailable }),
  };
}

describe("Deployment rollouts (controllers against an in-memory store)", () => {
  it("creates a ReplicaSet named after the template hash, which creates the pods; completes once they are ready", () => {
    const c = new FakeCluster();
    c.create(DEPLOYMENTS, deploymentBody(3));
    c.settle();
    const [rs] = c.replicaSets();
    const d = c.deployment();
    const hash = rs.metadata.labels?.["pod-template-hash"];
    expect(rs.metadata.name).toBe(`web-${hash}`);
    expect(rs.metadata.ownerReferences).toEqual([
      {
        apiVersion: "apps/v1",
        kind: "Deployment",
        name: "web",
        uid: d.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    expect(rs.metadata.annotations).toEqual({
      "deployment.kubernetes.io/revision": "1",
      "deployment.kubernetes.io/desired-replicas": "3",
      "deployment.kubernetes.io/max-replicas": "4",
    });
    expect(d.metadata.annotations?.["deployment.kubernetes.io/revision"]).toBe("1");
    const pods = c.podsOf(rs);
    expect(pods).toHaveLength(3);
    for (const p of pods) {
      expect(p.metadata.labels).toEqual({ app: "web", "pod-template-hash": hash });
      expect(p.metadata.name?.startsWith(`${rs.metadata.name}-`)).toBe(true);
    }
    expect(d.status).toMatchObject({ observedGeneration: 1, replicas: 3, updatedReplicas: 3, unavailableReplicas: 3 });
    expect(d.status?.conditions?.find((x) => x.type === "Progressing")).toMatchObject({
      status: "True",
      reason: "ReplicaSetUpdated", // created, then progressing as its pods appeared
      message: `ReplicaSet "${rs.metadata.name}" is progressing.`,
    });
    expect(d.status?.conditions?.find((x) => x.type === "Available")).toMatchObject({
      status: "False",
      reason: "MinimumReplicasUnavailable",
    });
    expect(c.events).toContain(`Normal ScalingReplicaSet Scaled up replica set ${rs.metadata.name} from 0 to 3`);

    c.rollOut();
    const done = c.deployment();
    expect(done.status).toEqual({
      observedGeneration: 1,
      replicas: 3,
      updatedReplicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
      conditions: [
        expect.objectContaining({ type: "Available", status: "True", reason: "MinimumReplicasAvailable" }),
        expect.objectContaining({
          type: "Progressing",
          status: "True",
          reason: "NewReplicaSetAvailable",
          message: `ReplicaSet "${rs.metadata.name}" has successfully progressed.`,
        }),
      ],
    });
  });

  it("scales up and down with a single ReplicaSet", () => {
    const c = new FakeCluster();
    c.create(DEPLOYMENTS, deploymentBody(3));
    c.rollOut();
    c.edit((d) => (d.spec.replicas = 5));
    c.rollOut();
    expect(c.activePods()).toHaveLength(5);
    expect(c.replicaSets()).toHaveLength(1);
    expect(c.replicaSets()[0].metadata.annotations?.["deployment.kubernetes.io/desired-replicas"]).toBe("5");
    c.edit((d) => (d.spec.replicas = 2));
    c.rollOut();
    expect(c.activePods()).toHaveLength(2);
    expect(c.deployment().status).toMatchObject({ replicas: 2, updatedReplicas: 2, availableReplicas: 2 });
  });

  for (const [surge, unavailable, replicas, passes] of [
    ["25%", "25%", 4, 1],
    [1, 0, 3, 1],
    [0, 1, 3, 1],
    ["50%", "50%", 6, 1],
    [3, 2, 10, 1],
    [1, 1, 4, 3],
    ["25%", "25%", 8, 3],
    [2, 0, 5, 3],
    [0, 2, 5, 3],
  ] as const) {
    const order = passes > 1 ? ", Deployment synced repeatedly before its ReplicaSets catch up" : "";
    it(`rolls a template change within maxSurge=${surge} / maxUnavailable=${unavailable} (replicas ${replicas}${order})`, () => {
      const c = new FakeCluster();
      c.deploymentPasses = passes;
      const strategy = { type: "RollingUpdate", rollingUpdate: { maxSurge: surge, maxUnavailable: unavailable } };
      c.create(DEPLOYMENTS, deploymentBody(replicas, { strategy }));
      c.rollOut();
      const first = c.replicaSets()[0];

      const d = c.deployment();
      const maxPods = replicas + (typeof surge === "number" ? surge : Math.ceil((parseInt(surge) * replicas) / 100));
      const minAvailable =
        replicas -
        (typeof unavailable === "number" ? unavailable : Math.floor((parseInt(unavailable) * replicas) / 100));
      const inv = invariantWatcher(maxPods, minAvailable);
      c.watchers.push(inv.watcher);
      c.edit(setImage("nginx:2"));
      expect(c.deployment().metadata.generation).toBe((d.metadata.generation ?? 1) + 1);
      c.rollOut();
      expect(inv.check()).toEqual({ maxPods: true, minAvailable: true });
      expect(inv.seen.maxPods).toBeGreaterThan(minAvailable);

      const sets = c.replicaSets();
      expect(sets).toHaveLength(2);
      const second = sets.find((rs) => rs.metadata.uid !== first.metadata.uid)!;
      expect(second.spec.replicas).toBe(replicas);
      expect(c.get<ReplicaSet>(REPLICASETS, first.metadata.name!)?.spec.replicas).toBe(0);
      expect(second.metadata.annotations?.["deployment.kubernetes.io/revision"]).toBe("2");
      expect(c.deployment().metadata.annotations?.["deployment.kubernetes.io/revision"]).toBe("2");
      for (const p of c.activePods()) expect(p.spec?.containers[0].image).toBe("nginx:2");
      expect(c.deployment().status).toMatchObject({
        observedGeneration: 2,
        replicas,
        updatedReplicas: replicas,
        availableReplicas: replicas,
      });
    });
  }

  it("undo to an earlier revision reuses its ReplicaSet, bumping its revision and keeping the history", () => {
    const c = new FakeCluster();
    c.create(DEPLOYMENTS, deploymentBody(2));
    c.rollOut();
    c.edit((d) => {
      setImage("nginx:2")(d);
      d.metadata.annotations = { ...d.metadata.annotations, "kubernetes.io/change-cause": "image 2" };
    });
    c.rollOut();
    const first = c.revision(1)!;
    const second = c.revision(2)!;
    expect(second.metadata.annotations?.["kubernetes.io/change-cause"]).toBe("image 2");

    c.undo(1);
    c.rollOut();
    expect(c.replicaSets()).toHaveLength(2);
    const back = c.get<ReplicaSet>(REPLICASETS, first.metadata.name!)!;
    expect(back.metadata.uid).toBe(first.metadata.uid);
    expect(back.metadata.annotations?.["deployment.kubernetes.io/revision"]).toBe("3");
    expect(back.metadata.annotations?.["deployment.kubernetes.io/revision-history"]).toBe("1");
    expect(back.spec.replicas).toBe(2);
    expect(c.get<ReplicaSet>(REPLICASETS, second.metadata.name!)?.spec.replicas).toBe(0);
    expect(c.deployment().metadata.annotations?.["deployment.kubernetes.io/revision"]).toBe("3");
    // The undo restored revision 1's annotations: no change-cause any more.
    expect(c.deployment().metadata.annotations?.["kubernetes.io/change-cause"]).toBeUndefined();
    for (const p of c.activePods()) expect(p.spec?.containers[0].image).toBe("nginx:1");

    // And forward again to revision 2's template.
    c.undo(2);
    c.rollOut();
    expect(c.get<ReplicaSet>(REPLICASETS, second.metadata.name!)?.metadata.annotations).toMatchObject({
      "deployment.kubernetes.io/revision": "4",
      "deployment.kubernetes.io/revision-history": "2",
    });
  });

  it("Recreate scales the old ReplicaSet to zero and waits for its pods before creating new ones", () => {
    const c = new FakeCluster();
    c.create(DEPLOYMENTS, deploymentBody(3, { strategy: { type: "Recreate" } }));
    c.rollOut();
    const first = c.replicaSets()[0];
    let mixed = false;
    c.watchers.push((cluster) => {
      const images = new Set(cluster.activePods().map((p) => p.spec?.containers[0].image));
      if (images.size > 1) mixed = true;
    });
    c.edit(setImage("nginx:2"));
    c.rollOut();
    expect(mixed).toBe(false);
    expect(c.get<ReplicaSet>(REPLICASETS, first.metadata.name!)?.spec.replicas).toBe(0);
    expect(c.activePods().map((p) => p.spec?.containers[0].image)).toEqual(["nginx:2", "nginx:2", "nginx:2"]);
  });

  it("Recreate waits for old pods that are still terminating on a node", () => {
    const c = new FakeCluster();
    c.create(DEPLOYMENTS, deploymentBody(2, { strategy: { type: "Recreate" } }));
    c.settle();
    // Bind the pods to a node: deleting them is then graceful.
    for (const p of c.list<Pod>(PODS)) {
      p.spec!.nodeName = "node-1";
      c.objects.get(PODS)!.set(p.metadata.name!, p);
    }
    c.rollOut();
    c.edit(setImage("nginx:2"));
    c.settle();
    const terminating = c.list<Pod>(PODS).filter((p) => p.metadata.deletionTimestamp);
    expect(terminating).toHaveLength(2);
    expect(c.replicaSets()).toHaveLength(1); // the new ReplicaSet waits
    // The node finishes the deletions.
    for (const p of terminating) c.objects.get(PODS)!.delete(p.metadata.name!);
    c.rollOut();
    expect(c.replicaSets()).toHaveLength(2);
    expect(c.activePods().map((p) => p.spec?.containers[0].image)).toEqual(["nginx:2", "nginx:2"]);
  });

  it("scaling during a stalled rollout spreads the change proportionally", () => {
    const c = new FakeCluster();
    const strategy = { type: "RollingUpdate", rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } };
    c.create(DEPLOYMENTS, deploymentBody(10, { strategy }));
    c.rollOut();
    const old = c.replicaSets()[0];
    c.edit(setImage("broken:404"));
    c.settle();
    const fresh = c.replicaSets().find((rs) => rs.metadata.uid !== old.metadata.uid)!;
    expect([c.get<ReplicaSet>(REPLICASETS, old.metadata.name!)?.spec.replicas, fresh.spec.replicas]).toEqual([8, 5]);
    c.edit((d) => (d.spec.replicas = 15));
    c.settle();
    expect([
      c.get<ReplicaSet>(REPLICASETS, old.metadata.name!)?.spec.replicas,
      c.get<ReplicaSet>(REPLICASETS, fresh.metadata.name!)?.spec.replicas,
    ]).toEqual([11, 7]);
  });

  it("revisionHistoryLimit deletes the oldest scaled-down ReplicaSets", () => {
    const c = new FakeCluster();
    c.create(DEPLOYMENTS, deploymentBody(1, { extra: { revisionHistoryLimit: 1 } }));
    c.rollOut();
    for (const image of ["nginx:2", "nginx:3", "nginx:4"]) {
      c.edit(setImage(image));
      c.rollOut();
      c.settle();
    }
    const revisions = c.replicaSets().map((rs) => rs.metadata.annotations?.["deployment.kubernetes.io/revision"]);
    expect(revisions.sort()).toEqual(["3", "4"]);
  });

  it("pausing holds template changes; resuming rolls them out", () => {
    const c = new FakeCluster();
    c.create(DEPLOYMENTS, deploymentBody(2));
    c.rollOut();
    c.edit((d) => {
      d.spec.paused = true;
      setImage("nginx:2")(d);
    });
    c.settle();
    expect(c.replicaSets()).toHaveLength(1);
    expect(c.deployment().status?.conditions?.find((x) => x.type === "Progressing")).toMatchObject({
      status: "Unknown",
      reason: "DeploymentPaused",
      message: "Deployment is paused",
    });
    // Scaling still works while paused.
    c.edit((d) => (d.spec.replicas = 3));
    c.settle();
    expect(c.activePods()).toHaveLength(3);
    c.edit((d) => (d.spec.paused = false));
    c.rollOut();
    expect(c.replicaSets()).toHaveLength(2);
    expect(c.activePods().map((p) => p.spec?.containers[0].image)).toEqual(["nginx:2", "nginx:2", "nginx:2"]);
  });

  it("reports ProgressDeadlineExceeded when pods never become ready, and asks to be woken for the deadline", () => {
    const c = new FakeCluster();
    c.create(DEPLOYMENTS, deploymentBody(2, { extra: { progressDeadlineSeconds: 30 } }));
    c.settle();
    expect(c.requeues.some((r) => r.key === "web" && r.ms >= 30_000 && r.ms <= 31_000)).toBe(true);
    c.clock += 29_000;
    c.settle();
    expect(c.deployment().status?.conditions?.find((x) => x.type === "Progressing")?.reason).not.toBe(
      "ProgressDeadlineExceeded",
    );
    c.clock += 2_000;
    c.settle();
    expect(c.deployment().status?.conditions?.find((x) => x.type === "Progressing")).toMatchObject({
      status: "False",
      reason: "ProgressDeadlineExceeded",
    });
    expect(c.rolledOut()).toBe(false);
    // Progress afterwards brings it back.
    c.edit(setImage("nginx:2"));
    c.rollOut();
    expect(c.deployment().status?.conditions?.find((x) => x.type === "Progressing")?.reason).toBe(
      "NewReplicaSetAvailable",
    );
  });

  it("a deleted ReplicaSet is recreated under the same name; a template annotation (rollout restart) makes a new one", () => {
    const c = new FakeCluster();
    c.create(DEPLOYMENTS, deploymentBody(2));
    c.rollOut();
    const [rs] = c.replicaSets();
    c.delete(REPLICASETS, rs.metadata.name!);
    c.rollOut();
    const [again] = c.replicaSets();
    expect(again.metadata.name).toBe(rs.metadata.name);
    expect(again.metadata.uid).not.toBe(rs.metadata.uid);
    expect(c.podsOf(again)).toHaveLength(2);

    c.edit((d) => {
      d.spec.template.metadata!.annotations = { "kubectl.kubernetes.io/restartedAt": iso(c.clock) };
    });
    c.rollOut();
    expect(c.replicaSets()).toHaveLength(2);
    const restarted = c.replicaSets().find((x) => x.metadata.uid !== again.metadata.uid)!;
    expect(c.podsOf(restarted)).toHaveLength(2);
    for (const p of c.podsOf(restarted))
      expect(p.metadata.annotations?.["kubectl.kubernetes.io/restartedAt"]).toBe(iso(c.clock));
  });

  it("adopts an orphan ReplicaSet whose template matches instead of creating another", () => {
    const c = new FakeCluster();
    c.create(DEPLOYMENTS, deploymentBody(2));
    c.rollOut();
    const [rs] = c.replicaSets();
    // Orphan it (as `kubectl delete deploy --cascade=orphan` would), then recreate the Deployment.
    const orphan = c.get<ReplicaSet>(REPLICASETS, rs.metadata.name!)!;
    delete orphan.metadata.ownerReferences;
    c.update(REPLICASETS, orphan);
    c.objects.get(DEPLOYMENTS)!.clear();
    c.create(DEPLOYMENTS, deploymentBody(2));
    c.rollOut();
    expect(c.replicaSets()).toHaveLength(1);
    const adopted = c.replicaSets()[0];
    expect(adopted.metadata.uid).toBe(rs.metadata.uid);
    expect(adopted.metadata.ownerReferences?.[0]).toMatchObject({
      kind: "Deployment",
      uid: c.deployment().metadata.uid,
    });
    expect(c.activePods()).toHaveLength(2);
  });
  it("a name collision with a foreign ReplicaSet bumps collisionCount and uses the next hash", () => {
    const c = new FakeCluster();
    c.create(DEPLOYMENTS, { ...deploymentBody(2), spec: { ...deploymentBody(2).spec, paused: true } });
    const template = c.deployment().spec.template;
    const squatter = `web-${computePodTemplateHash(template)}`;
    c.create(REPLICASETS, {
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata: { name: squatter },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: "other" } },
        template: { metadata: { labels: { app: "other" } }, spec: { containers: [{ name: "c", image: "x" }] } },
      },
    });
    c.edit((d) => (d.spec.paused = false));
    c.rollOut();
    expect(c.deployment().status?.collisionCount).toBe(1);
    const owned = c.replicaSets().filter((rs) => rs.metadata.ownerReferences?.length);
    expect(owned.map((rs) => rs.metadata.name)).toEqual([`web-${computePodTemplateHash(template, 1)}`]);
    expect(c.get<ReplicaSet>(REPLICASETS, squatter)?.spec.template?.metadata?.labels).toEqual({ app: "other" });
  });
});
