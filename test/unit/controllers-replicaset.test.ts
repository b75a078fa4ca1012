// The ReplicaSet controller's pure parts: slow start, the pod deletion ranking, claims,
// status (ready / available with minReadySeconds), and whole reconciles against an
// in-memory store that applies the API's lifecycle rules.
import { describe, expect, it } from "vitest";
import { invalid } from "../../api/errors.ts";
import { prepareCreate } from "../../api/lifecycle/create.ts";
import { decideDelete } from "../../api/lifecycle/delete.ts";
import { prepareUpdate } from "../../api/lifecycle/update.ts";
import { findByKey } from "../../api/registry/index.ts";
import { labelSelectorFromObject } from "../../api/selectors/labels.ts";
import type { KubeObject } from "../../api/types.ts";
import { planClaim } from "../../api/controllers/common/controller-ref.ts";
import { rankPodsForDeletion } from "../../api/controllers/common/pod-ranking.ts";
import { isPodAvailable } from "../../api/controllers/common/pods.ts";
import { slowStartBatch } from "../../api/controllers/common/slow-start.ts";
import type { Pod, ReplicaSet } from "../../api/controllers/common/types.ts";
import { computeReplicaSetStatus } from "../../api/controllers/replicaset/status.ts";
import { syncReplicaSet, type ReplicaSetWorld } from "../../api/controllers/replicaset/sync.ts";

const T0 = Date.parse("2026-03-01T12:00:00Z");
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

function pod(
  name: string,
  opts: Partial<{
    node: string;
    phase: string;
    ready: boolean;
    readySince: number;
    created: number;
    restarts: number;
    labels: Record<string, string>;
    uid: string;
    cost: string;
    deleting: boolean;
  }> = {},
): Pod {
  const conditions =
    opts.ready === undefined
      ? []
      : [{ type: "Ready", status: opts.ready ? "True" : "False", lastTransitionTime: iso(opts.readySince ?? T0) }];
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      uid: opts.uid ?? `uid-${name}`,
      creationTimestamp: iso(opts.created ?? T0),
      labels: opts.labels ?? { app: "web" },
      ...(opts.cost ? { annotations: { "controller.kubernetes.io/pod-deletion-cost": opts.cost } } : {}),
      ...(opts.deleting ? { deletionTimestamp: iso(T0) } : {}),
    },
    spec: { containers: [{ name: "c", image: "nginx" }], ...(opts.node ? { nodeName: opts.node } : {}) },
    status: {
      phase: opts.phase ?? "Running",
      conditions,
      containerStatuses: [
        { name: "c", image: "nginx", imageID: "", ready: !!opts.ready, restartCount: opts.restarts ?? 0 },
      ],
    },
  };
}

const names = (pods: Pod[]) => pods.map((p) => p.metadata.name);

describe("slow start", () => {
  it("creates in batches of 1, 2, 4, … up to the count", () => {
    const sizes: number[] = [];
    let calls = 0;
    const result = slowStartBatch(10, 1, () => {
      calls += 1;
    });
    expect(result).toEqual({ successes: 10 });
    expect(calls).toBe(10);
    // The batch sizes: 1, 2, 4, then the remaining 3.
    let remaining = 10;
    for (let b = Math.min(remaining, 1); b > 0; b = Math.min(2 * b, remaining)) {
      sizes.push(b);
      remaining -= b;
    }
    expect(sizes).toEqual([1, 2, 4, 3]);
  });

  it("stops after the first batch with a failure, having run that batch entirely", () => {
    let calls = 0;
    const result = slowStartBatch(20, 1, () => {
      calls += 1;
      if (calls === 5) throw new Error("quota exceeded");
    });
    // Batches 1 + 2 succeed; the batch of 4 (calls 4–7) has one failure; nothing after it runs.
    expect(calls).toBe(7);
    expect(result.successes).toBe(6);
    expect((result.error as Error).message).toBe("quota exceeded");
  });

  it("does nothing for zero", () => {
    expect(
      slowStartBatch(0, 1, () => {
        throw new Error("never");
      }),
    ).toEqual({ successes: 0 });
  });
});

describe("which pods are deleted first", () => {
  const now = new Date(T0 + 3600_000);

  it("unscheduled < scheduled; Pending < Unknown < Running; not ready < ready", () => {
    const pods = [
      pod("running-ready", { node: "n1", ready: true }),
      pod("running-unready", { node: "n1", ready: false }),
      pod("unknown", { node: "n1", phase: "Unknown" }),
      pod("pending", { node: "n1", phase: "Pending" }),
      pod("unscheduled", { phase: "Pending" }),
    ];
    expect(names(rankPodsForDeletion(pods, [], now))).toEqual([
      "unscheduled",
      "pending",
      "unknown",
      "running-unready",
      "running-ready",
    ]);
  });

  it("lower pod-deletion-cost first, then pods doubled up on a node", () => {
    const pods = [
      pod("alone", { node: "n1", ready: true }),
      pod("crowded", { node: "n2", ready: true }),
      pod("cheap", { node: "n3", ready: true, cost: "-10" }),
    ];
    const related = [pods[0], pods[1], pod("sibling-1", { node: "n2" }), pod("sibling-2", { node: "n2" })];
    expect(names(rankPodsForDeletion(pods, related, now))).toEqual(["cheap", "crowded", "alone"]);
  });

  it("recently ready before long ready, more restarts first, newer before older", () => {
    const readyOrder = rankPodsForDeletion(
      [
        pod("ready-long", { node: "n", ready: true, readySince: T0 - 86_400_000 }),
        pod("ready-recent", { node: "n", ready: true, readySince: T0 + 3000_000 }),
      ],
      [],
      now,
    );
    expect(names(readyOrder)).toEqual(["ready-recent", "ready-long"]);

    const restartOrder = rankPodsForDeletion(
      [pod("calm", { node: "n", restarts: 0 }), pod("crashy", { node: "n", restarts: 7 })],
      [],
      now,
    );
    expect(names(restartOrder)).toEqual(["crashy", "calm"]);

    const ageOrder = rankPodsForDeletion(
      [pod("old", { node: "n", created: T0 - 86_400_000 }), pod("new", { node: "n", created: T0 + 3000_000 })],
      [],
      now,
    );
    expect(names(ageOrder)).toEqual(["new", "old"]);
  });

  it("ages in the same power-of-two bucket compare by uid", () => {
    const order = rankPodsForDeletion(
      [
        pod("b", { node: "n", created: T0 + 1000, uid: "bbb" }),
        pod("a", { node: "n", created: T0 + 2000, uid: "aaa" }),
      ],
      [],
      now,
    );
    expect(names(order)).toEqual(["a", "b"]);
  });
});

describe("claims", () => {
  const owner: KubeObject = { metadata: { name: "rs", uid: "rs-uid" } };
  const mine = (p: Pod): Pod => ({
    ...p,
    metadata: {
      ...p.metadata,
      ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "rs", uid: "rs-uid", controller: true }],
    },
  });
  const selector = labelSelectorFromObject({ matchLabels: { app: "web" } });

  it("adopts matching orphans, keeps matching owned, releases owned that stopped matching, ignores others", () => {
    const other = pod("other-owner");
    other.metadata.ownerReferences = [
      { apiVersion: "apps/v1", kind: "ReplicaSet", name: "x", uid: "x", controller: true },
    ];
    const plan = planClaim(owner, selector, [
      pod("orphan"),
      pod("orphan-other-app", { labels: { app: "db" } }),
      pod("orphan-deleting", { deleting: true }),
      mine(pod("owned")),
      mine(pod("owned-relabelled", { labels: { app: "db" } })),
      other,
    ]);
    expect(names(plan.adopt)).toEqual(["orphan"]);
    expect(names(plan.owned)).toEqual(["owned"]);
    expect(names(plan.release)).toEqual(["owned-relabelled"]);
  });

  it("an owner being deleted neither adopts nor releases", () => {
    const deleting = { metadata: { ...owner.metadata, deletionTimestamp: iso(T0) } };
    const plan = planClaim(deleting, selector, [
      pod("orphan"),
      mine(pod("owned-relabelled", { labels: { app: "db" } })),
    ]);
    expect(plan).toEqual({ owned: [], adopt: [], release: [] });
  });
});

describe("ReplicaSet status", () => {
  const rs = (minReadySeconds = 0): ReplicaSet => ({
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: { name: "rs", uid: "u", generation: 4 },
    spec: {
      replicas: 3,
      minReadySeconds,
      selector: { matchLabels: { app: "web" } },
      template: { metadata: { labels: { app: "web", tier: "front" } }, spec: { containers: [] } },
    },
  });

  it("counts fully labeled, ready and available pods and records the generation", () => {
    const pods = [
      pod("a", { ready: true, labels: { app: "web", tier: "front" } }),
      pod("b", { ready: true }),
      pod("c", { ready: false, labels: { app: "web", tier: "front" } }),
    ];
    const { status, recheckAt } = computeReplicaSetStatus(rs(), pods, undefined, new Date(T0));
    expect(status).toEqual({
      replicas: 3,
      fullyLabeledReplicas: 2,
      readyReplicas: 2,
      availableReplicas: 2,
      observedGeneration: 4,
    });
    expect(recheckAt).toBeUndefined();
  });

  it("with minReadySeconds a ready pod becomes available only after that long, and asks to be rechecked then", () => {
    const pods = [pod("a", { ready: true, readySince: T0 }), pod("b", { ready: true, readySince: T0 - 60_000 })];
    const early = computeReplicaSetStatus(rs(10), pods, undefined, new Date(T0 + 5000));
    expect(early.status.readyReplicas).toBe(2);
    expect(early.status.availableReplicas).toBe(1);
    expect(early.recheckAt).toBe(T0 + 10_001);
    expect(isPodAvailable(pods[0], 10, new Date(T0 + 10_000))).toBe(false);
    expect(isPodAvailable(pods[0], 10, new Date(T0 + 10_001))).toBe(true);
    const later = computeReplicaSetStatus(rs(10), pods, undefined, new Date(T0 + 10_001));
    expect(later.status.availableReplicas).toBe(2);
    expect(later.recheckAt).toBeUndefined();
  });

  it("sets ReplicaFailure on a failed create and clears it after a success", () => {
    const failed = computeReplicaSetStatus(rs(), [], { reason: "FailedCreate", message: "quota" }, new Date(T0));
    expect(failed.status.conditions).toEqual([
      { type: "ReplicaFailure", status: "True", lastTransitionTime: iso(T0), reason: "FailedCreate", message: "quota" },
    ]);
    const withCondition = { ...rs(), status: failed.status };
    expect(computeReplicaSetStatus(withCondition, [], undefined, new Date(T0)).status.conditions).toBeUndefined();
  });
});

// ---- whole reconciles against an in-memory store ----

class MiniStore implements ReplicaSetWorld {
  clock = T0;
  uids = 0;
  seed = 1;
  readonly objects = new Map<string, Map<string, KubeObject>>();
  readonly events: string[] = [];
  readonly requeues: number[] = [];
  /** Makes pod creation fail (as admission would) while set. */
  refuseCreates: string | undefined;
  creates = 0;

  private table(key: string) {
    let t = this.objects.get(key);
    if (!t) this.objects.set(key, (t = new Map()));
    return t;
  }
  private random = () => {
    this.seed = (this.seed * 16807) % 2147483647;
    return this.seed / 2147483647;
  };
  create(key: string, body: KubeObject): KubeObject | undefined {
    const obj = prepareCreate(findByKey(key)!, structuredClone(body), "default", {
      now: new Date(this.clock),
      newUid: () => `uid-${++this.uids}`,
      random: this.random,
    });
    if (this.table(key).has(obj.metadata.name!)) return undefined;
    this.table(key).set(obj.metadata.name!, obj);
    return structuredClone(obj);
  }
  update(key: string, body: KubeObject, target: "main" | "status" = "main"): KubeObject {
    const old = this.table(key).get(body.metadata.name!);
    if (!old) throw new Error(`no ${key} ${body.metadata.name}`);
    const { object } = prepareUpdate(findByKey(key)!, structuredClone(body), old, target);
    this.table(key).set(object.metadata.name!, object);
    return structuredClone(object);
  }
  list = (key: string) => [...this.table(key).values()].map((o) => structuredClone(o));

  now = () => new Date(this.clock);
  getReplicaSet = (name: string) => structuredClone(this.table("replicasets.apps").get(name)) as ReplicaSet | undefined;
  listReplicaSets = () => this.list("replicasets.apps") as ReplicaSet[];
  listPods = () => this.list("pods") as Pod[];
  createPod = (p: Pod) => {
    if (this.refuseCreates)
      throw invalid("Pod", "", "x", [{ field: "spec", type: "FieldValueForbidden", message: this.refuseCreates }]);
    this.creates += 1;
    return this.create("pods", p) as Pod;
  };
  deletePod = (name: string) => {
    const current = this.table("pods").get(name);
    if (!current) return;
    const decision = decideDelete(findByKey("pods")!, current, {}, new Date(this.clock));
    if (decision.action === "delete") this.table("pods").delete(name);
    else if (decision.action === "update") this.table("pods").set(name, decision.object);
  };
  updatePod = (p: Pod) => this.update("pods", p) as Pod;
  updateReplicaSetStatus = (rs: ReplicaSet) => this.update("replicasets.apps", rs, "status") as ReplicaSet;
  recordEvent = (_: ReplicaSet, type: string, reason: string, message: string) => {
    this.events.push(`${type} ${reason} ${message}`);
  };
  requeueAfter = (ms: number) => {
    this.requeues.push(ms);
  };

  /** The kubelet's part: every pod of the store Running and Ready. */
  readyAll(): void {
    for (const p of this.listPods()) {
      p.status = {
        ...p.status,
        phase: "Running",
        conditions: [{ type: "Ready", status: "True", lastTransitionTime: iso(this.clock) }],
      };
      this.update("pods", p, "status");
    }
  }
  rs(name = "web"): ReplicaSet {
    return this.getReplicaSet(name)!;
  }
  ownedPods(name = "web"): Pod[] {
    const uid = this.rs(name).metadata.uid;
    return this.listPods().filter((p) => p.metadata.ownerReferences?.some((r) => r.uid === uid && r.controller));
  }
}

const rsBody = (replicas: number, extra: Partial<ReplicaSet["spec"]> = {}): ReplicaSet => ({
  apiVersion: "apps/v1",
  kind: "ReplicaSet",
  metadata: { name: "web" },
  spec: {
    replicas,
    selector: { matchLabels: { app: "web" } },
    template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "c", image: "nginx:1" }] } },
    ...extra,
  },
});

const bareOrphan = (name: string, labels: Record<string, string>): KubeObject => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name, labels },
  spec: { containers: [{ name: "c", image: "nginx:1" }] },
});

describe("syncReplicaSet", () => {
  it("creates spec.replicas pods from the template, controlled by the ReplicaSet, and reports them", () => {
    const store = new MiniStore();
    store.create("replicasets.apps", rsBody(3));
    syncReplicaSet("web", store);
    const pods = store.ownedPods();
    expect(pods).toHaveLength(3);
    const rs = store.rs();
    for (const p of pods) {
      expect(p.metadata.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(p.metadata.generateName).toBe("web-");
      expect(p.metadata.labels).toEqual({ app: "web" });
      expect(p.metadata.ownerReferences).toEqual([
        {
          apiVersion: "apps/v1",
          kind: "ReplicaSet",
          name: "web",
          uid: rs.metadata.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ]);
      expect(p.spec?.containers[0].image).toBe("nginx:1");
    }
    expect(rs.status).toEqual({ replicas: 3, fullyLabeledReplicas: 3, observedGeneration: 1 });
    expect(store.events.filter((e) => e.startsWith("Normal SuccessfulCreate Created pod: web-"))).toHaveLength(3);

    // Level-triggered: another sync changes nothing.
    syncReplicaSet("web", store);
    expect(store.ownedPods()).toHaveLength(3);

    store.readyAll();
    syncReplicaSet("web", store);
    expect(store.rs().status).toMatchObject({ replicas: 3, readyReplicas: 3, availableReplicas: 3 });
  });

  it("adopts matching orphans instead of creating, and releases pods that stop matching", () => {
    const store = new MiniStore();
    store.create("pods", bareOrphan("stray", { app: "web" }));
    store.create("pods", bareOrphan("unrelated", { app: "db" }));
    store.create("replicasets.apps", rsBody(2));
    syncReplicaSet("web", store);
    expect(store.ownedPods().map((p) => p.metadata.name)).toContain("stray");
    expect(store.ownedPods()).toHaveLength(2);
    expect(store.creates).toBe(1);
    expect(store.listPods().find((p) => p.metadata.name === "unrelated")?.metadata.ownerReferences).toBeUndefined();

    // Relabel an owned pod: it is released and replaced.
    const stray = store.listPods().find((p) => p.metadata.name === "stray")!;
    stray.metadata.labels = { app: "debug" };
    store.updatePod(stray);
    syncReplicaSet("web", store);
    expect(store.listPods().find((p) => p.metadata.name === "stray")?.metadata.ownerReferences).toBeUndefined();
    expect(store.ownedPods()).toHaveLength(2);
    expect(store.ownedPods().map((p) => p.metadata.name)).not.toContain("stray");
  });

  it("scales down by deleting the lowest-ranked pods first and ignores terminating pods", () => {
    const store = new MiniStore();
    store.create("replicasets.apps", rsBody(4));
    syncReplicaSet("web", store);
    const [a, b] = store.ownedPods();
    // Two pods become ready; the other two stay not ready.
    for (const p of [a, b]) {
      p.status = {
        ...p.status,
        phase: "Running",
        conditions: [{ type: "Ready", status: "True", lastTransitionTime: iso(T0) }],
      };
      store.update("pods", p, "status");
    }
    const rs = store.rs();
    rs.spec.replicas = 2;
    store.update("replicasets.apps", rs);
    syncReplicaSet("web", store);
    expect(
      store
        .ownedPods()
        .map((p) => p.metadata.name)
        .sort(),
    ).toEqual([a.metadata.name, b.metadata.name].sort());
    expect(store.rs().status).toMatchObject({ replicas: 2, readyReplicas: 2, observedGeneration: 2 });

    // A pod bound to a node terminates gracefully: it stays, but no longer counts, and is replaced.
    const victim = store.ownedPods()[0];
    victim.metadata.deletionTimestamp = iso(T0 + 30_000);
    store.objects.get("pods")!.set(victim.metadata.name!, victim);
    syncReplicaSet("web", store);
    const active = store.ownedPods().filter((p) => !p.metadata.deletionTimestamp);
    expect(active).toHaveLength(2);
    expect(store.ownedPods()).toHaveLength(3);
    expect(store.rs().status?.replicas).toBe(2);
  });

  it("reports ReplicaFailure when creates are refused, stops after the first failing batch, recovers", () => {
    const store = new MiniStore();
    store.create("replicasets.apps", rsBody(10));
    store.refuseCreates = "exceeded quota";
    syncReplicaSet("web", store);
    expect(store.ownedPods()).toHaveLength(0);
    const condition = store.rs().status?.conditions?.[0];
    expect(condition).toMatchObject({ type: "ReplicaFailure", status: "True", reason: "FailedCreate" });
    expect(condition?.message).toContain("exceeded quota");
    expect(store.events.some((e) => e.startsWith("Warning FailedCreate Error creating:"))).toBe(true);
    expect(store.requeues.at(-1)).toBe(1000); // retried, as Kubernetes' rate-limited requeue does

    // Still refused 8 s later: the next retry waits as long as the failure has lasted (backoff).
    store.clock += 8000;
    syncReplicaSet("web", store);
    expect(store.requeues.at(-1)).toBe(8000);

    store.refuseCreates = undefined;
    syncReplicaSet("web", store);
    expect(store.ownedPods()).toHaveLength(10);
    expect(store.rs().status?.conditions).toBeUndefined();
  });

  it("asks to be requeued when a ready pod will become available (minReadySeconds)", () => {
    const store = new MiniStore();
    store.create("replicasets.apps", rsBody(1, { minReadySeconds: 30 }));
    syncReplicaSet("web", store);
    store.readyAll();
    store.clock += 5000;
    syncReplicaSet("web", store);
    expect(store.rs().status).toMatchObject({ readyReplicas: 1 });
    expect(store.rs().status?.availableReplicas).toBeUndefined();
    expect(store.requeues.at(-1)).toBe(25_001);
    store.clock += 25_001;
    syncReplicaSet("web", store);
    expect(store.rs().status?.availableReplicas).toBe(1);
  });

  it("a ReplicaSet being deleted creates nothing", () => {
    const store = new MiniStore();
    store.create("replicasets.apps", rsBody(2));
    const rs = store.objects.get("replicasets.apps")!.get("web")!;
    rs.metadata.deletionTimestamp = iso(T0);
    syncReplicaSet("web", store);
    expect(store.listPods()).toHaveLength(0);
  });
});
