// Tables for batch/v1 kinds.
import type { CronJob, Job } from "kubernetes-types/batch/v1";
import type { TableConvertor } from "../registry/types.ts";
import { formatAge, formatDuration, parseTime } from "./age.ts";
import {
  ageColumn,
  ageOf,
  boolPtr,
  col,
  containerCells,
  formatLabelSelector,
  nameColumn,
  num,
  view,
} from "./format.ts";

const containersColumn = col("Containers", "string", "Container names in the pod template.", 1);
const imagesColumn = col("Images", "string", "Container images in the pod template.", 1);
const selectorColumn = col("Selector", "string", "Label selector for the job's pods.", 1);

const hasCondition = (job: Job, type: string) =>
  (job.status?.conditions ?? []).some((c) => c.type === type && c.status === "True");

/** Complete, Failed, Terminating, Suspended, FailureTarget, SuccessCriteriaMet or Running. */
export function jobStatus(job: Job): string {
  if (hasCondition(job, "Complete")) return "Complete";
  if (hasCondition(job, "Failed")) return "Failed";
  if (job.metadata?.deletionTimestamp) return "Terminating";
  if (hasCondition(job, "Suspended")) return "Suspended";
  if (hasCondition(job, "FailureTarget")) return "FailureTarget";
  if (hasCondition(job, "SuccessCriteriaMet")) return "SuccessCriteriaMet";
  return "Running";
}

/** "1/3", or for jobs without completions "0/1" ("0/1 of 4" with parallelism above one). */
export function jobCompletions(job: Job): string {
  const succeeded = num(job.status?.succeeded);
  if (job.spec?.completions != null) return `${succeeded}/${job.spec.completions}`;
  const parallelism = job.spec?.parallelism ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

/** Time from start to completion, or to now while running; "" before the job starts. */
export function jobDuration(job: Job, now: Date): string {
  const start = parseTime(job.status?.startTime);
  if (start === undefined) return "";
  const end = parseTime(job.status?.completionTime);
  return formatDuration((end ?? now.getTime()) - start);
}

export const jobTable: TableConvertor = {
  columns: [
    nameColumn,
    col("Status", "string", "Overall state of the job."),
    col("Completions", "string", "Succeeded pods out of desired completions."),
    col("Duration", "string", "How long the job ran or has been running."),
    ageColumn,
    containersColumn,
    imagesColumn,
    selectorColumn,
  ],
  cells(obj, now) {
    const job = view<Job>(obj);
    const [names, images] = containerCells(job.spec?.template?.spec?.containers);
    return [
      obj.metadata.name,
      jobStatus(job),
      jobCompletions(job),
      jobDuration(job, now),
      ageOf(obj, now),
      names,
      images,
      formatLabelSelector(job.spec?.selector),
    ];
  },
};

export const cronJobTable: TableConvertor = {
  columns: [
    nameColumn,
    col("Schedule", "string", "Cron schedule."),
    col("Timezone", "string", "Time zone of the schedule."),
    col("Suspend", "boolean", "Whether new runs are suspended."),
    col("Active", "integer", "Number of running jobs."),
    col("Last Schedule", "string", "Time since a job was last scheduled."),
    ageColumn,
    containersColumn,
    imagesColumn,
    selectorColumn,
  ],
  cells(obj, now) {
    const cj = view<CronJob>(obj);
    const jobSpec = cj.spec?.jobTemplate?.spec;
    const [names, images] = containerCells(jobSpec?.template?.spec?.containers);
    const last = cj.status?.lastScheduleTime;
    return [
      obj.metadata.name,
      cj.spec?.schedule ?? "",
      cj.spec?.timeZone ?? "<none>",
      boolPtr(cj.spec?.suspend),
      (cj.status?.active ?? []).length,
      last ? formatAge(last, now) : "<none>",
      ageOf(obj, now),
      names,
      images,
      formatLabelSelector(jobSpec?.selector),
    ];
  },
};
