// LimitRange defaults and limits, quota charges and the exceeded-quota decision (pure logic).
import { describe, expect, it } from "vitest";
import { add, canonical, formatAmount, parseAmount } from "../../api/admission/amount.ts";
import {
  aggregateMessage,
  applyContainerDefaults,
  claimLimitViolations,
  LIMIT_RANGER_ANNOTATION,
  podLimitViolations,
} from "../../api/admission/limit-range.ts";
import { quotaViolation } from "../../api/admission/quota-check.ts";
import { quotaItemOf, quotaUsed, resourceList, type QuotaItem } from "../../api/admission/quota-usage.ts";
import type { KubeObject } from "../../api/types.ts";

const amount = (text: string) => parseAmount(text)!;

interface ContainerSpec {
  name?: string;
  requests?: Record<string, string>;
  limits?: Record<string, string>;
}

function pod(name: string, containers: ContainerSpec[], extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: "ns" },
    spec: {
      containers: containers.map((c, i) => {
        const resources: Record<string, unknown> = {};
        if (c.requests) resources.requests = { ...c.requests };
        if (c.limits) resources.limits = { ...c.limits };
        return { name: c.name ?? `c${i}`, image: "nginx", resources };
      }),
      ...extra,
    },
    status: { phase: "Running" },
  };
}

const limitRange = (name: string, limits: Record<string, unknown>[]): KubeObject => ({
  apiVersion: "v1",
  kind: "LimitRange",
  metadata: { name },
  spec: { limits },
});

const quota = (name: string, hard: Record<string, string>, spec: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: "v1",
  kind: "ResourceQuota",
  metadata: { name },
  spec: { hard, ...spec },
});

/** A ledger of the given objects, as the store's admission keeps one. */
function ledger(objects: Array<[string, KubeObject]>): (resource: string) => QuotaItem[] {
  return (resource) => objects.filter(([r]) => r === resource).map(([r, o]) => quotaItemOf(r, o));
}

describe("amounts", () => {
  it("parses and prints quantities canonically", () => {
    expect(canonical("0.5")).toBe("500m");
    expect(canonical("1024Mi")).toBe("1Gi");
    expect(canonical("1536Mi")).toBe("1536Mi");
    expect(canonical("1000M")).toBe("1G");
    expect(canonical(2)).toBe("2");
    expect(canonical("1e3")).toBe("1k");
    expect(canonical("0")).toBe("0");
  });

  it("sums exactly and keeps the first operand's format", () => {
    expect(formatAmount(add(amount("0.1"), amount("200m")))).toBe("300m");
    expect(formatAmount(add(amount("128Mi"), amount("128Mi")))).toBe("256Mi");
    expect(formatAmount(add(amount("1G"), amount("1Gi")))).toBe("2073741824");
  });
});

describe("LimitRange defaults", () => {
  const defaults = limitRange("defaults", [
    {
      type: "Container",
      default: { cpu: "500m", memory: "256Mi" },
      defaultRequest: { cpu: "100m", memory: "128Mi" },
    },
  ]);

  it("fills in missing requests and limits and notes it in an annotation", () => {
    const p = pod("web", [{ name: "web" }]);
    const note = applyContainerDefaults(p, [defaults]);
    const container = (p.spec as { containers: Array<{ resources: unknown }> }).containers[0]!;
    expect(container.resources).toEqual({
      limits: { cpu: "500m", memory: "256Mi" },
      requests: { cpu: "100m", memory: "128Mi" },
    });
    expect(note).toBe(
      "LimitRanger plugin set: cpu, memory request for container web; cpu, memory limit for container web",
    );
    expect(p.metadata.annotations?.[LIMIT_RANGER_ANNOTATION]).toBe(note);
  });

  it("keeps what the container states", () => {
    const p = pod("web", [{ name: "web", requests: { cpu: "200m" }, limits: { memory: "1Gi" } }]);
    applyContainerDefaults(p, [defaults]);
    const container = (p.spec as { containers: Array<{ resources: unknown }> }).containers[0]!;
    expect(container.resources).toEqual({
      limits: { cpu: "500m", memory: "1Gi" },
      requests: { cpu: "200m", memory: "128Mi" },
    });
  });

  it("changes nothing without Container defaults", () => {
    const p = pod("web", [{ name: "web" }]);
    expect(applyContainerDefaults(p, [limitRange("max", [{ type: "Pod", max: { cpu: "2" } }])])).toBeUndefined();
    expect(p.metadata.annotations).toBeUndefined();
  });
});

describe("LimitRange limits", () => {
  it("words a request below the minimum as Kubernetes does", () => {
    const range = limitRange("min", [{ type: "Container", min: { cpu: "100m" } }]);
    expect(podLimitViolations(pod("x", [{ requests: { cpu: "50m" } }]), [range])).toEqual([
      "minimum cpu usage per Container is 100m, but request is 50m",
    ]);
    expect(podLimitViolations(pod("x", [{}]), [range])).toEqual([
      "minimum cpu usage per Container is 100m.  No request is specified",
    ]);
    expect(podLimitViolations(pod("x", [{ requests: { cpu: "0.1" } }]), [range])).toEqual([]);
  });

  it("checks maximum and the limit to request ratio", () => {
    const range = limitRange("max", [
      { type: "Container", max: { memory: "1Gi" }, maxLimitRequestRatio: { cpu: "2" } },
    ]);
    const violations = podLimitViolations(
      pod("x", [{ requests: { cpu: "100m", memory: "512Mi" }, limits: { cpu: "400m", memory: "2Gi" } }]),
      [range],
    );
    expect(violations).toEqual([
      "maximum memory usage per Container is 1Gi, but limit is 2Gi",
      "cpu max limit to request ratio per Container is 2, but provided ratio is 4.000000",
    ]);
    expect(aggregateMessage(violations)).toBe(
      "[maximum memory usage per Container is 1Gi, but limit is 2Gi, cpu max limit to request ratio per Container is 2, but provided ratio is 4.000000]",
    );
    expect(podLimitViolations(pod("x", [{ requests: { cpu: "100m" } }]), [range])).toEqual([
      "maximum memory usage per Container is 1Gi.  No limit is specified",
      "cpu max limit to request ratio per Container is 2, but no limit is specified or limit is 0",
    ]);
  });

  it("sums the containers for Pod limits", () => {
    const range = limitRange("pod", [{ type: "Pod", max: { cpu: "500m" } }]);
    const twoContainers = pod("x", [
      { requests: { cpu: "300m" }, limits: { cpu: "300m" } },
      { requests: { cpu: "300m" }, limits: { cpu: "300m" } },
    ]);
    expect(podLimitViolations(twoContainers, [range])).toEqual([
      "maximum cpu usage per Pod is 500m, but limit is 600m",
    ]);
  });

  it("bounds claims' storage requests", () => {
    const range = limitRange("storage", [
      { type: "PersistentVolumeClaim", min: { storage: "1Gi" }, max: { storage: "10Gi" } },
    ]);
    const claim = (size: string): KubeObject => ({
      metadata: { name: "data" },
      spec: { resources: { requests: { storage: size } } },
    });
    expect(claimLimitViolations(claim("500Mi"), [range])).toEqual([
      "minimum storage usage per PersistentVolumeClaim is 1Gi, but request is 500Mi",
    ]);
    expect(claimLimitViolations(claim("20Gi"), [range])).toEqual([
      "maximum storage usage per PersistentVolumeClaim is 10Gi, but request is 20Gi",
    ]);
    expect(claimLimitViolations(claim("5Gi"), [range])).toEqual([]);
  });
});

describe("quota usage", () => {
  const compute = quota("compute", {
    pods: "10",
    "requests.cpu": "4",
    "requests.memory": "8Gi",
    "limits.cpu": "8",
    "count/deployments.apps": "5",
  });

  it("sums pods' requests and limits and leaves out finished pods", () => {
    const done = pod("done", [{ requests: { cpu: "1" } }]);
    (done.status as { phase: string }).phase = "Succeeded";
    const items = ledger([
      ["pods", pod("a", [{ requests: { cpu: "250m", memory: "128Mi" }, limits: { cpu: "500m" } }])],
      ["pods", pod("b", [{ requests: { cpu: "0.25", memory: "128Mi" } }])],
      ["pods", done],
      ["deployments.apps", { metadata: { name: "web" } }],
    ]);
    expect(resourceList(quotaUsed(compute, items, 0))).toEqual({
      "count/deployments.apps": "1",
      "limits.cpu": "500m",
      pods: "2",
      "requests.cpu": "500m",
      "requests.memory": "256Mi",
    });
  });

  it("stops counting a deleted pod once its grace period is over", () => {
    const leaving = pod("leaving", [{}]);
    leaving.metadata.deletionTimestamp = "2025-01-01T00:00:30Z";
    leaving.metadata.deletionGracePeriodSeconds = 30;
    const items = ledger([["pods", leaving]]);
    const goneAt = Date.parse("2025-01-01T00:01:00Z");
    expect(resourceList(quotaUsed(compute, items, goneAt, ["pods"]))).toEqual({ pods: "1" });
    expect(resourceList(quotaUsed(compute, items, goneAt + 1, ["pods"]))).toEqual({ pods: "0" });
  });

  it("counts node ports and load balancers of services", () => {
    const service = (type: string, ports: number): KubeObject => ({
      metadata: { name: type.toLowerCase() },
      spec: { type, ports: Array.from({ length: ports }, (_, i) => ({ port: 80 + i })) },
    });
    const items = ledger([
      ["services", service("ClusterIP", 1)],
      ["services", service("NodePort", 2)],
      ["services", service("LoadBalancer", 1)],
    ]);
    const q = quota("svc", { services: "10", "services.nodeports": "5", "services.loadbalancers": "1" });
    expect(resourceList(quotaUsed(q, items, 0))).toEqual({
      services: "3",
      "services.loadbalancers": "1",
      "services.nodeports": "3",
    });
  });

  it("selects pods by scope", () => {
    const items = ledger([
      ["pods", pod("best-effort", [{}])],
      ["pods", pod("burstable", [{ requests: { cpu: "100m" } }])],
      ["pods", pod("job", [{}], { activeDeadlineSeconds: 60 })],
      ["pods", pod("critical", [{ requests: { cpu: "1" } }], { priorityClassName: "high" })],
    ]);
    const count = (spec: Record<string, unknown>) =>
      resourceList(quotaUsed(quota("q", { pods: "10" }, spec), items, 0)).pods;
    expect(count({ scopes: ["BestEffort"] })).toBe("2");
    expect(count({ scopes: ["NotBestEffort"] })).toBe("2");
    expect(count({ scopes: ["Terminating"] })).toBe("1");
    expect(count({ scopes: ["NotTerminating", "BestEffort"] })).toBe("1");
    expect(
      count({
        scopeSelector: { matchExpressions: [{ scopeName: "PriorityClass", operator: "In", values: ["high"] }] },
      }),
    ).toBe("1");
  });
});

describe("quota admission", () => {
  it("refuses a pod beyond the pod count with Kubernetes' message", () => {
    const objects: Array<[string, KubeObject]> = [
      ["pods", pod("a", [{}])],
      ["pods", pod("b", [{}])],
    ];
    expect(
      quotaViolation({
        resource: "pods",
        object: pod("c", [{}]),
        quotas: [quota("pod-count", { pods: "2" })],
        itemsOf: ledger(objects),
        now: 0,
      }),
    ).toBe("exceeded quota: pod-count, requested: pods=1, used: pods=2, limited: pods=2");
  });

  it("lists every exceeded resource of the first quota that refuses", () => {
    const message = quotaViolation({
      resource: "pods",
      object: pod("big", [{ requests: { cpu: "2", memory: "1Gi" }, limits: { cpu: "2", memory: "1Gi" } }]),
      quotas: [quota("compute", { "requests.cpu": "1", "limits.memory": "512Mi", pods: "5" })],
      itemsOf: ledger([["pods", pod("a", [{ requests: { cpu: "500m" }, limits: { memory: "256Mi" } }])]]),
      now: 0,
    });
    expect(message).toBe(
      "exceeded quota: compute, requested: limits.memory=1Gi,requests.cpu=2, used: limits.memory=256Mi,requests.cpu=500m, limited: limits.memory=512Mi,requests.cpu=1",
    );
  });

  it("demands requests and limits for the compute resources a quota constrains", () => {
    const message = quotaViolation({
      resource: "pods",
      object: pod("x", [{ name: "web", requests: { cpu: "100m" } }, { name: "sidecar" }]),
      quotas: [quota("compute", { "requests.cpu": "4", "limits.memory": "4Gi" })],
      itemsOf: ledger([]),
      now: 0,
    });
    expect(message).toBe(
      "failed quota: compute: must specify limits.memory for: sidecar,web; requests.cpu for: sidecar",
    );
  });

  it("ignores quotas that do not cover the object and allows what fits", () => {
    const objects = ledger([["configmaps", { metadata: { name: "one" } }]]);
    const quotas = [quota("objects", { configmaps: "2", services: "0" })];
    const cm: KubeObject = { metadata: { name: "two" } };
    expect(quotaViolation({ resource: "configmaps", object: cm, quotas, itemsOf: objects, now: 0 })).toBeUndefined();
    expect(
      quotaViolation({ resource: "secrets", object: { metadata: { name: "s" } }, quotas, itemsOf: objects, now: 0 }),
    ).toBeUndefined();
    expect(
      quotaViolation({
        resource: "configmaps",
        object: cm,
        quotas: [quota("objects", { "count/configmaps": "1" })],
        itemsOf: objects,
        now: 0,
      }),
    ).toBe(
      "exceeded quota: objects, requested: count/configmaps=1, used: count/configmaps=1, limited: count/configmaps=1",
    );
  });

  it("charges an update by what it adds (a Service becoming a NodePort)", () => {
    const before: KubeObject = { metadata: { name: "web" }, spec: { type: "ClusterIP", ports: [{ port: 80 }] } };
    const after: KubeObject = { metadata: { name: "web" }, spec: { type: "NodePort", ports: [{ port: 80 }] } };
    const request = {
      resource: "services",
      object: after,
      old: before,
      quotas: [quota("ports", { services: "1", "services.nodeports": "0" })],
      itemsOf: ledger([["services", before]]),
      now: 0,
    };
    expect(quotaViolation(request)).toBe(
      "exceeded quota: ports, requested: services.nodeports=1, used: services.nodeports=0, limited: services.nodeports=0",
    );
    // Pod updates are not charged.
    expect(
      quotaViolation({ ...request, resource: "pods", object: pod("p", [{}]), old: pod("p", [{}]) }),
    ).toBeUndefined();
  });
});
