// The Job a CronJob starts for one scheduled time: a deterministic name (so a schedule is
// never run twice), the template's labels and annotations, and the scheduled-time annotation.
import type { KubeObject } from "../../types.ts";
import { isRecord } from "../../validation/shape.ts";
import { controllerRefTo } from "../gc/owner-refs.ts";
import { formatInZone } from "./zoned-time.ts";

export const SCHEDULED_TIMESTAMP_ANNOTATION = "batch.kubernetes.io/cronjob-scheduled-timestamp";

/** `<cronjob>-<scheduled time in minutes since the epoch>`, as Kubernetes names them. */
export const jobNameFor = (cronJobName: string, scheduledTime: Date): string =>
  `${cronJobName}-${Math.floor(scheduledTime.getTime() / 60_000)}`;

export function jobFromTemplate(cronJob: KubeObject, scheduledTime: Date): KubeObject {
  const spec = isRecord(cronJob.spec) ? cronJob.spec : {};
  const template = isRecord(spec.jobTemplate) ? spec.jobTemplate : {};
  const meta = isRecord(template.metadata) ? template.metadata : {};
  const timeZone = typeof spec.timeZone === "string" ? spec.timeZone : undefined;
  const labels = isRecord(meta.labels) ? { ...(meta.labels as Record<string, string>) } : {};
  const annotations = isRecord(meta.annotations) ? { ...(meta.annotations as Record<string, string>) } : {};
  annotations[SCHEDULED_TIMESTAMP_ANNOTATION] = formatInZone(scheduledTime.getTime(), timeZone);
  const metadata: KubeObject["metadata"] = {
    name: jobNameFor(cronJob.metadata.name ?? "", scheduledTime),
    annotations,
    ownerReferences: [controllerRefTo(cronJob)],
  };
  if (Object.keys(labels).length > 0) metadata.labels = labels;
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata,
    spec: structuredClone(isRecord(template.spec) ? template.spec : {}),
  };
}
