// The Pod a Job creates from its template: `<job>-` names, the Job's labels, a controller
// reference, the tracking finalizer and, for Indexed Jobs, the completion index (annotation,
// label, JOB_COMPLETION_INDEX in every container, hostname `<job>-<index>`).
import type { Container, EnvVar, PodSpec } from "kubernetes-types/core/v1";
import type { KubeObject } from "../../types.ts";
import { isRecord } from "../../validation/shape.ts";
import { controllerRefTo } from "../gc/owner-refs.ts";
import { COMPLETION_INDEX_ENV, COMPLETION_INDEX_KEY, JOB_TRACKING_FINALIZER } from "./pods.ts";

const INDEX_ENV: EnvVar = {
  name: COMPLETION_INDEX_ENV,
  valueFrom: { fieldRef: { apiVersion: "v1", fieldPath: `metadata.annotations['${COMPLETION_INDEX_KEY}']` } },
};

function withIndexEnv(containers: Container[] | undefined): Container[] | undefined {
  return containers?.map((c) => {
    if ((c.env ?? []).some((e) => e.name === COMPLETION_INDEX_ENV)) return c;
    return { ...c, env: [...(c.env ?? []), INDEX_ENV] };
  });
}

export function podForJob(job: KubeObject, index?: number): KubeObject {
  const jobSpec = isRecord(job.spec) ? job.spec : {};
  const template = isRecord(jobSpec.template) ? structuredClone(jobSpec.template) : {};
  const meta = isRecord(template.metadata) ? template.metadata : {};
  const spec = (isRecord(template.spec) ? template.spec : {}) as unknown as PodSpec;
  const jobName = job.metadata.name ?? "";
  const labels = { ...((isRecord(meta.labels) ? meta.labels : {}) as Record<string, string>) };
  const annotations = { ...((isRecord(meta.annotations) ? meta.annotations : {}) as Record<string, string>) };
  let generateName = `${jobName}-`;
  if (index !== undefined) {
    annotations[COMPLETION_INDEX_KEY] = String(index);
    labels[COMPLETION_INDEX_KEY] = String(index);
    generateName = `${jobName}-${index}-`;
    spec.hostname = `${jobName}-${index}`;
    spec.containers = withIndexEnv(spec.containers) ?? [];
    if (spec.initContainers) spec.initContainers = withIndexEnv(spec.initContainers);
  }
  const metadata: KubeObject["metadata"] = {
    generateName,
    labels,
    ownerReferences: [controllerRefTo(job)],
    finalizers: [...((meta.finalizers as string[] | undefined) ?? []), JOB_TRACKING_FINALIZER],
  };
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  return { apiVersion: "v1", kind: "Pod", metadata, spec };
}
