// The HPA's replica calculation, stabilization and limits, and one sync's status (pure logic).
import { describe, expect, it } from "vitest";
import type { Pod } from "../../api/controllers/common/types.ts";
import { emptyHistory, normalizeReplicas, recordScale } from "../../api/controllers/hpa/normalize.ts";
import { podMetricsFrom, type PodMetricsMap } from "../../api/controllers/hpa/pod-metrics.ts";
import { resourceReplicas } from "../../api/controllers/hpa/replicas.ts";
import { syncAutoscaler } from "../../api/controllers/hpa/sync.ts";
import { scaleTargetOf } from "../../api/controllers/hpa/target.ts";
import type { KubeObject } from "../../api/types.ts";

const NOW = Date.parse("2025-06-01T12:00:00Z");
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/** A running, ready pod started long ago, requesting `cpu` millicores. */
function pod(
  name: string,
  cpuRequest = 100,
  extra: { phase?: string; ready?: boolean; startedAgoMs?: number } = {},
): Pod {
  const started = NOW - (extra.startedAgoMs ?? 3_600_000);
  return {
    metadata: { name, labels: { app: "web" } },
    spec: { containers: [{ name: "web", image: "nginx", resources: { requests: { cpu: `${cpuRequest}m` } } }] },
    status: {
      phase: extra.phase ?? "Running",
      startTime: iso(started),
      conditions: [
        { type: "Ready", status: extra.ready === false ? "False" : "True", lastTransitionTime: iso(started) },
      ],
    },
  };
}

/** Usage samples: pod name → millicores. */
function metrics(usage: Record<string, number>): PodMetricsMap {
  return podMetricsFrom(
    [
      {
        timestamp: iso(NOW - 5_000),
        windowSeconds: 10,
        node: { cpuNanoCores: 0, memoryBytes: 0 },
        pods: Object.entries(usage).map(([name, milli]) => ({
          namespace: "ns",
          name,
          containers: [{ name: "web", cpuNanoCores: milli * 1e6, memoryBytes: 64 * 1024 * 1024 }],
        })),
      },
    ],
    "ns",
    new Set(Object.keys(usage)),
  );
}

const cpuAt = (target: number) => ({ resource: "cpu", target: { utilization: target }, now: NOW });

describe("HPA replica calculation", () => {
  it("scales by ceil(current * utilization / target)", () => {
    const pods = [pod("a"), pod("b")];
    const result = resourceReplicas({ ...cpuAt(50), currentReplicas: 2, pods, metrics: metrics({ a: 90, b: 110 }) });
    expect(result).toEqual({ replicas: 4, utilization: 100, averageValueMilli: 100 });
  });

  it("does nothing within the 10% tolerance", () => {
    const pods = [pod("a"), pod("b")];
    expect(
      resourceReplicas({ ...cpuAt(50), currentReplicas: 2, pods, metrics: metrics({ a: 52, b: 54 }) }),
    ).toMatchObject({ replicas: 2, utilization: 53 });
    expect(
      resourceReplicas({ ...cpuAt(50), currentReplicas: 2, pods, metrics: metrics({ a: 60, b: 60 }) }),
    ).toMatchObject({ replicas: 3, utilization: 60 });
  });

  it("scales down, counting pods without metrics as fully used", () => {
    const pods = [pod("a"), pod("b"), pod("c"), pod("d")];
    // Two pods at 10% of 100m; two missing → treated as 100% → ratio (10+10+100+100)/400 = 55% / 50% > 1: no scale-down.
    expect(
      resourceReplicas({ ...cpuAt(50), currentReplicas: 4, pods, metrics: metrics({ a: 10, b: 10 }) }),
    ).toMatchObject({ replicas: 4, utilization: 10 });
    // All present: 10% of 50% → ceil(4 * 0.2) = 1.
    expect(
      resourceReplicas({ ...cpuAt(50), currentReplicas: 4, pods, metrics: metrics({ a: 10, b: 10, c: 10, d: 10 }) }),
    ).toMatchObject({ replicas: 1 });
  });

  it("scales up without counting on pods that are not ready yet", () => {
    const pods = [pod("a"), pod("b", 100, { phase: "Pending" })];
    // a at 200% of a 50% target: with b (pending) at 0, (200+0)/200 = 100% → ceil(2 * 2) = 4.
    expect(resourceReplicas({ ...cpuAt(50), currentReplicas: 2, pods, metrics: metrics({ a: 200 }) })).toMatchObject({
      replicas: 4,
      utilization: 200,
    });
  });

  it("explains what is missing", () => {
    const pods = [pod("a")];
    expect(resourceReplicas({ ...cpuAt(50), currentReplicas: 1, pods, metrics: new Map() })).toEqual({
      error: "unable to get metrics for resource cpu: no metrics returned from resource metrics API",
    });
    const noRequest = pod("a");
    delete noRequest.spec!.containers[0]!.resources;
    expect(
      resourceReplicas({ ...cpuAt(50), currentReplicas: 1, pods: [noRequest], metrics: metrics({ a: 10 }) }),
    ).toEqual({ error: "missing request for cpu in container web of Pod a" });
    const unready = pod("a", 100, { ready: false, startedAgoMs: 60_000 });
    expect(
      resourceReplicas({ ...cpuAt(50), currentReplicas: 1, pods: [unready], metrics: metrics({ a: 10 }) }),
    ).toEqual({ error: "did not receive metrics for targeted pods (pods might be unready)" });
  });

  it("scales on an average value target", () => {
    const pods = [pod("a"), pod("b")];
    expect(
      resourceReplicas({
        resource: "cpu",
        target: { averageValueMilli: 100 },
        now: NOW,
        currentReplicas: 2,
        pods,
        metrics: metrics({ a: 250, b: 150 }),
      }),
    ).toEqual({ replicas: 4, averageValueMilli: 200 });
  });
});

describe("HPA normalization", () => {
  const base = { now: NOW, min: 1, max: 10 };

  it("keeps the highest recommendation of the last 5 minutes before scaling down", () => {
    const history = emptyHistory();
    history.recommendations.push({ replicas: 5, at: NOW - 120_000 });
    const held = normalizeReplicas({ ...base, history, current: 5, desired: 2 });
    expect(held.replicas).toBe(5);
    expect(held.stabilized.reason).toBe("ScaleDownStabilized");
    // Six minutes later the old recommendations have aged out.
    const later = normalizeReplicas({ ...base, now: NOW + 360_000, history, current: 5, desired: 2 });
    expect(later.replicas).toBe(2);
    expect(later.stabilized.reason).toBe("ReadyForNewScale");
  });

  it("clamps to min and max and limits the scale-up rate", () => {
    const tooMany = normalizeReplicas({ ...base, history: emptyHistory(), current: 3, desired: 50, max: 5 });
    expect(tooMany).toMatchObject({ replicas: 5, limited: { status: "True", reason: "TooManyReplicas" } });
    const fast = normalizeReplicas({ ...base, history: emptyHistory(), current: 3, desired: 9 });
    expect(fast).toMatchObject({ replicas: 6, limited: { status: "True", reason: "ScaleUpLimit" } });
    const tooFew = normalizeReplicas({ ...base, history: emptyHistory(), current: 3, desired: 1, min: 2 });
    expect(tooFew).toMatchObject({ replicas: 2, limited: { status: "True", reason: "TooFewReplicas" } });
    const fine = normalizeReplicas({ ...base, history: emptyHistory(), current: 3, desired: 4 });
    expect(fine).toMatchObject({ replicas: 4, limited: { status: "False", reason: "DesiredWithinRange" } });
  });

  it("follows spec.behavior: windows and policies", () => {
    const behavior = {
      scaleUp: {
        stabilizationWindowSeconds: 0,
        selectPolicy: "Max",
        policies: [{ type: "Pods", value: 2, periodSeconds: 60 }],
      },
      scaleDown: {
        stabilizationWindowSeconds: 0,
        selectPolicy: "Max",
        policies: [{ type: "Percent", value: 50, periodSeconds: 60 }],
      },
    };
    const history = emptyHistory();
    const up = normalizeReplicas({ ...base, history, current: 2, desired: 8, behavior });
    expect(up).toMatchObject({ replicas: 4, limited: { status: "True", reason: "ScaleUpLimit" } });
    recordScale(history, behavior, 2, 4, NOW);
    // Within the same minute the +2 pods are spent: no further scale-up.
    const again = normalizeReplicas({ ...base, now: NOW + 15_000, history, current: 4, desired: 8, behavior });
    expect(again.replicas).toBe(4);
    const down = normalizeReplicas({ ...base, now: NOW + 120_000, history, current: 8, desired: 1, behavior });
    expect(down).toMatchObject({ replicas: 4, limited: { status: "True", reason: "ScaleDownLimit" } });
  });
});

describe("HPA sync", () => {
  const hpa: KubeObject = {
    metadata: { name: "web", namespace: "ns" },
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" },
      minReplicas: 1,
      maxReplicas: 3,
      metrics: [
        { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 50 } } },
      ],
    },
  };
  const deployment: KubeObject = {
    metadata: { name: "web" },
    spec: { replicas: 1, selector: { matchLabels: { app: "web" } } },
    status: { replicas: 1 },
  };
  const target = scaleTargetOf({ apiVersion: "apps/v1", kind: "Deployment", name: "web" }, (resource, name) =>
    resource === "deployments.apps" && name === "web" ? deployment : undefined,
  );

  it("reports missing metrics in ScalingActive and leaves the scale alone", () => {
    const out = syncAutoscaler({
      hpa,
      target,
      pods: [pod("a")],
      metrics: new Map(),
      history: undefined,
      now: new Date(NOW),
    });
    expect(out.scaleTo).toBeUndefined();
    const active = out.status.conditions?.find((c) => c.type === "ScalingActive");
    expect(active).toMatchObject({
      status: "False",
      reason: "FailedGetResourceMetric",
      message:
        "the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API",
    });
    expect(out.status.conditions?.find((c) => c.type === "AbleToScale")).toMatchObject({
      status: "True",
      reason: "SucceededGetScale",
    });
    expect(out.status.currentReplicas).toBe(1);
    expect(out.status.currentMetrics).toEqual([{ type: "" }]);
    expect(out.events.map((e) => e.reason)).toEqual(["FailedGetResourceMetric", "FailedComputeMetricsReplicas"]);
  });

  it("scales up on high utilization and reports the metric", () => {
    const out = syncAutoscaler({
      hpa,
      target,
      pods: [pod("a")],
      metrics: metrics({ a: 250 }),
      history: undefined,
      now: new Date(NOW),
    });
    expect(out.scaleTo).toBe(3);
    expect(out.status).toMatchObject({
      currentReplicas: 1,
      desiredReplicas: 3,
      lastScaleTime: iso(NOW),
      currentMetrics: [
        { type: "Resource", resource: { name: "cpu", current: { averageUtilization: 250, averageValue: "250m" } } },
      ],
    });
    const types = Object.fromEntries((out.status.conditions ?? []).map((c) => [c.type, [c.status, c.reason]]));
    expect(types).toEqual({
      AbleToScale: ["True", "SucceededRescale"],
      ScalingActive: ["True", "ValidMetricFound"],
      ScalingLimited: ["True", "TooManyReplicas"],
    });
    expect(out.events).toContainEqual({
      type: "Normal",
      reason: "SuccessfulRescale",
      message: "New size: 3; reason: cpu resource utilization (percentage of request) above target",
    });
  });

  it("says why the target cannot be read", () => {
    const out = syncAutoscaler({
      hpa,
      target: scaleTargetOf({ apiVersion: "apps/v1", kind: "Deployment", name: "gone" }, () => undefined),
      pods: [],
      metrics: new Map(),
      history: undefined,
      now: new Date(NOW),
    });
    expect(out.status.conditions).toEqual([
      {
        type: "AbleToScale",
        status: "False",
        lastTransitionTime: iso(NOW),
        reason: "FailedGetScale",
        message: `the HPA controller was unable to get the target's current scale: deployments.apps "gone" not found`,
      },
    ]);
  });

  it("brings the target within min and max before looking at metrics", () => {
    const big = scaleTargetOf({ apiVersion: "apps/v1", kind: "Deployment", name: "web" }, () => ({
      ...deployment,
      spec: { ...(deployment.spec as object), replicas: 7 },
    }));
    const out = syncAutoscaler({
      hpa,
      target: big,
      pods: [],
      metrics: new Map(),
      history: undefined,
      now: new Date(NOW),
    });
    expect(out.scaleTo).toBe(3);
    expect(out.events).toContainEqual({
      type: "Normal",
      reason: "SuccessfulRescale",
      message: "New size: 3; reason: Current number of replicas above Spec.MaxReplicas",
    });
  });
});
