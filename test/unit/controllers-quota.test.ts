// The resource quota controller's status: hard from spec, used per hard resource, recheck times.
import { describe, expect, it } from "vitest";
import { quotaItemOf } from "../../api/admission/quota-usage.ts";
import { computeQuotaStatus, quotaSources } from "../../api/controllers/quota/status.ts";
import type { KubeObject } from "../../api/types.ts";

const quota: KubeObject = {
  metadata: { name: "q" },
  spec: {
    hard: {
      pods: "4",
      "requests.cpu": "2",
      "requests.memory": "1Gi",
      configmaps: "10",
      persistentvolumeclaims: "2",
      "requests.storage": "10Gi",
      "fast.storageclass.storage.k8s.io/requests.storage": "5Gi",
    },
  },
};

const pod = (name: string, cpu: string, memory: string, extra: Partial<KubeObject["metadata"]> = {}): KubeObject => ({
  metadata: { name, ...extra },
  spec: { containers: [{ name: "c", resources: { requests: { cpu, memory } } }] },
  status: { phase: "Running" },
});

const claim = (name: string, size: string, storageClassName?: string): KubeObject => ({
  metadata: { name },
  spec: { resources: { requests: { storage: size } }, ...(storageClassName ? { storageClassName } : {}) },
});

describe("resource quota status", () => {
  it("knows which kinds a quota counts", () => {
    expect(quotaSources(quota)).toEqual(["configmaps", "persistentvolumeclaims", "pods"]);
  });

  it("mirrors spec.hard and reports used for every hard resource", () => {
    const objects: Record<string, KubeObject[]> = {
      pods: [pod("a", "500m", "256Mi"), pod("b", "250m", "256Mi")],
      persistentvolumeclaims: [claim("data", "1Gi"), claim("fast", "2Gi", "fast")],
    };
    const items = (resource: string) => (objects[resource] ?? []).map((o) => quotaItemOf(resource, o));
    const { status, recheckAt } = computeQuotaStatus(quota, items, 0);
    expect(status.hard).toEqual((quota.spec as { hard: unknown }).hard);
    expect(status.used).toEqual({
      configmaps: "0",
      "fast.storageclass.storage.k8s.io/requests.storage": "2Gi",
      persistentvolumeclaims: "2",
      pods: "2",
      "requests.cpu": "750m",
      "requests.memory": "512Mi",
      "requests.storage": "3Gi",
    });
    expect(recheckAt).toBeUndefined();
  });

  it("asks to be rechecked when a terminating pod's charge lapses", () => {
    const leaving = pod("leaving", "1", "1Gi", {
      deletionTimestamp: "2025-01-01T00:00:30Z",
      deletionGracePeriodSeconds: 30,
    });
    const items = (resource: string) => (resource === "pods" ? [quotaItemOf("pods", leaving)] : []);
    const start = Date.parse("2025-01-01T00:00:00Z");
    const before = computeQuotaStatus(quota, items, start);
    expect(before.status.used.pods).toBe("1");
    expect(before.recheckAt).toBe(Date.parse("2025-01-01T00:01:00Z") + 1);
    const after = computeQuotaStatus(quota, items, before.recheckAt!);
    expect(after.status.used.pods).toBe("0");
    expect(after.recheckAt).toBeUndefined();
  });
});
