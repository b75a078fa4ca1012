// batch/v1 resources.
import type { KubeObject } from "../../types.ts";
import { validateCronJob, validateJob, validateJobUpdate } from "../../validation/batch.ts";
import { defaultCronJob, defaultJob, generateJobSelector, labelJobFromTemplate } from "../defaults/batch.ts";
import { all, defineResource, selectorsFor } from "../define.ts";
import type { ResourceDef } from "../types.ts";

const batch = { group: "batch", version: "v1" };

const jobs = defineResource({
  ...batch,
  resource: "jobs",
  kind: "Job",
  categories: ["all"],
  subresources: ["status"],
  strategy: {
    prepareForCreate: all<[KubeObject]>(defaultJob, generateJobSelector, labelJobFromTemplate),
    prepareForUpdate: defaultJob,
    validate: validateJob,
    validateUpdate: validateJobUpdate,
  },
  fieldSelectors: selectorsFor(["status.successful"], { "status.successful": "0" }),
});

const cronjobs = defineResource({
  ...batch,
  resource: "cronjobs",
  kind: "CronJob",
  shortNames: ["cj"],
  categories: ["all"],
  subresources: ["status"],
  strategy: { prepareForCreate: defaultCronJob, prepareForUpdate: defaultCronJob, validate: validateCronJob },
});

export const batchResources: ResourceDef[] = [jobs, cronjobs];
