// One sync of a HorizontalPodAutoscaler (autoscaling/v2), as Kubernetes' HPA controller does it:
// read the target's scale, propose replicas per metric (the highest wins), stabilize and limit,
// and report status (currentReplicas, desiredReplicas, currentMetrics, lastScaleTime) with the
// AbleToScale / ScalingActive / ScalingLimited conditions `kubectl describe hpa` shows.
// Pure: the caller reads the target, pods and metrics, applies `scaleTo` and records the events.
import type {
  HorizontalPodAutoscalerCondition,
  HorizontalPodAutoscalerSpec,
  HorizontalPodAutoscalerStatus,
  MetricSpec,
  MetricStatus,
} from "kubernetes-types/autoscaling/v2";
import { millis, formatAmount, parseAmount, toMillis } from "../../admission/amount.ts";
import { formatTimestamp } from "../../lifecycle/object-meta.ts";
import type { KubeObject } from "../../types.ts";
import type { Pod } from "../common/types.ts";
import { setHPACondition } from "./conditions.ts";
import { normalizeReplicas, recordScale, emptyHistory, type AutoscalerHistory } from "./normalize.ts";
import type { PodMetricsMap } from "./pod-metrics.ts";
import { resourceReplicas } from "./replicas.ts";
import type { ScaleTarget } from "./target.ts";

export interface HPAEvent {
  type: "Normal" | "Warning";
  reason: string;
  message: string;
}

export interface AutoscalerInput {
  hpa: KubeObject;
  /** The target's scale, or why it could not be read. */
  target: ScaleTarget | { error: string };
  /** The pods the target's selector selects. */
  pods: Pod[];
  metrics: PodMetricsMap;
  history: AutoscalerHistory | undefined;
  now: Date;
  tolerance?: number;
  downscaleWindowMs?: number;
}

export interface AutoscalerOutput {
  status: HorizontalPodAutoscalerStatus;
  /** Set the target's spec.replicas to this. */
  scaleTo?: number;
  events: HPAEvent[];
  history: AutoscalerHistory;
}

interface MetricResult {
  replicas: number;
  status: MetricStatus;
  name: string;
}

interface MetricFailure {
  error: string; // wrapped, as in the FailedComputeMetricsReplicas event
  reason: string; // the condition and event reason
  detail: string; // the unwrapped error
}

const specOf = (hpa: KubeObject) => (hpa.spec ?? {}) as HorizontalPodAutoscalerSpec;
const statusOf = (hpa: KubeObject) => (hpa.status ?? {}) as Partial<HorizontalPodAutoscalerStatus>;

/** Proposes replicas from one metric, or says why it cannot. */
function computeMetric(spec: MetricSpec, input: AutoscalerInput, current: number): MetricResult | MetricFailure {
  const isContainer = spec.type === "ContainerResource";
  if (spec.type === "Resource" || isContainer) {
    const source = isContainer ? spec.containerResource : spec.resource;
    const name = source?.name ?? "";
    const reason = isContainer ? "FailedGetContainerResourceMetric" : "FailedGetResourceMetric";
    const target = source?.target;
    const averageValue = target?.averageValue !== undefined ? parseAmount(target.averageValue) : undefined;
    const usesValue = averageValue !== undefined;
    const result = resourceReplicas({
      resource: name,
      container: isContainer ? spec.containerResource?.container : undefined,
      target: usesValue ? { averageValueMilli: toMillis(averageValue) } : { utilization: target?.averageUtilization },
      currentReplicas: current,
      pods: input.pods,
      metrics: input.metrics,
      now: input.now.getTime(),
      tolerance: input.tolerance,
    });
    if ("error" in result) {
      const detail = `failed to get ${name} ${usesValue ? "usage" : "utilization"}: ${result.error}`;
      const kind = isContainer ? "container resource" : "resource";
      return { reason, detail, error: `failed to get ${name} ${kind} metric value: ${detail}` };
    }
    const value = {
      ...(result.utilization !== undefined && !usesValue ? { averageUtilization: result.utilization } : {}),
      averageValue: formatAmount(millis(result.averageValueMilli)),
    };
    const status: MetricStatus = isContainer
      ? {
          type: "ContainerResource",
          containerResource: { name, container: spec.containerResource?.container ?? "", current: value },
        }
      : { type: "Resource", resource: { name, current: value } };
    const what = isContainer ? "container resource" : "resource";
    return {
      replicas: result.replicas,
      status,
      name: usesValue ? `${name} ${what}` : `${name} ${what} utilization (percentage of request)`,
    };
  }
  // Pods, Object and External metrics come from the custom and external metrics APIs, not served here.
  const reasons: Record<string, [string, string, string]> = {
    Pods: ["FailedGetPodsMetric", "pods", "custom"],
    Object: ["FailedGetObjectMetric", "object", "custom"],
    External: ["FailedGetExternalMetric", "external", "external"],
  };
  const [reason, what, api] = reasons[spec.type] ?? ["FailedGetMetric", spec.type, "custom"];
  const metricName = spec.pods?.metric.name ?? spec.object?.metric.name ?? spec.external?.metric.name ?? "";
  const detail = `unable to get metric ${metricName}: unable to fetch metrics from ${api} metrics API: no ${api} metrics API (${api}.metrics.k8s.io) registered`;
  return { reason, detail, error: `failed to get ${what} metric value: ${detail}` };
}

export function syncAutoscaler(input: AutoscalerInput): AutoscalerOutput {
  const now = input.now.getTime();
  const stamp = formatTimestamp(input.now);
  const spec = specOf(input.hpa);
  const previous = statusOf(input.hpa);
  const events: HPAEvent[] = [];
  let conditions: HorizontalPodAutoscalerCondition[] = [...(previous.conditions ?? [])];
  const condition = (type: string, status: "True" | "False", reason: string, message: string) => {
    conditions = setHPACondition(conditions, type, status, reason, message, stamp);
  };
  const history = input.history ?? emptyHistory();
  const keep = (extra: Partial<HorizontalPodAutoscalerStatus>): HorizontalPodAutoscalerStatus => {
    const status: HorizontalPodAutoscalerStatus = {
      ...(previous.currentReplicas !== undefined ? { currentReplicas: previous.currentReplicas } : {}),
      desiredReplicas: previous.desiredReplicas ?? 0,
      ...(previous.currentMetrics ? { currentMetrics: previous.currentMetrics } : {}),
      ...(previous.lastScaleTime ? { lastScaleTime: previous.lastScaleTime } : {}),
      ...extra,
    };
    status.conditions = conditions;
    return status;
  };

  const target = input.target;
  if ("error" in target) {
    const message = `the HPA controller was unable to get the target's current scale: ${target.error}`;
    condition("AbleToScale", "False", "FailedGetScale", message);
    events.push({ type: "Warning", reason: "FailedGetScale", message: target.error });
    return { status: keep({}), events, history };
  }
  condition(
    "AbleToScale",
    "True",
    "SucceededGetScale",
    "the HPA controller was able to get the target's current scale",
  );

  const current = target.specReplicas;
  // A fresh (or restarted) controller counts the current size as a recent recommendation,
  // so it does not scale down before a full stabilization window has passed.
  if (!input.history) history.recommendations.push({ replicas: current, at: now });
  const min = spec.minReplicas ?? 1;
  const max = spec.maxReplicas;
  let desired: number;
  let rescaleReason = "";
  let rescale = true;
  let metricStatuses: MetricStatus[] | undefined;

  if (current === 0 && min !== 0) {
    desired = 0;
    rescale = false;
    condition(
      "ScalingActive",
      "False",
      "ScalingDisabled",
      "scaling is disabled since the replica count of the target is zero",
    );
  } else if (current > max) {
    rescaleReason = "Current number of replicas above Spec.MaxReplicas";
    desired = max;
  } else if (current < min) {
    rescaleReason = "Current number of replicas below Spec.MinReplicas";
    desired = min;
  } else {
    const specs = spec.metrics ?? [];
    const statuses: MetricStatus[] = specs.map(() => ({ type: "" }));
    let proposal = -1;
    let proposalName = "";
    let invalid = 0;
    let firstFailure: MetricFailure | undefined;
    specs.forEach((metric, i) => {
      const result = computeMetric(metric, input, current);
      if ("error" in result) {
        invalid += 1;
        firstFailure ??= result;
        events.push({ type: "Warning", reason: result.reason, message: result.detail });
        return;
      }
      statuses[i] = result.status;
      if (proposal === -1 || result.replicas > proposal) {
        proposal = result.replicas;
        proposalName = result.name;
      }
    });
    metricStatuses = statuses;
    if (firstFailure && (invalid >= specs.length || proposal < current)) {
      const failure: MetricFailure = firstFailure;
      condition(
        "ScalingActive",
        "False",
        failure.reason,
        `the HPA was unable to compute the replica count: ${failure.detail}`,
      );
      events.push({
        type: "Warning",
        reason: "FailedComputeMetricsReplicas",
        message: `invalid metrics (${invalid} invalid out of ${specs.length}), first error is: ${failure.error}`,
      });
      return {
        status: keep({ currentReplicas: current, currentMetrics: statuses }),
        events,
        history,
      };
    }
    condition(
      "ScalingActive",
      "True",
      "ValidMetricFound",
      `the HPA was able to successfully calculate a replica count from ${proposalName}`,
    );
    rescaleReason = proposal > current ? `${proposalName} above target` : "All metrics below target";
    const normalized = normalizeReplicas({
      history,
      now,
      current,
      desired: proposal,
      min,
      max,
      behavior: spec.behavior,
      downscaleWindowMs: input.downscaleWindowMs,
    });
    condition("AbleToScale", "True", normalized.stabilized.reason, normalized.stabilized.message);
    condition("ScalingLimited", normalized.limited.status, normalized.limited.reason, normalized.limited.message);
    desired = normalized.replicas;
    rescale = desired !== current;
  }

  const output: AutoscalerOutput = { status: keep({}), events, history };
  if (rescale) {
    output.scaleTo = desired;
    condition(
      "AbleToScale",
      "True",
      "SucceededRescale",
      `the HPA controller was able to update the target scale to ${desired}`,
    );
    events.push({
      type: "Normal",
      reason: "SuccessfulRescale",
      message: `New size: ${desired}; reason: ${rescaleReason}`,
    });
    recordScale(history, spec.behavior, current, desired, now);
  } else {
    desired = current;
  }
  output.status = keep({
    currentReplicas: current,
    desiredReplicas: desired,
    ...(rescale ? { lastScaleTime: stamp } : {}),
  });
  if (metricStatuses) output.status.currentMetrics = metricStatuses;
  else delete output.status.currentMetrics;
  return output;
}

/** The target refused the new scale: AbleToScale turns False and a FailedRescale event says why. */
export function rescaleFailed(
  output: AutoscalerOutput,
  previous: KubeObject,
  error: string,
  now: Date,
): AutoscalerOutput {
  const desired = output.scaleTo ?? 0;
  const conditions = setHPACondition(
    output.status.conditions ?? [],
    "AbleToScale",
    "False",
    "FailedUpdateScale",
    `the HPA controller was unable to update the target scale: ${error}`,
    formatTimestamp(now),
  );
  const before = statusOf(previous);
  const status: HorizontalPodAutoscalerStatus = { ...output.status, conditions };
  if (before.lastScaleTime) status.lastScaleTime = before.lastScaleTime;
  else delete status.lastScaleTime;
  const events = output.events.filter((e) => e.reason !== "SuccessfulRescale");
  events.push({ type: "Warning", reason: "FailedRescale", message: `New size: ${desired}; error: ${error}` });
  return { ...output, status, events, scaleTo: undefined };
}
