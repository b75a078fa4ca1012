// Message descriptors as data, from Kubernetes' published generated.proto (k8s.io/api and
// k8s.io/apimachinery v0.36.3) and the JSON tags of the matching Go types. See descriptor.ts for the format.
import type { MessageTable } from "./descriptor.ts";

export const metaMessages: MessageTable = {
  "meta.v1.Condition": [
    [1, "type", "string", "k"],
    [2, "status", "string", "k"],
    [3, "observedGeneration", "int64"],
    [4, "lastTransitionTime", "time"],
    [5, "reason", "string", "k"],
    [6, "message", "string", "k"],
  ],
  "meta.v1.DeleteOptions": [
    [1, "gracePeriodSeconds", "int64", "k"],
    [2, "preconditions", "Preconditions"],
    [3, "orphanDependents", "bool", "k"],
    [4, "propagationPolicy", "string", "k"],
    [5, "dryRun", "string", "r"],
    [6, "ignoreStoreReadErrorWithClusterBreakingPotential", "bool", "k"],
  ],
  "meta.v1.FieldSelectorRequirement": [
    [1, "key", "string", "k"],
    [2, "operator", "string", "k"],
    [3, "values", "string", "r"],
  ],
  "meta.v1.LabelSelector": [
    [1, "matchLabels", "map:string"],
    [2, "matchExpressions", "LabelSelectorRequirement", "r"],
  ],
  "meta.v1.LabelSelectorRequirement": [
    [1, "key", "string", "k"],
    [2, "operator", "string", "k"],
    [3, "values", "string", "r"],
  ],
  "meta.v1.ManagedFieldsEntry": [
    [1, "manager", "string"],
    [2, "operation", "string"],
    [3, "apiVersion", "string"],
    [4, "time", "time"],
    [6, "fieldsType", "string"],
    [7, "fieldsV1", "fieldsv1"],
    [8, "subresource", "string"],
  ],
  "meta.v1.ObjectMeta": [
    [1, "name", "string"],
    [2, "generateName", "string"],
    [3, "namespace", "string"],
    [4, "selfLink", "string"],
    [5, "uid", "string"],
    [6, "resourceVersion", "string"],
    [7, "generation", "int64"],
    [8, "creationTimestamp", "time"],
    [9, "deletionTimestamp", "time"],
    [10, "deletionGracePeriodSeconds", "int64", "k"],
    [11, "labels", "map:string"],
    [12, "annotations", "map:string"],
    [13, "ownerReferences", "OwnerReference", "r"],
    [14, "finalizers", "string", "r"],
    [17, "managedFields", "ManagedFieldsEntry", "r"],
  ],
  "meta.v1.OwnerReference": [
    [5, "apiVersion", "string", "k"],
    [1, "kind", "string", "k"],
    [3, "name", "string", "k"],
    [4, "uid", "string", "k"],
    [6, "controller", "bool", "k"],
    [7, "blockOwnerDeletion", "bool", "k"],
  ],
  "meta.v1.Preconditions": [
    [1, "uid", "string", "k"],
    [2, "resourceVersion", "string", "k"],
  ],
};
