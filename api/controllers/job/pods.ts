// How the Job controller reads its Pods: phase, readiness, termination, completion index,
// when they finished, and the tracking finalizer that keeps a Pod until it is counted.
import type { Pod } from "kubernetes-types/core/v1";
import type { KubeObject } from "../../types.ts";

export const JOB_TRACKING_FINALIZER = "batch.kubernetes.io/job-tracking";
export const COMPLETION_INDEX_KEY = "batch.kubernetes.io/job-completion-index";
export const COMPLETION_INDEX_ENV = "JOB_COMPLETION_INDEX";

export const podView = (pod: KubeObject): Pod => pod as unknown as Pod;
export const phaseOf = (pod: KubeObject): string => podView(pod).status?.phase ?? "";
export const isSucceeded = (pod: KubeObject) => phaseOf(pod) === "Succeeded";
export const isTerminal = (pod: KubeObject) => phaseOf(pod) === "Succeeded" || phaseOf(pod) === "Failed";
export const isDeleting = (pod: KubeObject) => pod.metadata.deletionTimestamp !== undefined;
/** Running or pending, not being deleted. */
export const isActive = (pod: KubeObject) => !isTerminal(pod) && !isDeleting(pod);
/** Being deleted but not finished yet. */
export const isTerminating = (pod: KubeObject) => !isTerminal(pod) && isDeleting(pod);

export const isPodReady = (pod: KubeObject): boolean =>
  (podView(pod).status?.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True");

export const hasTrackingFinalizer = (pod: KubeObject): boolean =>
  (pod.metadata.finalizers ?? []).includes(JOB_TRACKING_FINALIZER);

/** The completion index of an Indexed Job's Pod (annotation first, then label); undefined if absent or malformed. */
export function completionIndexOf(pod: KubeObject): number | undefined {
  const text = pod.metadata.annotations?.[COMPLETION_INDEX_KEY] ?? pod.metadata.labels?.[COMPLETION_INDEX_KEY];
  if (text === undefined || !/^(0|[1-9]\d*)$/.test(text)) return undefined;
  const index = Number(text);
  return Number.isSafeInteger(index) ? index : undefined;
}

const parse = (value: string | undefined): number | undefined => {
  const t = value === undefined ? NaN : Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
};

/**
 * When a Pod finished: its last container's finish time, else when it stopped being Ready,
 * else its deletion time, else its creation (a status written without container details).
 */
export function finishTimeOf(pod: KubeObject): number {
  const status = podView(pod).status;
  let latest: number | undefined;
  for (const cs of [...(status?.containerStatuses ?? []), ...(status?.initContainerStatuses ?? [])]) {
    const finished = parse(cs.state?.terminated?.finishedAt);
    if (finished !== undefined && (latest === undefined || finished > latest)) latest = finished;
  }
  if (latest !== undefined) return latest;
  const ready = (status?.conditions ?? []).find((c) => c.type === "Ready" && c.status === "False");
  return (
    parse(ready?.lastTransitionTime) ??
    parse(pod.metadata.deletionTimestamp) ??
    parse(pod.metadata.creationTimestamp) ??
    0
  );
}

/** Container restarts across a Pod's containers (restartPolicy OnFailure counts these against backoffLimit). */
export function restartCountOf(pod: KubeObject): number {
  const status = podView(pod).status;
  return [...(status?.containerStatuses ?? []), ...(status?.initContainerStatuses ?? [])].reduce(
    (sum, cs) => sum + (cs.restartCount ?? 0),
    0,
  );
}
