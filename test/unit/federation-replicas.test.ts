// Capacity estimates and replica division for the federation scheduler.
import { describe, expect, it } from "vitest";
import {
  availableReplicas,
  capacityShortfall,
  divideReplicas,
  divisionKind,
  splitByWeight,
} from "../../api/federation/replicas.ts";
import type { ReplicaSchedulingStrategy } from "../../api/federation/types.ts";
import { asRecord, member } from "./federation-schedule-fixtures.ts";

const DYNAMIC: ReplicaSchedulingStrategy = {
  replicaSchedulingType: "Divided",
  replicaDivisionPreference: "Weighted",
  weightPreference: { dynamicWeight: "AvailableReplicas" },
};
const AGGREGATED: ReplicaSchedulingStrategy = {
  replicaSchedulingType: "Divided",
  replicaDivisionPreference: "Aggregated",
};
const EQUAL: ReplicaSchedulingStrategy = { replicaSchedulingType: "Divided" };

const capacity = (entries: Record<string, number>) => new Map(Object.entries(entries));

describe("availableReplicas", () => {
  it("is the free pod count without requests: allocatable − allocated − allocating", () => {
    const c = member("a", { pods: 110, allocated: { pods: "30" }, allocating: { pods: "5" } });
    expect(availableReplicas(c)).toBe(75);
  });

  it("is 0 without a resource summary (unknown capacity counts as none, as in Karmada)", () => {
    expect(availableReplicas(member("a"))).toBe(0);
  });

  it("is never negative", () => {
    expect(availableReplicas(member("a", { pods: 10, allocated: { pods: "12" } }))).toBe(0);
  });

  it("with requests: the fewest pods any requested resource allows, capped by free pods", () => {
    const c = member("a", {
      pods: 100,
      allocatable: { cpu: "3500m", memory: "16Gi" },
      allocated: { cpu: "1", memory: "4Gi" },
      allocating: { memory: "2Gi" },
    });
    expect(availableReplicas(c, { cpu: "500m" })).toBe(5); // 2.5 cpu / 0.5
    expect(availableReplicas(c, { memory: "3Gi" })).toBe(3); // 10Gi / 3Gi
    expect(availableReplicas(c, { cpu: "100m", memory: "1Gi" })).toBe(10);
    expect(availableReplicas(c, { cpu: "1m" })).toBe(100); // the pod count still caps it
    expect(availableReplicas(c, { cpu: "0" })).toBe(100); // a zero request constrains nothing
  });

  it("with a request for a resource the cluster does not report, nothing fits", () => {
    const c = member("a", { pods: 10, allocatable: { cpu: "4" } });
    expect(availableReplicas(c, { "nvidia.com/gpu": "1" })).toBe(0);
  });

  it("divides cpu exactly in millicores", () => {
    const c = member("a", { pods: 100, allocatable: { cpu: "300m" } });
    expect(availableReplicas(c, { cpu: "100m" })).toBe(3);
  });
});

describe("divisionKind", () => {
  it("maps the strategy", () => {
    expect(divisionKind(undefined)).toBe("Duplicated");
    expect(divisionKind({ replicaSchedulingType: "Duplicated" })).toBe("Duplicated");
    expect(divisionKind(EQUAL)).toBe("StaticWeight");
    expect(divisionKind({ replicaSchedulingType: "Divided", replicaDivisionPreference: "Weighted" })).toBe(
      "StaticWeight",
    );
    expect(divisionKind(DYNAMIC)).toBe("DynamicWeight");
    expect(divisionKind(AGGREGATED)).toBe("Aggregated");
  });
});

describe("splitByWeight", () => {
  it("gives remainders to the largest fractional parts", () => {
    // 10 over 1:1:1 → 3.33 each; the one left over goes by name.
    expect(
      Object.fromEntries(
        splitByWeight(10, [
          { name: "c", weight: 1 },
          { name: "a", weight: 1 },
          { name: "b", weight: 1 },
        ]),
      ),
    ).toEqual({
      a: 4,
      b: 3,
      c: 3,
    });
    // 7 over 1:3 → 1.75 / 5.25: the larger fraction (a) gets the extra one.
    expect(
      Object.fromEntries(
        splitByWeight(7, [
          { name: "a", weight: 1 },
          { name: "b", weight: 3 },
        ]),
      ),
    ).toEqual({
      a: 2,
      b: 5,
    });
  });

  it("breaks equal fractions by the larger weight, then the name", () => {
    // 2 over 1:3 → 0.5 / 1.5: equal fractions, the heavier b gets the one left (a would by name).
    expect(
      Object.fromEntries(
        splitByWeight(2, [
          { name: "a", weight: 1 },
          { name: "b", weight: 3 },
        ]),
      ),
    ).toEqual({
      a: 0,
      b: 2,
    });
    // 2 over 2:2:4 → 0.5 / 0.5 / 1: equal fractions and weights, a by name.
    expect(
      Object.fromEntries(
        splitByWeight(2, [
          { name: "b", weight: 2 },
          { name: "a", weight: 2 },
          { name: "c", weight: 4 },
        ]),
      ),
    ).toEqual({
      a: 1,
      b: 0,
      c: 1,
    });
  });

  it("treats all-zero weights as equal", () => {
    expect(
      Object.fromEntries(
        splitByWeight(4, [
          { name: "a", weight: 0 },
          { name: "b", weight: 0 },
        ]),
      ),
    ).toEqual({
      a: 2,
      b: 2,
    });
  });
});

describe("divideReplicas", () => {
  const abc = [member("c"), member("a"), member("b")];

  it("Duplicated: every cluster gets all replicas, sorted by name, even 0", () => {
    expect(divideReplicas(5, abc, undefined, new Map())).toEqual([
      { name: "a", replicas: 5 },
      { name: "b", replicas: 5 },
      { name: "c", replicas: 5 },
    ]);
    expect(divideReplicas(0, abc, { replicaSchedulingType: "Duplicated" }, new Map())).toEqual([
      { name: "a", replicas: 0 },
      { name: "b", replicas: 0 },
      { name: "c", replicas: 0 },
    ]);
  });

  it("Divided without a preference splits equally and omits clusters left with none", () => {
    expect(divideReplicas(4, abc, EQUAL, new Map())).toEqual([
      { name: "a", replicas: 2 },
      { name: "b", replicas: 1 },
      { name: "c", replicas: 1 },
    ]);
    expect(divideReplicas(1, abc, EQUAL, new Map())).toEqual([{ name: "a", replicas: 1 }]);
    expect(divideReplicas(0, abc, EQUAL, new Map())).toEqual([]);
  });

  it("static weights: by affinity, the largest matching weight; no match is weight 0; all 0 is equal", () => {
    const clusters = [member("a", { labels: { tier: "gold" } }), member("b"), member("c", { region: "eu" })];
    const strategy: ReplicaSchedulingStrategy = {
      replicaSchedulingType: "Divided",
      replicaDivisionPreference: "Weighted",
      weightPreference: {
        staticWeightList: [
          { targetCluster: { labelSelector: { matchLabels: { tier: "gold" } } }, weight: 1 },
          { targetCluster: { clusterNames: ["a"] }, weight: 3 },
          {
            targetCluster: { fieldSelector: { matchExpressions: [{ key: "region", operator: "In", values: ["eu"] }] } },
            weight: 1,
          },
        ],
      },
    };
    expect(asRecord(divideReplicas(8, clusters, strategy, new Map()))).toEqual({ a: 6, c: 2 });
    const nobody: ReplicaSchedulingStrategy = {
      ...strategy,
      weightPreference: { staticWeightList: [{ targetCluster: { clusterNames: ["zzz"] }, weight: 5 }] },
    };
    expect(asRecord(divideReplicas(3, clusters, nobody, new Map()))).toEqual({ a: 1, b: 1, c: 1 });
  });

  it("static weights ignore the previous result", () => {
    const previous = [{ name: "c", replicas: 4 }];
    expect(divideReplicas(4, abc, EQUAL, new Map(), previous)).toEqual(divideReplicas(4, abc, EQUAL, new Map()));
  });

  it("dynamic weight: 12 over available 6/12/18 is 2/4/6", () => {
    const clusters = [member("m1"), member("m2"), member("m3")];
    expect(asRecord(divideReplicas(12, clusters, DYNAMIC, capacity({ m1: 6, m2: 12, m3: 18 })))).toEqual({
      m1: 2,
      m2: 4,
      m3: 6,
    });
  });

  it("dynamic weight keeps the previous result when the total is unchanged", () => {
    const previous = [
      { name: "m1", replicas: 10 },
      { name: "m2", replicas: 2 },
    ];
    const clusters = [member("m1"), member("m2"), member("m3")];
    expect(divideReplicas(12, clusters, DYNAMIC, capacity({ m1: 6, m2: 12, m3: 18 }), previous)).toEqual(previous);
  });

  it("dynamic weight scale-up places only the new replicas, by free capacity", () => {
    const previous = [
      { name: "m1", replicas: 2 },
      { name: "m2", replicas: 4 },
    ];
    const clusters = [member("m1"), member("m2"), member("m3")];
    // 6 more over free 0/2/4 → 0/2/4, added to what runs.
    expect(asRecord(divideReplicas(12, clusters, DYNAMIC, capacity({ m1: 0, m2: 2, m3: 4 }), previous))).toEqual({
      m1: 2,
      m2: 6,
      m3: 4,
    });
  });

  it("dynamic weight scale-down shrinks in proportion to what runs", () => {
    const previous = [
      { name: "m1", replicas: 3 },
      { name: "m2", replicas: 9 },
    ];
    const clusters = [member("m1"), member("m2"), member("m3")];
    expect(asRecord(divideReplicas(4, clusters, DYNAMIC, capacity({ m1: 99, m2: 0, m3: 99 }), previous))).toEqual({
      m1: 1,
      m2: 3,
    });
  });

  it("replicas of a cluster no longer chosen are placed again on the others", () => {
    const previous = [
      { name: "gone", replicas: 4 },
      { name: "m1", replicas: 4 },
    ];
    const clusters = [member("m1"), member("m2")];
    expect(asRecord(divideReplicas(8, clusters, DYNAMIC, capacity({ m1: 1, m2: 3 }), previous))).toEqual({
      m1: 5,
      m2: 3,
    });
  });

  it("Aggregated: as few clusters as can hold the replicas, biggest first", () => {
    const clusters = [member("m1"), member("m2"), member("m3")];
    const free = capacity({ m1: 6, m2: 12, m3: 18 });
    expect(asRecord(divideReplicas(12, clusters, AGGREGATED, free))).toEqual({ m3: 12 });
    // 24 needs two clusters: m3 and m2, split by their capacity 18:12.
    expect(asRecord(divideReplicas(24, clusters, AGGREGATED, free))).toEqual({ m2: 10, m3: 14 });
  });

  it("Aggregated scale-up fills the clusters it already uses first", () => {
    const clusters = [member("m1"), member("m2"), member("m3")];
    const previous = [{ name: "m1", replicas: 2 }];
    expect(asRecord(divideReplicas(6, clusters, AGGREGATED, capacity({ m1: 4, m2: 12, m3: 18 }), previous))).toEqual({
      m1: 6,
    });
  });

  it("Aggregated scale-down keeps the biggest shares", () => {
    const clusters = [member("m1"), member("m2"), member("m3")];
    const previous = [
      { name: "m1", replicas: 2 },
      { name: "m2", replicas: 8 },
    ];
    expect(asRecord(divideReplicas(5, clusters, AGGREGATED, capacity({}), previous))).toEqual({ m2: 5 });
  });
});

describe("capacityShortfall", () => {
  const clusters = [member("a"), member("b")];

  it("only the capacity-driven strategies can fall short", () => {
    expect(capacityShortfall(10, clusters, DYNAMIC, capacity({ a: 3, b: 4 }))).toBe(
      "Clusters available replicas 7 are not enough to schedule.",
    );
    expect(capacityShortfall(7, clusters, AGGREGATED, capacity({ a: 3, b: 4 }))).toBeUndefined();
    expect(capacityShortfall(10, clusters, EQUAL, capacity({}))).toBeUndefined();
    expect(capacityShortfall(10, clusters, undefined, capacity({}))).toBeUndefined();
  });

  it("counts only the replicas still to place", () => {
    const previous = [{ name: "a", replicas: 8 }];
    expect(capacityShortfall(10, clusters, DYNAMIC, capacity({ a: 0, b: 2 }), previous)).toBeUndefined();
    expect(capacityShortfall(5, clusters, DYNAMIC, capacity({}), previous)).toBeUndefined();
  });
});
