// Table-driven tests of the scheduler plugins: Filter statuses and reasons, Score and NormalizeScore.
import { describe, expect, it } from "vitest";
import { newCycle, runPreFilters, type FilterPlugin, type ScorePlugin } from "../../api/scheduler/framework.ts";
import type { NodeInfo } from "../../api/scheduler/node-info.ts";
import { balancedAllocation } from "../../api/scheduler/plugins/balanced-allocation.ts";
import { interPodAffinity } from "../../api/scheduler/plugins/inter-pod-affinity.ts";
import { leastAllocatedScore } from "../../api/scheduler/plugins/least-allocated.ts";
import { nodeAffinity } from "../../api/scheduler/plugins/node-affinity.ts";
import { nodeName } from "../../api/scheduler/plugins/node-name.ts";
import { nodePorts } from "../../api/scheduler/plugins/node-ports.ts";
import { nodeResourcesFit } from "../../api/scheduler/plugins/node-resources-fit.ts";
import { nodeUnschedulable } from "../../api/scheduler/plugins/node-unschedulable.ts";
import { podTopologySpread } from "../../api/scheduler/plugins/pod-topology-spread.ts";
import { less } from "../../api/scheduler/plugins/priority-sort.ts";
import { taintToleration } from "../../api/scheduler/plugins/taint-toleration.ts";
import { ListSnapshot } from "../../api/scheduler/snapshot.ts";
import type { PodInfo, Status } from "../../api/scheduler/types.ts";
import { nodeInfo, pod } from "./scheduler-fixtures.ts";

/** Runs one filter plugin (with its PreFilter) for `incoming` on every node; answers status per node. */
function filterAll(
  plugin: FilterPlugin,
  incoming: PodInfo,
  nodes: NodeInfo[],
  nsLabels: Record<string, Record<string, string>> = {},
): Record<string, string> {
  const snapshot = new ListSnapshot(nodes, nsLabels);
  const ctx = newCycle(incoming, snapshot);
  const pre = plugin.preFilter?.(ctx) ?? null;
  const out: Record<string, string> = {};
  for (const node of nodes) {
    if (pre === "skip") out[node.name] = "Success";
    else if (pre !== null) out[node.name] = describe_(pre);
    else {
      const status = plugin.filter(ctx, node);
      out[node.name] = status === null ? "Success" : describe_(status);
    }
  }
  return out;
}

const describe_ = (status: Status) => `${status.code}: ${status.reasons.join("; ")}`;

/** Score + NormalizeScore of one plugin over `nodes`. */
function scoreAll(plugin: ScorePlugin, incoming: PodInfo, nodes: NodeInfo[]): number[] {
  const ctx = newCycle(incoming, new ListSnapshot(nodes));
  if (plugin.preScore && !plugin.preScore(ctx, nodes)) return nodes.map(() => 0);
  const scores = nodes.map((n) => plugin.score(ctx, n));
  plugin.normalizeScore?.(ctx, scores);
  return scores;
}

describe("NodeUnschedulable", () => {
  it.each([
    { name: "schedulable node", node: {}, tolerations: undefined, want: "Success" },
    {
      name: "cordoned node",
      node: { unschedulable: true },
      tolerations: undefined,
      want: "UnschedulableAndUnresolvable: node(s) were unschedulable",
    },
    {
      name: "cordoned, pod tolerates the unschedulable taint",
      node: { unschedulable: true },
      tolerations: [{ key: "node.kubernetes.io/unschedulable", operator: "Exists", effect: "NoSchedule" }],
      want: "Success",
    },
  ])("$name", ({ node, tolerations, want }) => {
    const p = pod("p", { spec: tolerations ? { tolerations } : {} });
    expect(filterAll(nodeUnschedulable, p, [nodeInfo("n", node)])).toEqual({ n: want });
  });
});

describe("NodeName", () => {
  it.each([
    { specNodeName: undefined, want: { a: "Success", b: "Success" } },
    {
      specNodeName: "a",
      want: { a: "Success", b: "UnschedulableAndUnresolvable: node(s) didn't match the requested node name" },
    },
  ])("spec.nodeName=$specNodeName", ({ specNodeName, want }) => {
    const p = pod("p", { spec: specNodeName ? { nodeName: specNodeName } : {} });
    expect(filterAll(nodeName, p, [nodeInfo("a"), nodeInfo("b")])).toEqual(want);
  });
});

describe("NodeResourcesFit", () => {
  const busy = (name: string, cpu: string, memory = "0") => pod(name, { cpu, memory });
  it.each([
    { name: "fits", pod: { cpu: "1" }, node: { cpu: "2" }, existing: [busy("x", "500m")], want: "Success" },
    {
      name: "insufficient cpu",
      pod: { cpu: "1" },
      node: { cpu: "2" },
      existing: [busy("x", "1500m")],
      want: "Unschedulable: Insufficient cpu",
    },
    {
      name: "insufficient cpu and memory",
      pod: { cpu: "1", memory: "2Gi" },
      node: { cpu: "1", memory: "2Gi" },
      existing: [busy("x", "500m", "1Gi")],
      want: "Unschedulable: Insufficient cpu; Insufficient memory",
    },
    {
      name: "larger than the node: preemption cannot help",
      pod: { cpu: "3" },
      node: { cpu: "2" },
      existing: [],
      want: "UnschedulableAndUnresolvable: Insufficient cpu",
    },
    {
      name: "too many pods",
      pod: {},
      node: { pods: 1 },
      existing: [busy("x", "0")],
      want: "Unschedulable: Too many pods",
    },
    {
      name: "best effort pod always fits resources",
      pod: {},
      node: { cpu: "1" },
      existing: [busy("x", "1")],
      want: "Success",
    },
  ])("$name", ({ pod: p, node, existing, want }) => {
    const incoming = pod("p", p);
    expect(filterAll(nodeResourcesFit, incoming, [nodeInfo("n", node, existing)])).toEqual({ n: want });
  });

  it("extended resources", () => {
    const gpuPod = pod("g", {
      spec: { containers: [{ name: "c", resources: { requests: { "nvidia.com/gpu": "2" } } }] },
    });
    const nodes = [
      nodeInfo("one", { extra: { "nvidia.com/gpu": "1" } }),
      nodeInfo("four", { extra: { "nvidia.com/gpu": "4" } }),
      nodeInfo("none"),
    ];
    expect(filterAll(nodeResourcesFit, gpuPod, nodes)).toEqual({
      one: "UnschedulableAndUnresolvable: Insufficient nvidia.com/gpu",
      four: "Success",
      none: "UnschedulableAndUnresolvable: Insufficient nvidia.com/gpu",
    });
  });

  it("counts init containers by their peak and sidecars for the pod's life", () => {
    const p = pod("p", {
      spec: {
        initContainers: [
          { name: "setup", resources: { requests: { cpu: "2" } } },
          { name: "proxy", restartPolicy: "Always", resources: { requests: { cpu: "500m" } } },
        ],
        containers: [{ name: "app", resources: { requests: { cpu: "1" } } }],
      },
    });
    expect(p.requests.milliCPU).toBe(2000);
    const q = pod("q", {
      spec: {
        initContainers: [{ name: "proxy", restartPolicy: "Always", resources: { requests: { cpu: "500m" } } }],
        containers: [{ name: "app", resources: { requests: { cpu: "2" } } }],
        overhead: { cpu: "100m" },
      },
    });
    expect(q.requests.milliCPU).toBe(2600);
  });

  it.each([
    // (4000 - 1000) / 4000 → 75; (8Gi - 2Gi) / 8Gi → 75
    { existing: [pod("x", { cpu: "900m", memory: "1848Mi" })], want: 75 },
    { existing: [], want: 97 }, // only the pod's defaults (100m, 200Mi): (97 + 97) / 2
  ])("LeastAllocated scores free room ($want)", ({ existing, want }) => {
    const node = nodeInfo("n", { cpu: "4", memory: "8Gi" }, existing);
    expect(leastAllocatedScore(pod("p", { cpu: "100m", memory: "200Mi" }), node)).toBe(want);
  });
});

describe("NodeResourcesBalancedAllocation", () => {
  it("prefers the node where cpu and memory end up equally used", () => {
    const balanced = nodeInfo("balanced", { cpu: "4", memory: "4Gi" }, [pod("x", { cpu: "1", memory: "1Gi" })]);
    const skewed = nodeInfo("skewed", { cpu: "4", memory: "4Gi" }, [pod("y", { cpu: "3", memory: "100Mi" })]);
    const [a, b] = scoreAll(balancedAllocation, pod("p", { cpu: "1", memory: "1Gi" }), [balanced, skewed]);
    expect(a).toBe(100);
    expect(b).toBeLessThan(a!);
  });
});

describe("NodeAffinity", () => {
  const nodes = () => [
    nodeInfo("ssd-a", { labels: { disk: "ssd", zone: "a", gen: "5" } }),
    nodeInfo("hdd-b", { labels: { disk: "hdd", zone: "b", gen: "3" } }),
    nodeInfo("bare"),
  ];
  const required = (...matchExpressions: unknown[]) => ({
    affinity: {
      nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions }] } },
    },
  });
  const MISS = "UnschedulableAndUnresolvable: node(s) didn't match Pod's node affinity/selector";
  it.each([
    { name: "nodeSelector", spec: { nodeSelector: { disk: "ssd" } }, want: ["Success", MISS, MISS] },
    {
      name: "In",
      spec: required({ key: "zone", operator: "In", values: ["a", "b"] }),
      want: ["Success", "Success", MISS],
    },
    {
      name: "NotIn (absent label matches)",
      spec: required({ key: "zone", operator: "NotIn", values: ["a"] }),
      want: [MISS, "Success", "Success"],
    },
    { name: "Exists", spec: required({ key: "disk", operator: "Exists" }), want: ["Success", "Success", MISS] },
    { name: "DoesNotExist", spec: required({ key: "disk", operator: "DoesNotExist" }), want: [MISS, MISS, "Success"] },
    { name: "Gt", spec: required({ key: "gen", operator: "Gt", values: ["4"] }), want: ["Success", MISS, MISS] },
    { name: "Lt", spec: required({ key: "gen", operator: "Lt", values: ["4"] }), want: [MISS, "Success", MISS] },
    {
      name: "matchFields metadata.name",
      spec: {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchFields: [{ key: "metadata.name", operator: "In", values: ["bare"] }] }],
            },
          },
        },
      },
      want: [MISS, MISS, "Success"],
    },
    {
      name: "terms are ORed",
      spec: {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                { matchExpressions: [{ key: "zone", operator: "In", values: ["a"] }] },
                { matchExpressions: [{ key: "zone", operator: "In", values: ["b"] }] },
              ],
            },
          },
        },
      },
      want: ["Success", "Success", MISS],
    },
    {
      name: "an empty term matches nothing",
      spec: {
        affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{}] } } },
      },
      want: [MISS, MISS, MISS],
    },
  ])("$name", ({ spec, want }) => {
    const list = nodes();
    const result = filterAll(nodeAffinity, pod("p", { spec }), list);
    expect(list.map((n) => result[n.name])).toEqual(want);
  });

  it("scores preferred terms by weight", () => {
    const p = pod("p", {
      spec: {
        affinity: {
          nodeAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              { weight: 80, preference: { matchExpressions: [{ key: "disk", operator: "In", values: ["ssd"] }] } },
              { weight: 20, preference: { matchExpressions: [{ key: "zone", operator: "In", values: ["b"] }] } },
            ],
          },
        },
      },
    });
    expect(scoreAll(nodeAffinity, p, nodes())).toEqual([100, 25, 0]);
  });
});

describe("TaintToleration", () => {
  const nodes = () => [
    nodeInfo("clean"),
    nodeInfo("gpu", { taints: [{ key: "gpu", value: "true", effect: "NoSchedule" }] }),
    nodeInfo("evicting", { taints: [{ key: "maint", effect: "NoExecute" }] }),
    nodeInfo("soft", { taints: [{ key: "spot", value: "yes", effect: "PreferNoSchedule" }] }),
  ];
  it.each([
    {
      name: "no tolerations",
      tolerations: [],
      want: {
        clean: "Success",
        gpu: "UnschedulableAndUnresolvable: node(s) had untolerated taint {gpu: true}",
        evicting: "UnschedulableAndUnresolvable: node(s) had untolerated taint {maint: }",
        soft: "Success",
      },
    },
    {
      name: "Equal toleration",
      tolerations: [{ key: "gpu", operator: "Equal", value: "true", effect: "NoSchedule" }],
      want: {
        clean: "Success",
        gpu: "Success",
        evicting: "UnschedulableAndUnresolvable: node(s) had untolerated taint {maint: }",
        soft: "Success",
      },
    },
    {
      name: "wrong value",
      tolerations: [{ key: "gpu", operator: "Equal", value: "false" }],
      want: {
        clean: "Success",
        gpu: "UnschedulableAndUnresolvable: node(s) had untolerated taint {gpu: true}",
        evicting: "UnschedulableAndUnresolvable: node(s) had untolerated taint {maint: }",
        soft: "Success",
      },
    },
    {
      name: "Exists without a key tolerates everything",
      tolerations: [{ operator: "Exists" }],
      want: { clean: "Success", gpu: "Success", evicting: "Success", soft: "Success" },
    },
  ])("$name", ({ tolerations, want }) => {
    expect(filterAll(taintToleration, pod("p", { spec: { tolerations } }), nodes())).toEqual(want);
  });

  it("scores down untolerated PreferNoSchedule taints", () => {
    const list = [
      nodeInfo("clean"),
      nodeInfo("soft", { taints: [{ key: "spot", value: "yes", effect: "PreferNoSchedule" }] }),
    ];
    expect(scoreAll(taintToleration, pod("p"), list)).toEqual([100, 0]);
    const tolerant = pod("t", {
      spec: { tolerations: [{ key: "spot", operator: "Exists", effect: "PreferNoSchedule" }] },
    });
    expect(scoreAll(taintToleration, tolerant, list)).toEqual([100, 100]);
  });
});

describe("NodePorts", () => {
  const withPort = (name: string, hostPort: number, hostIP?: string, protocol = "TCP") =>
    pod(name, {
      spec: {
        containers: [{ name: "c", ports: [{ containerPort: 80, hostPort, protocol, ...(hostIP ? { hostIP } : {}) }] }],
      },
    });
  const FULL = "Unschedulable: node(s) didn't have free ports for the requested pod ports";
  it.each([
    { name: "same port", existing: withPort("x", 8080), incoming: withPort("p", 8080), want: FULL },
    { name: "other port", existing: withPort("x", 8081), incoming: withPort("p", 8080), want: "Success" },
    {
      name: "other protocol",
      existing: withPort("x", 8080, undefined, "UDP"),
      incoming: withPort("p", 8080),
      want: "Success",
    },
    {
      name: "different IPs",
      existing: withPort("x", 8080, "10.0.0.1"),
      incoming: withPort("p", 8080, "10.0.0.2"),
      want: "Success",
    },
    {
      name: "wildcard overlaps an IP",
      existing: withPort("x", 8080, "10.0.0.1"),
      incoming: withPort("p", 8080),
      want: FULL,
    },
  ])("$name", ({ existing, incoming, want }) => {
    expect(filterAll(nodePorts, incoming, [nodeInfo("n", {}, [existing])])).toEqual({ n: want });
  });
});

describe("InterPodAffinity", () => {
  const term = (labels: Record<string, string>, topologyKey: string, extra: Record<string, unknown> = {}) => ({
    labelSelector: { matchLabels: labels },
    topologyKey,
    ...extra,
  });
  const affinity = (kind: "podAffinity" | "podAntiAffinity", ...terms: unknown[]) => ({
    affinity: { [kind]: { requiredDuringSchedulingIgnoredDuringExecution: terms } },
  });
  const ZONE = "topology.kubernetes.io/zone";
  const HOST = "kubernetes.io/hostname";
  const cluster = () => [
    nodeInfo("a1", { labels: { [ZONE]: "a" } }, [pod("db", { labels: { app: "db" } })]),
    nodeInfo("a2", { labels: { [ZONE]: "a" } }),
    nodeInfo("b1", { labels: { [ZONE]: "b" } }, [pod("web-0", { labels: { app: "web" } })]),
    nodeInfo("nozone"),
  ];
  const AFF = "UnschedulableAndUnresolvable: node(s) didn't match pod affinity rules";
  const ANTI = "Unschedulable: node(s) didn't match pod anti-affinity rules";
  const EXISTING = "Unschedulable: node(s) didn't satisfy existing pods anti-affinity rules";
  it.each([
    { name: "no constraints", spec: {}, labels: {}, want: ["Success", "Success", "Success", "Success"] },
    {
      name: "affinity to db by zone",
      spec: affinity("podAffinity", term({ app: "db" }, ZONE)),
      labels: {},
      want: ["Success", "Success", AFF, AFF],
    },
    {
      name: "affinity to nothing that exists: only the group's first pod passes",
      spec: affinity("podAffinity", term({ app: "cache" }, ZONE)),
      labels: { app: "cache" },
      want: ["Success", "Success", "Success", AFF],
    },
    {
      name: "affinity to nothing, not matching itself",
      spec: affinity("podAffinity", term({ app: "cache" }, ZONE)),
      labels: {},
      want: [AFF, AFF, AFF, AFF],
    },
    {
      name: "anti-affinity to web by hostname",
      spec: affinity("podAntiAffinity", term({ app: "web" }, HOST)),
      labels: { app: "web" },
      want: ["Success", "Success", ANTI, "Success"],
    },
    {
      name: "anti-affinity to db by zone",
      spec: affinity("podAntiAffinity", term({ app: "db" }, ZONE)),
      labels: {},
      want: [ANTI, ANTI, "Success", "Success"],
    },
    {
      name: "other namespace: the term does not see db",
      spec: affinity("podAntiAffinity", term({ app: "db" }, ZONE)),
      labels: {},
      namespace: "other",
      want: ["Success", "Success", "Success", "Success"],
    },
    {
      name: "namespaceSelector {} selects every namespace",
      spec: affinity("podAntiAffinity", term({ app: "db" }, ZONE, { namespaceSelector: {} })),
      labels: {},
      namespace: "other",
      want: [ANTI, ANTI, "Success", "Success"],
    },
  ])("$name", ({ spec, labels, want, namespace }) => {
    const list = cluster();
    const result = filterAll(
      interPodAffinity,
      pod("p", { spec, labels: labels as Record<string, string>, namespace }),
      list,
    );
    expect(list.map((n) => result[n.name])).toEqual(want);
  });

  it("existing pods' anti-affinity keeps newcomers out of their domain", () => {
    const guard = pod("guard", {
      labels: { app: "guard" },
      spec: affinity("podAntiAffinity", term({ app: "web" }, ZONE)),
    });
    const list = [
      nodeInfo("a1", { labels: { [ZONE]: "a" } }, [guard]),
      nodeInfo("a2", { labels: { [ZONE]: "a" } }),
      nodeInfo("b1", { labels: { [ZONE]: "b" } }),
    ];
    const result = filterAll(interPodAffinity, pod("web", { labels: { app: "web" } }), list);
    expect(result).toEqual({ a1: EXISTING, a2: EXISTING, b1: "Success" });
  });

  it("scores preferred affinity and anti-affinity, min-max normalized", () => {
    const p = pod("p", {
      spec: {
        affinity: {
          podAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              { weight: 10, podAffinityTerm: term({ app: "db" }, ZONE) },
            ],
          },
          podAntiAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              { weight: 5, podAffinityTerm: term({ app: "web" }, ZONE) },
            ],
          },
        },
      },
    });
    // a: +10 (db), b: -5 (web), nozone: 0 → min -5, max 10.
    expect(scoreAll(interPodAffinity, p, cluster())).toEqual([100, 100, 0, 33]);
  });
});

describe("PodTopologySpread", () => {
  const ZONE = "zone";
  const spread = (maxSkew: number, extra: Record<string, unknown> = {}) => ({
    topologySpreadConstraints: [
      {
        maxSkew,
        topologyKey: ZONE,
        whenUnsatisfiable: "DoNotSchedule",
        labelSelector: { matchLabels: { app: "web" } },
        ...extra,
      },
    ],
  });
  const web = (name: string) => pod(name, { labels: { app: "web" } });
  const nodes = () => [
    nodeInfo("a1", { labels: { [ZONE]: "a" } }, [web("w1"), web("w2")]),
    nodeInfo("b1", { labels: { [ZONE]: "b" } }, [web("w3")]),
    nodeInfo("c1", { labels: { [ZONE]: "c" } }),
    nodeInfo("nolabel"),
  ];
  const SKEW = "Unschedulable: node(s) didn't match pod topology spread constraints";
  const LABEL =
    "UnschedulableAndUnresolvable: node(s) didn't match pod topology spread constraints (missing required label)";
  it.each([
    { name: "maxSkew 1: only the emptiest zone", maxSkew: 1, extra: {}, want: [SKEW, SKEW, "Success", LABEL] },
    { name: "maxSkew 2", maxSkew: 2, extra: {}, want: [SKEW, "Success", "Success", LABEL] },
    { name: "maxSkew 3", maxSkew: 3, extra: {}, want: ["Success", "Success", "Success", LABEL] },
    {
      name: "minDomains above the domain count makes the minimum 0",
      maxSkew: 2,
      extra: { minDomains: 5 },
      want: [SKEW, "Success", "Success", LABEL],
    },
  ])("$name", ({ maxSkew, extra, want }) => {
    const list = nodes();
    const result = filterAll(
      podTopologySpread,
      pod("p", { labels: { app: "web" }, spec: spread(maxSkew, extra) }),
      list,
    );
    expect(list.map((n) => result[n.name])).toEqual(want);
  });

  it("a pod that does not match its own selector does not count itself", () => {
    const list = nodes();
    const result = filterAll(podTopologySpread, pod("p", { labels: { app: "other" }, spec: spread(1) }), list);
    expect(list.map((n) => result[n.name])).toEqual([SKEW, "Success", "Success", LABEL]);
  });

  it("ScheduleAnyway scores emptier domains higher", () => {
    const p = pod("p", {
      labels: { app: "web" },
      spec: {
        topologySpreadConstraints: [
          {
            maxSkew: 1,
            topologyKey: ZONE,
            whenUnsatisfiable: "ScheduleAnyway",
            labelSelector: { matchLabels: { app: "web" } },
          },
        ],
      },
    });
    const [a, b, c] = scoreAll(podTopologySpread, p, nodes().slice(0, 3));
    expect(c).toBe(100);
    expect(b!).toBeGreaterThan(a!);
  });
});

describe("PrioritySort", () => {
  it.each([
    { a: { priority: 10, timestamp: 5 }, b: { priority: 1, timestamp: 1 }, want: true },
    { a: { priority: 1, timestamp: 5 }, b: { priority: 10, timestamp: 1 }, want: false },
    { a: { priority: 1, timestamp: 1 }, b: { priority: 1, timestamp: 5 }, want: true },
  ])("priority $a.priority@$a.timestamp before $b.priority@$b.timestamp: $want", ({ a, b, want }) => {
    const queued = (o: { priority: number; timestamp: number }) => ({
      pod: pod("x", { priority: o.priority }),
      timestamp: o.timestamp,
    });
    expect(less(queued(a), queued(b))).toBe(want);
  });
});

describe("PreFilter", () => {
  it("plugins with nothing to check for a pod skip their Filter", () => {
    const profilePlugins = [nodePorts, nodeAffinity, interPodAffinity, podTopologySpread, nodeName];
    const ctx = newCycle(pod("plain"), new ListSnapshot([nodeInfo("n")]));
    const pre = runPreFilters(
      { schedulerName: "x", filters: profilePlugins, scores: [], percentageOfNodesToScore: 0 },
      ctx,
    );
    expect("skip" in pre && [...pre.skip].sort()).toEqual([
      "InterPodAffinity",
      "NodeAffinity",
      "NodeName",
      "NodePorts",
      "PodTopologySpread",
    ]);
  });
});
