// A logical cluster's type: Standard unless it says Federation (in any case); nothing else goes.
import { describe, expect, it } from "vitest";
import { clusterTypeOf, logicalClusters } from "../../api/tenancy/logical-cluster.ts";
import type { KubeObject } from "../../api/types.ts";

const cluster = (spec?: Record<string, unknown>): KubeObject => ({
  apiVersion: "tenancy.flotilla.dev/v1alpha1",
  kind: "LogicalCluster",
  metadata: { name: "c" },
  ...(spec ? { spec } : {}),
});

describe("logical cluster type", () => {
  it("defaults to Standard and is written on create", () => {
    const obj = cluster();
    logicalClusters.strategy.prepareForCreate?.(obj);
    expect(obj.spec).toEqual({ type: "Standard" });
  });

  it("takes Federation in any case", () => {
    expect(clusterTypeOf(cluster({ type: "federation" }))).toBe("Federation");
    const obj = cluster({ type: "FEDERATION" });
    logicalClusters.strategy.prepareForCreate?.(obj);
    expect(obj.spec).toEqual({ type: "Federation" });
    expect(logicalClusters.strategy.validate?.(obj)).toEqual([]);
  });

  it("refuses any other type with the supported values", () => {
    const errors = logicalClusters.strategy.validate?.(cluster({ type: "Fleet" })) ?? [];
    expect(errors).toMatchObject([{ field: "spec.type", type: "FieldValueNotSupported" }]);
    expect(errors[0].message).toContain('supported values: "Standard", "Federation"');
  });
});
