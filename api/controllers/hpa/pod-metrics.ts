// Pod usage as the HPA reads it from the resource metrics its nodes report: per pod, per container,
// in milli-units (millicores, milli-bytes), as metrics-server's PodMetrics give it.
import type { NodeMetricsReport } from "../../tunnel/protocol.ts";

export interface PodUsage {
  /** When the sample was taken (ms since the epoch) and over how long a window. */
  timestamp: number;
  windowMs: number;
  /** container name → resource name ("cpu", "memory") → usage in milli-units. */
  containers: Map<string, Map<string, number>>;
}

/** pod name → usage. */
export type PodMetricsMap = Map<string, PodUsage>;

/** The usage of the named pods of one namespace, from the reports of the nodes they run on. */
export function podMetricsFrom(
  reports: Iterable<NodeMetricsReport>,
  namespace: string,
  podNames: ReadonlySet<string>,
): PodMetricsMap {
  const metrics: PodMetricsMap = new Map();
  for (const report of reports) {
    const timestamp = Date.parse(report.timestamp);
    for (const pod of report.pods) {
      if (pod.namespace !== namespace || !podNames.has(pod.name)) continue;
      const containers = new Map<string, Map<string, number>>();
      for (const c of pod.containers) {
        containers.set(
          c.name,
          new Map([
            ["cpu", Math.ceil(Math.max(0, c.cpuNanoCores) / 1e6)],
            ["memory", Math.max(0, c.memoryBytes) * 1000],
          ]),
        );
      }
      metrics.set(pod.name, {
        timestamp: Number.isNaN(timestamp) ? 0 : timestamp,
        windowMs: report.windowSeconds * 1000,
        containers,
      });
    }
  }
  return metrics;
}
