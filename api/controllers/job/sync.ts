// One Job reconcile as a pure decision. Pods are counted through the tracking finalizer:
// a finished Pod is first recorded in status.uncountedTerminatedPods, then its finalizer
// comes off, and a later pass moves it into succeeded/failed — so no Pod is counted twice
// or lost, whatever fails in between. The caller writes `status` before removing finalizers.
import type { JobSpec, JobStatus } from "kubernetes-types/batch/v1";
import { formatTimestamp } from "../../lifecycle/object-meta.ts";
import type { KubeObject } from "../../types.ts";
import { isControlledBy } from "../gc/owner-refs.ts";
import { backoffRecord, remainingBackoff, type FinishedPod } from "./backoff.ts";
import { findCondition, setCondition, type Condition } from "./conditions.ts";
import { matchPodFailurePolicy } from "./failure-policy.ts";
import { formatIndexes, parseIndexes, pendingIndexes } from "./indexes.ts";
import { podForJob } from "./pod-template.ts";
import {
  completionIndexOf,
  finishTimeOf,
  hasTrackingFinalizer,
  isActive,
  isPodReady,
  isSucceeded,
  isTerminating,
  phaseOf,
  restartCountOf,
} from "./pods.ts";

export interface PlannedEvent {
  type: "Normal" | "Warning";
  reason: string;
  message: string;
}

export interface JobPlan {
  /** Written first (before any finalizer comes off). Undefined: unchanged. */
  status?: JobStatus;
  /** Pods whose tracking finalizer comes off (they are recorded as uncounted in `status`). */
  removeFinalizers: string[];
  /** Pods deleted keeping their finalizer: the Job is failing and counts them as failed. */
  deletePods: string[];
  /** Pods released (finalizer off) and deleted without being counted: excess or suspended. */
  dropPods: string[];
  createPods: KubeObject[];
  events: PlannedEvent[];
  requeueAfterMs?: number;
  /** ttlSecondsAfterFinished has passed: delete the Job. */
  deleteJob?: boolean;
}

export const JOB_CONTROLLER_NAME = "kubernetes.io/job-controller";
const MAX_CREATE_PER_SYNC = 500;

const REASONS = {
  backoff: { reason: "BackoffLimitExceeded", message: "Job has reached the specified backoff limit" },
  deadline: { reason: "DeadlineExceeded", message: "Job was active longer than specified deadline" },
  complete: { reason: "CompletionsReached", message: "Reached expected number of succeeded pods" },
};

const timeOf = (value: string | undefined): number | undefined => {
  const t = value === undefined ? NaN : Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
};

/** The terminal condition, when the Job has finished. */
export function finishedConditionOf(job: KubeObject): Condition | undefined {
  const conditions = (job.status as { conditions?: Condition[] } | undefined)?.conditions;
  return (conditions ?? []).find((c) => (c.type === "Complete" || c.type === "Failed") && c.status === "True");
}

/** Pods of a Job: those it controls (by uid). */
export const podsOfJob = (job: KubeObject, pods: KubeObject[]): KubeObject[] =>
  pods.filter((p) => isControlledBy(p, job.metadata.uid));

/** Pods still holding the tracking finalizer for a Job of this name that no longer exists (or was recreated). */
export function orphanedTrackedPods(jobName: string, jobUid: string | undefined, pods: KubeObject[]): string[] {
  return pods
    .filter((p) => hasTrackingFinalizer(p))
    .filter((p) =>
      (p.metadata.ownerReferences ?? []).some(
        (ref) => ref.controller === true && ref.kind === "Job" && ref.name === jobName && ref.uid !== jobUid,
      ),
    )
    .map((p) => p.metadata.name ?? "");
}

/** Pods that matter when the Job goes away or is done: every finalizer must come off. */
const finalizerNames = (pods: KubeObject[]) => pods.filter(hasTrackingFinalizer).map((p) => p.metadata.name ?? "");

/** Active pods to give up first: not ready before ready, newest before oldest. */
function removalOrder(pods: KubeObject[]): KubeObject[] {
  return [...pods].sort((a, b) => {
    const readyDiff = Number(isPodReady(a)) - Number(isPodReady(b));
    if (readyDiff !== 0) return readyDiff;
    return (timeOf(b.metadata.creationTimestamp) ?? 0) - (timeOf(a.metadata.creationTimestamp) ?? 0);
  });
}

export function syncJob(job: KubeObject, allPods: KubeObject[], now: Date): JobPlan {
  const plan: JobPlan = { removeFinalizers: [], deletePods: [], dropPods: [], createPods: [], events: [] };
  const spec = (job.spec ?? {}) as JobSpec;
  const previous = (job.status ?? {}) as JobStatus;
  const pods = podsOfJob(job, allPods);
  if (spec.managedBy && spec.managedBy !== JOB_CONTROLLER_NAME) return plan;

  // A Job being deleted, or already finished, only lets go of its Pods (and waits for its TTL).
  if (job.metadata.deletionTimestamp) {
    plan.removeFinalizers = finalizerNames(pods);
    return plan;
  }
  const finished = finishedConditionOf(job);
  const indexed = spec.completionMode === "Indexed";
  const completions = spec.completions ?? undefined;
  const status: JobStatus = structuredClone(previous);
  let conditions = (status.conditions ?? []) as Condition[];
  const nowText = formatTimestamp(now);

  // 1. Counting. Uncounted pods whose finalizer is gone move into the counters.
  const uncountedSucceeded = new Set(previous.uncountedTerminatedPods?.succeeded ?? []);
  const uncountedFailed = new Set(previous.uncountedTerminatedPods?.failed ?? []);
  const byUid = new Map(pods.map((p) => [p.metadata.uid ?? "", p]));
  const stillTracked = (uid: string) => {
    const pod = byUid.get(uid);
    return pod !== undefined && hasTrackingFinalizer(pod);
  };
  let succeeded = previous.succeeded ?? 0;
  let failed = previous.failed ?? 0;
  const nextUncounted = { succeeded: [] as string[], failed: [] as string[] };
  for (const uid of uncountedSucceeded) {
    if (stillTracked(uid)) nextUncounted.succeeded.push(uid);
    else succeeded += 1;
  }
  for (const uid of uncountedFailed) {
    if (stillTracked(uid)) nextUncounted.failed.push(uid);
    else failed += 1;
  }
  const completed = indexed ? parseIndexes(previous.completedIndexes, completions ?? 0) : new Set<number>();

  // Newly finished pods (still tracked, not yet recorded).
  const onlyReplaceFailed = spec.podReplacementPolicy === "Failed" || spec.podFailurePolicy !== undefined;
  const isFailedPod = (pod: KubeObject) =>
    phaseOf(pod) === "Failed" || (!onlyReplaceFailed && isTerminating(pod) && !isSucceeded(pod));
  let failJob: { reason: string; message: string } | undefined;
  const finishing = finished !== undefined || hasInterimCondition(conditions);
  for (const pod of pods) {
    const uid = pod.metadata.uid ?? "";
    if (!hasTrackingFinalizer(pod)) continue;
    const name = pod.metadata.name ?? "";
    if (uncountedSucceeded.has(uid) || uncountedFailed.has(uid)) {
      plan.removeFinalizers.push(name);
      continue;
    }
    if (isSucceeded(pod)) {
      plan.removeFinalizers.push(name);
      if (indexed) {
        const index = completionIndexOf(pod);
        if (index !== undefined && index < (completions ?? 0)) completed.add(index);
      } else nextUncounted.succeeded.push(uid);
    } else if (isFailedPod(pod) || finishing) {
      plan.removeFinalizers.push(name);
      const match = phaseOf(pod) === "Failed" ? matchPodFailurePolicy(spec.podFailurePolicy, pod) : undefined;
      if (match?.action === "Ignore") continue;
      if (match?.action === "FailJob" && !failJob) failJob = { reason: "PodFailurePolicy", message: match.message };
      nextUncounted.failed.push(uid);
    }
  }
  if (indexed) succeeded = completed.size;
  const succeededTotal = indexed ? completed.size : succeeded + nextUncounted.succeeded.length;
  const failedTotal = failed + nextUncounted.failed.length;

  // What is running now.
  const active = pods.filter((p) => isActive(p) && !plan.removeFinalizers.includes(p.metadata.name ?? ""));
  const terminating = pods.filter(isTerminating);
  const suspended = spec.suspend === true;

  const writeStatus = () => {
    if (succeeded > 0) status.succeeded = succeeded;
    else delete status.succeeded;
    if (failed > 0) status.failed = failed;
    else delete status.failed;
    status.uncountedTerminatedPods = {};
    if (nextUncounted.succeeded.length > 0) status.uncountedTerminatedPods.succeeded = nextUncounted.succeeded;
    if (nextUncounted.failed.length > 0) status.uncountedTerminatedPods.failed = nextUncounted.failed;
    if (indexed) {
      const text = formatIndexes(completed);
      if (text) status.completedIndexes = text;
      else delete status.completedIndexes;
    }
    if (conditions.length > 0) status.conditions = conditions as JobStatus["conditions"];
    return status;
  };
  const activeCount = (count: number, ready: number) => {
    if (count > 0) status.active = count;
    else delete status.active;
    status.ready = ready;
    status.terminating = terminating.length;
  };

  if (finished) {
    plan.removeFinalizers = [...new Set([...plan.removeFinalizers, ...finalizerNames(pods)])];
    activeCount(active.length, active.filter(isPodReady).length);
    plan.status = writeStatus();
    applyTTL(plan, spec, finished, now);
    return plan;
  }

  // 2. Start time (reset when a suspended Job resumes, restarting activeDeadlineSeconds).
  const wasSuspended = findCondition(conditions, "Suspended")?.status === "True";
  if (suspended) {
    if (!wasSuspended) {
      conditions = setCondition(
        conditions,
        { type: "Suspended", status: "True", reason: "JobSuspended", message: "Job suspended" },
        now,
        { probeTime: true },
      );
      plan.events.push({ type: "Normal", reason: "Suspended", message: "Job suspended" });
    }
  } else {
    if (wasSuspended) {
      conditions = setCondition(
        conditions,
        { type: "Suspended", status: "False", reason: "JobResumed", message: "Job resumed" },
        now,
        { probeTime: true },
      );
      plan.events.push({ type: "Normal", reason: "Resumed", message: "Job resumed" });
      status.startTime = nowText;
    }
    status.startTime ??= nowText;
  }

  // 3. Has the Job failed?
  let failure = interimFailure(conditions) ?? failJob;
  if (!failure && failedTotal > (spec.backoffLimit ?? 6)) failure = REASONS.backoff;
  if (!failure && spec.template?.spec?.restartPolicy === "OnFailure" && pastBackoffLimitOnFailure(spec, active)) {
    failure = REASONS.backoff;
  }
  const startTime = timeOf(status.startTime);
  const deadline = spec.activeDeadlineSeconds;
  if (!failure && !suspended && deadline !== undefined && deadline !== null && startTime !== undefined) {
    const remaining = startTime + deadline * 1000 - now.getTime();
    if (remaining <= 0) failure = REASONS.deadline;
    else plan.requeueAfterMs = remaining;
  }
  if (failure) {
    conditions = setCondition(conditions, { type: "FailureTarget", status: "True", ...failure }, now, {
      probeTime: true,
    });
    // Remaining pods are terminated and, being unfinished, count as failed.
    plan.deletePods = active.map((p) => p.metadata.name ?? "");
    if (active.length === 0 && terminating.length === 0 && plan.removeFinalizers.length === 0) {
      conditions = setCondition(conditions, { type: "Failed", status: "True", ...failure }, now, { probeTime: true });
      plan.events.push({ type: "Warning", reason: failure.reason, message: failure.message });
      plan.requeueAfterMs = undefined;
      activeCount(0, 0);
      plan.status = writeStatus();
      applyTTL(plan, spec, findCondition(conditions, "Failed"), now);
      return plan;
    }
    activeCount(active.length, active.filter(isPodReady).length);
    plan.status = writeStatus();
    plan.requeueAfterMs = undefined;
    return plan;
  }

  // 4. Has it succeeded? (Checked before creating pods: completions may already be reached.)
  const hasSucceeded = () =>
    interimSuccess(conditions) ||
    (completions !== undefined ? succeededTotal >= completions : succeededTotal > 0 && active.length === 0);

  // 5. Suspended: no pods run. Otherwise keep the wanted number running.
  let activeNow = active.length;
  let readyNow = active.filter(isPodReady).length;
  if (suspended) {
    plan.dropPods = active.map((p) => p.metadata.name ?? "");
    activeNow = 0;
    readyNow = 0;
    plan.requeueAfterMs = undefined;
  } else if (!hasSucceeded()) {
    const result = managePods(job, spec, active, terminating.length, succeededTotal, completed, onlyReplaceFailed);
    plan.dropPods = result.drop.map((p) => p.metadata.name ?? "");
    const dropped = new Set(plan.dropPods);
    const kept = active.filter((p) => !dropped.has(p.metadata.name ?? ""));
    activeNow = kept.length;
    readyNow = kept.filter(isPodReady).length;
    if (result.create.length > 0) {
      const wait = remainingBackoff(backoffRecord(finishedForBackoff(spec, pods)), now.getTime());
      if (wait > 0) {
        plan.requeueAfterMs = Math.min(plan.requeueAfterMs ?? Infinity, wait);
      } else {
        plan.createPods = result.create;
        activeNow += result.create.length;
      }
    }
  } else {
    // Completions reached: pods still running are not needed.
    plan.dropPods = active.map((p) => p.metadata.name ?? "");
    activeNow = 0;
    readyNow = 0;
  }

  if (!suspended && hasSucceeded()) {
    conditions = setCondition(conditions, { type: "SuccessCriteriaMet", status: "True", ...REASONS.complete }, now, {
      probeTime: true,
    });
    plan.requeueAfterMs = undefined;
    const podsRemain =
      activeNow > 0 || terminating.length > 0 || plan.dropPods.length > 0 || plan.removeFinalizers.length > 0;
    if (!podsRemain) {
      conditions = setCondition(conditions, { type: "Complete", status: "True", ...REASONS.complete }, now, {
        probeTime: true,
      });
      status.completionTime = nowText;
      plan.events.push({ type: "Normal", reason: "Completed", message: "Job completed" });
      activeCount(0, 0);
      plan.status = writeStatus();
      applyTTL(plan, spec, findCondition(conditions, "Complete"), now);
      return plan;
    }
  }
  activeCount(activeNow, readyNow);
  plan.status = writeStatus();
  return plan;
}

const hasInterimCondition = (conditions: Condition[]) =>
  interimFailure(conditions) !== undefined || interimSuccess(conditions);

function interimFailure(conditions: Condition[]): { reason: string; message: string } | undefined {
  const c = findCondition(conditions, "FailureTarget");
  return c?.status === "True" ? { reason: c.reason ?? "", message: c.message ?? "" } : undefined;
}

const interimSuccess = (conditions: Condition[]) => findCondition(conditions, "SuccessCriteriaMet")?.status === "True";

function pastBackoffLimitOnFailure(spec: JobSpec, active: KubeObject[]): boolean {
  const restarts = active.reduce((sum, pod) => sum + restartCountOf(pod), 0);
  const limit = spec.backoffLimit ?? 6;
  return limit === 0 ? restarts > 0 : restarts >= limit;
}

/** Finished pods as the backoff sees them: failures the policy ignores do not delay replacements. */
function finishedForBackoff(spec: JobSpec, pods: KubeObject[]): FinishedPod[] {
  const result: FinishedPod[] = [];
  for (const pod of pods) {
    if (isSucceeded(pod)) result.push({ finishedAt: finishTimeOf(pod), succeeded: true });
    else if (phaseOf(pod) === "Failed") {
      if (matchPodFailurePolicy(spec.podFailurePolicy, pod)?.action === "Ignore") continue;
      result.push({ finishedAt: finishTimeOf(pod), succeeded: false });
    }
  }
  return result;
}

interface ManageResult {
  create: KubeObject[];
  drop: KubeObject[];
}

function managePods(
  job: KubeObject,
  spec: JobSpec,
  active: KubeObject[],
  terminating: number,
  succeeded: number,
  completed: Set<number>,
  onlyReplaceFailed: boolean,
): ManageResult {
  const parallelism = spec.parallelism ?? 1;
  const completions = spec.completions ?? undefined;
  // With podReplacementPolicy Failed, a pod still terminating holds its place.
  const occupied = onlyReplaceFailed ? terminating : 0;

  if (spec.completionMode === "Indexed" && completions !== undefined) {
    const drop: KubeObject[] = [];
    const byIndex = new Map<number, KubeObject>();
    for (const pod of [...active].sort(
      (a, b) => (timeOf(a.metadata.creationTimestamp) ?? 0) - (timeOf(b.metadata.creationTimestamp) ?? 0),
    )) {
      const index = completionIndexOf(pod);
      if (index === undefined || index >= completions || completed.has(index) || byIndex.has(index)) drop.push(pod);
      else byIndex.set(index, pod);
    }
    const want = Math.min(parallelism, completions - completed.size);
    const running = [...byIndex.entries()].sort((a, b) => a[0] - b[0]);
    while (running.length > want) drop.push(running.pop()![1]);
    const room = Math.min(MAX_CREATE_PER_SYNC, want - running.length - occupied);
    const create = pendingIndexes(completions, completed, new Set(byIndex.keys()), Math.max(0, room)).map((i) =>
      podForJob(job, i),
    );
    return { create, drop };
  }

  let want: number;
  if (completions === undefined) want = succeeded > 0 ? active.length : parallelism;
  else want = Math.max(0, Math.min(parallelism, completions - succeeded));
  if (active.length > want) return { create: [], drop: removalOrder(active).slice(0, active.length - want) };
  const room = Math.min(MAX_CREATE_PER_SYNC, want - active.length - occupied);
  return { create: Array.from({ length: Math.max(0, room) }, () => podForJob(job)), drop: [] };
}

/** A finished Job with ttlSecondsAfterFinished is deleted that long after it finished. */
function applyTTL(plan: JobPlan, spec: JobSpec, finished: Condition | undefined, now: Date): void {
  const ttl = spec.ttlSecondsAfterFinished;
  if (ttl === undefined || ttl === null || !finished) return;
  const finishedAt = timeOf(finished.lastTransitionTime) ?? now.getTime();
  const remaining = finishedAt + ttl * 1000 - now.getTime();
  if (remaining <= 0) plan.deleteJob = true;
  else plan.requeueAfterMs = remaining;
}
