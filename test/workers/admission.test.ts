// ResourceQuota and LimitRange admission and the quota and HPA controllers, through the API of a
// NamespaceStore. Admission is synchronous with the commit, so no waiting is needed for it; the
// controllers run when the test drives the store's alarm.
import { evictDurableObject, runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { HorizontalPodAutoscaler } from "kubernetes-types/autoscaling/v2";
import type { Pod, ResourceQuota } from "kubernetes-types/core/v1";
import { describe, expect, it, vi } from "vitest";
import { encodeData, type NodeMetricsReport, type ToNode } from "../../api/tunnel/protocol.ts";
import { createCluster, expectStatus, type Client, type Status } from "./helpers.ts";

const NS = "default";
const PODS = `/api/v1/namespaces/${NS}/pods`;
const QUOTAS = `/api/v1/namespaces/${NS}/resourcequotas`;
const LIMITS = `/api/v1/namespaces/${NS}/limitranges`;
const CONFIGMAPS = `/api/v1/namespaces/${NS}/configmaps`;
const DEPLOYMENTS = `/apis/apps/v1/namespaces/${NS}/deployments`;
const HPAS = `/apis/autoscaling/v2/namespaces/${NS}/horizontalpodautoscalers`;
const EVENTS = `/api/v1/namespaces/${NS}/events`;

const TUNNEL = "/apis/tunnel.flotilla.dev/v1alpha1/nodes";

/** A stand-in node daemon on the tunnel: answers metrics requests with the usage `report()` gives. */
async function fakeNode(c: Client, node: string, report: () => NodeMetricsReport): Promise<WebSocket> {
  const response = await c.call(`${TUNNEL}/${node}/connect`, { headers: { upgrade: "websocket" } });
  const socket = response.webSocket;
  if (response.status !== 101 || !socket) throw new Error(`tunnel connect: HTTP ${response.status}`);
  socket.accept();
  socket.addEventListener("message", (event) => {
    const message = JSON.parse(String(event.data)) as ToNode;
    if (message.type !== "get-metrics") return;
    const data = encodeData(new TextEncoder().encode(JSON.stringify(report())));
    socket.send(JSON.stringify({ type: "data", stream: message.stream, channel: 1, data }));
    socket.send(JSON.stringify({ type: "end", stream: message.stream }));
  });
  socket.send(JSON.stringify({ type: "hello", node }));
  return socket;
}

const storeOf = (c: Client) => env.NAMESPACE_STORE.get(env.NAMESPACE_STORE.idFromName(`${c.cluster}/${NS}`));

/** Runs the store's alarm until `done()` holds. */
async function driveUntil(c: Client, done: () => Promise<boolean>, what: string, attempts = 40): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    if (await done()) return;
    await runDurableObjectAlarm(storeOf(c));
  }
  if (await done()) return;
  throw new Error(`controllers did not reach: ${what}`);
}

const podBody = (
  name: string,
  resources?: Record<string, Record<string, string>>,
  labels?: Record<string, string>,
) => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: labels ? { name, labels } : { name },
  spec: { containers: [{ name: "web", image: "nginx", ...(resources ? { resources } : {}) }] },
});

const quotaBody = (name: string, hard: Record<string, string>) => ({
  apiVersion: "v1",
  kind: "ResourceQuota",
  metadata: { name },
  spec: { hard },
});

const forbidden = (result: { status: number; body: unknown }, what: string): Status =>
  expectStatus(result, 403, what) as Status;

describe("ResourceQuota", { timeout: 60_000 }, () => {
  it("refuses a create beyond the quota with 403 and Kubernetes' message, storing nothing", async () => {
    const c = await createCluster("quota");
    await c.mustCreate(QUOTAS, quotaBody("pod-count", { pods: "2" }));
    await c.mustCreate(PODS, podBody("a"));
    await c.mustCreate(PODS, podBody("b"));
    const refused = forbidden(await c.create(PODS, podBody("c")), "third pod");
    expect(refused).toMatchObject({
      reason: "Forbidden",
      code: 403,
      message: `pods "c" is forbidden: exceeded quota: pod-count, requested: pods=1, used: pods=2, limited: pods=2`,
      details: { name: "c", kind: "pods" },
    });
    expect((await c.get(`${PODS}/c`)).status).toBe(404);
    // Dry runs are refused as well; a finished pod frees its place.
    forbidden(await c.create(PODS, podBody("c"), "?dryRun=All"), "dry run");
    const b = await c.mustGet<Pod>(`${PODS}/b`);
    expectStatus(
      await c.update(`${PODS}/b/status`, { ...b, status: { ...b.status, phase: "Succeeded" } }),
      200,
      "b finished",
    );
    await c.mustCreate(PODS, podBody("c"));
  });

  it("keeps status.hard and status.used current", async () => {
    const c = await createCluster("quota");
    await c.mustCreate(
      QUOTAS,
      quotaBody("compute", { pods: "5", "requests.cpu": "2", "requests.memory": "1Gi", configmaps: "10" }),
    );
    await c.mustCreate(PODS, podBody("a", { requests: { cpu: "500m", memory: "128Mi" } }));
    await c.mustCreate(PODS, podBody("b", { requests: { cpu: "250m", memory: "128Mi" } }));
    const used = async () => (await c.mustGet<ResourceQuota>(`${QUOTAS}/compute`)).status?.used;
    await driveUntil(c, async () => (await used())?.pods === "2", "used pods 2");
    const quota = await c.mustGet<ResourceQuota>(`${QUOTAS}/compute`);
    expect(quota.status).toEqual({
      hard: { pods: "5", "requests.cpu": "2", "requests.memory": "1Gi", configmaps: "10" },
      used: { configmaps: "1", pods: "2", "requests.cpu": "750m", "requests.memory": "256Mi" },
    });
    await c.mustDelete(`${PODS}/a`, "?gracePeriodSeconds=0");
    await driveUntil(c, async () => (await used())?.pods === "1", "used pods 1 after a delete");
    expect(await used()).toMatchObject({ "requests.cpu": "250m", "requests.memory": "128Mi" });
  });

  it("makes pods state requests for the compute resources it constrains", async () => {
    const c = await createCluster("quota");
    await c.mustCreate(QUOTAS, quotaBody("compute", { "requests.cpu": "1", "limits.memory": "1Gi" }));
    const refused = forbidden(await c.create(PODS, podBody("bare")), "pod without requests");
    expect(refused.message).toBe(
      `pods "bare" is forbidden: failed quota: compute: must specify limits.memory for: web; requests.cpu for: web`,
    );
    const big = forbidden(
      await c.create(PODS, podBody("big", { requests: { cpu: "2" }, limits: { memory: "512Mi" } })),
      "too much cpu",
    );
    expect(big.message).toBe(
      `pods "big" is forbidden: exceeded quota: compute, requested: requests.cpu=2, used: requests.cpu=0, limited: requests.cpu=1`,
    );
  });

  it("counts objects of any kind (count/<resource>)", async () => {
    const c = await createCluster("quota");
    // The namespace already holds kube-root-ca.crt.
    await c.mustCreate(QUOTAS, quotaBody("objects", { "count/configmaps": "2" }));
    await c.mustCreate(CONFIGMAPS, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "one" } });
    const refused = forbidden(
      await c.create(CONFIGMAPS, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "two" } }),
      "third configmap",
    );
    expect(refused.message).toBe(
      `configmaps "two" is forbidden: exceeded quota: objects, requested: count/configmaps=1, used: count/configmaps=2, limited: count/configmaps=2`,
    );
  });

  it("stops a ReplicaSet's pods at the quota (FailedCreate)", async () => {
    const c = await createCluster("quota");
    await c.mustCreate(QUOTAS, quotaBody("pod-count", { pods: "2" }));
    await c.mustCreate(DEPLOYMENTS, deploymentBody("web", 3));
    const pods = async () => (await c.mustList<Pod>(PODS)).items.length;
    const failedCreate = async () =>
      (await c.mustList<{ reason?: string; message?: string; metadata: object }>(EVENTS)).items.find(
        (e) => e.reason === "FailedCreate",
      );
    await driveUntil(c, async () => (await failedCreate()) !== undefined, "FailedCreate event");
    expect(await pods()).toBe(2);
    expect((await failedCreate())?.message).toMatch(
      /^Error creating: pods "web-[a-z0-9]+-[a-z0-9]{5}" is forbidden: exceeded quota: pod-count, requested: pods=1, used: pods=2, limited: pods=2$/,
    );
  });
});

function deploymentBody(
  name: string,
  replicas: number,
  resources?: Record<string, Record<string, string>>,
  nodeName?: string,
) {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: {
          ...(nodeName ? { nodeName } : {}),
          containers: [{ name: "web", image: "nginx", ...(resources ? { resources } : {}) }],
        },
      },
    },
  };
}

describe("LimitRange", { timeout: 60_000 }, () => {
  const limitRange = {
    apiVersion: "v1",
    kind: "LimitRange",
    metadata: { name: "defaults" },
    spec: {
      limits: [
        {
          type: "Container",
          default: { cpu: "500m", memory: "256Mi" },
          defaultRequest: { cpu: "100m", memory: "128Mi" },
          min: { cpu: "50m" },
          max: { cpu: "1" },
        },
      ],
    },
  };

  it("gives a new pod the default requests and limits", async () => {
    const c = await createCluster("limits");
    await c.mustCreate(LIMITS, limitRange);
    const pod = await c.mustCreate<Pod>(PODS, podBody("web"));
    expect(pod.spec?.containers[0]?.resources).toEqual({
      limits: { cpu: "500m", memory: "256Mi" },
      requests: { cpu: "100m", memory: "128Mi" },
    });
    expect(pod.metadata?.annotations?.["kubernetes.io/limit-ranger"]).toBe(
      "LimitRanger plugin set: cpu, memory request for container web; cpu, memory limit for container web",
    );
    expect(pod.status?.qosClass).toBe("Burstable");
    // What is stored is what was answered.
    expect((await c.mustGet<Pod>(`${PODS}/web`)).spec?.containers[0]?.resources).toEqual(
      pod.spec?.containers[0]?.resources,
    );
  });

  it("refuses a pod outside the limits with 403 Forbidden", async () => {
    const c = await createCluster("limits");
    await c.mustCreate(LIMITS, limitRange);
    const low = forbidden(await c.create(PODS, podBody("low", { requests: { cpu: "10m" } })), "below min");
    expect(low.message).toBe(`pods "low" is forbidden: minimum cpu usage per Container is 50m, but request is 10m`);
    const high = forbidden(
      await c.create(PODS, podBody("high", { requests: { cpu: "2" }, limits: { cpu: "2" } })),
      "above max",
    );
    expect(high.message).toBe(`pods "high" is forbidden: maximum cpu usage per Container is 1, but limit is 2`);
    expect((await c.get(`${PODS}/low`)).status).toBe(404);
    // A default limit below the pod's own request is invalid, as in Kubernetes.
    const invalid = await c.create(PODS, podBody("greedy", { requests: { cpu: "800m" } }));
    expect(invalid.status).toBe(422);
  });

  it("applies to the pods controllers create", async () => {
    const c = await createCluster("limits");
    await c.mustCreate(LIMITS, limitRange);
    await c.mustCreate(DEPLOYMENTS, deploymentBody("web", 1));
    const pods = async () => (await c.mustList<Pod>(PODS)).items;
    await driveUntil(c, async () => (await pods()).length === 1, "a pod");
    expect((await pods())[0]?.spec?.containers[0]?.resources?.requests).toEqual({ cpu: "100m", memory: "128Mi" });
  });
});

const conditionsOf = (hpa: HorizontalPodAutoscaler) =>
  Object.fromEntries((hpa.status?.conditions ?? []).map((x) => [x.type, [x.status, x.reason]]));

const stamp = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/** A cluster with a stand-in node reporting each pod's CPU, and a Deployment "web" of 2 on it. */
async function metricsWorld(afterCluster?: () => void) {
  const c = await createCluster("hpa");
  afterCluster?.();
  const node = "metrics-node";
  const usage = new Map<string, number>(); // pod → millicores
  const socket = await fakeNode(c, node, () => ({
    timestamp: stamp(Date.now()),
    windowSeconds: 10,
    node: { cpuNanoCores: 1e9, memoryBytes: 1 << 30 },
    pods: [...usage].map(([name, milli]) => ({
      namespace: NS,
      name,
      containers: [{ name: "web", cpuNanoCores: milli * 1e6, memoryBytes: 32 << 20 }],
    })),
  }));
  await c.mustCreate(DEPLOYMENTS, deploymentBody("web", 2, { requests: { cpu: "100m" } }, node));
  const pods = async () => (await c.mustList<Pod>(PODS)).items;
  await driveUntil(c, async () => (await pods()).length === 2, "2 pods");
  return {
    c,
    socket,
    pods,
    replicas: async () =>
      (await c.mustGet<{ spec: { replicas: number }; metadata: object }>(`${DEPLOYMENTS}/web`)).spec.replicas,
    /** The kubelet's part: every pod running and ready for ten minutes, using `milli` millicores. */
    async markReady(milli: number) {
      const since = stamp(Date.now() - 600_000);
      for (const pod of await pods()) {
        usage.set(pod.metadata?.name ?? "", milli);
        if (pod.status?.phase === "Running") continue;
        const status = {
          ...pod.status,
          phase: "Running",
          startTime: since,
          conditions: [{ type: "Ready", status: "True", lastTransitionTime: since }],
        };
        expectStatus(await c.update(`${PODS}/${pod.metadata?.name}/status`, { ...pod, status }), 200, "pod status");
      }
    },
    createHPA: () =>
      c.mustCreate(HPAS, {
        apiVersion: "autoscaling/v2",
        kind: "HorizontalPodAutoscaler",
        metadata: { name: "web" },
        spec: {
          scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" },
          minReplicas: 1,
          maxReplicas: 10,
          metrics: [
            { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 50 } } },
          ],
        },
      }),
  };
}

describe("HorizontalPodAutoscaler", { timeout: 60_000 }, () => {
  it("reports missing metrics in ScalingActive and keeps the target's scale", async () => {
    const c = await createCluster("hpa");
    await c.mustCreate(DEPLOYMENTS, deploymentBody("web", 2, { requests: { cpu: "100m" } }));
    await c.mustCreate(HPAS, {
      apiVersion: "autoscaling/v2",
      kind: "HorizontalPodAutoscaler",
      metadata: { name: "web" },
      spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" },
        minReplicas: 1,
        maxReplicas: 5,
        metrics: [
          { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 50 } } },
        ],
      },
    });
    const hpa = () => c.mustGet<HorizontalPodAutoscaler>(`${HPAS}/web`);
    const active = async () => (await hpa()).status?.conditions?.find((x) => x.type === "ScalingActive");
    await driveUntil(c, async () => (await active()) !== undefined, "ScalingActive condition");
    expect(await active()).toMatchObject({
      status: "False",
      reason: "FailedGetResourceMetric",
      message:
        "the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API",
    });
    const status = (await hpa()).status;
    expect(status?.currentReplicas).toBe(2);
    expect(status?.conditions?.find((x) => x.type === "AbleToScale")).toMatchObject({
      status: "True",
      reason: "SucceededGetScale",
    });
    const deployment = await c.mustGet<{ spec: { replicas: number }; metadata: object }>(`${DEPLOYMENTS}/web`);
    expect(deployment.spec.replicas).toBe(2);
    // kubectl get hpa: TARGETS shows the unknown current value.
    const table = await c.json<{ rows: { cells: unknown[] }[] }>(`${HPAS}/web`, {
      accept: "application/json;as=Table;v=v1;g=meta.k8s.io",
    });
    expect(table.body.rows[0]?.cells.slice(1, 6)).toEqual(["Deployment/web", "cpu: <unknown>/50%", "1", 5, 2]);
  });

  it("scales the target into [minReplicas, maxReplicas]", async () => {
    const c = await createCluster("hpa");
    await c.mustCreate(DEPLOYMENTS, deploymentBody("web", 6, { requests: { cpu: "100m" } }));
    await c.mustCreate(HPAS, {
      apiVersion: "autoscaling/v2",
      kind: "HorizontalPodAutoscaler",
      metadata: { name: "web" },
      spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" }, maxReplicas: 3 },
    });
    const replicas = async () =>
      (await c.mustGet<{ spec: { replicas: number }; metadata: object }>(`${DEPLOYMENTS}/web`)).spec.replicas;
    await driveUntil(c, async () => (await replicas()) === 3, "deployment scaled to 3");
    const hpa = await c.mustGet<HorizontalPodAutoscaler>(`${HPAS}/web`);
    expect(hpa.status).toMatchObject({ desiredReplicas: 3, currentReplicas: 6 });
    expect(hpa.status?.lastScaleTime).toBeDefined();
    expect(hpa.status?.conditions?.find((x) => x.type === "AbleToScale")).toMatchObject({
      status: "True",
      reason: "SucceededRescale",
      message: "the HPA controller was able to update the target scale to 3",
    });
  });

  it("scales on the CPU usage the pods' node reports", async () => {
    const world = await metricsWorld();
    try {
      await world.markReady(150);
      await world.createHPA();
      await driveUntil(world.c, async () => (await world.replicas()) !== 2, "a rescale");
      // ceil(2 × 150 / 50) = 6, but one sync may at most double (or reach 4).
      expect(await world.replicas()).toBe(4);
      const hpa = await world.c.mustGet<HorizontalPodAutoscaler>(`${HPAS}/web`);
      expect(hpa.status?.currentMetrics).toEqual([
        { type: "Resource", resource: { name: "cpu", current: { averageUtilization: 150, averageValue: "150m" } } },
      ]);
      expect(conditionsOf(hpa)).toEqual({
        AbleToScale: ["True", "SucceededRescale"],
        ScalingActive: ["True", "ValidMetricFound"],
        ScalingLimited: ["True", "ScaleUpLimit"],
      });
      const table = await world.c.json<{ rows: { cells: unknown[] }[] }>(`${HPAS}/web`, {
        accept: "application/json;as=Table;v=v1;g=meta.k8s.io",
      });
      expect(table.body.rows[0]?.cells[2]).toBe("cpu: 150%/50%");
    } finally {
      world.socket.close();
    }
  });

  it("scales down only after 5 minutes of lower recommendations, across evictions of the store", async () => {
    // The store's clock is the test's (a fake Date ahead of real time: alarms run when the test runs them).
    const world = await metricsWorld(() => {
      vi.useFakeTimers({ toFake: ["Date"] });
      vi.setSystemTime(Math.ceil((Date.now() + 3_600_000) / 1000) * 1000);
    });
    try {
      await world.markReady(150);
      await world.createHPA();
      await driveUntil(world.c, async () => (await world.replicas()) === 4, "scaled up to 4");
      const scaledUpAt = Date.now();
      await driveUntil(world.c, async () => (await world.pods()).length === 4, "4 pods");
      await world.markReady(0); // the load is gone: the recommendation is 1 replica
      const hpa = () => world.c.mustGet<HorizontalPodAutoscaler>(`${HPAS}/web`);
      const stub = storeOf(world.c);
      // The 6 proposed at the scale-up (clamped to 4 then) is the highest recent recommendation:
      // it holds for the whole window, as Kubernetes' stabilization does, then the count drops to 1.
      while ((await world.replicas()) > 1 && Date.now() - scaledUpAt < 400_000) {
        vi.setSystemTime(Date.now() + 15_000); // one sync period
        await evictDurableObject(stub).catch(() => {});
        await runDurableObjectAlarm(stub);
        if (Date.now() - scaledUpAt <= 300_000) {
          expect(await world.replicas()).toBeGreaterThanOrEqual(4);
          expect(conditionsOf(await hpa()).AbleToScale?.[1]).toMatch(/^(ScaleDownStabilized|SucceededRescale)$/);
        }
      }
      expect(await world.replicas()).toBe(1);
      expect(Date.now() - scaledUpAt).toBeGreaterThan(300_000);
      expect(conditionsOf(await hpa()).AbleToScale).toEqual(["True", "SucceededRescale"]);
    } finally {
      world.socket.close();
      vi.useRealTimers();
    }
  });
});
