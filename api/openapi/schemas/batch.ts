// batch/v1: Job and CronJob.
import type {
  CronJob,
  CronJobSpec,
  CronJobStatus,
  Job,
  JobCondition,
  JobSpec,
  JobStatus,
  JobTemplateSpec,
  UncountedTerminatedPods,
} from "kubernetes-types/batch/v1";
import { complete, f, kind, req, type SchemaModule } from "./dsl.ts";

export const batch: SchemaModule = {
  pkg: "io.k8s.api.batch.v1",
  types: {
    Job: kind<Job>("Runs pods until a number of them complete successfully.", {
      spec: f("JobSpec", "Desired state."),
      status: f("JobStatus", "Observed state."),
    }),
    JobSpec: complete<JobSpec>("Desired state of a job.", {
      activeDeadlineSeconds: f("int64", "Seconds the job may run before it is failed."),
      backoffLimit: f("int32", "Retries before the job is failed; default 6."),
      backoffLimitPerIndex: f("int32", "Retries per index (Indexed jobs)."),
      completionMode: f("string", "NonIndexed (default) or Indexed.", { enum: ["NonIndexed", "Indexed"] }),
      completions: f("int32", "Successful pods needed; default 1."),
      managedBy: f("string", "Controller responsible for the job, when not the built-in one."),
      manualSelector: f("boolean", "Use the given selector instead of a generated one."),
      maxFailedIndexes: f("int32", "Failed indexes tolerated before the job fails."),
      parallelism: f("int32", "Pods running at once; default 1."),
      podFailurePolicy: f("object", "Rules deciding how pod failures count."),
      podReplacementPolicy: f("string", "When to create replacement pods.", {
        enum: ["TerminatingOrFailed", "Failed"],
      }),
      selector: f("LabelSelector", "Pods of the job; generated unless manualSelector."),
      successPolicy: f("object", "Rules declaring the job succeeded early."),
      suspend: f("boolean", "Do not create pods (and delete running ones) while true."),
      template: req("PodTemplateSpec", "Pods to run; restartPolicy must be Never or OnFailure."),
      ttlSecondsAfterFinished: f("int32", "Delete the job this long after it finishes."),
    }),
    JobStatus: complete<JobStatus>("Observed state of a job.", {
      active: f("int32", "Running pods."),
      completedIndexes: f("string", "Completed indexes, e.g. 1,3-5."),
      completionTime: f("Time", "When the job completed."),
      conditions: f("[]JobCondition", "Current conditions: Complete, Failed, Suspended…", { listType: "atomic" }),
      failed: f("int32", "Failed pods."),
      failedIndexes: f("string", "Failed indexes."),
      ready: f("int32", "Ready pods."),
      startTime: f("Time", "When the job started."),
      succeeded: f("int32", "Succeeded pods."),
      terminating: f("int32", "Terminating pods."),
      uncountedTerminatedPods: f("UncountedTerminatedPods", "Finished pods not yet counted."),
    }),
    JobCondition: complete<JobCondition>("A condition of a job.", {
      lastProbeTime: f("Time", "When last checked."),
      lastTransitionTime: f("Time", "When status last changed."),
      message: f("string", "Details."),
      reason: f("string", "CamelCase reason."),
      status: req("string", "True, False or Unknown."),
      type: req("string", "Complete, Failed, Suspended, FailureTarget or SuccessCriteriaMet."),
    }),
    UncountedTerminatedPods: complete<UncountedTerminatedPods>("Finished pods not yet counted.", {
      failed: f("[]string", "UIDs of failed pods.", { listType: "set" }),
      succeeded: f("[]string", "UIDs of succeeded pods.", { listType: "set" }),
    }),
    CronJob: kind<CronJob>("Creates Jobs on a schedule.", {
      spec: f("CronJobSpec", "Desired state."),
      status: f("CronJobStatus", "Observed state."),
    }),
    CronJobSpec: complete<CronJobSpec>("Desired state of a cron job.", {
      concurrencyPolicy: f("string", "Allow (default), Forbid or Replace overlapping runs.", {
        enum: ["Allow", "Forbid", "Replace"],
      }),
      failedJobsHistoryLimit: f("int32", "Failed jobs kept; default 1."),
      jobTemplate: req("JobTemplateSpec", "Job to create."),
      schedule: req("string", 'Cron schedule, e.g. "*/5 * * * *" or "@hourly".'),
      startingDeadlineSeconds: f("int64", "A run missed by more than this is skipped."),
      successfulJobsHistoryLimit: f("int32", "Successful jobs kept; default 3."),
      suspend: f("boolean", "Do not start new runs while true."),
      timeZone: f("string", "IANA time zone of the schedule, e.g. Europe/Paris; default the controller's."),
    }),
    CronJobStatus: complete<CronJobStatus>("Observed state of a cron job.", {
      active: f("[]ObjectReference", "Running jobs.", { listType: "atomic" }),
      lastScheduleTime: f("Time", "When a job was last scheduled."),
      lastSuccessfulTime: f("Time", "When a job last succeeded."),
    }),
    JobTemplateSpec: complete<JobTemplateSpec>("The jobs a cron job creates.", {
      metadata: f("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", "Labels and annotations of the jobs."),
      spec: f("JobSpec", "Spec of the jobs."),
    }),
  },
};
