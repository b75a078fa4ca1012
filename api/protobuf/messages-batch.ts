// Message descriptors as data, from Kubernetes' published generated.proto (k8s.io/api and
// k8s.io/apimachinery v0.36.3) and the JSON tags of the matching Go types. See descriptor.ts for the format.
import type { MessageTable } from "./descriptor.ts";

export const batchMessages: MessageTable = {
  "batch.v1.CronJob": [
    [1, "metadata", "meta.v1.ObjectMeta"],
    [2, "spec", "CronJobSpec"],
    [3, "status", "CronJobStatus"],
  ],
  "batch.v1.CronJobSpec": [
    [1, "schedule", "string", "k"],
    [8, "timeZone", "string", "k"],
    [2, "startingDeadlineSeconds", "int64", "k"],
    [3, "concurrencyPolicy", "string"],
    [4, "suspend", "bool", "k"],
    [5, "jobTemplate", "JobTemplateSpec"],
    [6, "successfulJobsHistoryLimit", "int32", "k"],
    [7, "failedJobsHistoryLimit", "int32", "k"],
  ],
  "batch.v1.CronJobStatus": [
    [1, "active", "core.v1.ObjectReference", "r"],
    [4, "lastScheduleTime", "time"],
    [5, "lastSuccessfulTime", "time"],
  ],
  "batch.v1.Job": [
    [1, "metadata", "meta.v1.ObjectMeta"],
    [2, "spec", "JobSpec"],
    [3, "status", "JobStatus"],
  ],
  "batch.v1.JobCondition": [
    [1, "type", "string", "k"],
    [2, "status", "string", "k"],
    [3, "lastProbeTime", "time"],
    [4, "lastTransitionTime", "time"],
    [5, "reason", "string"],
    [6, "message", "string"],
  ],
  "batch.v1.JobSpec": [
    [1, "parallelism", "int32", "k"],
    [2, "completions", "int32", "k"],
    [3, "activeDeadlineSeconds", "int64", "k"],
    [11, "podFailurePolicy", "PodFailurePolicy"],
    [16, "successPolicy", "SuccessPolicy"],
    [7, "backoffLimit", "int32", "k"],
    [12, "backoffLimitPerIndex", "int32", "k"],
    [13, "maxFailedIndexes", "int32", "k"],
    [4, "selector", "meta.v1.LabelSelector"],
    [5, "manualSelector", "bool", "k"],
    [6, "template", "core.v1.PodTemplateSpec"],
    [8, "ttlSecondsAfterFinished", "int32", "k"],
    [9, "completionMode", "string", "k"],
    [10, "suspend", "bool", "k"],
    [14, "podReplacementPolicy", "string", "k"],
    [15, "managedBy", "string", "k"],
  ],
  "batch.v1.JobStatus": [
    [1, "conditions", "JobCondition", "r"],
    [2, "startTime", "time"],
    [3, "completionTime", "time"],
    [4, "active", "int32"],
    [5, "succeeded", "int32"],
    [6, "failed", "int32"],
    [11, "terminating", "int32", "k"],
    [7, "completedIndexes", "string"],
    [10, "failedIndexes", "string", "k"],
    [8, "uncountedTerminatedPods", "UncountedTerminatedPods"],
    [9, "ready", "int32", "k"],
  ],
  "batch.v1.JobTemplateSpec": [
    [1, "metadata", "meta.v1.ObjectMeta"],
    [2, "spec", "JobSpec"],
  ],
  "batch.v1.PodFailurePolicy": [[1, "rules", "PodFailurePolicyRule", "r"]],
  "batch.v1.PodFailurePolicyOnExitCodesRequirement": [
    [1, "containerName", "string", "k"],
    [2, "operator", "string", "k"],
    [3, "values", "int32", "r"],
  ],
  "batch.v1.PodFailurePolicyOnPodConditionsPattern": [
    [1, "type", "string", "k"],
    [2, "status", "string", "k"],
  ],
  "batch.v1.PodFailurePolicyRule": [
    [1, "action", "string", "k"],
    [2, "onExitCodes", "PodFailurePolicyOnExitCodesRequirement"],
    [3, "onPodConditions", "PodFailurePolicyOnPodConditionsPattern", "r"],
  ],
  "batch.v1.SuccessPolicy": [[1, "rules", "SuccessPolicyRule", "r"]],
  "batch.v1.SuccessPolicyRule": [
    [1, "succeededIndexes", "string", "k"],
    [2, "succeededCount", "int32", "k"],
  ],
  "batch.v1.UncountedTerminatedPods": [
    [1, "succeeded", "string", "r"],
    [2, "failed", "string", "r"],
  ],
};
