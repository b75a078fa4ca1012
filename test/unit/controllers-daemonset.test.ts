// The DaemonSet controller's pure parts: node eligibility (nodeSelector, node affinity, taints
// against tolerations with the DaemonSet defaults), the pod's node affinity, the per-node and
// rolling update (maxUnavailable / maxSurge) decisions, status, and whole reconciles against an
// in-memory store.
import { describe, expect, it } from "vitest";
import type { Pod } from "../../api/controllers/common/types.ts";
import {
  DAEMON_TOLERATIONS,
  nodeShouldRunDaemonPod,
  withDaemonTolerations,
} from "../../api/controllers/daemonset/eligibility.ts";
import { FailedPodBackoff } from "../../api/controllers/daemonset/backoff.ts";
import { planManage, type FailedPodBackoffs } from "../../api/controllers/daemonset/manage.ts";
import { targetNodeName, withNodeNameAffinity } from "../../api/controllers/daemonset/node-affinity.ts";
import { nodeView } from "../../api/controllers/daemonset/nodes.ts";
import { planRollingUpdate } from "../../api/controllers/daemonset/rolling.ts";
import { computeDaemonSetStatus } from "../../api/controllers/daemonset/status.ts";
import { syncDaemonSet } from "../../api/controllers/daemonset/sync.ts";
import type { DaemonSet, Node } from "../../api/controllers/daemonset/types.ts";
import type { ControllerRevision } from "../../api/controllers/history/types.ts";
import { iso, MemoryStore, T0 } from "./controllers-sets-store.ts";

const DS = "daemonsets.apps";

function ds(spec: Partial<DaemonSet["spec"]> = {}, podSpec: Record<string, unknown> = {}): DaemonSet {
  return {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name: "agent", uid: "uid-agent", generation: 1 },
    spec: {
      selector: { matchLabels: { app: "agent" } },
      updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
      template: {
        metadata: { labels: { app: "agent" } },
        spec: { containers: [{ name: "c", image: "agent:1" }], ...podSpec },
      },
      ...spec,
    },
  };
}

function node(
  name: string,
  opts: { labels?: Record<string, string>; taints?: unknown[]; unschedulable?: boolean } = {},
): Node {
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name, labels: { "kubernetes.io/hostname": name, ...(opts.labels ?? {}) } },
    spec: {
      ...(opts.taints ? { taints: opts.taints } : {}),
      ...(opts.unschedulable ? { unschedulable: true } : {}),
    } as Node["spec"],
  };
}

const taint = (key: string, effect: string, value = "") => ({ key, value, effect });

function pod(
  name: string,
  nodeName: string,
  opts: { hash?: string; ready?: boolean; phase?: string; created?: number; deleting?: boolean } = {},
): Pod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      uid: `uid-${name}`,
      creationTimestamp: iso(opts.created ?? T0 - 600_000),
      labels: { app: "agent", "controller-revision-hash": opts.hash ?? "old" },
      ownerReferences: [
        { apiVersion: "apps/v1", kind: "DaemonSet", name: "agent", uid: "uid-agent", controller: true },
      ],
      ...(opts.deleting ? { deletionTimestamp: iso(T0) } : {}),
    },
    spec: { containers: [{ name: "c", image: "agent:1" }], affinity: withNodeNameAffinity(undefined, nodeName) },
    status: {
      phase: opts.phase ?? "Running",
      conditions: [
        { type: "Ready", status: opts.ready === false ? "False" : "True", lastTransitionTime: iso(T0 - 300_000) },
      ],
    },
  };
}

const runs = (n: Node, d: DaemonSet) => nodeShouldRunDaemonPod(n, d);
const noBackoff: FailedPodBackoffs = { remaining: () => undefined, next: () => {} };
const now = new Date(T0);

describe("DaemonSet node eligibility", () => {
  it("every untainted node runs it; nodeSelector and required node affinity narrow it", () => {
    expect(runs(node("a"), ds())).toEqual({ shouldRun: true, shouldContinueRunning: true });
    const selecting = ds({}, { nodeSelector: { disk: "ssd" } });
    expect(runs(node("a"), selecting).shouldRun).toBe(false);
    expect(runs(node("a", { labels: { disk: "ssd" } }), selecting).shouldRun).toBe(true);
    const affinity = ds(
      {},
      {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: "zone", operator: "In", values: ["z1", "z2"] }] }],
            },
          },
        },
      },
    );
    expect(runs(node("a", { labels: { zone: "z2" } }), affinity)).toEqual({
      shouldRun: true,
      shouldContinueRunning: true,
    });
    expect(runs(node("a", { labels: { zone: "z3" } }), affinity)).toEqual({
      shouldRun: false,
      shouldContinueRunning: false,
    });
    expect(runs(node("b"), ds({}, { nodeName: "a" })).shouldRun).toBe(false);
  });

  it("an untolerated NoSchedule taint keeps new pods off but lets a running one stay; NoExecute evicts it", () => {
    const dedicated = node("gpu", { taints: [taint("dedicated", "NoSchedule", "gpu")] });
    expect(runs(dedicated, ds())).toEqual({ shouldRun: false, shouldContinueRunning: true });
    const tolerating = ds(
      {},
      { tolerations: [{ key: "dedicated", operator: "Equal", value: "gpu", effect: "NoSchedule" }] },
    );
    expect(runs(dedicated, tolerating)).toEqual({ shouldRun: true, shouldContinueRunning: true });
    const draining = node("d", { taints: [taint("drain", "NoExecute")] });
    expect(runs(draining, ds())).toEqual({ shouldRun: false, shouldContinueRunning: false });
    // PreferNoSchedule is not a constraint.
    expect(runs(node("p", { taints: [taint("x", "PreferNoSchedule")] }), ds()).shouldRun).toBe(true);
  });

  it("the default tolerations keep daemons on cordoned, not-ready, unreachable and pressured nodes", () => {
    const cordoned = node("c", {
      unschedulable: true,
      taints: [taint("node.kubernetes.io/unschedulable", "NoSchedule")],
    });
    expect(runs(cordoned, ds()).shouldRun).toBe(true);
    for (const key of ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"]) {
      expect(runs(node("n", { taints: [taint(key, "NoExecute")] }), ds()).shouldRun).toBe(true);
    }
    for (const key of ["disk-pressure", "memory-pressure", "pid-pressure"]) {
      expect(runs(node("n", { taints: [taint(`node.kubernetes.io/${key}`, "NoSchedule")] }), ds()).shouldRun).toBe(
        true,
      );
    }
    // network-unavailable only for hostNetwork pods.
    const noNetwork = node("n", { taints: [taint("node.kubernetes.io/network-unavailable", "NoSchedule")] });
    expect(runs(noNetwork, ds()).shouldRun).toBe(false);
    expect(runs(noNetwork, ds({}, { hostNetwork: true })).shouldRun).toBe(true);
  });

  it("adds the default tolerations once, after the template's own", () => {
    const own = { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute" };
    const tolerations = withDaemonTolerations({ containers: [], tolerations: [{ key: "a", operator: "Exists" }, own] });
    expect(tolerations).toEqual([{ key: "a", operator: "Exists" }, own, ...DAEMON_TOLERATIONS.slice(1)]);
    expect(withDaemonTolerations({ containers: [], hostNetwork: true }).at(-1)).toEqual({
      key: "node.kubernetes.io/network-unavailable",
      operator: "Exists",
      effect: "NoSchedule",
    });
  });
});

describe("DaemonSet pod node affinity", () => {
  it("replaces the required terms with metadata.name In [node] and keeps the preferred ones", () => {
    const preferred = [{ weight: 1, preference: { matchExpressions: [{ key: "x", operator: "Exists" }] } }];
    const affinity = withNodeNameAffinity(
      {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: "zone", operator: "In", values: ["z1"] }] }],
          },
          preferredDuringSchedulingIgnoredDuringExecution: preferred,
        },
        podAntiAffinity: {},
      },
      "node-a",
    );
    expect(affinity).toEqual({
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchFields: [{ key: "metadata.name", operator: "In", values: ["node-a"] }] }],
        },
        preferredDuringSchedulingIgnoredDuringExecution: preferred,
      },
      podAntiAffinity: {},
    });
    expect(targetNodeName(pod("p", "node-a"))).toBe("node-a");
    const bound = pod("p", "node-a");
    bound.spec!.nodeName = "node-b";
    expect(targetNodeName(bound)).toBe("node-b");
  });
});

describe("DaemonSet per-node decisions", () => {
  const nodes = [node("a"), node("b"), node("c", { taints: [taint("drain", "NoExecute")] })];

  it("creates where a pod is missing, removes it where it may not stay, prunes duplicates to the oldest", () => {
    const pods = [
      pod("a-1", "a", { created: T0 - 1000 }),
      pod("a-2", "a", { created: T0 - 2000 }),
      pod("c-1", "c"),
      pod("gone-1", "gone"),
    ];
    const plan = planManage(ds(), nodeView(ds(), nodes, pods), "new", now, noBackoff);
    expect(plan.createOn).toEqual(["b"]);
    expect(plan.remove.map((p) => p.metadata.name)).toEqual(["a-1", "c-1"]);
    expect(plan.removeNow.map((p) => p.metadata.name)).toEqual(["gone-1"]);
  });

  it("removes a failed pod once per backoff period and recreates on the next pass", () => {
    const backoff = new FailedPodBackoff();
    const view = () => nodeView(ds(), [node("a")], [pod("a-1", "a", { phase: "Failed" })]);
    const first = planManage(ds(), view(), "new", now, backoff);
    expect(first.failed.map((f) => f.pod.metadata.name)).toEqual(["a-1"]);
    expect(first.remove.map((p) => p.metadata.name)).toEqual(["a-1"]);
    const again = planManage(ds(), view(), "new", now, backoff);
    expect(again.remove).toEqual([]);
    expect(again.retryAfter).toBe(1000);
    expect(planManage(ds(), nodeView(ds(), [node("a")], []), "new", now, backoff).createOn).toEqual(["a"]);
  });

  it("with surge keeps the oldest new pod and, until it is available, the oldest old one", () => {
    const surge = ds({ updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } } });
    const notReadyNew = [pod("old", "a"), pod("new", "a", { hash: "new", ready: false })];
    expect(planManage(surge, nodeView(surge, [node("a")], notReadyNew), "new", now, noBackoff).remove).toEqual([]);
    const readyNew = [pod("old", "a"), pod("new", "a", { hash: "new" })];
    expect(
      planManage(surge, nodeView(surge, [node("a")], readyNew), "new", now, noBackoff).remove.map(
        (p) => p.metadata.name,
      ),
    ).toEqual(["old"]);
  });
});

describe("DaemonSet rolling update", () => {
  const five = ["a", "b", "c", "d", "e"].map((n) => node(n));
  const oldPods = () => five.map((n) => pod(`${n.metadata.name}-old`, n.metadata.name!));

  it("deletes at most maxUnavailable available old pods, counting nodes not yet available", () => {
    const d = ds();
    expect(planRollingUpdate(d, nodeView(d, five, oldPods()), "new", now).remove.map((p) => p.metadata.name)).toEqual([
      "a-old",
    ]);
    // One node already updated but not ready: no room.
    const pods = [...oldPods().slice(1), pod("a-new", "a", { hash: "new", ready: false })];
    expect(planRollingUpdate(d, nodeView(d, five, pods), "new", now).remove).toEqual([]);
    // A node with no pod at all counts as unavailable too.
    expect(planRollingUpdate(d, nodeView(d, five, oldPods().slice(1)), "new", now).remove).toEqual([]);
    // 40% of 5 = 2.
    const wider = ds({ updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "40%" } } });
    expect(planRollingUpdate(wider, nodeView(wider, five, oldPods()), "new", now).remove).toHaveLength(2);
  });

  it("always replaces an old pod that is not available", () => {
    const d = ds();
    const pods = oldPods();
    pods[3] = pod("d-old", "d", { ready: false });
    expect(planRollingUpdate(d, nodeView(d, five, pods), "new", now).remove.map((p) => p.metadata.name)).toEqual([
      "d-old",
    ]);
  });

  it("with maxSurge starts new pods next to old ones, and removes an old pod once its new one is available", () => {
    const d = ds({ updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 2 } } });
    expect(planRollingUpdate(d, nodeView(d, five, oldPods()), "new", now)).toEqual({
      remove: [],
      createOn: ["a", "b"],
    });
    const pods = [...oldPods(), pod("a-new", "a", { hash: "new" }), pod("b-new", "b", { hash: "new", ready: false })];
    const plan = planRollingUpdate(d, nodeView(d, five, pods), "new", now);
    expect(plan.remove.map((p) => p.metadata.name)).toEqual(["a-old"]);
    expect(plan.createOn).toEqual(["c"]);
  });
});

describe("DaemonSet status", () => {
  it("counts desired, scheduled, ready, available, updated and misscheduled per node", () => {
    const nodes = [node("a"), node("b"), node("c"), node("x", { taints: [taint("t", "NoSchedule")] })];
    const pods = [pod("a-1", "a", { hash: "new" }), pod("b-1", "b", { ready: false }), pod("x-1", "x")];
    const { status } = computeDaemonSetStatus(ds(), nodeView(ds(), nodes, pods), "new", 0, now);
    expect(status).toEqual({
      desiredNumberScheduled: 3,
      currentNumberScheduled: 2,
      numberMisscheduled: 1,
      numberReady: 1,
      numberAvailable: 1,
      numberUnavailable: 2,
      updatedNumberScheduled: 1,
      observedGeneration: 1,
    });
  });
});

// ---- whole reconciles ----

function storeWith(set: DaemonSet): MemoryStore {
  const store = new MemoryStore();
  const body = structuredClone(set);
  delete body.metadata.uid;
  delete body.metadata.generation;
  store.put(DS, body);
  return store;
}

const getDs = (store: MemoryStore) => store.get(DS, "agent") as DaemonSet;

describe("DaemonSet reconcile", () => {
  it("one pod per eligible node, tied to it by node affinity, with the revision hash; then a rolling update", () => {
    const store = storeWith(ds());
    const nodes = [node("a"), node("b"), node("tainted", { taints: [taint("dedicated", "NoSchedule")] })];
    syncDaemonSet("agent", nodes, store);
    const pods = store.pods();
    expect(pods.map(targetNodeName).sort()).toEqual(["a", "b"]);
    const [revision] = store.list("controllerrevisions.apps") as ControllerRevision[];
    const hash = revision.metadata.labels?.["controller-revision-hash"];
    expect(revision.metadata.name).toBe(`agent-${hash}`);
    expect(revision.revision).toBe(1);
    for (const p of pods) {
      expect(p.metadata.name).toMatch(/^agent-[a-z0-9]{5}$/);
      expect(p.metadata.labels).toEqual({ app: "agent", "controller-revision-hash": hash });
      expect(p.spec?.tolerations).toEqual(DAEMON_TOLERATIONS);
      expect(p.spec?.nodeName).toBeUndefined();
    }
    expect(getDs(store).status).toMatchObject({ desiredNumberScheduled: 2, currentNumberScheduled: 2, numberReady: 0 });

    for (const p of pods) store.bind(p.metadata.name!, targetNodeName(p)!);
    store.readyAll();
    syncDaemonSet("agent", nodes, store);
    expect(getDs(store).status).toMatchObject({
      desiredNumberScheduled: 2,
      numberReady: 2,
      numberAvailable: 2,
      updatedNumberScheduled: 2,
      numberMisscheduled: 0,
    });

    // A template change: one node at a time (maxUnavailable 1), the old pod gone before the new one starts.
    const set = getDs(store);
    set.spec.template.spec!.containers[0].image = "agent:2";
    store.update(DS, set);
    let maxUnavailable = 0;
    for (let i = 0; i < 20; i++) {
      syncDaemonSet("agent", nodes, store);
      const live = store.pods().filter((p) => !p.metadata.deletionTimestamp && p.status?.phase === "Running");
      maxUnavailable = Math.max(maxUnavailable, 2 - live.length);
      for (const p of store.pods()) if (!p.spec?.nodeName) store.bind(p.metadata.name!, targetNodeName(p)!);
      store.finishDeletions();
      store.readyAll();
    }
    expect(maxUnavailable).toBe(1);
    expect(store.pods().map((p) => p.spec?.containers[0].image)).toEqual(["agent:2", "agent:2"]);
    expect((store.list("controllerrevisions.apps") as ControllerRevision[]).map((r) => r.revision).sort()).toEqual([
      1, 2,
    ]);
    expect(getDs(store).status).toMatchObject({ updatedNumberScheduled: 2, numberAvailable: 2 });
  });

  it("follows nodes joining and leaving", () => {
    const store = storeWith(ds());
    syncDaemonSet("agent", [node("a")], store);
    expect(store.pods().map(targetNodeName)).toEqual(["a"]);
    syncDaemonSet("agent", [node("a"), node("b")], store);
    expect(store.pods().map(targetNodeName).sort()).toEqual(["a", "b"]);
    syncDaemonSet("agent", [node("b")], store);
    expect(store.pods().map(targetNodeName)).toEqual(["b"]);
    expect(getDs(store).status).toMatchObject({ desiredNumberScheduled: 1, currentNumberScheduled: 1 });
  });

  it("refuses a selector that selects everything", () => {
    const store = storeWith(ds());
    const set = getDs(store);
    // Validation refuses `{}`; a stored one (older data) must still not make the controller grab every pod.
    (store as unknown as { tables: Map<string, Map<string, DaemonSet>> }).tables
      .get(DS)!
      .set("agent", { ...set, spec: { ...set.spec, selector: {} } });
    syncDaemonSet("agent", [node("a")], store);
    expect(store.pods()).toEqual([]);
    expect(store.events).toContain(
      "Warning SelectingAll This daemon set is selecting all pods. A non-empty selector is required.",
    );
  });
});
