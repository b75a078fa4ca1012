// The federation scheduler end to end: filters (Ready, taints, affinity, clusterAffinities),
// spread constraints, replica division and the failure messages, through `schedule`.
import { describe, expect, it } from "vitest";
import { feasibleClusters, matchesAffinity, tolerates } from "../../api/federation/cluster-filter.ts";
import { schedule } from "../../api/federation/schedule.ts";
import type { Placement } from "../../api/federation/types.ts";
import { asRecord, member } from "./federation-schedule-fixtures.ts";

const names = (clusters: ReadonlyArray<{ metadata: { name?: string } }>) => clusters.map((c) => c.metadata.name);

describe("cluster affinity", () => {
  const east = member("east", { labels: { env: "prod", tier: "gold" }, provider: "aws", region: "us-east" });
  const west = member("west", { labels: { env: "dev" }, provider: "gcp", region: "us-west", zones: ["w1", "w2"] });
  const bare = member("bare");

  it("clusterNames, when given, must list the cluster; exclude always wins", () => {
    expect(matchesAffinity(east, { clusterNames: ["east", "west"] })).toBe(true);
    expect(matchesAffinity(bare, { clusterNames: ["east", "west"] })).toBe(false);
    expect(matchesAffinity(east, { clusterNames: [] })).toBe(true);
    expect(matchesAffinity(east, { clusterNames: ["east"], exclude: ["east"] })).toBe(false);
    expect(matchesAffinity(west, { exclude: ["east"] })).toBe(true);
  });

  it("labelSelector: matchLabels and matchExpressions", () => {
    expect(matchesAffinity(east, { labelSelector: { matchLabels: { env: "prod" } } })).toBe(true);
    expect(matchesAffinity(west, { labelSelector: { matchLabels: { env: "prod" } } })).toBe(false);
    const gold = { labelSelector: { matchExpressions: [{ key: "tier", operator: "In", values: ["gold"] }] } };
    expect(matchesAffinity(east, gold)).toBe(true);
    expect(matchesAffinity(west, gold)).toBe(false);
    const noTier = { labelSelector: { matchExpressions: [{ key: "tier", operator: "DoesNotExist" }] } };
    expect(matchesAffinity(west, noTier)).toBe(true);
    expect(matchesAffinity(east, { labelSelector: {} })).toBe(true);
  });

  it("fieldSelector on provider, region and zone", () => {
    const inRegion = {
      fieldSelector: { matchExpressions: [{ key: "region", operator: "In" as const, values: ["us-east"] }] },
    };
    expect(matchesAffinity(east, inRegion)).toBe(true);
    expect(matchesAffinity(west, inRegion)).toBe(false);
    expect(matchesAffinity(bare, inRegion)).toBe(false);
    const notAws = {
      fieldSelector: { matchExpressions: [{ key: "provider", operator: "NotIn" as const, values: ["aws"] }] },
    };
    expect(names([east, west, bare].filter((c) => matchesAffinity(c, notAws)))).toEqual(["west", "bare"]);
    const zoned = { fieldSelector: { matchExpressions: [{ key: "zone", operator: "Exists" as const }] } };
    expect(names([east, west, bare].filter((c) => matchesAffinity(c, zoned)))).toEqual(["west"]);
    const unzoned = { fieldSelector: { matchExpressions: [{ key: "zone", operator: "DoesNotExist" as const }] } };
    expect(names([east, west, bare].filter((c) => matchesAffinity(c, unzoned)))).toEqual(["east", "bare"]);
  });
});

describe("taints and tolerations", () => {
  const tainted = member("t", { taints: [{ key: "dedicated", value: "gpu", effect: "NoSchedule" }] });
  const draining = member("d", { taints: [{ key: "maintenance", effect: "NoExecute" }] });
  const preferred = member("p", { taints: [{ key: "spot", effect: "PreferNoSchedule" }] });

  it("NoSchedule and NoExecute taints need a toleration; PreferNoSchedule does not", () => {
    expect(tolerates(tainted, [])).toBe(false);
    expect(tolerates(draining, [])).toBe(false);
    expect(tolerates(preferred, [])).toBe(true);
  });

  it("Equal matches key and value, Exists the key; an empty effect matches every effect", () => {
    expect(tolerates(tainted, [{ key: "dedicated", operator: "Equal", value: "gpu" }])).toBe(true);
    expect(tolerates(tainted, [{ key: "dedicated", value: "gpu" }])).toBe(true); // Equal is the default
    expect(tolerates(tainted, [{ key: "dedicated", operator: "Equal", value: "cpu" }])).toBe(false);
    expect(tolerates(tainted, [{ key: "dedicated", operator: "Exists", effect: "NoSchedule" }])).toBe(true);
    expect(tolerates(tainted, [{ key: "dedicated", operator: "Exists", effect: "NoExecute" }])).toBe(false);
    expect(tolerates(draining, [{ key: "maintenance", operator: "Exists" }])).toBe(true);
    expect(tolerates(draining, [{ key: "maintenance", operator: "Equal" }])).toBe(true); // "" equals no value
  });

  it("an empty key with Exists tolerates every taint; an empty key with Equal none", () => {
    expect(tolerates(tainted, [{ operator: "Exists" }])).toBe(true);
    expect(tolerates(draining, [{ operator: "Exists" }])).toBe(true);
    expect(tolerates(tainted, [{ operator: "Equal", value: "gpu" }])).toBe(false);
  });
});

describe("feasibleClusters", () => {
  it("keeps Ready clusters only", () => {
    const result = feasibleClusters([member("a"), member("b", { ready: false }), member("c")]);
    expect(result.ok && names(result.clusters)).toEqual(["a", "c"]);
  });

  it("treats a cluster without a Ready condition as not ready", () => {
    const unknown = member("u");
    unknown.status = {};
    expect(feasibleClusters([unknown])).toEqual({
      ok: false,
      message: "0/1 clusters are available: 1 cluster(s) were not ready.",
    });
  });

  it("clusterAffinities: the first term with a feasible cluster wins, and says which", () => {
    const clusters = [member("primary", { ready: false }), member("backup"), member("other")];
    const placement: Placement = {
      clusterAffinities: [
        { affinityName: "main", clusterNames: ["primary"] },
        { affinityName: "fallback", clusterNames: ["backup"] },
        { affinityName: "last", clusterNames: ["other"] },
      ],
    };
    const result = feasibleClusters(clusters, placement);
    expect(result).toEqual({ ok: true, clusters: [clusters[1]], affinityName: "fallback" });
  });
});

describe("schedule: filters and messages", () => {
  it("explains every ruled-out cluster in Karmada's words", () => {
    const clusters = [
      member("a", { taints: [{ key: "dedicated", value: "gpu", effect: "NoSchedule" }] }),
      member("b", { region: "eu" }),
      member("c", { region: "eu" }),
    ];
    const placement: Placement = {
      clusterAffinity: { fieldSelector: { matchExpressions: [{ key: "region", operator: "In", values: ["us"] }] } },
    };
    expect(schedule({ clusters, placement, replicas: 3 })).toEqual({
      ok: false,
      reason: "NoClusterFit",
      message:
        "0/3 clusters are available: 1 cluster(s) had untolerated taint {dedicated=gpu:NoSchedule}, " +
        "2 cluster(s) did not match the placement cluster affinity constraint.",
    });
  });

  it("says so when there are no clusters at all", () => {
    expect(schedule({ clusters: [], replicas: 1 })).toEqual({
      ok: false,
      reason: "NoClusterFit",
      message: "0/0 clusters are available: no cluster exists.",
    });
  });

  it("tolerated taints and the region field selector let clusters through", () => {
    const clusters = [
      member("a", { region: "us", taints: [{ key: "dedicated", value: "gpu", effect: "NoSchedule" }] }),
      member("b", { region: "us" }),
      member("c", { region: "eu" }),
    ];
    const placement: Placement = {
      clusterAffinity: { fieldSelector: { matchExpressions: [{ key: "region", operator: "In", values: ["us"] }] } },
      clusterTolerations: [{ key: "dedicated", operator: "Exists" }],
    };
    expect(schedule({ clusters, placement, replicas: 2 })).toEqual({
      ok: true,
      clusters: [
        { name: "a", replicas: 2 },
        { name: "b", replicas: 2 },
      ],
    });
  });

  it("a taint added to a cluster the workload already runs on keeps new work off, but not that workload", () => {
    const clusters = [member("a", { taints: [{ key: "maintenance", effect: "NoSchedule" }] }), member("b")];
    expect(schedule({ clusters, replicas: 1 })).toEqual({ ok: true, clusters: [{ name: "b", replicas: 1 }] });
    expect(schedule({ clusters, replicas: 1, previous: [{ name: "a", replicas: 1 }] })).toEqual({
      ok: true,
      clusters: [
        { name: "a", replicas: 1 },
        { name: "b", replicas: 1 },
      ],
    });
  });

  it("no replicaScheduling means Duplicated; replicas 0 gives entries without replicas", () => {
    const clusters = [member("b"), member("a"), member("c", { ready: false })];
    expect(schedule({ clusters, replicas: 3 })).toEqual({
      ok: true,
      clusters: [
        { name: "a", replicas: 3 },
        { name: "b", replicas: 3 },
      ],
    });
    expect(schedule({ clusters, replicas: 0 })).toEqual({ ok: true, clusters: [{ name: "a" }, { name: "b" }] });
  });

  it("clusterAffinities fall back to the next term, and report the first failure when all fail", () => {
    const clusters = [member("a", { ready: false }), member("b")];
    const placement: Placement = {
      clusterAffinities: [
        { affinityName: "preferred", clusterNames: ["a"] },
        { affinityName: "backup", clusterNames: ["b"] },
      ],
    };
    expect(schedule({ clusters, placement, replicas: 1 })).toEqual({
      ok: true,
      clusters: [{ name: "b", replicas: 1 }],
      affinityName: "backup",
    });
    const allFail: Placement = {
      clusterAffinities: [
        { affinityName: "preferred", clusterNames: ["a"] },
        { affinityName: "elsewhere", exclude: ["a", "b"] },
      ],
    };
    expect(schedule({ clusters, placement: allFail, replicas: 1 })).toEqual({
      ok: false,
      reason: "NoClusterFit",
      // The first term's diagnosis: a is down, b is not in its clusterNames.
      message:
        "0/2 clusters are available: 1 cluster(s) did not match the placement cluster affinity constraint, 1 cluster(s) were not ready.",
    });
  });

  it("clusterAffinities resume from the observed term, so a fallback does not flap back", () => {
    const clusters = [member("a"), member("b")];
    const placement: Placement = {
      clusterAffinities: [
        { affinityName: "preferred", clusterNames: ["a"] },
        { affinityName: "backup", clusterNames: ["b"] },
      ],
    };
    expect(schedule({ clusters, placement, replicas: 1, observedAffinityName: "backup" })).toMatchObject({
      ok: true,
      affinityName: "backup",
    });
    expect(schedule({ clusters, placement, replicas: 1, observedAffinityName: "gone" })).toMatchObject({
      ok: true,
      affinityName: "preferred",
    });
  });

  it("a term whose spread constraints cannot be met falls back too", () => {
    const clusters = [member("a", { region: "r1" }), member("b", { region: "r2" })];
    const placement: Placement = {
      clusterAffinities: [
        { affinityName: "one", clusterNames: ["a"] },
        { affinityName: "both", clusterNames: ["a", "b"] },
      ],
      spreadConstraints: [{ spreadByField: "region", minGroups: 2, maxGroups: 2 }],
    };
    expect(schedule({ clusters, placement, replicas: 0 })).toEqual({
      ok: true,
      clusters: [{ name: "a" }, { name: "b" }],
      affinityName: "both",
    });
  });
});

describe("schedule: division", () => {
  it("dynamic weight by available replicas: 12 over 6/12/18 is 2/4/6", () => {
    const clusters = [member("m1", { pods: 6 }), member("m2", { pods: 12 }), member("m3", { pods: 18 })];
    const placement: Placement = {
      replicaScheduling: {
        replicaSchedulingType: "Divided",
        replicaDivisionPreference: "Weighted",
        weightPreference: { dynamicWeight: "AvailableReplicas" },
      },
    };
    const result = schedule({ clusters, placement, replicas: 12 });
    expect(result.ok && asRecord(result.clusters)).toEqual({ m1: 2, m2: 4, m3: 6 });
  });

  it("static weights 1:2 of 9 are 3/6", () => {
    const clusters = [member("member1"), member("member2")];
    const placement: Placement = {
      replicaScheduling: {
        replicaSchedulingType: "Divided",
        replicaDivisionPreference: "Weighted",
        weightPreference: {
          staticWeightList: [
            { targetCluster: { clusterNames: ["member1"] }, weight: 1 },
            { targetCluster: { clusterNames: ["member2"] }, weight: 2 },
          ],
        },
      },
    };
    expect(schedule({ clusters, placement, replicas: 9 })).toEqual({
      ok: true,
      clusters: [
        { name: "member1", replicas: 3 },
        { name: "member2", replicas: 6 },
      ],
    });
  });

  it("Aggregated packs replicas into the fewest clusters, biggest first", () => {
    const clusters = [member("small", { pods: 4 }), member("big", { pods: 10 }), member("mid", { pods: 6 })];
    const placement: Placement = {
      replicaScheduling: { replicaSchedulingType: "Divided", replicaDivisionPreference: "Aggregated" },
    };
    const one = schedule({ clusters, placement, replicas: 8 });
    expect(one.ok && asRecord(one.clusters)).toEqual({ big: 8 });
    const two = schedule({ clusters, placement, replicas: 16 });
    expect(two.ok && asRecord(two.clusters)).toEqual({ big: 10, mid: 6 });
  });

  it("dividing by capacity fails as Unschedulable when the clusters cannot hold the replicas", () => {
    const clusters = [member("a", { pods: 2 }), member("b")]; // b reports no resource summary
    const placement: Placement = {
      replicaScheduling: { replicaSchedulingType: "Divided", replicaDivisionPreference: "Aggregated" },
    };
    expect(schedule({ clusters, placement, replicas: 3 })).toEqual({
      ok: false,
      reason: "Unschedulable",
      message: "Clusters available replicas 2 are not enough to schedule.",
    });
  });

  it("estimates capacity from the pod's requests when given", () => {
    const clusters = [
      member("a", { pods: 100, allocatable: { cpu: "4", memory: "8Gi" }, allocated: { cpu: "1" } }),
      member("b", { pods: 100, allocatable: { cpu: "2", memory: "2Gi" } }),
    ];
    const placement: Placement = {
      replicaScheduling: {
        replicaSchedulingType: "Divided",
        replicaDivisionPreference: "Weighted",
        weightPreference: { dynamicWeight: "AvailableReplicas" },
      },
    };
    // a fits 6 (3 cpu / 500m), b fits 2 (2Gi / 1Gi): 8 split 6:2.
    const result = schedule({ clusters, placement, replicas: 8, requests: { cpu: "500m", memory: "1Gi" } });
    expect(result.ok && asRecord(result.clusters)).toEqual({ a: 6, b: 2 });
  });

  it("keeps a still-valid previous result instead of reshuffling", () => {
    const clusters = [member("m1", { pods: 6 }), member("m2", { pods: 12 }), member("m3", { pods: 18 })];
    const placement: Placement = {
      replicaScheduling: {
        replicaSchedulingType: "Divided",
        replicaDivisionPreference: "Weighted",
        weightPreference: { dynamicWeight: "AvailableReplicas" },
      },
    };
    const previous = [
      { name: "m1", replicas: 5 },
      { name: "m3", replicas: 7 },
    ];
    expect(schedule({ clusters, placement, replicas: 12, previous })).toEqual({ ok: true, clusters: previous });
  });
});

describe("schedule: spread constraints", () => {
  const regional = [
    member("e1", { region: "east", pods: 10 }),
    member("e2", { region: "east", pods: 5 }),
    member("w1", { region: "west", pods: 8 }),
    member("n1", { region: "north", pods: 1 }),
    member("x", { pods: 50 }), // no region: belongs to no region group
  ];

  it("spread by region: the fewest regions that satisfy the constraints, best cluster of each first", () => {
    const placement: Placement = {
      spreadConstraints: [
        { spreadByField: "region", minGroups: 2, maxGroups: 3 },
        { spreadByField: "cluster", minGroups: 2, maxGroups: 3 },
      ],
    };
    const result = schedule({ clusters: regional, placement, replicas: 0 });
    // east (15) and west (8) are the two biggest regions; e1 and w1 seed them, e2 fills the third slot.
    expect(result).toEqual({ ok: true, clusters: [{ name: "e1" }, { name: "e2" }, { name: "w1" }] });
  });

  it("spread by region fails when fewer regions than minGroups are feasible", () => {
    const placement: Placement = {
      spreadConstraints: [
        { spreadByField: "region", minGroups: 4, maxGroups: 4 },
        { spreadByField: "cluster", minGroups: 4, maxGroups: 4 },
      ],
    };
    expect(schedule({ clusters: regional, placement, replicas: 1 })).toEqual({
      ok: false,
      reason: "NoClusterFit",
      message: "the number of feasible regions (3) is less than spreadConstraint.MinGroups (4)",
    });
  });

  it("takes more regions when the fewest cannot hold the cluster constraint's minGroups", () => {
    const clusters = [
      member("a1", { region: "a", pods: 100 }),
      member("b1", { region: "b" }),
      member("b2", { region: "b" }),
    ];
    const placement: Placement = {
      spreadConstraints: [
        { spreadByField: "region", minGroups: 1, maxGroups: 1 },
        { spreadByField: "cluster", minGroups: 2, maxGroups: 2 },
      ],
    };
    // Region a ranks first by capacity but has one cluster; b holds two.
    expect(schedule({ clusters, placement, replicas: 0 })).toEqual({
      ok: true,
      clusters: [{ name: "b1" }, { name: "b2" }],
    });
  });

  it("spread by cluster: maxGroups clusters with the most available replicas; minGroups must exist", () => {
    const clusters = [member("a", { pods: 1 }), member("b", { pods: 9 }), member("c", { pods: 5 })];
    const placement: Placement = { spreadConstraints: [{ spreadByField: "cluster", minGroups: 1, maxGroups: 2 }] };
    expect(schedule({ clusters, placement, replicas: 2 })).toEqual({
      ok: true,
      clusters: [
        { name: "b", replicas: 2 },
        { name: "c", replicas: 2 },
      ],
    });
    const tooMany: Placement = { spreadConstraints: [{ spreadByField: "cluster", minGroups: 4 }] };
    expect(schedule({ clusters, placement: tooMany, replicas: 2 })).toEqual({
      ok: false,
      reason: "NoClusterFit",
      message: "the number of feasible clusters (3) is less than spreadConstraint.MinGroups (4)",
    });
  });

  it("spread by cluster prefers the previous clusters, so a reschedule keeps them", () => {
    const clusters = [member("a", { pods: 1 }), member("b", { pods: 9 }), member("c", { pods: 5 })];
    const placement: Placement = { spreadConstraints: [{ spreadByField: "cluster", maxGroups: 1 }] };
    const result = schedule({ clusters, placement, replicas: 2, previous: [{ name: "a", replicas: 2 }] });
    expect(result).toEqual({ ok: true, clusters: [{ name: "a", replicas: 2 }] });
  });

  it("spread by label groups clusters by the label's value", () => {
    const clusters = [
      member("a", { labels: { rack: "r1" }, pods: 3 }),
      member("b", { labels: { rack: "r1" }, pods: 2 }),
      member("c", { labels: { rack: "r2" }, pods: 1 }),
      member("d", { pods: 9 }),
    ];
    const placement: Placement = {
      spreadConstraints: [{ spreadByLabel: "rack", minGroups: 2, maxGroups: 2 }],
    };
    expect(schedule({ clusters, placement, replicas: 0 })).toEqual({
      ok: true,
      clusters: [{ name: "a" }, { name: "b" }, { name: "c" }],
    });
  });

  it("static weights ignore spread constraints, as in Karmada", () => {
    const clusters = [member("a"), member("b"), member("c")];
    const placement: Placement = {
      spreadConstraints: [{ spreadByField: "cluster", maxGroups: 1 }],
      replicaScheduling: { replicaSchedulingType: "Divided", replicaDivisionPreference: "Weighted" },
    };
    const result = schedule({ clusters, placement, replicas: 3 });
    expect(result.ok && asRecord(result.clusters)).toEqual({ a: 1, b: 1, c: 1 });
  });
});
