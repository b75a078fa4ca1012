// metrics.k8s.io for `kubectl top`: each node is asked for its current usage through its tunnel.
import { Hono, type Context } from "hono";
import { notFound } from "../../api/errors.ts";
import { metricsList, nodeMetrics, podMetrics, withKind } from "../../api/metrics/resources.ts";
import type { NodeMetricsReport } from "../../api/tunnel/protocol.ts";
import type { KubeList, KubeObject } from "../../api/types.ts";
import { nodeTunnel } from "../../durable-objects/env.ts";
import { storeGet } from "../store-read.ts";
import type { WorkerEnv } from "../context.ts";

type Ctx = Context<WorkerEnv>;

/** Reads a list from the store that owns it (cluster-wide lists come from the ClusterStore). */
async function readList(c: Ctx, path: string, namespace?: string): Promise<KubeObject[]> {
  const response = await storeGet(c, path, namespace);
  if (!response.ok) return [];
  return ((await response.json()) as KubeList).items;
}

/** Usage reports of the given nodes; nodes that do not answer are left out (as metrics-server does). */
async function reports(c: Ctx, nodes: string[]): Promise<Map<string, NodeMetricsReport>> {
  const cluster = c.get("cluster");
  const answers = await Promise.all(
    nodes.map(async (node) => {
      try {
        const response = await nodeTunnel(c.env, cluster, node).fetch(
          new Request("https://tunnel.flotilla.internal/metrics"),
        );
        return response.ok ? ([node, (await response.json()) as NodeMetricsReport] as const) : undefined;
      } catch {
        return undefined;
      }
    }),
  );
  return new Map(answers.filter((a) => a !== undefined));
}

async function podsMetrics(c: Ctx, namespace?: string, name?: string) {
  const pods = (
    await readList(c, namespace ? `/api/v1/namespaces/${namespace}/pods` : "/api/v1/pods", namespace)
  ).filter(
    (pod) =>
      (name === undefined || pod.metadata.name === name) && (pod.spec as { nodeName?: string } | undefined)?.nodeName,
  );
  const byNode = await reports(c, [...new Set(pods.map((pod) => (pod.spec as { nodeName: string }).nodeName))]);
  return pods.flatMap((pod) => {
    const report = byNode.get((pod.spec as { nodeName: string }).nodeName);
    const metrics = report && podMetrics(pod, report);
    return metrics ? [metrics] : [];
  });
}

async function nodesMetrics(c: Ctx, name?: string) {
  const nodes = (await readList(c, "/api/v1/nodes")).filter(
    (node) => name === undefined || node.metadata.name === name,
  );
  const byNode = await reports(
    c,
    nodes.map((node) => node.metadata.name ?? ""),
  );
  return nodes.flatMap((node) => {
    const report = byNode.get(node.metadata.name ?? "");
    return report ? [nodeMetrics(node, report)] : [];
  });
}

const single = (items: object[], kind: "NodeMetrics" | "PodMetrics", resource: string, name: string) => {
  if (items.length === 0) throw notFound({ group: "metrics.k8s.io", resource, name });
  return withKind(kind, items[0]);
};

export const metricsRoutes = new Hono<WorkerEnv>()
  .get("/apis/metrics.k8s.io/v1beta1/nodes", async (c) => c.json(metricsList("NodeMetricsList", await nodesMetrics(c))))
  .get("/apis/metrics.k8s.io/v1beta1/nodes/:name", async (c) =>
    c.json(single(await nodesMetrics(c, c.req.param("name")), "NodeMetrics", "nodes", c.req.param("name"))),
  )
  .get("/apis/metrics.k8s.io/v1beta1/pods", async (c) => c.json(metricsList("PodMetricsList", await podsMetrics(c))))
  .get("/apis/metrics.k8s.io/v1beta1/namespaces/:namespace/pods", async (c) =>
    c.json(metricsList("PodMetricsList", await podsMetrics(c, c.req.param("namespace")))),
  )
  .get("/apis/metrics.k8s.io/v1beta1/namespaces/:namespace/pods/:name", async (c) =>
    c.json(
      single(
        await podsMetrics(c, c.req.param("namespace"), c.req.param("name")),
        "PodMetrics",
        "pods",
        c.req.param("name"),
      ),
    ),
  );
