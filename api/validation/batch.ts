// batch/v1: Jobs and CronJobs.
import type { FieldError } from "../errors.ts";
import type { KubeObject } from "../types.ts";
import { enumField } from "./container.ts";
import { cronScheduleErrors } from "./cron.ts";
import { deepEqual } from "./equal.ts";
import { IMMUTABLE, invalidEach, invalidValue, required } from "./field.ts";
import { nonNegative } from "./numbers.ts";
import { validateTemplateMeta } from "./pod.ts";
import { validateLabelSelector } from "./selectors.ts";
import { asArray, asString, isRecord, type JsonObject } from "./shape.ts";
import { immutable, validateControllerSelector, validatePodTemplate } from "./template.ts";

export const JOB_CONTROLLER_UID_LABEL = "batch.kubernetes.io/controller-uid";
export const LEGACY_CONTROLLER_UID_LABEL = "controller-uid";
export const JOB_NAME_LABEL = "batch.kubernetes.io/job-name";
export const LEGACY_JOB_NAME_LABEL = "job-name";

const JOB_RESTART_POLICIES = ["OnFailure", "Never"];
const FAILURE_ACTIONS = ["FailJob", "FailIndex", "Ignore", "Count"];
const specOf = (obj: KubeObject): JsonObject => (isRecord(obj.spec) ? obj.spec : {});

/** JobSpec rules; inside CronJob templates no selector exists yet, so none is required. */
export function validateJobSpec(spec: unknown, path: string, options: { selectorRequired: boolean }): FieldError[] {
  if (!isRecord(spec)) return [required(path)];
  const errors: FieldError[] = [];
  for (const field of [
    "parallelism",
    "completions",
    "activeDeadlineSeconds",
    "backoffLimit",
    "ttlSecondsAfterFinished",
    "backoffLimitPerIndex",
    "maxFailedIndexes",
  ]) {
    errors.push(...nonNegative(spec[field], `${path}.${field}`));
  }
  errors.push(...enumField(spec.completionMode, `${path}.completionMode`, ["NonIndexed", "Indexed"]));
  if (spec.completionMode === "Indexed" && (spec.completions === undefined || spec.completions === null)) {
    errors.push(required(`${path}.completions`, "when completion mode is Indexed"));
  }
  if (options.selectorRequired) errors.push(...validateControllerSelector(spec.selector, `${path}.selector`, "job"));
  else errors.push(...validateLabelSelector(spec.selector, `${path}.selector`));
  errors.push(
    ...validatePodTemplate(spec.template, `${path}.template`, {
      selector: spec.selector ?? undefined,
      restartPolicies: JOB_RESTART_POLICIES,
    }),
  );
  const policy = spec.podFailurePolicy;
  if (isRecord(policy)) {
    for (const [i, rule] of asArray(policy.rules).entries()) {
      if (isRecord(rule))
        errors.push(...enumField(rule.action || "", `${path}.podFailurePolicy.rules[${i}].action`, FAILURE_ACTIONS));
    }
  }
  return errors;
}

export function validateJob(job: KubeObject): FieldError[] {
  const spec = specOf(job);
  const errors = validateJobSpec(job.spec, "spec", { selectorRequired: true });
  // Without manualSelector the selector must be the one generated from the Job's uid,
  // or a Job could adopt another Job's pods.
  if (
    spec.manualSelector !== true &&
    isRecord(spec.selector) &&
    !isGeneratedSelector(spec.selector, asString(job.metadata.uid))
  ) {
    errors.push(invalidValue("spec.selector", spec.selector, "`selector` not auto-generated"));
  }
  return errors;
}

function isGeneratedSelector(selector: JsonObject, uid: string): boolean {
  const labels = isRecord(selector.matchLabels) ? selector.matchLabels : {};
  const keys = Object.keys(labels);
  return (
    uid !== "" &&
    asArray(selector.matchExpressions).length === 0 &&
    keys.length > 0 &&
    keys.every((k) => (k === JOB_CONTROLLER_UID_LABEL || k === LEGACY_CONTROLLER_UID_LABEL) && labels[k] === uid)
  );
}

/** What a suspended Job that never started may still change in its pod template. */
const SCHEDULING_DIRECTIVES = ["nodeSelector", "affinity", "tolerations", "schedulingGates"];

export function validateJobUpdate(job: KubeObject, old: KubeObject): FieldError[] {
  const spec = specOf(job);
  const oldSpec = specOf(old);
  const errors = immutable(spec.selector, oldSpec.selector, "spec.selector");
  errors.push(...immutable(spec.completionMode, oldSpec.completionMode, "spec.completionMode"));
  errors.push(...immutable(spec.podFailurePolicy, oldSpec.podFailurePolicy, "spec.podFailurePolicy"));
  // Indexed Jobs may scale elastically, keeping completions equal to parallelism.
  const elastic = spec.completionMode === "Indexed" && spec.completions === spec.parallelism;
  if (!elastic) errors.push(...immutable(spec.completions, oldSpec.completions, "spec.completions"));
  const neverStarted = spec.suspend === true && !(isRecord(old.status) && old.status.startTime);
  if (!deepEqual(templateForCompare(spec.template, neverStarted), templateForCompare(oldSpec.template, neverStarted))) {
    errors.push(invalidValue("spec.template", "", IMMUTABLE));
  }
  return errors;
}

function templateForCompare(template: unknown, allowScheduling: boolean): unknown {
  if (!allowScheduling || !isRecord(template)) return template;
  const copy = structuredClone(template);
  if (isRecord(copy.metadata)) {
    delete copy.metadata.labels;
    delete copy.metadata.annotations;
  }
  if (isRecord(copy.spec)) for (const field of SCHEDULING_DIRECTIVES) delete copy.spec[field];
  return copy;
}

/** Room for the 11-character suffix the controller appends to Job names. */
const CRONJOB_NAME_MAX = 52;

export function validateCronJob(cronJob: KubeObject): FieldError[] {
  const spec = specOf(cronJob);
  const errors: FieldError[] = [];
  const name = asString(cronJob.metadata.name);
  if (name.length > CRONJOB_NAME_MAX)
    errors.push(invalidValue("metadata.name", name, `must be no more than ${CRONJOB_NAME_MAX} characters`));
  errors.push(...scheduleErrors(spec.schedule));
  errors.push(...timeZoneErrors(spec.timeZone));
  errors.push(...enumField(spec.concurrencyPolicy, "spec.concurrencyPolicy", ["Allow", "Forbid", "Replace"]));
  for (const field of ["startingDeadlineSeconds", "successfulJobsHistoryLimit", "failedJobsHistoryLimit"]) {
    errors.push(...nonNegative(spec[field], `spec.${field}`));
  }
  const jobTemplate = spec.jobTemplate;
  if (!isRecord(jobTemplate)) errors.push(required("spec.jobTemplate"));
  else {
    errors.push(...validateTemplateMeta(jobTemplate.metadata, "spec.jobTemplate.metadata"));
    errors.push(...validateJobSpec(jobTemplate.spec, "spec.jobTemplate.spec", { selectorRequired: false }));
  }
  return errors;
}

function scheduleErrors(schedule: unknown): FieldError[] {
  const path = "spec.schedule";
  const text = asString(schedule);
  if (text === "") return [required(path)];
  if (text.includes("TZ"))
    return [invalidValue(path, text, "cannot use TZ or CRON_TZ in schedule, use timeZone field instead")];
  return invalidEach(path, text, cronScheduleErrors(text));
}

function timeZoneErrors(timeZone: unknown): FieldError[] {
  if (timeZone === undefined || timeZone === null) return [];
  const path = "spec.timeZone";
  const zone = asString(timeZone);
  if (zone === "" || zone.toLowerCase() === "local") {
    return [
      invalidValue(
        path,
        timeZone,
        "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones",
      ),
    ];
  }
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return [];
  } catch {
    return [invalidValue(path, zone, `unknown time zone ${zone}`)];
  }
}
