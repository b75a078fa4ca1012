// scheduling.k8s.io/v1 resources.
import type { KubeObject } from "../../types.ts";
import { validatePriorityClass, validatePriorityClassUpdate } from "../../validation/scheduling.ts";
import { setDefaultString } from "../defaults/set.ts";
import { defineResource } from "../define.ts";
import type { ResourceDef } from "../types.ts";

const defaultPriorityClass = (pc: KubeObject) => setDefaultString(pc, "preemptionPolicy", "PreemptLowerPriority");

const priorityclasses = defineResource({
  group: "scheduling.k8s.io",
  version: "v1",
  resource: "priorityclasses",
  kind: "PriorityClass",
  namespaced: false,
  shortNames: ["pc"],
  strategy: {
    prepareForCreate: defaultPriorityClass,
    prepareForUpdate: defaultPriorityClass,
    validate: validatePriorityClass,
    validateUpdate: validatePriorityClassUpdate,
  },
});

export const schedulingResources: ResourceDef[] = [priorityclasses];
