// Message descriptors as data, from Kubernetes' published generated.proto (k8s.io/api and
// k8s.io/apimachinery v0.36.3) and the JSON tags of the matching Go types. See descriptor.ts for the format.
import type { MessageTable } from "./descriptor.ts";

export const policyMessages: MessageTable = {
  "policy.v1.Eviction": [
    [1, "metadata", "meta.v1.ObjectMeta"],
    [2, "deleteOptions", "meta.v1.DeleteOptions"],
  ],
  "policy.v1.PodDisruptionBudget": [
    [1, "metadata", "meta.v1.ObjectMeta"],
    [2, "spec", "PodDisruptionBudgetSpec"],
    [3, "status", "PodDisruptionBudgetStatus"],
  ],
  "policy.v1.PodDisruptionBudgetSpec": [
    [1, "minAvailable", "intorstring"],
    [2, "selector", "meta.v1.LabelSelector"],
    [3, "maxUnavailable", "intorstring"],
    [4, "unhealthyPodEvictionPolicy", "string", "k"],
  ],
  "policy.v1.PodDisruptionBudgetStatus": [
    [1, "observedGeneration", "int64"],
    [2, "disruptedPods", "map:time"],
    [3, "disruptionsAllowed", "int32", "k"],
    [4, "currentHealthy", "int32", "k"],
    [5, "desiredHealthy", "int32", "k"],
    [6, "expectedPods", "int32", "k"],
    [7, "conditions", "meta.v1.Condition", "r"],
  ],
};
