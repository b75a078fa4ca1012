// Pure node lifecycle decisions: conditions, taints, eviction timing, zones and rate limits,
// the node authorizer and PodDisruptionBudgets.
import { describe, expect, it } from "vitest";
import { authorizeNode, forbiddenFor, requestAttributes, verbOf } from "../../api/nodes/authorizer.ts";
import { withConditionsUnknown } from "../../api/nodes/conditions.ts";
import { computeBudget, decideEviction } from "../../api/nodes/disruption.ts";
import { evictionTime } from "../../api/nodes/eviction.ts";
import { HealthTracker } from "../../api/nodes/health.ts";
import { desiredTaints } from "../../api/nodes/taints.ts";
import { evictionRate, RateLimiter, zoneOf, zoneState } from "../../api/nodes/zones.ts";
import type { KubeObject } from "../../api/types.ts";

const NOW = new Date("2026-05-01T12:00:00Z");

describe("withConditionsUnknown", () => {
  it("turns the kubelet's conditions Unknown and keeps their heartbeat", () => {
    const node: KubeObject = {
      metadata: { name: "n" },
      status: {
        conditions: [
          {
            type: "Ready",
            status: "True",
            reason: "KubeletReady",
            lastHeartbeatTime: "2026-05-01T11:59:00Z",
            lastTransitionTime: "2026-05-01T10:00:00Z",
          },
          { type: "MemoryPressure", status: "False", lastHeartbeatTime: "2026-05-01T11:59:00Z" },
        ],
      },
    };
    const updated = withConditionsUnknown(node, NOW)!;
    const conditions = (updated.status as { conditions: Array<Record<string, string>> }).conditions;
    expect(conditions[0]).toEqual({
      type: "Ready",
      status: "Unknown",
      reason: "NodeStatusUnknown",
      message: "Kubelet stopped posting node status.",
      lastHeartbeatTime: "2026-05-01T11:59:00Z",
      lastTransitionTime: "2026-05-01T12:00:00Z",
    });
    expect(conditions.map((c) => `${c.type}=${c.status}`)).toEqual([
      "Ready=Unknown",
      "MemoryPressure=Unknown",
      "DiskPressure=Unknown",
      "PIDPressure=Unknown",
    ]);
    expect(conditions[2]).toMatchObject({
      reason: "NodeStatusNeverUpdated",
      message: "Kubelet never posted node status.",
    });
    expect(withConditionsUnknown(updated, NOW)).toBeUndefined();
  });
});

describe("desiredTaints", () => {
  const node = (spec: Record<string, unknown> = {}): KubeObject => ({ metadata: { name: "n" }, spec });
  const keys = (r: ReturnType<typeof desiredTaints>) => r.taints.map((t) => `${t.key}:${t.effect}`);
  it.each([
    { ready: "True", spec: {}, admit: true, want: [], pending: undefined },
    { ready: undefined, spec: {}, admit: true, want: [], pending: undefined },
    {
      ready: "Unknown",
      spec: {},
      admit: true,
      want: ["node.kubernetes.io/unreachable:NoSchedule", "node.kubernetes.io/unreachable:NoExecute"],
      pending: undefined,
    },
    {
      ready: "Unknown",
      spec: {},
      admit: false,
      want: ["node.kubernetes.io/unreachable:NoSchedule"],
      pending: "node.kubernetes.io/unreachable",
    },
    {
      ready: "False",
      spec: {},
      admit: true,
      want: ["node.kubernetes.io/not-ready:NoSchedule", "node.kubernetes.io/not-ready:NoExecute"],
      pending: undefined,
    },
    {
      ready: "True",
      spec: {
        unschedulable: true,
        taints: [
          { key: "node.kubernetes.io/unreachable", effect: "NoExecute" },
          { key: "dedicated", value: "db", effect: "NoSchedule" },
        ],
      },
      admit: true,
      want: ["dedicated:NoSchedule", "node.kubernetes.io/unschedulable:NoSchedule"],
      pending: undefined,
    },
  ])("Ready=$ready admit=$admit → $want", ({ ready, spec, admit, want, pending }) => {
    const result = desiredTaints(node(spec), ready, NOW, () => admit);
    expect(keys(result)).toEqual(want);
    expect(result.pendingNoExecute).toBe(pending);
  });

  it("keeps an existing NoExecute taint (and its timeAdded) without asking the limiter", () => {
    const existing = { key: "node.kubernetes.io/unreachable", effect: "NoExecute", timeAdded: "2026-05-01T11:00:00Z" };
    const result = desiredTaints(node({ taints: [existing] }), "Unknown", NOW, () => {
      throw new Error("not asked");
    });
    expect(result.taints.find((t) => t.effect === "NoExecute")?.timeAdded).toBe("2026-05-01T11:00:00Z");
  });
});

describe("evictionTime", () => {
  const taint = {
    key: "node.kubernetes.io/unreachable",
    value: "",
    effect: "NoExecute",
    timeAdded: "2026-05-01T12:00:00Z",
  };
  const now = Date.parse("2026-05-01T12:00:10Z");
  it.each([
    {
      name: "no NoExecute taint",
      tolerations: [],
      taints: [{ ...taint, effect: "NoSchedule" }],
      want: { at: "never" },
    },
    { name: "untolerated: now", tolerations: [], taints: [taint], want: { at: "now" } },
    {
      name: "300 s from the taint",
      tolerations: [
        { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
      ],
      taints: [taint],
      want: { at: Date.parse("2026-05-01T12:05:00Z") },
    },
    {
      name: "without tolerationSeconds: forever",
      tolerations: [{ key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute" }],
      taints: [taint],
      want: { at: "never" },
    },
    {
      name: "the smallest tolerationSeconds wins",
      tolerations: [
        { operator: "Exists", tolerationSeconds: 600 },
        { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 5 },
      ],
      taints: [taint],
      want: { at: "now" },
    },
  ])("$name", ({ tolerations, taints, want }) => {
    expect(evictionTime(tolerations, taints, now)).toEqual(want);
  });
});

describe("zones and the eviction rate limiter", () => {
  it("names zones by region and zone labels", () => {
    expect(zoneOf({ "topology.kubernetes.io/region": "eu", "topology.kubernetes.io/zone": "eu-1" })).toBe(
      "eu:\u0000:eu-1",
    );
    expect(zoneOf({})).toBe("");
  });
  it.each([
    [10, 0, "Normal"],
    [8, 2, "Normal"],
    [1, 3, "PartialDisruption"],
    [2, 2, "Normal"], // not more than 2 unhealthy
    [0, 2, "FullDisruption"],
  ])("%i ready, %i not ready → %s", (ready, notReady, state) => {
    expect(zoneState(ready, notReady)).toBe(state);
  });
  it("slows down (large zones) or stops (small ones) under partial disruption", () => {
    expect(evictionRate("Normal", 10)).toBe(0.1);
    expect(evictionRate("PartialDisruption", 100)).toBe(0.01);
    expect(evictionRate("PartialDisruption", 10)).toBe(0);
  });
  it("a token every 10 s at 0.1/s", () => {
    const limiter = new RateLimiter(0.1);
    expect(limiter.tryAccept(0)).toBe(true);
    expect(limiter.tryAccept(1000)).toBe(false);
    expect(limiter.waitMs(1000)).toBe(9000);
    expect(limiter.tryAccept(10_000)).toBe(true);
    expect(new RateLimiter(0).waitMs(0)).toBe(Infinity);
  });
});

describe("HealthTracker", () => {
  it("times a node from when a new heartbeat was observed", () => {
    const tracker = new HealthTracker();
    tracker.observe("n", "r1|", 1000);
    tracker.observe("n", "r1|", 5000); // the same renewal seen again
    expect(tracker.deadline("n", 40_000)).toBe(41_000);
    tracker.observe("n", "r2|", 9000);
    expect(tracker.deadline("n", 40_000)).toBe(49_000);
  });
});

describe("node authorizer", () => {
  /** `/api/v1/…` or `/apis/<group>/v1/…`, optionally namespaced, with a name and a subresource. */
  const attrs = (method: string, path: string, query = "") => {
    const m = /^\/(?:api|apis\/([^/]+))\/v1\/(?:namespaces\/([^/]+)\/)?([^/]+)(?:\/([^/]+))?(?:\/([^/]+))?$/.exec(
      path,
    )!;
    return requestAttributes(
      method,
      new URLSearchParams(query),
      { group: m[1] ?? "", resource: m[3]!, namespaced: m[2] !== undefined },
      { namespace: m[2], name: m[4], subresource: m[5] },
    );
  };
  it.each([
    ["GET", "/api/v1/secrets", "", "allow"],
    ["GET", "/api/v1/pods", "watch=true", "allow"],
    ["POST", "/api/v1/nodes", "", "if-named-after-node"],
    ["PATCH", "/api/v1/nodes/n1/status", "", "allow"],
    ["PUT", "/api/v1/nodes/n2", "", "deny"],
    ["DELETE", "/api/v1/nodes/n1", "", "deny"],
    ["PUT", "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/n1", "", "allow"],
    ["PUT", "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/n2", "", "deny"],
    ["PATCH", "/api/v1/namespaces/default/pods/p/status", "", "if-pod-bound-here"],
    ["DELETE", "/api/v1/namespaces/default/pods/p", "", "if-pod-bound-here"],
    ["POST", "/api/v1/namespaces/default/pods/p/eviction", "", "deny"],
    ["DELETE", "/api/v1/namespaces/default/pods", "", "deny"],
    ["POST", "/api/v1/namespaces/default/events", "", "allow"],
    ["POST", "/apis/events.k8s.io/v1/namespaces/default/events", "", "allow"],
    ["POST", "/api/v1/namespaces/default/configmaps", "", "deny"],
  ])("%s %s?%s → %s", (method, path, query, want) => {
    expect(authorizeNode("n1", attrs(method, path, query))).toBe(want);
  });
  it("words denials as kube's RBAC does", () => {
    expect(forbiddenFor("system:node:n1", attrs("DELETE", "/api/v1/namespaces/default/pods/p")).message).toBe(
      'pods "p" is forbidden: User "system:node:n1" cannot delete resource "pods" in API group "" in the namespace "default"',
    );
    expect(forbiddenFor("system:node:n1", attrs("GET", "/api/v1/nodes")).message).toBe(
      'nodes is forbidden: User "system:node:n1" cannot list resource "nodes" in API group "" at the cluster scope',
    );
    expect(verbOf("DELETE", false, false)).toBe("deletecollection");
  });
});

describe("PodDisruptionBudgets", () => {
  const pod = (
    name: string,
    ready: boolean,
    extra: Partial<KubeObject["metadata"]> = {},
    phase = "Running",
  ): KubeObject => ({
    metadata: { name, namespace: "ns", labels: { app: "web" }, ...extra },
    status: { phase, conditions: [{ type: "Ready", status: ready ? "True" : "False" }] },
  });
  const pdb = (spec: Record<string, unknown>, status?: Record<string, unknown>): KubeObject => ({
    metadata: { name: "web", namespace: "ns", generation: 1 },
    spec: { selector: { matchLabels: { app: "web" } }, ...spec },
    ...(status ? { status } : {}),
  });
  const pods = [pod("a", true), pod("b", true), pod("c", false)];

  it.each([
    [{ minAvailable: 2 }, { expectedPods: 3, currentHealthy: 2, desiredHealthy: 2, disruptionsAllowed: 0 }],
    [{ minAvailable: "50%" }, { expectedPods: 3, currentHealthy: 2, desiredHealthy: 2, disruptionsAllowed: 0 }],
    [{ maxUnavailable: 2 }, { expectedPods: 3, currentHealthy: 2, desiredHealthy: 1, disruptionsAllowed: 1 }],
    [{ minAvailable: 0 }, { expectedPods: 3, currentHealthy: 2, desiredHealthy: 0, disruptionsAllowed: 2 }],
  ])("%j → %j", (spec, want) => {
    expect(computeBudget(pdb(spec), pods)).toEqual(want);
  });

  it("refuses with 429 and the budget's figures", () => {
    expect(decideEviction(pods[0]!, [pdb({ minAvailable: 2 })], pods, NOW)).toEqual({
      action: "refuse",
      code: 429,
      message: "Cannot evict pod as it would violate the pod's disruption budget.",
      cause: "The disruption budget web needs 2 healthy pods and has 2 currently",
    });
  });

  it("allows unready pods while the budget is healthy, pending and terminating pods always", () => {
    expect(decideEviction(pods[2]!, [pdb({ minAvailable: 2 })], pods, NOW)).toEqual({ action: "delete" });
    expect(decideEviction(pod("p", false, {}, "Pending"), [pdb({ minAvailable: 3 })], pods, NOW)).toEqual({
      action: "delete",
    });
    expect(decideEviction(pod("t", true, { deletionTimestamp: "x" }), [pdb({ minAvailable: 3 })], pods, NOW)).toEqual({
      action: "delete",
    });
  });

  it("records the disruption in a budget a controller maintains", () => {
    const maintained = pdb(
      { minAvailable: 1 },
      { observedGeneration: 1, disruptionsAllowed: 1, currentHealthy: 2, desiredHealthy: 1, expectedPods: 2 },
    );
    const verdict = decideEviction(pods[0]!, [maintained], pods, NOW);
    expect(verdict.action).toBe("delete-and-record");
    if (verdict.action !== "delete-and-record") return;
    expect(verdict.budget.status).toMatchObject({
      disruptionsAllowed: 0,
      disruptedPods: { a: "2026-05-01T12:00:00Z" },
    });
  });

  it("more than one budget is an error", () => {
    const verdict = decideEviction(
      pods[0]!,
      [pdb({ minAvailable: 1 }), { ...pdb({ minAvailable: 1 }), metadata: { name: "x", namespace: "ns" } }],
      pods,
      NOW,
    );
    expect(verdict).toMatchObject({ action: "refuse", code: 500 });
  });
});
