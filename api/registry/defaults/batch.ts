// batch/v1 defaulting, and the selector a Job gets from its own uid.
import type { KubeObject } from "../../types.ts";
import {
  JOB_CONTROLLER_UID_LABEL,
  JOB_NAME_LABEL,
  LEGACY_CONTROLLER_UID_LABEL,
  LEGACY_JOB_NAME_LABEL,
} from "../../validation/batch.ts";
import { labelValue } from "../../validation/names.ts";
import { isRecord, type JsonObject } from "../../validation/shape.ts";
import { defaultPodTemplate } from "./pod.ts";
import { child, existing, isUnset, setDefault, setDefaultString } from "./set.ts";

export function defaultJobSpec(spec: JsonObject): void {
  // Neither set: one pod, run once. Only parallelism set: a work queue (completions stay unset).
  if (isUnset(spec.completions) && isUnset(spec.parallelism)) spec.completions = 1;
  setDefault(spec, "parallelism", 1);
  setDefault(spec, "backoffLimit", isUnset(spec.backoffLimitPerIndex) ? 6 : 2147483647);
  setDefaultString(spec, "completionMode", "NonIndexed");
  setDefault(spec, "suspend", false);
  // Pods stuck terminating must be gone before replacements start, when failures are being classified.
  setDefaultString(spec, "podReplacementPolicy", isUnset(spec.podFailurePolicy) ? "TerminatingOrFailed" : "Failed");
  defaultPodTemplate(spec.template);
}

/**
 * Without manualSelector the Job selects its pods by its own uid, so two Jobs
 * can never adopt each other's pods. Needs metadata.uid, which the store sets first.
 */
export function generateJobSelector(job: KubeObject): void {
  const spec = isRecord(job.spec) ? job.spec : undefined;
  if (!spec || spec.manualSelector === true) return;
  const uid = job.metadata.uid;
  const name = job.metadata.name;
  if (typeof uid !== "string" || uid === "") return;
  const template = child(spec, "template");
  const meta = template && child(template, "metadata");
  const labels = meta && child(meta, "labels");
  if (labels) {
    labels[LEGACY_CONTROLLER_UID_LABEL] = uid;
    labels[JOB_CONTROLLER_UID_LABEL] = uid;
    if (typeof name === "string" && labelValue(name).length === 0) {
      labels[LEGACY_JOB_NAME_LABEL] = name;
      labels[JOB_NAME_LABEL] = name;
    }
  }
  if (isUnset(spec.selector)) spec.selector = { matchLabels: { [JOB_CONTROLLER_UID_LABEL]: uid } };
}

/** An unlabelled Job takes its template's labels (Kubernetes shows them so on read). */
export function labelJobFromTemplate(job: KubeObject): void {
  const existingLabels = job.metadata.labels;
  if (isRecord(existingLabels) && Object.keys(existingLabels).length > 0) return;
  const spec = isRecord(job.spec) ? job.spec : undefined;
  const template = spec && existing(spec, "template");
  const labels = template && isRecord(template.metadata) ? template.metadata.labels : undefined;
  if (isRecord(labels) && Object.keys(labels).length > 0)
    job.metadata.labels = { ...(labels as Record<string, string>) };
}

export function defaultJob(job: KubeObject): void {
  if (isRecord(job.spec)) defaultJobSpec(job.spec);
}

export function defaultCronJob(cronJob: KubeObject): void {
  const spec = isRecord(cronJob.spec) ? cronJob.spec : undefined;
  if (!spec) return;
  setDefaultString(spec, "concurrencyPolicy", "Allow");
  setDefault(spec, "suspend", false);
  setDefault(spec, "successfulJobsHistoryLimit", 3);
  setDefault(spec, "failedJobsHistoryLimit", 1);
  // Only the pod template inside is defaulted; Job-level defaults apply when the Job is created.
  const jobTemplate = existing(spec, "jobTemplate");
  const jobSpec = jobTemplate && existing(jobTemplate, "spec");
  if (jobSpec) defaultPodTemplate(jobSpec.template);
}
