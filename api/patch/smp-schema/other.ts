// Patch metadata of the remaining built-in groups. Most of their kinds have none beyond
// ObjectMeta (RBAC rules and subjects, Ingress, NetworkPolicy, … are replaced whole).
import type { KindTable, TypeTable } from "./dsl.ts";
import { PLAIN, kind, mergeBy, nested, replaced } from "./dsl.ts";

const withStatusConditions = kind({ status: nested("ConditionsStatus") });

export const otherTypes: TypeTable = {
  // A selector is replaced whole so that removing a matchLabels entry cannot widen the budget.
  PodDisruptionBudget: kind({ spec: nested("PodDisruptionBudgetSpec"), status: nested("ConditionsStatus") }),
  PodDisruptionBudgetSpec: { selector: replaced },

  StatusConditionsObject: withStatusConditions,

  CSINode: kind({ spec: nested("CSINodeSpec") }),
  CSINodeSpec: { drivers: mergeBy("name") },

  WebhookConfiguration: kind({ webhooks: mergeBy("name", "Webhook") }),
  Webhook: { matchConditions: mergeBy("name") },
  AdmissionPolicy: kind({ spec: nested("AdmissionPolicySpec") }),
  AdmissionPolicySpec: { matchConditions: mergeBy("name"), variables: mergeBy("name") },

  ResourceClaim: kind({ status: nested("ResourceClaimStatus") }),
  ResourceClaimStatus: { reservedFor: mergeBy("uid") },
};

export const otherKinds: KindTable = {
  "policy/v1": { PodDisruptionBudget: "PodDisruptionBudget", Eviction: PLAIN },
  // autoscaling/v1 keeps HPA conditions in an annotation, so only v2 has the list.
  "autoscaling/v1": { HorizontalPodAutoscaler: PLAIN, Scale: PLAIN },
  "autoscaling/v2": { HorizontalPodAutoscaler: "StatusConditionsObject" },
  "networking.k8s.io/v1": {
    Ingress: PLAIN,
    IngressClass: PLAIN,
    NetworkPolicy: PLAIN,
    IPAddress: PLAIN,
    ServiceCIDR: "StatusConditionsObject",
  },
  "storage.k8s.io/v1": {
    StorageClass: PLAIN,
    CSIDriver: PLAIN,
    CSINode: "CSINode",
    CSIStorageCapacity: PLAIN,
    VolumeAttachment: PLAIN,
    VolumeAttributesClass: PLAIN,
  },
  "rbac.authorization.k8s.io/v1": { Role: PLAIN, ClusterRole: PLAIN, RoleBinding: PLAIN, ClusterRoleBinding: PLAIN },
  "admissionregistration.k8s.io/v1": {
    MutatingWebhookConfiguration: "WebhookConfiguration",
    ValidatingWebhookConfiguration: "WebhookConfiguration",
    ValidatingAdmissionPolicy: "AdmissionPolicy",
    ValidatingAdmissionPolicyBinding: PLAIN,
    MutatingAdmissionPolicy: "AdmissionPolicy",
    MutatingAdmissionPolicyBinding: PLAIN,
  },
  "flowcontrol.apiserver.k8s.io/v1": {
    FlowSchema: "StatusConditionsObject",
    PriorityLevelConfiguration: "StatusConditionsObject",
  },
  "apiregistration.k8s.io/v1": { APIService: "StatusConditionsObject" },
  // CRD status conditions are a list-map but carry no patch strategy.
  "apiextensions.k8s.io/v1": { CustomResourceDefinition: PLAIN },
  "certificates.k8s.io/v1": { CertificateSigningRequest: PLAIN },
  "coordination.k8s.io/v1": { Lease: PLAIN },
  "scheduling.k8s.io/v1": { PriorityClass: PLAIN },
  "node.k8s.io/v1": { RuntimeClass: PLAIN },
  "discovery.k8s.io/v1": { EndpointSlice: PLAIN },
  "events.k8s.io/v1": { Event: PLAIN },
  "resource.k8s.io/v1": {
    ResourceClaim: "ResourceClaim",
    ResourceClaimTemplate: PLAIN,
    ResourceSlice: PLAIN,
    DeviceClass: PLAIN,
  },
};
