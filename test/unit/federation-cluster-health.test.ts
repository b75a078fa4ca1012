// A member's status from one probe: Ready with a grace period, Karmada's taints, summaries.
import { describe, expect, it } from "vitest";
import { clusterHealth, FAILURE_GRACE_MS } from "../../api/federation/cluster-health.ts";
import { TAINT_NOT_READY, TAINT_UNREACHABLE, type MemberClusterStatus } from "../../api/federation/types.ts";
import type { KubeObject } from "../../api/types.ts";

const T0 = Date.parse("2026-11-26T10:00:00Z");

const node = (
  name: string,
  ready: boolean,
  allocatable: Record<string, string>,
  unschedulable = false,
): KubeObject => ({
  metadata: { name },
  spec: unschedulable ? { unschedulable: true } : {},
  status: { allocatable, conditions: [{ type: "Ready", status: ready ? "True" : "False" }] },
});

const pod = (name: string, nodeName: string, cpu: string, phase = "Running"): KubeObject => ({
  metadata: { name },
  spec: { nodeName, containers: [{ name: "c", resources: { requests: { cpu, memory: "64Mi" } } }] },
  status: { phase },
});

const readyStatus = (): MemberClusterStatus =>
  clusterHealth({
    status: undefined,
    taints: undefined,
    probe: { outcome: "ready", kubernetesVersion: "v1.33.0", nodes: [], pods: [] },
    failingSince: undefined,
    now: T0,
  }).status;

describe("clusterHealth", () => {
  it("a ready member: Ready=True, its version, node and resource summaries from usable nodes", () => {
    const { status, taints } = clusterHealth({
      status: undefined,
      taints: [],
      probe: {
        outcome: "ready",
        kubernetesVersion: "v1.33.0",
        nodes: [
          node("a", true, { cpu: "4", memory: "8Gi", pods: "110" }),
          node("b", false, { cpu: "4", memory: "8Gi", pods: "110" }),
          node("c", true, { cpu: "2", memory: "4Gi", pods: "110" }, true),
        ],
        pods: [pod("p1", "a", "500m"), pod("p2", "a", "250m"), pod("done", "a", "1", "Succeeded"), pod("q", "b", "1")],
      },
      failingSince: undefined,
      now: T0,
    });
    expect(status.conditions).toMatchObject([{ type: "Ready", status: "True", reason: "ClusterReady" }]);
    expect(status.kubernetesVersion).toBe("v1.33.0");
    expect(status.nodeSummary).toEqual({ totalNum: 3, readyNum: 2 });
    expect(status.resourceSummary).toEqual({
      allocatable: { cpu: "4", memory: "8Gi", pods: "110" },
      allocated: { cpu: "750m", memory: "128Mi", pods: "2" },
    });
    expect(taints).toEqual([]);
  });

  it("one failed probe within the grace period keeps Ready; past it, NotReady with the unreachable taint", () => {
    const previous = readyStatus();
    const within = clusterHealth({
      status: previous,
      taints: [],
      probe: { outcome: "unreachable", message: "connection refused" },
      failingSince: T0,
      now: T0 + FAILURE_GRACE_MS - 1,
    });
    expect(within.status.conditions?.[0]).toMatchObject({ type: "Ready", status: "True" });
    expect(within.taints).toEqual([]);

    const past = clusterHealth({
      status: previous,
      taints: [{ key: "dedicated", value: "gpu", effect: "NoSchedule" }],
      probe: { outcome: "unreachable", message: "connection refused" },
      failingSince: T0,
      now: T0 + FAILURE_GRACE_MS,
    });
    expect(past.status.conditions?.[0]).toMatchObject({
      type: "Ready",
      status: "False",
      reason: "ClusterNotReachable",
      lastTransitionTime: new Date(T0 + FAILURE_GRACE_MS).toISOString(),
    });
    expect(past.taints.map((t) => `${t.key}:${t.effect}`)).toEqual([
      "dedicated:NoSchedule",
      `${TAINT_UNREACHABLE}:NoSchedule`,
    ]);
  });

  it("a member that answers but is not ready gets the not-ready taint; recovering removes it", () => {
    const notReady = clusterHealth({
      status: undefined,
      taints: [],
      probe: { outcome: "not-ready", message: "readyz failed" },
      failingSince: T0,
      now: T0,
    });
    expect(notReady.status.conditions?.[0]).toMatchObject({ status: "False", reason: "ClusterNotReady" });
    expect(notReady.taints.map((t) => t.key)).toEqual([TAINT_NOT_READY]);

    const recovered = clusterHealth({
      status: notReady.status,
      taints: notReady.taints,
      probe: { outcome: "ready", nodes: [], pods: [] },
      failingSince: undefined,
      now: T0 + 10_000,
    });
    expect(recovered.status.conditions?.[0]).toMatchObject({ status: "True" });
    expect(recovered.taints).toEqual([]);
  });
});
