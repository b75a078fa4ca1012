import { describe, expect, it } from "vitest";
import { jobFromTemplate, jobNameFor } from "../../api/controllers/cronjob/job-template.ts";
import { syncCronJob } from "../../api/controllers/cronjob/sync.ts";
import type { KubeObject } from "../../api/types.ts";

const UID = "cj-uid";

function cronJob(spec: Record<string, unknown> = {}, status?: Record<string, unknown>): KubeObject {
  return {
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: { name: "backup", namespace: "ns", uid: UID, creationTimestamp: "2024-01-01T10:00:30Z" },
    spec: {
      schedule: "*/5 * * * *",
      concurrencyPolicy: "Allow",
      suspend: false,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
      jobTemplate: {
        metadata: { labels: { app: "backup" }, annotations: { note: "x" } },
        spec: { template: { spec: { restartPolicy: "Never", containers: [{ name: "c", image: "busybox" }] } } },
      },
      ...spec,
    },
    ...(status ? { status } : {}),
  };
}

function job(name: string, options: { condition?: "Complete" | "Failed"; start?: string; completion?: string } = {}) {
  const status: Record<string, unknown> = {};
  if (options.start) status.startTime = options.start;
  if (options.completion) status.completionTime = options.completion;
  if (options.condition) status.conditions = [{ type: options.condition, status: "True" }];
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: {
      name,
      namespace: "ns",
      uid: `${name}-uid`,
      creationTimestamp: options.start ?? "2024-01-01T10:00:00Z",
      ownerReferences: [{ apiVersion: "batch/v1", kind: "CronJob", name: "backup", uid: UID, controller: true }],
    },
    status,
  } as KubeObject;
}

describe("CronJob sync", () => {
  it("waits for the first schedule time, then starts a deterministically named Job", () => {
    const early = syncCronJob(cronJob(), [], new Date("2024-01-01T10:02:00Z"));
    expect(early.createJob).toBeUndefined();
    expect(early.requeueAfterMs).toBe(3 * 60_000);

    const due = syncCronJob(cronJob(), [], new Date("2024-01-01T10:05:10Z"));
    const scheduled = new Date("2024-01-01T10:05:00Z");
    expect(due.createJob?.metadata.name).toBe(`backup-${scheduled.getTime() / 60_000}`);
    expect(due.createJob?.metadata.annotations).toEqual({
      note: "x",
      "batch.kubernetes.io/cronjob-scheduled-timestamp": "2024-01-01T10:05:00Z",
    });
    expect(due.createJob?.metadata.labels).toEqual({ app: "backup" });
    expect(due.createJob?.metadata.ownerReferences).toEqual([
      { apiVersion: "batch/v1", kind: "CronJob", name: "backup", uid: UID, controller: true, blockOwnerDeletion: true },
    ]);
    expect(due.status.lastScheduleTime).toBe("2024-01-01T10:05:00Z");
    expect(due.requeueAfterMs).toBe(4 * 60_000 + 50_000);
    expect(due.events.map((e) => e.reason)).toEqual(["SuccessfulCreate"]);
  });

  it("does not start the same time twice", () => {
    const cj = cronJob({}, { lastScheduleTime: "2024-01-01T10:05:00Z" });
    expect(syncCronJob(cj, [], new Date("2024-01-01T10:06:00Z")).createJob).toBeUndefined();
    const existing = job(jobNameFor("backup", new Date("2024-01-01T10:05:00Z")));
    const plan = syncCronJob(cronJob(), [existing], new Date("2024-01-01T10:06:00Z"));
    expect(plan.createJob).toBeUndefined();
    expect(plan.status.lastScheduleTime).toBe("2024-01-01T10:05:00Z");
    expect(plan.status.active?.map((r) => r.name)).toEqual([existing.metadata.name]);
  });

  it("starts only the most recent of several missed times", () => {
    const plan = syncCronJob(cronJob(), [], new Date("2024-01-01T10:31:00Z"));
    expect(plan.createJob?.metadata.name).toBe(jobNameFor("backup", new Date("2024-01-01T10:30:00Z")));
  });

  it("honours startingDeadlineSeconds: times older than the deadline are not started", () => {
    const late = syncCronJob(cronJob({ startingDeadlineSeconds: 30 }), [], new Date("2024-01-01T10:06:00Z"));
    expect(late.createJob).toBeUndefined();
    expect(late.requeueAfterMs).toBe(4 * 60_000);
    const inTime = syncCronJob(cronJob({ startingDeadlineSeconds: 90 }), [], new Date("2024-01-01T10:06:00Z"));
    expect(inTime.createJob).toBeDefined();
  });

  it("Forbid skips while a Job runs; Replace deletes the running Job; Allow runs both", () => {
    const running = job("backup-1", { start: "2024-01-01T10:00:00Z" });
    const now = new Date("2024-01-01T10:05:05Z");
    const forbid = syncCronJob(cronJob({ concurrencyPolicy: "Forbid" }), [running], now);
    expect(forbid.createJob).toBeUndefined();
    expect(forbid.status.lastScheduleTime).toBeUndefined();
    expect(forbid.events.map((e) => e.reason)).toEqual(["JobAlreadyActive"]);

    const replace = syncCronJob(cronJob({ concurrencyPolicy: "Replace" }), [running], now);
    expect(replace.deleteJobs).toEqual([{ name: "backup-1", uid: "backup-1-uid" }]);
    expect(replace.createJob).toBeDefined();
    expect(replace.status.active).toBeUndefined();

    const allow = syncCronJob(cronJob(), [running], now);
    expect(allow.deleteJobs).toEqual([]);
    expect(allow.createJob).toBeDefined();
    expect(allow.status.active?.map((r) => r.name)).toEqual(["backup-1"]);
  });

  it("suspended: nothing starts and no wake-up is asked for", () => {
    const plan = syncCronJob(cronJob({ suspend: true }), [], new Date("2024-01-01T10:05:05Z"));
    expect(plan.createJob).toBeUndefined();
    expect(plan.requeueAfterMs).toBeUndefined();
  });

  it("tracks finished Jobs: lastSuccessfulTime, SawCompletedJob, history limits", () => {
    const jobs = [
      job("s1", { condition: "Complete", start: "2024-01-01T09:00:00Z", completion: "2024-01-01T09:01:00Z" }),
      job("s2", { condition: "Complete", start: "2024-01-01T09:10:00Z", completion: "2024-01-01T09:11:00Z" }),
      job("s3", { condition: "Complete", start: "2024-01-01T09:20:00Z", completion: "2024-01-01T09:21:00Z" }),
      job("s4", { condition: "Complete", start: "2024-01-01T09:30:00Z", completion: "2024-01-01T09:31:00Z" }),
      job("f1", { condition: "Failed", start: "2024-01-01T09:40:00Z" }),
      job("f2", { condition: "Failed", start: "2024-01-01T09:50:00Z" }),
    ];
    const cj = cronJob({ suspend: true }, { active: [{ kind: "Job", name: "s4", uid: "s4-uid" }] });
    const plan = syncCronJob(cj, jobs, new Date("2024-01-01T10:00:00Z"));
    expect(plan.deleteJobs.map((j) => j.name)).toEqual(["s1", "f1"]);
    expect(plan.status.lastSuccessfulTime).toBe("2024-01-01T09:31:00Z");
    expect(plan.status.active).toBeUndefined();
    expect(plan.events.map((e) => `${e.reason}: ${e.message}`)).toContain(
      "SawCompletedJob: Saw completed job: s4, condition: Complete",
    );
  });

  it("schedules in the CronJob's time zone and stamps the scheduled time with its offset", () => {
    const cj = cronJob({ schedule: "0 9 * * *", timeZone: "America/New_York" });
    const plan = syncCronJob(cj, [], new Date("2024-01-01T14:00:30Z"));
    expect(plan.createJob?.metadata.annotations?.["batch.kubernetes.io/cronjob-scheduled-timestamp"]).toBe(
      "2024-01-01T09:00:00-05:00",
    );
    const invalid = syncCronJob(cronJob({ timeZone: "Nowhere/Land" }), [], new Date("2024-01-01T10:05:00Z"));
    expect(invalid.createJob).toBeUndefined();
    expect(invalid.events.map((e) => e.reason)).toEqual(["UnknownTimeZone"]);
  });

  it("copies the job template's spec", () => {
    const body = jobFromTemplate(cronJob(), new Date("2024-01-01T10:05:00Z"));
    expect(body.spec).toEqual((cronJob().spec as { jobTemplate: { spec: unknown } }).jobTemplate.spec);
  });
});
