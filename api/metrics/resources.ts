// metrics.k8s.io/v1beta1 (what metrics-server serves and `kubectl top` reads): NodeMetrics and
// PodMetrics built from the usage nodes report. Not stored: computed on each request.
import type { NodeMetricsReport, Usage } from "../tunnel/protocol.ts";
import { defineResource } from "../registry/define.ts";
import type { ResourceDef } from "../registry/types.ts";
import type { KubeObject } from "../types.ts";

export const METRICS_GROUP = "metrics.k8s.io";
export const METRICS_VERSION = "v1beta1";
const API_VERSION = `${METRICS_GROUP}/${METRICS_VERSION}`;

/** Discovery entries, so kubectl finds the metrics API (it is never routed to a store). */
export const metricsResources: ResourceDef[] = [
  defineResource({
    group: METRICS_GROUP,
    version: METRICS_VERSION,
    resource: "nodes",
    kind: "NodeMetrics",
    namespaced: false,
    verbs: ["get", "list"],
  }),
  defineResource({
    group: METRICS_GROUP,
    version: METRICS_VERSION,
    resource: "pods",
    kind: "PodMetrics",
    verbs: ["get", "list"],
  }),
];

/** metrics-server's quantity forms: nanocores and kibibytes. */
const usageOf = (usage: Usage) => ({
  cpu: `${Math.max(0, Math.round(usage.cpuNanoCores))}n`,
  memory: `${Math.max(0, Math.round(usage.memoryBytes / 1024))}Ki`,
});

const window = (report: NodeMetricsReport) => `${report.windowSeconds}s`;

export function nodeMetrics(node: KubeObject, report: NodeMetricsReport) {
  return {
    metadata: { name: node.metadata.name, creationTimestamp: report.timestamp, labels: node.metadata.labels ?? {} },
    timestamp: report.timestamp,
    window: window(report),
    usage: usageOf(report.node),
  };
}

export function podMetrics(pod: KubeObject, report: NodeMetricsReport) {
  const entry = report.pods.find((p) => p.namespace === pod.metadata.namespace && p.name === pod.metadata.name);
  if (!entry) return undefined;
  return {
    metadata: {
      name: pod.metadata.name,
      namespace: pod.metadata.namespace,
      creationTimestamp: report.timestamp,
      labels: pod.metadata.labels ?? {},
    },
    timestamp: report.timestamp,
    window: window(report),
    containers: entry.containers.map((c) => ({ name: c.name, usage: usageOf(c) })),
  };
}

export const metricsList = (kind: "NodeMetricsList" | "PodMetricsList", items: unknown[]) => ({
  kind,
  apiVersion: API_VERSION,
  metadata: {},
  items,
});

export const withKind = (kind: "NodeMetrics" | "PodMetrics", item: object) => ({
  kind,
  apiVersion: API_VERSION,
  ...item,
});
