// apps/v1: Deployments, ReplicaSets, StatefulSets, DaemonSets, ControllerRevisions.
import type { FieldError } from "../errors.ts";
import type { KubeObject } from "../types.ts";
import { enumField } from "./container.ts";
import { deepEqual } from "./equal.ts";
import { forbidden, IMMUTABLE, invalidValue, notSupported, required } from "./field.ts";
import { intOrPercent, isZeroIntOrPercent, nonNegative } from "./numbers.ts";
import { isRecord, type JsonObject } from "./shape.ts";
import { validateClaimSpec } from "./storage.ts";
import { validateTemplateMeta } from "./pod.ts";
import { immutable, validateControllerSelector, validatePodTemplate } from "./template.ts";

const ALWAYS = ["Always"];
const specOf = (obj: KubeObject): JsonObject => (isRecord(obj.spec) ? obj.spec : {});
const statusOf = (obj: KubeObject): JsonObject => (isRecord(obj.status) ? obj.status : {});

/** replicas, minReadySeconds, revisionHistoryLimit: the counters every workload has. */
function counters(spec: JsonObject, fields: readonly string[]): FieldError[] {
  return fields.flatMap((f) => nonNegative(spec[f], `spec.${f}`));
}

export function validateDeployment(obj: KubeObject): FieldError[] {
  const spec = specOf(obj);
  const errors = counters(spec, ["replicas", "minReadySeconds", "revisionHistoryLimit", "progressDeadlineSeconds"]);
  errors.push(...validateControllerSelector(spec.selector, "spec.selector", "deployment"));
  errors.push(
    ...validatePodTemplate(spec.template, "spec.template", {
      selector: spec.selector,
      restartPolicies: ALWAYS,
      noActiveDeadline: "activeDeadlineSeconds in ReplicaSet is not Supported",
    }),
  );
  errors.push(...validateDeploymentStrategy(spec.strategy));
  const deadline = spec.progressDeadlineSeconds;
  const minReady = typeof spec.minReadySeconds === "number" ? spec.minReadySeconds : 0;
  if (typeof deadline === "number" && deadline <= minReady) {
    errors.push(invalidValue("spec.progressDeadlineSeconds", deadline, "must be greater than minReadySeconds"));
  }
  return errors;
}

function validateDeploymentStrategy(strategy: unknown): FieldError[] {
  if (!isRecord(strategy)) return [];
  const path = "spec.strategy";
  const type = strategy.type;
  const errors: FieldError[] = [];
  if (type === "Recreate") {
    if (strategy.rollingUpdate !== undefined && strategy.rollingUpdate !== null) {
      errors.push(forbidden(`${path}.rollingUpdate`, "may not be specified when strategy `type` is 'Recreate'"));
    }
  } else if (type === "RollingUpdate") {
    errors.push(...rollingUpdateErrors(strategy.rollingUpdate, `${path}.rollingUpdate`));
  } else if (type === undefined || type === "") {
    errors.push(required(`${path}.type`));
  } else {
    errors.push(notSupported(`${path}.type`, type, ["Recreate", "RollingUpdate"]));
  }
  return errors;
}

/** maxSurge/maxUnavailable: ints or percents; both zero would never make progress. */
function rollingUpdateErrors(rollingUpdate: unknown, path: string): FieldError[] {
  if (!isRecord(rollingUpdate)) return [];
  const errors = [
    ...intOrPercent(rollingUpdate.maxUnavailable, `${path}.maxUnavailable`, { max100: true }),
    ...intOrPercent(rollingUpdate.maxSurge, `${path}.maxSurge`),
  ];
  if (isZeroIntOrPercent(rollingUpdate.maxUnavailable) && isZeroIntOrPercent(rollingUpdate.maxSurge)) {
    errors.push(
      invalidValue(`${path}.maxUnavailable`, rollingUpdate.maxUnavailable, "may not be 0 when `maxSurge` is 0"),
    );
  }
  return errors;
}

export const validateSelectorUpdate = (obj: KubeObject, old: KubeObject): FieldError[] =>
  immutable(specOf(obj).selector, specOf(old).selector, "spec.selector");

export function validateReplicaSet(obj: KubeObject): FieldError[] {
  const spec = specOf(obj);
  const errors = counters(spec, ["replicas", "minReadySeconds"]);
  // Kubernetes words this one as for deployments too.
  errors.push(...validateControllerSelector(spec.selector, "spec.selector", "deployment"));
  errors.push(
    ...validatePodTemplate(spec.template, "spec.template", {
      selector: spec.selector,
      restartPolicies: ALWAYS,
      noActiveDeadline: "activeDeadlineSeconds in ReplicaSet is not Supported",
    }),
  );
  return errors;
}

/**
 * The template as its pods will be: every volumeClaimTemplate becomes a volume (a claim), so
 * containers may mount it — Kubernetes validates StatefulSet templates the same way.
 */
function withClaimTemplateVolumes(template: unknown, claimTemplates: unknown): unknown {
  if (!isRecord(template) || !isRecord(template.spec) || !Array.isArray(claimTemplates)) return template;
  const claims = claimTemplates
    .map((claim) => (isRecord(claim) && isRecord(claim.metadata) ? claim.metadata.name : undefined))
    .filter((name): name is string => typeof name === "string" && name !== "");
  const volumes = Array.isArray(template.spec.volumes) ? template.spec.volumes : [];
  const declared = new Set(volumes.map((v) => (isRecord(v) ? v.name : undefined)));
  const added = claims
    .filter((name) => !declared.has(name))
    .map((name) => ({ name, persistentVolumeClaim: { claimName: name } }));
  return { ...template, spec: { ...template.spec, volumes: [...volumes, ...added] } };
}

export function validateStatefulSet(obj: KubeObject): FieldError[] {
  const spec = specOf(obj);
  const errors = counters(spec, ["replicas", "minReadySeconds", "revisionHistoryLimit"]);
  errors.push(...enumField(spec.podManagementPolicy, "spec.podManagementPolicy", ["OrderedReady", "Parallel"]));
  errors.push(...validateControllerSelector(spec.selector, "spec.selector", "statefulset"));
  errors.push(
    ...validatePodTemplate(withClaimTemplateVolumes(spec.template, spec.volumeClaimTemplates), "spec.template", {
      selector: spec.selector,
      restartPolicies: ALWAYS,
      noActiveDeadline: "activeDeadlineSeconds in StatefulSet is not Supported",
    }),
  );
  const strategy = isRecord(spec.updateStrategy) ? spec.updateStrategy : undefined;
  if (strategy) {
    const path = "spec.updateStrategy";
    errors.push(...enumField(strategy.type, `${path}.type`, ["RollingUpdate", "OnDelete"]));
    const rolling = strategy.rollingUpdate;
    if (strategy.type === "OnDelete" && rolling !== undefined && rolling !== null) {
      errors.push(invalidValue(`${path}.rollingUpdate`, rolling, "only allowed for updateStrategy 'RollingUpdate'"));
    }
    if (isRecord(rolling)) {
      errors.push(...nonNegative(rolling.partition, `${path}.rollingUpdate.partition`));
      errors.push(...intOrPercent(rolling.maxUnavailable, `${path}.rollingUpdate.maxUnavailable`, { max100: true }));
      if (isZeroIntOrPercent(rolling.maxUnavailable)) {
        errors.push(
          invalidValue(`${path}.rollingUpdate.maxUnavailable`, rolling.maxUnavailable, "must be greater than 0"),
        );
      }
    }
  }
  const retention = spec.persistentVolumeClaimRetentionPolicy;
  if (isRecord(retention)) {
    for (const when of ["whenDeleted", "whenScaled"] as const) {
      errors.push(
        ...enumField(retention[when], `spec.persistentVolumeClaimRetentionPolicy.${when}`, ["Retain", "Delete"]),
      );
    }
  }
  if (isRecord(spec.ordinals)) errors.push(...nonNegative(spec.ordinals.start, "spec.ordinals.start"));
  const templates = Array.isArray(spec.volumeClaimTemplates) ? spec.volumeClaimTemplates : [];
  for (const [i, claim] of templates.entries()) {
    const at = `spec.volumeClaimTemplates[${i}]`;
    if (!isRecord(claim)) continue;
    errors.push(...validateTemplateMeta(claim.metadata, `${at}.metadata`));
    errors.push(...validateClaimSpec(claim.spec, `${at}.spec`));
  }
  return errors;
}

const STATEFULSET_MUTABLE = [
  "replicas",
  "ordinals",
  "template",
  "updateStrategy",
  "persistentVolumeClaimRetentionPolicy",
  "minReadySeconds",
];

/** Identity-bearing parts (service name, claim templates, selector) are fixed for a StatefulSet's life. */
export function validateStatefulSetUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  const strip = (spec: JsonObject) => {
    const copy = { ...spec };
    for (const field of STATEFULSET_MUTABLE) delete copy[field];
    return copy;
  };
  if (deepEqual(strip(specOf(obj)), strip(specOf(old)))) return [];
  return [
    forbidden(
      "spec",
      "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    ),
  ];
}

export function validateDaemonSet(obj: KubeObject): FieldError[] {
  const spec = specOf(obj);
  const errors = counters(spec, ["minReadySeconds", "revisionHistoryLimit"]);
  errors.push(...validateControllerSelector(spec.selector, "spec.selector", "daemonset"));
  errors.push(
    ...validatePodTemplate(spec.template, "spec.template", {
      selector: spec.selector,
      restartPolicies: ALWAYS,
      noActiveDeadline: "activeDeadlineSeconds in DaemonSet is not Supported",
    }),
  );
  const strategy = isRecord(spec.updateStrategy) ? spec.updateStrategy : undefined;
  if (strategy) {
    const path = "spec.updateStrategy";
    errors.push(...enumField(strategy.type, `${path}.type`, ["RollingUpdate", "OnDelete"]));
    const rolling = strategy.rollingUpdate;
    if (strategy.type === "RollingUpdate" && isRecord(rolling)) {
      const at = `${path}.rollingUpdate`;
      errors.push(...intOrPercent(rolling.maxUnavailable, `${at}.maxUnavailable`, { max100: true }));
      errors.push(...intOrPercent(rolling.maxSurge, `${at}.maxSurge`, { max100: true }));
      const noUnavailable = rolling.maxUnavailable === undefined || isZeroIntOrPercent(rolling.maxUnavailable);
      const noSurge = rolling.maxSurge === undefined || isZeroIntOrPercent(rolling.maxSurge);
      if (noUnavailable && noSurge) {
        errors.push(
          invalidValue(`${at}.maxUnavailable`, rolling.maxUnavailable ?? 0, "cannot be 0 when maxSurge is 0"),
        );
      } else if (!noUnavailable && !noSurge) {
        errors.push(invalidValue(`${at}.maxSurge`, rolling.maxSurge, "may not be set when maxUnavailable is non-zero"));
      }
    }
  }
  return errors;
}

export function validateControllerRevision(obj: KubeObject): FieldError[] {
  if (obj.revision === undefined || obj.revision === null) return [required("revision")];
  return nonNegative(obj.revision, "revision");
}

/** A revision records history; rewriting its content would falsify rollbacks. */
export const validateControllerRevisionUpdate = (obj: KubeObject, old: KubeObject): FieldError[] =>
  deepEqual(obj.data, old.data) ? [] : [invalidValue("data", "", IMMUTABLE)];

/** Counters a controller writes to status: never negative, never more ready than exist. */
export function validateWorkloadStatus(obj: KubeObject): FieldError[] {
  const status = statusOf(obj);
  const fields = [
    "replicas",
    "updatedReplicas",
    "readyReplicas",
    "availableReplicas",
    "unavailableReplicas",
    "currentReplicas",
    "fullyLabeledReplicas",
    "observedGeneration",
    "currentNumberScheduled",
    "numberMisscheduled",
    "desiredNumberScheduled",
    "numberReady",
    "updatedNumberScheduled",
    "numberAvailable",
    "numberUnavailable",
    "collisionCount",
  ];
  const errors = fields.flatMap((f) => nonNegative(status[f], `status.${f}`));
  const replicas = typeof status.replicas === "number" ? status.replicas : undefined;
  for (const field of ["readyReplicas", "availableReplicas"] as const) {
    const value = status[field];
    if (replicas !== undefined && typeof value === "number" && value > replicas) {
      errors.push(invalidValue(`status.${field}`, value, "cannot be greater than status.replicas"));
    }
  }
  return errors;
}
