// autoscaling/v2 resources.
import { validateHorizontalPodAutoscaler } from "../../validation/autoscaling.ts";
import { defaultHorizontalPodAutoscaler } from "../defaults/autoscaling.ts";
import { defineResource } from "../define.ts";
import type { ResourceDef } from "../types.ts";

const horizontalpodautoscalers = defineResource({
  group: "autoscaling",
  version: "v2",
  resource: "horizontalpodautoscalers",
  kind: "HorizontalPodAutoscaler",
  shortNames: ["hpa"],
  categories: ["all"],
  subresources: ["status"],
  strategy: {
    prepareForCreate: defaultHorizontalPodAutoscaler,
    prepareForUpdate: defaultHorizontalPodAutoscaler,
    validate: validateHorizontalPodAutoscaler,
  },
});

export const autoscalingResources: ResourceDef[] = [horizontalpodautoscalers];
