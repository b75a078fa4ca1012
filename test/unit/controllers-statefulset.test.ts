// The StatefulSet controller's pure parts: identities, the ordinal / scale-down / rolling
// update / partition decisions, claim retention owners, and whole reconciles against an
// in-memory store (claims before pods, revisions, status, rollback renumbering).
import { PVC_PROTECTION_FINALIZER } from "../../api/controllers/volumes/protection.ts";
import { withoutFinalizer } from "../../api/lifecycle/object-meta.ts";
import { describe, expect, it } from "vitest";
import type { Pod } from "../../api/controllers/common/types.ts";
import type { ControllerRevision } from "../../api/controllers/history/types.ts";
import { retentionOwnerRefs, isStaleClaim } from "../../api/controllers/statefulset/claims.ts";
import { claimName, parentAndOrdinal } from "../../api/controllers/statefulset/identity.ts";
import { planStatefulSet, revisionForNewPod, type Step } from "../../api/controllers/statefulset/plan.ts";
import { syncStatefulSet } from "../../api/controllers/statefulset/sync.ts";
import type { PersistentVolumeClaim, StatefulSet } from "../../api/controllers/statefulset/types.ts";
import { iso, MemoryStore, T0 } from "./controllers-sets-store.ts";

const STS = "statefulsets.apps";

function sts(spec: Partial<StatefulSet["spec"]> = {}, name = "web"): StatefulSet {
  return {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name, uid: `uid-${name}`, generation: 1 },
    spec: {
      replicas: 3,
      serviceName: name,
      selector: { matchLabels: { app: name } },
      podManagementPolicy: "OrderedReady",
      updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 0 } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "c", image: "nginx:1" }] } },
      ...spec,
    },
  };
}

interface PodOpts {
  ready?: boolean;
  revision?: string;
  terminating?: boolean;
  phase?: string;
}

function pod(name: string, opts: PodOpts = {}): Pod {
  const ready = opts.ready ?? true;
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      uid: `uid-${name}`,
      labels: { app: "web", "controller-revision-hash": opts.revision ?? "web-a" },
      ...(opts.terminating ? { deletionTimestamp: iso(T0) } : {}),
    },
    spec: { containers: [{ name: "c", image: "nginx:1" }] },
    status: {
      phase: opts.phase ?? "Running",
      conditions: [{ type: "Ready", status: ready ? "True" : "False", lastTransitionTime: iso(T0 - 60_000) }],
    },
  };
}

const describeSteps = (steps: Step[]) =>
  steps
    .filter((s) => s.kind !== "repair" && s.kind !== "retain")
    .map((s) =>
      s.kind === "create" ? `create ${s.ordinal} (${s.revision})` : `${s.kind} ${s.pod.metadata.name} (${s.reason})`,
    );

const plan = (set: StatefulSet, pods: Pod[], updateRevision = "web-a") =>
  planStatefulSet({ set, pods, updateRevision, now: new Date(T0) });

describe("StatefulSet identities", () => {
  it("parses `<parent>-<ordinal>` names, parents may contain dashes", () => {
    expect(parentAndOrdinal("web-0")).toEqual({ parent: "web", ordinal: 0 });
    expect(parentAndOrdinal("my-db-12")).toEqual({ parent: "my-db", ordinal: 12 });
    expect(parentAndOrdinal("web")).toBeUndefined();
    expect(parentAndOrdinal("web-x")).toBeUndefined();
    expect(claimName("data", sts(), 2)).toBe("data-web-2");
  });
});

describe("StatefulSet ordinal decisions (OrderedReady)", () => {
  it("creates ordinal 0 first, and nothing else until it is Running and Ready", () => {
    expect(describeSteps(plan(sts(), []).steps)).toEqual(["create 0 (update)"]);
    const waiting = plan(sts(), [pod("web-0", { ready: false })]);
    expect(describeSteps(waiting.steps)).toEqual([]);
    expect(waiting.waitingFor).toBe("web-0");
    expect(describeSteps(plan(sts(), [pod("web-0")]).steps)).toEqual(["create 1 (update)"]);
    expect(describeSteps(plan(sts(), [pod("web-0"), pod("web-1")]).steps)).toEqual(["create 2 (update)"]);
  });

  it("a missing lower ordinal is recreated before anything above it moves", () => {
    const result = plan(sts(), [pod("web-1"), pod("web-2")]);
    expect(describeSteps(result.steps)).toEqual(["create 0 (update)"]);
  });

  it("waits for a terminating pod, and replaces a failed one (delete first, create on the next pass)", () => {
    expect(plan(sts(), [pod("web-0"), pod("web-1", { terminating: true })]).waitingFor).toBe("web-1");
    const failed = plan(sts(), [pod("web-0", { phase: "Failed" })]);
    expect(describeSteps(failed.steps)).toEqual(["delete web-0 (finished)"]);
  });

  it("waits for minReadySeconds before the next ordinal, and says when to look again", () => {
    const set = sts({ minReadySeconds: 120 });
    const result = plan(set, [pod("web-0")]); // ready for 60 s
    expect(describeSteps(result.steps)).toEqual([]);
    expect(result.waitingFor).toBe("web-0");
    expect(result.recheckAt).toBe(T0 - 60_000 + 120_000 + 1);
  });

  it("Parallel creates every missing ordinal at once and waits for none", () => {
    const set = sts({ podManagementPolicy: "Parallel" });
    expect(describeSteps(plan(set, []).steps)).toEqual(["create 0 (update)", "create 1 (update)", "create 2 (update)"]);
    expect(describeSteps(plan(set, [pod("web-1", { ready: false })]).steps)).toEqual([
      "create 0 (update)",
      "create 2 (update)",
    ]);
  });

  it("spec.ordinals.start shifts the range", () => {
    const set = sts({ replicas: 2, ordinals: { start: 5 } });
    expect(describeSteps(plan(set, []).steps)).toEqual(["create 5 (update)"]);
    expect(describeSteps(plan(set, [pod("web-5"), pod("web-6"), pod("web-0")]).steps)).toEqual([
      "delete web-0 (condemned)",
    ]);
  });
});

describe("StatefulSet scale down", () => {
  const three = () => [pod("web-0"), pod("web-1"), pod("web-2")];

  it("removes the highest ordinal first, one at a time under OrderedReady", () => {
    const set = sts({ replicas: 1 });
    expect(describeSteps(plan(set, three()).steps)).toEqual(["delete web-2 (condemned)"]);
    const next = plan(set, [pod("web-0"), pod("web-1"), pod("web-2", { terminating: true })]);
    expect(describeSteps(next.steps)).toEqual([]);
    expect(next.waitingFor).toBe("web-2");
    expect(describeSteps(plan(set, [pod("web-0"), pod("web-1")]).steps)).toEqual(["delete web-1 (condemned)"]);
  });

  it("sets the claims' owners of the pods it scales away before deleting them", () => {
    const steps = plan(sts({ replicas: 1 }), three()).steps;
    expect(steps.filter((s) => s.kind === "retain").map((s) => (s as { pod: Pod }).pod.metadata.name)).toEqual([
      "web-2",
      "web-1",
    ]);
  });

  it("does not scale down while a pod in range is unhealthy; an unhealthy pod beyond the range goes first", () => {
    const set = sts({ replicas: 1 });
    expect(describeSteps(plan(set, [pod("web-0", { ready: false }), pod("web-1")]).steps)).toEqual([]);
    expect(describeSteps(plan(set, [pod("web-0"), pod("web-1"), pod("web-2", { ready: false })]).steps)).toEqual([
      "delete web-2 (condemned)",
    ]);
    // web-1 unhealthy, web-2 healthy: web-2 is not the first unhealthy pod but is healthy, so it goes.
    expect(describeSteps(plan(set, [pod("web-0"), pod("web-1", { ready: false }), pod("web-2")]).steps)).toEqual([
      "delete web-2 (condemned)",
    ]);
  });

  it("Parallel removes every pod beyond the range at once", () => {
    const set = sts({ replicas: 1, podManagementPolicy: "Parallel" });
    expect(describeSteps(plan(set, three()).steps)).toEqual(["delete web-2 (condemned)", "delete web-1 (condemned)"]);
  });
});

describe("StatefulSet rolling update and partition", () => {
  const atRevision = (revision: string, ready = true) => [
    pod("web-0", { revision, ready }),
    pod("web-1", { revision, ready }),
    pod("web-2", { revision, ready }),
  ];

  it("replaces pods from the highest ordinal down, each once the one before is healthy at the update revision", () => {
    const set = sts();
    expect(describeSteps(plan(set, atRevision("web-a"), "web-b").steps)).toEqual(["delete web-2 (update)"]);
    // web-2 recreated at web-b but not ready yet: wait.
    const waiting = plan(set, [pod("web-0"), pod("web-1"), pod("web-2", { revision: "web-b", ready: false })], "web-b");
    expect(describeSteps(waiting.steps)).toEqual([]);
    expect(waiting.waitingFor).toBe("web-2");
    const next = plan(set, [pod("web-0"), pod("web-1"), pod("web-2", { revision: "web-b" })], "web-b");
    expect(describeSteps(next.steps)).toEqual(["delete web-1 (update)"]);
    expect(describeSteps(plan(set, atRevision("web-b"), "web-b").steps)).toEqual([]);
  });

  it("a partition keeps the ordinals below it at the current revision", () => {
    const set = sts({ updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 2 } } });
    expect(describeSteps(plan(set, atRevision("web-a"), "web-b").steps)).toEqual(["delete web-2 (update)"]);
    const rest = [pod("web-0"), pod("web-1"), pod("web-2", { revision: "web-b" })];
    expect(describeSteps(plan(set, rest, "web-b").steps)).toEqual([]);
    // New pods below the partition come from the current revision, at or above it from the update revision.
    expect(revisionForNewPod(set, 0)).toBe("current");
    expect(revisionForNewPod(set, 1)).toBe("current");
    expect(revisionForNewPod(set, 2)).toBe("update");
    expect(describeSteps(plan(set, [pod("web-0")], "web-b").steps)).toEqual(["create 1 (current)"]);
  });

  it("OnDelete never deletes for an update; replacements come from the update revision", () => {
    const set = sts({ updateStrategy: { type: "OnDelete" } });
    expect(describeSteps(plan(set, atRevision("web-a"), "web-b").steps)).toEqual([]);
    expect(revisionForNewPod(set, 0)).toBe("update");
  });
});

describe("StatefulSet claim retention", () => {
  const claim = (refs: PersistentVolumeClaim["metadata"]["ownerReferences"] = []): PersistentVolumeClaim => ({
    metadata: { name: "data-web-1", ownerReferences: refs },
  });
  const setRef = { apiVersion: "apps/v1", kind: "StatefulSet", name: "web", uid: "uid-web" };
  const podRef = { apiVersion: "v1", kind: "Pod", name: "web-1", uid: "uid-web-1" };
  const policy = (whenDeleted: string, whenScaled: string) =>
    sts({ persistentVolumeClaimRetentionPolicy: { whenDeleted, whenScaled } });

  it("Retain / Retain: no owners", () => {
    expect(retentionOwnerRefs(claim([setRef]), policy("Retain", "Retain"), pod("web-1"), false)).toEqual([]);
    expect(retentionOwnerRefs(claim(), policy("Retain", "Retain"), pod("web-1"), true)).toBeUndefined();
  });

  it("whenDeleted Delete: the set owns the claim", () => {
    expect(retentionOwnerRefs(claim(), policy("Delete", "Retain"), pod("web-1"), false)).toEqual([setRef]);
    expect(retentionOwnerRefs(claim([setRef]), policy("Delete", "Retain"), pod("web-1"), true)).toBeUndefined();
  });

  it("whenScaled Delete: the pod owns the claim once its ordinal is scaled away (and then not the set)", () => {
    expect(retentionOwnerRefs(claim(), policy("Retain", "Delete"), pod("web-1"), false)).toBeUndefined();
    expect(retentionOwnerRefs(claim(), policy("Retain", "Delete"), pod("web-1"), true)).toEqual([podRef]);
    expect(retentionOwnerRefs(claim([setRef]), policy("Delete", "Delete"), pod("web-1"), true)).toEqual([podRef]);
    expect(retentionOwnerRefs(claim([podRef]), policy("Delete", "Delete"), pod("web-1"), false)).toEqual([setRef]);
  });

  it("a claim owned by an earlier pod of the same name is stale", () => {
    expect(isStaleClaim(claim([podRef]), "web-1")).toBe(true);
    expect(isStaleClaim(claim([setRef]), "web-1")).toBe(false);
  });
});

// ---- whole reconciles ----

function storeWith(set: StatefulSet): MemoryStore {
  const store = new MemoryStore();
  const body = structuredClone(set);
  delete body.metadata.uid;
  delete body.metadata.generation;
  store.put(STS, body);
  return store;
}

const getSet = (store: MemoryStore, name = "web") => store.get(STS, name) as StatefulSet;
const revisions = (store: MemoryStore) =>
  (store.list("controllerrevisions.apps") as ControllerRevision[]).sort((a, b) => a.revision - b.revision);

/** Reconciles and plays kubelet until nothing changes. */
function settle(store: MemoryStore, rounds = 30): void {
  for (let i = 0; i < rounds; i++) {
    const before = JSON.stringify([store.list("pods"), store.list(STS)]);
    syncStatefulSet("web", store);
    store.finishDeletions();
    store.readyAll();
    if (JSON.stringify([store.list("pods"), store.list(STS)]) === before) return;
  }
}

describe("StatefulSet reconcile", () => {
  const withClaims = (extra: Partial<StatefulSet["spec"]> = {}) =>
    sts({
      replicas: 2,
      volumeClaimTemplates: [
        {
          metadata: { name: "data" },
          spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
        },
      ],
      ...extra,
    });

  it("creates the claim before the pod, mounts it, and names the pod's identity and revision", () => {
    const store = storeWith(withClaims());
    store.log.length = 0;
    syncStatefulSet("web", store);
    expect(store.log.filter((l) => !l.startsWith("update"))).toEqual([
      expect.stringMatching(/^create controllerrevisions.apps web-[a-z0-9]+$/),
      "create persistentvolumeclaims data-web-0",
      "create pods web-0",
    ]);
    const [revision] = revisions(store);
    expect(revision.revision).toBe(1);
    expect(revision.metadata.labels).toMatchObject({ app: "web", "controller.kubernetes.io/hash": expect.any(String) });
    expect(revision.metadata.ownerReferences?.[0]).toMatchObject({
      kind: "StatefulSet",
      name: "web",
      controller: true,
    });
    expect(revision.data).toEqual({ spec: { template: { ...getSet(store).spec.template, $patch: "replace" } } });

    const [web0] = store.pods();
    expect(web0.metadata.labels).toEqual({
      app: "web",
      "statefulset.kubernetes.io/pod-name": "web-0",
      "apps.kubernetes.io/pod-index": "0",
      "controller-revision-hash": revision.metadata.name,
    });
    expect(web0.spec?.hostname).toBe("web-0");
    expect(web0.spec?.subdomain).toBe("web");
    expect(web0.spec?.volumes).toEqual([{ name: "data", persistentVolumeClaim: { claimName: "data-web-0" } }]);
    const claim = store.get("persistentvolumeclaims", "data-web-0") as PersistentVolumeClaim;
    expect(claim.metadata.labels).toEqual({ app: "web" });
    expect(claim.metadata.ownerReferences).toBeUndefined(); // Retain / Retain
    expect(store.events).toContain(
      "Normal SuccessfulCreate create Claim data-web-0 Pod web-0 in StatefulSet web success",
    );
    expect(store.events).toContain("Normal SuccessfulCreate create Pod web-0 in StatefulSet web successful");

    // web-1 only once web-0 is Running and Ready.
    syncStatefulSet("web", store);
    expect(store.podNames()).toEqual(["web-0"]);
    store.setReady("web-0");
    syncStatefulSet("web", store);
    expect(store.podNames()).toEqual(["web-0", "web-1"]);
    store.setReady("web-1");
    syncStatefulSet("web", store);
    expect(getSet(store).status).toEqual({
      observedGeneration: 1,
      replicas: 2,
      readyReplicas: 2,
      currentReplicas: 2,
      updatedReplicas: 2,
      currentRevision: revision.metadata.name,
      updateRevision: revision.metadata.name,
      collisionCount: 0,
      availableReplicas: 2,
    });
  });

  it("rolls a template change from the highest ordinal, then the update revision becomes current; undo renumbers", () => {
    const store = storeWith(withClaims({ replicas: 3 }));
    settle(store);
    const first = revisions(store)[0].metadata.name!;
    const set = getSet(store);
    const oldTemplate = structuredClone(set.spec.template);
    set.spec.template.spec!.containers[0].image = "nginx:2";
    store.update(STS, set);

    syncStatefulSet("web", store);
    const second = revisions(store)[1];
    expect(second.revision).toBe(2);
    expect(store.podNames()).toEqual(["web-0", "web-1"]); // web-2 deleted first
    expect(getSet(store).status).toMatchObject({ currentRevision: first, updateRevision: second.metadata.name });
    const order: string[] = [];
    for (let i = 0; i < 20; i++) {
      syncStatefulSet("web", store);
      for (const p of store.pods()) {
        if (p.spec?.containers[0].image === "nginx:2" && !order.includes(p.metadata.name!))
          order.push(p.metadata.name!);
      }
      store.readyAll();
    }
    expect(order).toEqual(["web-2", "web-1", "web-0"]);
    expect(getSet(store).status).toMatchObject({
      replicas: 3,
      updatedReplicas: 3,
      currentReplicas: 3,
      currentRevision: second.metadata.name,
      updateRevision: second.metadata.name,
    });

    // Back to the first template (what `kubectl rollout undo` patches in): revision 1 becomes revision 3.
    const again = getSet(store);
    again.spec.template = oldTemplate;
    store.update(STS, again);
    settle(store);
    expect(revisions(store).map((r) => [r.metadata.name, r.revision])).toEqual([
      [second.metadata.name, 2],
      [first, 3],
    ]);
    expect(store.pods().map((p) => p.metadata.labels?.["controller-revision-hash"])).toEqual([first, first, first]);
  });

  it("a partition stops the rollout at the partition ordinal", () => {
    const store = storeWith(sts({ updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 1 } } }));
    settle(store);
    const set = getSet(store);
    set.spec.template.spec!.containers[0].image = "nginx:2";
    store.update(STS, set);
    settle(store);
    expect(store.pods().map((p) => p.spec?.containers[0].image)).toEqual(["nginx:1", "nginx:2", "nginx:2"]);
    expect(getSet(store).status).toMatchObject({ replicas: 3, updatedReplicas: 2, currentReplicas: 1 });
    expect(getSet(store).status?.currentRevision).not.toBe(getSet(store).status?.updateRevision);
  });

  it("scaling down with whenScaled: Delete hands the claims to the pods before they go", () => {
    const store = storeWith(
      withClaims({
        replicas: 3,
        persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Delete" },
      }),
    );
    settle(store);
    const set = getSet(store);
    set.spec.replicas = 1;
    store.update(STS, set);
    const web2 = store.get("pods", "web-2")!;
    syncStatefulSet("web", store);
    expect(store.podNames()).toEqual(["web-0", "web-1"]);
    const claim2 = store.get("persistentvolumeclaims", "data-web-2") as PersistentVolumeClaim;
    expect(claim2.metadata.ownerReferences).toEqual([
      { apiVersion: "v1", kind: "Pod", name: "web-2", uid: web2.metadata.uid },
    ]);
    settle(store);
    expect(store.podNames()).toEqual(["web-0"]);
    expect(
      (store.get("persistentvolumeclaims", "data-web-0") as PersistentVolumeClaim).metadata.ownerReferences,
    ).toBeUndefined();

    // Scaling up again while a stale claim (owned by the old web-1) remains: the pod waits for it to go.
    const up = getSet(store);
    up.spec.replicas = 2;
    store.update(STS, up);
    syncStatefulSet("web", store);
    expect(store.podNames()).toEqual(["web-0"]);
    expect(store.requeues.length).toBeGreaterThan(0);
    store.delete("persistentvolumeclaims", "data-web-1"); // the garbage collector's part
    // …and the pvc-protection controller's: no pod uses the claim any more.
    const stale = store.get("persistentvolumeclaims", "data-web-1");
    if (stale) store.update("persistentvolumeclaims", withoutFinalizer(stale, PVC_PROTECTION_FINALIZER));
    syncStatefulSet("web", store);
    expect(store.podNames()).toEqual(["web-0", "web-1"]);
  });

  it("keeps revisionHistoryLimit old revisions besides the live ones", () => {
    const store = storeWith(sts({ replicas: 1, revisionHistoryLimit: 1 }));
    settle(store);
    for (const image of ["nginx:2", "nginx:3", "nginx:4"]) {
      const set = getSet(store);
      set.spec.template.spec!.containers[0].image = image;
      store.update(STS, set);
      settle(store);
    }
    expect(revisions(store).map((r) => r.revision)).toEqual([3, 4]);
  });

  it("adopts an orphan named as a member, and leaves pods with other names alone", () => {
    // OnDelete: under RollingUpdate an adopted pod without the update revision would be replaced.
    const store = storeWith(sts({ replicas: 1, updateStrategy: { type: "OnDelete" } }));
    store.put("pods", {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "web-0", labels: { app: "web" } },
      spec: { containers: [{ name: "c", image: "x" }] },
    });
    store.put("pods", {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "other", labels: { app: "web" } },
      spec: { containers: [{ name: "c", image: "x" }] },
    });
    syncStatefulSet("web", store);
    // Adopted at once; its identity labels are put right once it is Running and Ready (as Kubernetes does).
    expect(store.get("pods", "web-0")!.metadata.labels).toEqual({ app: "web" });
    store.setReady("web-0");
    syncStatefulSet("web", store);
    const uid = getSet(store).metadata.uid;
    expect(store.get("pods", "web-0")!.metadata.ownerReferences?.[0]).toMatchObject({ uid, controller: true });
    expect(store.get("pods", "web-0")!.metadata.labels).toMatchObject({
      "statefulset.kubernetes.io/pod-name": "web-0",
    });
    expect(store.get("pods", "other")!.metadata.ownerReferences).toBeUndefined();
  });
});
