// One CronJob reconcile as a pure decision: which Job to start (if a schedule time is due),
// which Jobs to delete (Replace, history limits), the new status, and when to wake next.
import type { CronJobSpec, CronJobStatus } from "kubernetes-types/batch/v1";
import type { ObjectReference } from "kubernetes-types/core/v1";
import { formatTimestamp } from "../../lifecycle/object-meta.ts";
import type { KubeObject } from "../../types.ts";
import { parseCronSchedule, type CronSchedule } from "../../validation/cron.ts";
import { isControlledBy } from "../gc/owner-refs.ts";
import { isConditionTrue, type Condition } from "../job/conditions.ts";
import { jobFromTemplate, jobNameFor } from "./job-template.ts";
import { missedSchedules, nextScheduleTime } from "./schedule.ts";
import { isKnownTimeZone } from "./zoned-time.ts";

export interface PlannedEvent {
  type: "Normal" | "Warning";
  reason: string;
  message: string;
}

export interface CronJobPlan {
  status: CronJobStatus;
  createJob?: KubeObject;
  deleteJobs: Array<{ name: string; uid: string }>;
  events: PlannedEvent[];
  /** Reconcile again after this long (the next schedule time), if ever. */
  requeueAfterMs?: number;
}

const conditionsOf = (job: KubeObject) => (job.status as { conditions?: Condition[] } | undefined)?.conditions;
const isComplete = (job: KubeObject) => isConditionTrue(conditionsOf(job), "Complete");
const isFailed = (job: KubeObject) => isConditionTrue(conditionsOf(job), "Failed");
export const isJobFinished = (job: KubeObject) => isComplete(job) || isFailed(job);

const timeOf = (value: string | undefined): number | undefined => {
  const t = value === undefined ? NaN : Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
};

const startTimeOf = (job: KubeObject): number =>
  timeOf((job.status as { startTime?: string } | undefined)?.startTime) ?? timeOf(job.metadata.creationTimestamp) ?? 0;

/** How status.active names a Job. */
export const jobReference = (job: KubeObject): ObjectReference => ({
  apiVersion: "batch/v1",
  kind: "Job",
  name: job.metadata.name,
  namespace: job.metadata.namespace,
  uid: job.metadata.uid,
});

/** Finished Jobs beyond the history limits, oldest first. */
function jobsBeyondHistory(jobs: KubeObject[], spec: CronJobSpec): KubeObject[] {
  const excess = (list: KubeObject[], limit: number | undefined) => {
    if (limit === undefined || limit === null) return [];
    const sorted = [...list].sort((a, b) => startTimeOf(a) - startTimeOf(b));
    return sorted.slice(0, Math.max(0, sorted.length - limit));
  };
  return [
    ...excess(jobs.filter(isComplete), spec.successfulJobsHistoryLimit),
    ...excess(jobs.filter(isFailed), spec.failedJobsHistoryLimit),
  ];
}

export function syncCronJob(cronJob: KubeObject, allJobs: KubeObject[], now: Date): CronJobPlan {
  const spec = (cronJob.spec ?? {}) as CronJobSpec;
  const previous = (cronJob.status ?? {}) as CronJobStatus;
  const events: PlannedEvent[] = [];
  const deleteJobs: CronJobPlan["deleteJobs"] = [];
  const jobs = allJobs.filter((j) => isControlledBy(j, cronJob.metadata.uid) && !j.metadata.deletionTimestamp);
  const wasActive = new Set((previous.active ?? []).map((ref) => ref.uid));

  // Status from the child Jobs: the unfinished ones are active; the latest success is remembered.
  let lastSuccessfulTime = previous.lastSuccessfulTime;
  for (const job of jobs) {
    if (!isJobFinished(job)) continue;
    if (wasActive.has(job.metadata.uid)) {
      const condition = isComplete(job) ? "Complete" : "Failed";
      events.push({
        type: "Normal",
        reason: "SawCompletedJob",
        message: `Saw completed job: ${job.metadata.name}, condition: ${condition}`,
      });
    }
    const completion = timeOf((job.status as { completionTime?: string } | undefined)?.completionTime);
    if (isComplete(job) && completion !== undefined && completion > (timeOf(lastSuccessfulTime) ?? -Infinity)) {
      lastSuccessfulTime = formatTimestamp(new Date(completion));
    }
  }
  let active = jobs.filter((j) => !isJobFinished(j));
  let lastScheduleTime = previous.lastScheduleTime;
  const status = (): CronJobStatus => {
    const next: CronJobStatus = {};
    if (active.length > 0) next.active = active.map(jobReference);
    if (lastScheduleTime !== undefined) next.lastScheduleTime = lastScheduleTime;
    if (lastSuccessfulTime !== undefined) next.lastSuccessfulTime = lastSuccessfulTime;
    return next;
  };

  for (const job of jobsBeyondHistory(jobs, spec)) {
    deleteJobs.push({ name: job.metadata.name ?? "", uid: job.metadata.uid ?? "" });
    events.push({ type: "Normal", reason: "SuccessfulDelete", message: `Deleted job ${job.metadata.name}` });
  }

  const done = (requeueAfterMs?: number): CronJobPlan => ({
    status: status(),
    deleteJobs,
    events,
    requeueAfterMs,
  });
  if (cronJob.metadata.deletionTimestamp || spec.suspend === true) return done();

  const timeZone = spec.timeZone ?? undefined;
  if (timeZone !== undefined && !isKnownTimeZone(timeZone)) {
    events.push({ type: "Warning", reason: "UnknownTimeZone", message: `invalid timeZone: "${timeZone}"` });
    return done();
  }
  let schedule: CronSchedule;
  try {
    schedule = parseCronSchedule(spec.schedule ?? "");
  } catch (err) {
    events.push({
      type: "Warning",
      reason: "UnparseableSchedule",
      message: `unparseable schedule: "${spec.schedule}" : ${(err as Error).message}`,
    });
    return done();
  }
  const untilNext = (): number | undefined => {
    const next = nextScheduleTime(schedule, now, timeZone);
    return next === undefined ? undefined : Math.max(0, next.getTime() - now.getTime());
  };

  // The window of schedule times that may still be started.
  let earliest = timeOf(lastScheduleTime) ?? timeOf(cronJob.metadata.creationTimestamp) ?? now.getTime();
  if (spec.startingDeadlineSeconds !== undefined && spec.startingDeadlineSeconds !== null) {
    earliest = Math.max(earliest, now.getTime() - spec.startingDeadlineSeconds * 1000);
  }
  const missed = missedSchedules(schedule, new Date(earliest), now, timeZone);
  if (missed.missed > 100) {
    events.push({
      type: "Warning",
      reason: "TooManyMissedTimes",
      message: "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew",
    });
  }
  const scheduled = missed.mostRecent;
  if (scheduled === undefined) return done(untilNext());

  const deadline = spec.startingDeadlineSeconds;
  if (deadline !== undefined && deadline !== null && scheduled.getTime() + deadline * 1000 < now.getTime()) {
    events.push({
      type: "Warning",
      reason: "MissSchedule",
      message: `Missed scheduled time to start a job: ${scheduled.toUTCString()}`,
    });
    return done(untilNext());
  }

  const name = jobNameFor(cronJob.metadata.name ?? "", scheduled);
  const existing = allJobs.find((j) => j.metadata.name === name);
  if (existing) {
    // Started already (an earlier reconcile that did not get to record it): record it now.
    if (isControlledBy(existing, cronJob.metadata.uid)) lastScheduleTime = formatTimestamp(scheduled);
    return done(untilNext());
  }
  if (timeOf(lastScheduleTime) === scheduled.getTime()) return done(untilNext());

  const policy = spec.concurrencyPolicy ?? "Allow";
  if (policy === "Forbid" && active.length > 0) {
    // Left unrecorded: once the running Job finishes, this time still starts if not too late.
    events.push({
      type: "Normal",
      reason: "JobAlreadyActive",
      message: "Not starting job because prior execution is running and concurrency policy is Forbid",
    });
    return done(untilNext());
  }
  if (policy === "Replace") {
    for (const job of active) {
      deleteJobs.push({ name: job.metadata.name ?? "", uid: job.metadata.uid ?? "" });
      events.push({ type: "Normal", reason: "SuccessfulDelete", message: `Deleted job ${job.metadata.name}` });
    }
    active = [];
  }

  const createJob = jobFromTemplate(cronJob, scheduled);
  events.push({ type: "Normal", reason: "SuccessfulCreate", message: `Created job ${name}` });
  lastScheduleTime = formatTimestamp(scheduled);
  // The new Job joins status.active once created (its uid is known then).
  return { ...done(untilNext()), createJob };
}
