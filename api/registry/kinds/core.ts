// core/v1 ("" group) resources.
import type { KubeObject } from "../../types.ts";
import {
  validateConfigMap,
  validateConfigMapUpdate,
  validateSecret,
  validateSecretUpdate,
} from "../../validation/config.ts";
import { validateEndpoints } from "../../validation/endpoints.ts";
import { validateCoreEvent } from "../../validation/event.ts";
import { validateNamespace } from "../../validation/namespace.ts";
import { nameIsDNS1035Label, nameIsDNSLabel, nameIsPathSegment } from "../../validation/names.ts";
import { validateNode, validateNodeUpdate } from "../../validation/node.ts";
import { validatePod } from "../../validation/pod.ts";
import {
  validateEphemeralContainersOnCreate,
  validateEphemeralContainersUpdate,
} from "../../validation/ephemeral-containers.ts";
import { validatePodStatusUpdate, validatePodUpdate } from "../../validation/pod-update.ts";
import { validateLimitRange, validateResourceQuota, validateResourceQuotaStatus } from "../../validation/quota.ts";
import { validateService, validateServiceUpdate } from "../../validation/service.ts";
import {
  validatePersistentVolume,
  validatePersistentVolumeClaim,
  validatePersistentVolumeClaimUpdate,
  validatePersistentVolumeUpdate,
} from "../../validation/storage.ts";
import {
  defaultEndpoints,
  defaultLimitRange,
  defaultPersistentVolume,
  defaultPersistentVolumeClaim,
  defaultSecret,
  initialClaimStatus,
  initialVolumeStatus,
  prepareNamespaceCreate,
  prepareNamespaceUpdate,
} from "../defaults/core.ts";
import { admitPod, defaultPod } from "../defaults/pod.ts";
import { podQOSClass } from "../defaults/qos.ts";
import { defaultService, initialServiceStatus, keepAllocatedServiceFields } from "../defaults/service.ts";
import { all, byPath, defineResource, selectorsFor } from "../define.ts";
import { protectClaim, protectVolume } from "../../controllers/volumes/protection.ts";
import type { ResourceDef } from "../types.ts";

const core = { group: "", version: "v1" };

const namespaces = defineResource({
  ...core,
  resource: "namespaces",
  kind: "Namespace",
  namespaced: false,
  shortNames: ["ns"],
  // Namespaces are deleted one at a time (each has contents to drain), so no deletecollection.
  verbs: ["create", "delete", "get", "list", "patch", "update", "watch"],
  subresources: ["status"],
  nameRule: nameIsDNSLabel,
  strategy: {
    prepareForCreate: prepareNamespaceCreate,
    prepareForUpdate: prepareNamespaceUpdate,
    validate: validateNamespace,
  },
  fieldSelectors: selectorsFor(["status.phase"]),
});

const pods = defineResource({
  ...core,
  resource: "pods",
  kind: "Pod",
  shortNames: ["po"],
  categories: ["all"],
  subresources: ["status", "binding", "eviction", "log", "exec", "attach", "portforward", "ephemeralcontainers"],
  strategy: {
    prepareForCreate: (pod: KubeObject) => {
      defaultPod(pod);
      admitPod(pod);
      pod.status = { phase: "Pending", qosClass: podQOSClass(pod.spec) };
    },
    prepareForUpdate: defaultPod,
    validate: validatePod,
    validateCreate: validateEphemeralContainersOnCreate,
    validateUpdate: validatePodUpdate,
    validateStatusUpdate: validatePodStatusUpdate,
    validateEphemeralContainersUpdate,
  },
  fieldSelectors: selectorsFor(
    [
      "spec.nodeName",
      "spec.restartPolicy",
      "spec.schedulerName",
      "spec.serviceAccountName",
      "spec.hostNetwork",
      "status.phase",
      "status.podIP",
      "status.nominatedNodeName",
    ],
    { "spec.hostNetwork": "false" },
  ),
});

const services = defineResource({
  ...core,
  resource: "services",
  kind: "Service",
  shortNames: ["svc"],
  categories: ["all"],
  subresources: ["status"],
  nameRule: nameIsDNS1035Label,
  strategy: {
    prepareForCreate: all(defaultService, initialServiceStatus),
    prepareForUpdate: (svc: KubeObject, old: KubeObject) => {
      keepAllocatedServiceFields(svc, old);
      defaultService(svc);
    },
    validate: validateService,
    validateUpdate: validateServiceUpdate,
  },
});

const endpoints = defineResource({
  ...core,
  resource: "endpoints",
  singular: "endpoints",
  kind: "Endpoints",
  shortNames: ["ep"],
  strategy: { prepareForCreate: defaultEndpoints, prepareForUpdate: defaultEndpoints, validate: validateEndpoints },
});

const configmaps = defineResource({
  ...core,
  resource: "configmaps",
  kind: "ConfigMap",
  shortNames: ["cm"],
  strategy: { validate: validateConfigMap, validateUpdate: validateConfigMapUpdate },
});

const secrets = defineResource({
  ...core,
  resource: "secrets",
  kind: "Secret",
  strategy: {
    prepareForCreate: defaultSecret,
    prepareForUpdate: defaultSecret,
    validate: validateSecret,
    validateUpdate: validateSecretUpdate,
  },
  fieldSelectors: selectorsFor(["type"]),
});

const serviceaccounts = defineResource({
  ...core,
  resource: "serviceaccounts",
  kind: "ServiceAccount",
  shortNames: ["sa"],
});

const events = defineResource({
  ...core,
  resource: "events",
  kind: "Event",
  shortNames: ["ev"],
  // Event names derive from the object they describe, which may itself be a path-segment name.
  nameRule: nameIsPathSegment,
  strategy: { validate: validateCoreEvent },
  fieldSelectors: {
    ...selectorsFor([
      "involvedObject.kind",
      "involvedObject.namespace",
      "involvedObject.name",
      "involvedObject.uid",
      "involvedObject.apiVersion",
      "involvedObject.resourceVersion",
      "involvedObject.fieldPath",
      "reason",
      "reportingComponent",
      "type",
    ]),
    source: byPath("source.component"),
  },
});

const nodes = defineResource({
  ...core,
  resource: "nodes",
  kind: "Node",
  namespaced: false,
  shortNames: ["no"],
  subresources: ["status"],
  strategy: { validate: validateNode, validateUpdate: validateNodeUpdate },
  fieldSelectors: selectorsFor(["spec.unschedulable"], { "spec.unschedulable": "false" }),
});

const persistentvolumes = defineResource({
  ...core,
  resource: "persistentvolumes",
  kind: "PersistentVolume",
  namespaced: false,
  shortNames: ["pv"],
  subresources: ["status"],
  strategy: {
    prepareForCreate: all(defaultPersistentVolume, initialVolumeStatus, protectVolume),
    prepareForUpdate: defaultPersistentVolume,
    validate: validatePersistentVolume,
    validateUpdate: validatePersistentVolumeUpdate,
  },
});

const persistentvolumeclaims = defineResource({
  ...core,
  resource: "persistentvolumeclaims",
  kind: "PersistentVolumeClaim",
  shortNames: ["pvc"],
  subresources: ["status"],
  strategy: {
    prepareForCreate: all(defaultPersistentVolumeClaim, initialClaimStatus, protectClaim),
    prepareForUpdate: defaultPersistentVolumeClaim,
    validate: validatePersistentVolumeClaim,
    validateUpdate: validatePersistentVolumeClaimUpdate,
  },
});

const resourcequotas = defineResource({
  ...core,
  resource: "resourcequotas",
  kind: "ResourceQuota",
  shortNames: ["quota"],
  subresources: ["status"],
  strategy: { validate: validateResourceQuota, validateStatusUpdate: validateResourceQuotaStatus },
});

const limitranges = defineResource({
  ...core,
  resource: "limitranges",
  kind: "LimitRange",
  shortNames: ["limits"],
  strategy: { prepareForCreate: defaultLimitRange, prepareForUpdate: defaultLimitRange, validate: validateLimitRange },
});

export const coreResources: ResourceDef[] = [
  namespaces,
  pods,
  services,
  endpoints,
  configmaps,
  secrets,
  serviceaccounts,
  events,
  nodes,
  persistentvolumes,
  persistentvolumeclaims,
  resourcequotas,
  limitranges,
];
