// policy.karmada.io/v1alpha1 PropagationPolicy and ClusterPropagationPolicy: what Karmada's
// validating webhook (ValidatePropagationSpec) and the CRD schema reject. Runs after defaulting.
import type { FieldError } from "../../errors.ts";
import type { KubeObject } from "../../types.ts";
import { enumField } from "../container.ts";
import { IMMUTABLE, invalidValue, required } from "../field.ts";
import { nonNegative, positive } from "../numbers.ts";
import { asArray, asString, isRecord, type JsonObject } from "../shape.ts";
import { isSet, validateResourceSelectors } from "./affinity.ts";
import { validatePlacement } from "./placement.ts";

export const CONFLICT_RESOLUTIONS = ["Abort", "Overwrite"];
const PREEMPTIONS = ["Always", "Never"];
const PURGE_MODES = ["Directly", "Gracefully", "Never"];

export const validatePropagationPolicy = (policy: KubeObject): FieldError[] =>
  validatePropagation(policy, policy.metadata.namespace ?? "");

export const validateClusterPropagationPolicy = (policy: KubeObject): FieldError[] => validatePropagation(policy, "");

/** Resources a scheduler has placed stay with it: Karmada refuses to hand a policy to another. */
export function validatePropagationPolicyUpdate(policy: KubeObject, old: KubeObject): FieldError[] {
  const schedulerOf = (obj: KubeObject) => (isRecord(obj.spec) ? asString(obj.spec.schedulerName) : "");
  const scheduler = schedulerOf(policy);
  return scheduler === schedulerOf(old) ? [] : [invalidValue("spec.schedulerName", scheduler, IMMUTABLE)];
}

function validatePropagation(policy: KubeObject, namespace: string): FieldError[] {
  if (!isRecord(policy.spec)) return [required("spec")];
  const spec = policy.spec;
  const errors: FieldError[] = [];
  // Selecting nothing is refused rather than read as "everything": Secrets could leak to members.
  if (!Array.isArray(spec.resourceSelectors)) errors.push(required("spec.resourceSelectors"));
  else if (spec.resourceSelectors.length === 0) {
    errors.push(
      invalidValue("spec.resourceSelectors", 0, "spec.resourceSelectors in body should have at least 1 items"),
    );
  }
  errors.push(...validateResourceSelectors(spec.resourceSelectors, "spec.resourceSelectors", namespace));
  if (spec.preemption === "Always") {
    for (const [i, selector] of asArray(spec.resourceSelectors).entries()) {
      if (isRecord(selector) && asString(selector.name) === "") {
        errors.push(
          invalidValue(
            `spec.resourceSelectors[${i}].name`,
            "",
            "name cannot be empty if preemption is Always, the empty name may cause unexpected resources preemption",
          ),
        );
      }
    }
  }
  errors.push(...enumField(spec.conflictResolution, "spec.conflictResolution", CONFLICT_RESOLUTIONS));
  errors.push(...enumField(spec.preemption, "spec.preemption", PREEMPTIONS));
  if (isSet(spec.priority) && (typeof spec.priority !== "number" || !Number.isInteger(spec.priority))) {
    errors.push(invalidValue("spec.priority", spec.priority, "must be an integer"));
  }
  errors.push(...validatePlacement(spec.placement, "spec.placement"));
  errors.push(...validateFailover(spec, "spec.failover"));
  errors.push(...validateSuspension(spec.suspension, "spec.suspension"));
  return errors;
}

function validateFailover(spec: JsonObject, path: string): FieldError[] {
  if (!isRecord(spec.failover)) return [];
  const application = spec.failover.application;
  if (!isRecord(application)) return [];
  const errors: FieldError[] = [];
  // Moving an application without the ConfigMaps and Secrets it uses would leave it broken.
  if (spec.propagateDeps !== true) {
    errors.push(
      invalidValue(
        "spec.propagateDeps",
        spec.propagateDeps ?? false,
        "application failover is set, propagateDeps must be true",
      ),
    );
  }
  const at = `${path}.application`;
  if (isRecord(application.decisionConditions)) {
    errors.push(
      ...nonNegative(application.decisionConditions.tolerationSeconds, `${at}.decisionConditions.tolerationSeconds`),
    );
  }
  errors.push(...enumField(application.purgeMode, `${at}.purgeMode`, PURGE_MODES));
  const gracePeriod = application.gracePeriodSeconds;
  if (application.purgeMode !== "Gracefully" && isSet(gracePeriod)) {
    errors.push(
      invalidValue(`${at}.gracePeriodSeconds`, gracePeriod, "only takes effect when purgeMode is gracefully"),
    );
  }
  errors.push(...positive(gracePeriod, `${at}.gracePeriodSeconds`));
  return errors;
}

function validateSuspension(suspension: unknown, path: string): FieldError[] {
  if (!isRecord(suspension)) return [];
  const onClusters = isRecord(suspension.dispatchingOnClusters) ? suspension.dispatchingOnClusters : {};
  if (suspension.dispatching === true && asArray(onClusters.clusterNames).length > 0) {
    return [
      invalidValue(path, suspension, "suspension dispatching cannot co-exist with dispatchingOnClusters.clusterNames"),
    ];
  }
  return [];
}
