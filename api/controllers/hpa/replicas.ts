// The HPA's replica calculation for resource metrics (Kubernetes' documented algorithm):
// desired = ceil(current pods * currentValue / target), nothing changes within the tolerance,
// pods still starting or without metrics are held back conservatively (missing pods count as
// using their full request on a scale-down and nothing on a scale-up; unready pods count as
// using nothing on a scale-up), and a result that would reverse the direction is dropped.
import { parseAmount, toMillis } from "../../admission/amount.ts";
import type { Pod } from "../common/types.ts";
import type { PodMetricsMap } from "./pod-metrics.ts";

export const DEFAULT_TOLERANCE = 0.1;
/** Within this time of a pod's start, CPU samples are trusted only once it is ready. */
export const CPU_INITIALIZATION_MS = 5 * 60_000;
/** A pod that went unready this soon after starting is taken to have never been ready. */
export const INITIAL_READINESS_DELAY_MS = 30_000;

export interface ResourceTarget {
  /** Average utilization of the pods' requests, in percent. */
  utilization?: number;
  /** Average usage per pod, in milli-units. */
  averageValueMilli?: number;
}

export interface ResourceMetricInput {
  resource: string;
  /** Only this container (a ContainerResource metric); all containers when absent. */
  container?: string;
  target: ResourceTarget;
  currentReplicas: number;
  pods: Pod[];
  metrics: PodMetricsMap;
  now: number;
  tolerance?: number;
}

export type ResourceMetricResult =
  { replicas: number; utilization?: number; averageValueMilli: number } | { error: string };

interface Groups {
  ready: number;
  unready: Set<string>;
  missing: Set<string>;
  ignored: Set<string>;
}

const readyCondition = (pod: Pod) => (pod.status?.conditions ?? []).find((c) => c.type === "Ready");
const timeOf = (text: string | undefined) => (text === undefined ? undefined : Date.parse(text));

function groupPods(input: ResourceMetricInput, values: Map<string, number>): Groups {
  const groups: Groups = { ready: 0, unready: new Set(), missing: new Set(), ignored: new Set() };
  for (const pod of input.pods) {
    const name = pod.metadata.name ?? "";
    if (pod.metadata.deletionTimestamp !== undefined || pod.status?.phase === "Failed") {
      groups.ignored.add(name);
      continue;
    }
    if (pod.status?.phase === "Pending") {
      groups.unready.add(name);
      continue;
    }
    const sample = input.metrics.get(name);
    if (!values.has(name) || !sample) {
      groups.missing.add(name);
      continue;
    }
    if (input.resource === "cpu" && cpuSampleUnready(pod, sample.timestamp, sample.windowMs, input.now)) {
      groups.unready.add(name);
      continue;
    }
    groups.ready += 1;
  }
  return groups;
}

/** CPU is noisy while a pod starts: its sample counts only once the pod is (and was) ready long enough. */
function cpuSampleUnready(pod: Pod, sampleAt: number, windowMs: number, now: number): boolean {
  const condition = readyCondition(pod);
  const started = timeOf(pod.status?.startTime);
  if (!condition || started === undefined || Number.isNaN(started)) return true;
  const transition = timeOf(condition.lastTransitionTime) ?? started;
  if (started + CPU_INITIALIZATION_MS > now) {
    return condition.status === "False" || sampleAt < transition + windowMs;
  }
  return condition.status === "False" && started + INITIAL_READINESS_DELAY_MS > transition;
}

/** Per pod, the usage of the resource (all containers summed, or the one named). */
function usageValues(input: ResourceMetricInput): Map<string, number> | { error: string } {
  const values = new Map<string, number>();
  for (const [pod, usage] of input.metrics) {
    if (input.container !== undefined) {
      const container = usage.containers.get(input.container);
      if (!container) {
        return {
          error: `failed to get container metrics: container ${input.container} not present in metrics for pod ${pod}`,
        };
      }
      values.set(pod, container.get(input.resource) ?? 0);
      continue;
    }
    let total = 0;
    for (const container of usage.containers.values()) total += container.get(input.resource) ?? 0;
    values.set(pod, total);
  }
  return values;
}

/** Each pod's request for the resource (milli-units); every container must state one. */
function podRequests(input: ResourceMetricInput): Map<string, number> | { error: string } {
  const requests = new Map<string, number>();
  for (const pod of input.pods) {
    let sum = 0;
    for (const container of pod.spec?.containers ?? []) {
      if (input.container !== undefined && container.name !== input.container) continue;
      const request = container.resources?.requests?.[input.resource];
      const milli = request === undefined ? undefined : quantityMillis(request);
      if (milli === undefined) {
        return {
          error: `missing request for ${input.resource} in container ${container.name} of Pod ${pod.metadata.name ?? ""}`,
        };
      }
      sum += milli;
    }
    requests.set(pod.metadata.name ?? "", sum);
  }
  return requests;
}

/** The common part: tolerance, missing and unready pods, no reversal of direction. */
function settle(
  ratioOf: (values: Map<string, number>) => number,
  values: Map<string, number>,
  groups: Groups,
  currentReplicas: number,
  tolerance: number,
  fillMissing: (pod: string) => number,
): number {
  const ratio = ratioOf(values);
  const scaleUpWithUnready = groups.unready.size > 0 && ratio > 1;
  if (!scaleUpWithUnready && groups.missing.size === 0) {
    if (Math.abs(1 - ratio) <= tolerance) return currentReplicas;
    return Math.ceil(ratio * groups.ready);
  }
  const adjusted = new Map(values);
  if (groups.missing.size > 0) {
    for (const pod of groups.missing) adjusted.set(pod, ratio < 1 ? fillMissing(pod) : 0);
  }
  if (scaleUpWithUnready) for (const pod of groups.unready) adjusted.set(pod, 0);
  const newRatio = ratioOf(adjusted);
  if (Math.abs(1 - newRatio) <= tolerance || (ratio < 1 && newRatio > 1) || (ratio > 1 && newRatio < 1))
    return currentReplicas;
  const replicas = Math.ceil(newRatio * adjusted.size);
  if ((newRatio < 1 && replicas > currentReplicas) || (newRatio > 1 && replicas < currentReplicas))
    return currentReplicas;
  return replicas;
}

/** Replicas proposed by one resource metric, or the reason none can be proposed. */
export function resourceReplicas(input: ResourceMetricInput): ResourceMetricResult {
  const tolerance = input.tolerance ?? DEFAULT_TOLERANCE;
  const all = usageValues(input);
  if ("error" in all) return all;
  if (all.size === 0) {
    return {
      error: `unable to get metrics for resource ${input.resource}: no metrics returned from resource metrics API`,
    };
  }
  if (input.pods.length === 0) return { error: "no pods returned by selector while calculating replica count" };
  const known = new Set(input.pods.map((pod) => pod.metadata.name ?? ""));
  const values = new Map([...all].filter(([pod]) => known.has(pod)));
  const groups = groupPods(input, values);
  for (const pod of [...groups.ignored, ...groups.unready]) values.delete(pod);
  if (values.size === 0) return { error: "did not receive metrics for targeted pods (pods might be unready)" };

  if (input.target.averageValueMilli !== undefined) {
    const target = input.target.averageValueMilli;
    const average = (v: Map<string, number>) => Math.trunc(sum(v.values()) / v.size);
    const replicas = settle(
      (v) => average(v) / target,
      values,
      groups,
      input.currentReplicas,
      tolerance,
      () => target,
    );
    return { replicas, averageValueMilli: average(values) };
  }

  const targetUtilization = input.target.utilization;
  if (targetUtilization === undefined) {
    return {
      error:
        "invalid resource metric source: neither an average utilization target nor an average value (usage) target was set",
    };
  }
  const requests = podRequests(input);
  if ("error" in requests) return requests;
  const utilizationOf = (v: Map<string, number>) => {
    let used = 0;
    let requested = 0;
    let entries = 0;
    for (const [pod, value] of v) {
      const request = requests.get(pod);
      if (request === undefined) continue;
      used += value;
      requested += request;
      entries += 1;
    }
    return { used, requested, entries };
  };
  const current = utilizationOf(values);
  if (current.requested === 0) return { error: "no metrics returned matched known pods" };
  const percent = (v: Map<string, number>) => {
    const { used, requested } = utilizationOf(v);
    return requested === 0 ? 0 : Math.trunc((used * 100) / requested);
  };
  const fallback = Math.max(100, targetUtilization);
  const replicas = settle(
    (v) => percent(v) / targetUtilization,
    values,
    groups,
    input.currentReplicas,
    tolerance,
    (pod) => Math.trunc(((requests.get(pod) ?? 0) * fallback) / 100),
  );
  return {
    replicas,
    utilization: percent(values),
    averageValueMilli: Math.trunc(current.used / current.entries),
  };
}

const sum = (values: Iterable<number>) => {
  let total = 0;
  for (const value of values) total += value;
  return total;
};

/** A request quantity in milli-units (rounded up); undefined when malformed. */
function quantityMillis(value: unknown): number | undefined {
  const amount = parseAmount(value);
  return amount ? toMillis(amount) : undefined;
}
