// Spread constraints on their own: grouping by field or label, choosing groups and clusters.
import { describe, expect, it } from "vitest";
import { applySpreadConstraints, type SpreadInput } from "../../api/federation/spread.ts";
import type { MemberCluster } from "../../api/federation/types.ts";
import { member } from "./federation-schedule-fixtures.ts";

function spread(clusters: MemberCluster[], input: Omit<SpreadInput, "clusters" | "capacity">, capacity = {}) {
  const result = applySpreadConstraints({ clusters, capacity: new Map(Object.entries(capacity)), ...input });
  return result.ok ? result.clusters.map((c) => c.metadata.name).sort() : result.message;
}

describe("applySpreadConstraints", () => {
  it("without constraints keeps every cluster", () => {
    expect(spread([member("b"), member("a")], { constraints: [] })).toEqual(["a", "b"]);
  });

  it("by zone uses spec.zone, else the first of spec.zones", () => {
    const clusters = [
      member("a", { zone: "z1" }),
      member("b", { zones: ["z1", "z2"] }),
      member("c", { zones: ["z2"] }),
      member("d"),
    ];
    const constraints = [{ spreadByField: "zone" as const, minGroups: 1, maxGroups: 1 }];
    // z1 holds a and b, beating z2 on size.
    expect(spread(clusters, { constraints })).toEqual(["a", "b"]);
    expect(spread(clusters, { constraints: [{ spreadByField: "zone", minGroups: 3 }] })).toBe(
      "the number of feasible zones (2) is less than spreadConstraint.MinGroups (3)",
    );
  });

  it("by provider ranks groups by capacity", () => {
    const clusters = [
      member("a", { provider: "aws" }),
      member("g", { provider: "gcp" }),
      member("h", { provider: "gcp" }),
    ];
    const constraints = [{ spreadByField: "provider" as const, maxGroups: 1 }];
    expect(spread(clusters, { constraints }, { a: 10, g: 3, h: 3 })).toEqual(["a"]);
    expect(spread(clusters, { constraints }, { a: 5, g: 3, h: 3 })).toEqual(["g", "h"]);
  });

  it("by label: clusters without the label drop out; the message names the label", () => {
    const clusters = [member("a", { labels: { rack: "r1" } }), member("b")];
    expect(spread(clusters, { constraints: [{ spreadByLabel: "rack" }] })).toEqual(["a"]);
    expect(spread(clusters, { constraints: [{ spreadByLabel: "rack", minGroups: 2 }] })).toBe(
      "the number of feasible values of label rack (1) is less than spreadConstraint.MinGroups (2)",
    );
  });

  it("prefers the groups of the previous result", () => {
    const clusters = [member("e", { region: "east" }), member("w", { region: "west" })];
    const constraints = [{ spreadByField: "region" as const, maxGroups: 1 }];
    expect(spread(clusters, { constraints }, { e: 10, w: 1 })).toEqual(["e"]);
    expect(spread(clusters, { constraints, previous: new Set(["w"]) }, { e: 10, w: 1 })).toEqual(["w"]);
  });

  it("fails when no allowed number of groups holds the cluster constraint's minGroups", () => {
    const clusters = [member("a", { region: "r1" }), member("b", { region: "r2" }), member("c", { region: "r3" })];
    const constraints = [
      { spreadByField: "region" as const, minGroups: 1, maxGroups: 2 },
      { spreadByField: "cluster" as const, minGroups: 3 },
    ];
    expect(spread(clusters, { constraints })).toBe(
      "the number of clusters is less than the cluster spreadConstraint.MinGroups (3)",
    );
  });

  it("the cluster constraint's maxGroups caps the clusters even across groups", () => {
    const clusters = [member("a", { region: "r1" }), member("b", { region: "r2" }), member("c", { region: "r3" })];
    const constraints = [
      { spreadByField: "region" as const, minGroups: 3 },
      { spreadByField: "cluster" as const, minGroups: 1, maxGroups: 2 },
    ];
    expect(spread(clusters, { constraints }, { a: 3, b: 2, c: 1 })).toEqual(["a", "b"]);
  });

  it("group constraints apply in order, each narrowing the clusters", () => {
    const clusters = [
      member("e1", { region: "east", zone: "e-a" }),
      member("e2", { region: "east", zone: "e-b" }),
      member("e3", { region: "east", zone: "e-b" }),
      member("w1", { region: "west", zone: "w-a" }),
    ];
    const constraints = [
      { spreadByField: "region" as const, maxGroups: 1 },
      { spreadByField: "zone" as const, maxGroups: 1 },
    ];
    // east wins on size; within it e-b (two clusters) wins.
    expect(spread(clusters, { constraints })).toEqual(["e2", "e3"]);
  });

  it("by cluster, swaps low-capacity picks for bigger clusters when the replicas would not fit", () => {
    const clusters = [member("a"), member("b"), member("c")];
    const constraints = [{ spreadByField: "cluster" as const, maxGroups: 2 }];
    // The previous cluster a ranks first but is small; b and c together cannot hold 12, a and c can.
    const input = { constraints, previous: new Set(["a"]), needReplicas: 12 };
    expect(spread(clusters, input, { a: 5, b: 6, c: 7 })).toEqual(["a", "c"]);
    expect(spread(clusters, { ...input, needReplicas: 13 }, { a: 5, b: 6, c: 7 })).toEqual(["b", "c"]);
  });

  it("a later constraint on the same field replaces an earlier one", () => {
    const clusters = [member("a"), member("b"), member("c")];
    const constraints = [
      { spreadByField: "cluster" as const, maxGroups: 1 },
      { spreadByField: "cluster" as const, maxGroups: 2 },
    ];
    expect(spread(clusters, { constraints })).toEqual(["a", "b"]);
  });
});
