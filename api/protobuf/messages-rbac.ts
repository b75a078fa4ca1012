// Message descriptors as data, from Kubernetes' published generated.proto (k8s.io/api and
// k8s.io/apimachinery v0.36.3) and the JSON tags of the matching Go types. See descriptor.ts for the format.
import type { MessageTable } from "./descriptor.ts";

export const rbacMessages: MessageTable = {
  "rbac.v1.AggregationRule": [[1, "clusterRoleSelectors", "meta.v1.LabelSelector", "r"]],
  "rbac.v1.ClusterRole": [
    [1, "metadata", "meta.v1.ObjectMeta"],
    [2, "rules", "PolicyRule", "r"],
    [3, "aggregationRule", "AggregationRule"],
  ],
  "rbac.v1.ClusterRoleBinding": [
    [1, "metadata", "meta.v1.ObjectMeta"],
    [2, "subjects", "Subject", "r"],
    [3, "roleRef", "RoleRef"],
  ],
  "rbac.v1.PolicyRule": [
    [1, "verbs", "string", "r"],
    [2, "apiGroups", "string", "r"],
    [3, "resources", "string", "r"],
    [4, "resourceNames", "string", "r"],
    [5, "nonResourceURLs", "string", "r"],
  ],
  "rbac.v1.Role": [
    [1, "metadata", "meta.v1.ObjectMeta"],
    [2, "rules", "PolicyRule", "r"],
  ],
  "rbac.v1.RoleBinding": [
    [1, "metadata", "meta.v1.ObjectMeta"],
    [2, "subjects", "Subject", "r"],
    [3, "roleRef", "RoleRef"],
  ],
  "rbac.v1.RoleRef": [
    [1, "apiGroup", "string", "k"],
    [2, "kind", "string", "k"],
    [3, "name", "string", "k"],
  ],
  "rbac.v1.Subject": [
    [1, "kind", "string", "k"],
    [2, "apiGroup", "string"],
    [3, "name", "string", "k"],
    [4, "namespace", "string"],
  ],
};
