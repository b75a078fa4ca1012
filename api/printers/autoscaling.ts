// The HorizontalPodAutoscaler table, with TARGETS rendered as "cpu: 20%/50%".
import type { HorizontalPodAutoscaler as HPAv1 } from "kubernetes-types/autoscaling/v1";
import type { HorizontalPodAutoscaler, MetricSpec, MetricStatus, MetricTarget } from "kubernetes-types/autoscaling/v2";
import type { TableConvertor } from "../registry/types.ts";
import { ageColumn, ageOf, col, nameColumn, num, view } from "./format.ts";
import { canonicalQuantity } from "./quantity.ts";

const UNKNOWN = "<unknown>";
const q = (v: string | number | undefined) => (v === undefined ? UNKNOWN : canonicalQuantity(v));

/** "current/target", with " (avg)" for average-value targets of object and external metrics. */
function valuePair(
  target: MetricTarget | undefined,
  current: { value?: string; averageValue?: string } | undefined,
  avgSuffix: boolean,
) {
  if (target?.averageValue !== undefined) {
    return `${q(current?.averageValue)}/${canonicalQuantity(target.averageValue)}${avgSuffix ? " (avg)" : ""}`;
  }
  return `${q(current?.value)}/${q(target?.value)}`;
}

/** "cpu: 20%/50%", "memory: 100Mi/200Mi" for a (container) resource metric. */
function resourcePair(
  name: string,
  target: MetricTarget | undefined,
  current: { averageValue?: string; averageUtilization?: number } | undefined,
) {
  if (target?.averageValue !== undefined) {
    return `${name}: ${q(current?.averageValue)}/${canonicalQuantity(target.averageValue)}`;
  }
  const cur = current?.averageUtilization !== undefined ? `${current.averageUtilization}%` : UNKNOWN;
  const tgt = target?.averageUtilization !== undefined ? `${target.averageUtilization}%` : "<auto>";
  return `${name}: ${cur}/${tgt}`;
}

function formatMetric(spec: MetricSpec, status: MetricStatus | undefined): string {
  switch (spec.type) {
    case "External":
      return valuePair(spec.external?.target, status?.external?.current, true);
    case "Pods":
      return `${q(status?.pods?.current?.averageValue)}/${q(spec.pods?.target?.averageValue)}`;
    case "Object":
      return valuePair(spec.object?.target, status?.object?.current, true);
    case "Resource":
      return resourcePair(spec.resource?.name ?? "", spec.resource?.target, status?.resource?.current);
    case "ContainerResource":
      return resourcePair(
        spec.containerResource?.name ?? "",
        spec.containerResource?.target,
        status?.containerResource?.current,
      );
    default:
      return "<unknown type>";
  }
}

/** At most two metrics, then " + N more..."; "<none>" without metrics. */
export function formatHPAMetrics(specs: MetricSpec[], statuses: MetricStatus[]): string {
  if (specs.length === 0) return "<none>";
  const max = 2;
  const list = specs.slice(0, max).map((spec, i) => formatMetric(spec, statuses[i]));
  const joined = list.join(", ");
  return specs.length > max ? `${joined} + ${specs.length - max} more...` : joined;
}

/** Metrics in v2 form; an autoscaling/v1 object's CPU target is read as a CPU utilization metric. */
function metricsOf(hpa: HorizontalPodAutoscaler): [MetricSpec[], MetricStatus[]] {
  if (hpa.spec?.metrics) return [hpa.spec.metrics, hpa.status?.currentMetrics ?? []];
  const v1 = hpa as unknown as HPAv1;
  const target = v1.spec?.targetCPUUtilizationPercentage;
  if (target === undefined) return [[], []];
  const current = v1.status?.currentCPUUtilizationPercentage;
  return [
    [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: target } } }],
    current === undefined
      ? []
      : [{ type: "Resource", resource: { name: "cpu", current: { averageUtilization: current } } }],
  ];
}

export const horizontalPodAutoscalerTable: TableConvertor = {
  columns: [
    nameColumn,
    col("Reference", "string", "Kind/name of the scaled object."),
    col("Targets", "string", "Current and target values of the metrics."),
    col("MinPods", "string", "Lower replica limit."),
    col("MaxPods", "string", "Upper replica limit."),
    col("Replicas", "string", "Current number of replicas."),
    ageColumn,
  ],
  cells(obj, now) {
    const hpa = view<HorizontalPodAutoscaler>(obj);
    const ref = hpa.spec?.scaleTargetRef;
    const [specs, statuses] = metricsOf(hpa);
    return [
      obj.metadata.name,
      `${ref?.kind ?? ""}/${ref?.name ?? ""}`,
      formatHPAMetrics(specs, statuses),
      hpa.spec?.minReplicas !== undefined ? String(hpa.spec.minReplicas) : "<unset>",
      num(hpa.spec?.maxReplicas),
      num(hpa.status?.currentReplicas),
      ageOf(obj, now),
    ];
  },
};
