// apps/v1 resources.
import {
  validateControllerRevision,
  validateControllerRevisionUpdate,
  validateDaemonSet,
  validateDeployment,
  validateReplicaSet,
  validateSelectorUpdate,
  validateStatefulSet,
  validateStatefulSetUpdate,
  validateWorkloadStatus,
} from "../../validation/apps.ts";
import { defaultDaemonSet, defaultDeployment, defaultReplicaSet, defaultStatefulSet } from "../defaults/apps.ts";
import { defineResource, selectorsFor } from "../define.ts";
import type { ResourceDef, ScaleSpec } from "../types.ts";

const apps = { group: "apps", version: "v1" };

const replicaScale: ScaleSpec = {
  specReplicasPath: ".spec.replicas",
  statusReplicasPath: ".status.replicas",
  labelSelectorPath: ".status.selector",
};

const deployments = defineResource({
  ...apps,
  resource: "deployments",
  kind: "Deployment",
  shortNames: ["deploy"],
  categories: ["all"],
  subresources: ["status", "scale"],
  scale: replicaScale,
  strategy: {
    prepareForCreate: defaultDeployment,
    prepareForUpdate: defaultDeployment,
    validate: validateDeployment,
    validateUpdate: validateSelectorUpdate,
    validateStatusUpdate: validateWorkloadStatus,
  },
});

const replicasets = defineResource({
  ...apps,
  resource: "replicasets",
  kind: "ReplicaSet",
  shortNames: ["rs"],
  categories: ["all"],
  subresources: ["status", "scale"],
  scale: replicaScale,
  strategy: {
    prepareForCreate: defaultReplicaSet,
    prepareForUpdate: defaultReplicaSet,
    validate: validateReplicaSet,
    validateUpdate: validateSelectorUpdate,
    validateStatusUpdate: validateWorkloadStatus,
  },
  fieldSelectors: selectorsFor(["status.replicas"], { "status.replicas": "0" }),
});

const statefulsets = defineResource({
  ...apps,
  resource: "statefulsets",
  kind: "StatefulSet",
  shortNames: ["sts"],
  categories: ["all"],
  subresources: ["status", "scale"],
  scale: replicaScale,
  strategy: {
    prepareForCreate: defaultStatefulSet,
    prepareForUpdate: defaultStatefulSet,
    validate: validateStatefulSet,
    validateUpdate: validateStatefulSetUpdate,
    validateStatusUpdate: validateWorkloadStatus,
  },
});

const daemonsets = defineResource({
  ...apps,
  resource: "daemonsets",
  kind: "DaemonSet",
  shortNames: ["ds"],
  categories: ["all"],
  subresources: ["status"],
  strategy: {
    prepareForCreate: defaultDaemonSet,
    prepareForUpdate: defaultDaemonSet,
    validate: validateDaemonSet,
    validateUpdate: validateSelectorUpdate,
    validateStatusUpdate: validateWorkloadStatus,
  },
});

const controllerrevisions = defineResource({
  ...apps,
  resource: "controllerrevisions",
  kind: "ControllerRevision",
  strategy: { validate: validateControllerRevision, validateUpdate: validateControllerRevisionUpdate },
});

export const appsResources: ResourceDef[] = [deployments, replicasets, statefulsets, daemonsets, controllerrevisions];
