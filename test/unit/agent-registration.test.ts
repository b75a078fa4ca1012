import { describe, expect, it } from "vitest";
import { validateCluster } from "../../api/validation/karmada/cluster.ts";
import { registrationManifest } from "../../federation-agent/heartbeat.ts";

describe("registrationManifest", () => {
  it("registers a Pull member where the flags say it is, valid without an endpoint", () => {
    const cluster = registrationManifest("edge-1", {
      region: "eu-west",
      zone: "eu-west-1a",
      provider: "onprem",
      labels: { tier: "edge" },
    });
    expect(cluster).toEqual({
      apiVersion: "cluster.karmada.io/v1alpha1",
      kind: "Cluster",
      metadata: { name: "edge-1", labels: { tier: "edge" } },
      spec: { syncMode: "Pull", provider: "onprem", region: "eu-west", zone: "eu-west-1a" },
    });
    expect(validateCluster(cluster)).toEqual([]);
  });

  it("leaves out what was not given", () => {
    expect(registrationManifest("edge-2")).toEqual({
      apiVersion: "cluster.karmada.io/v1alpha1",
      kind: "Cluster",
      metadata: { name: "edge-2" },
      spec: { syncMode: "Pull" },
    });
  });
});
