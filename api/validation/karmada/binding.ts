// work.karmada.io/v1alpha2 ResourceBinding and ClusterResourceBinding. The federation controllers
// write them; these checks keep what they and readers rely on well-formed.
import type { FieldError } from "../../errors.ts";
import type { KubeObject } from "../../types.ts";
import { enumField } from "../container.ts";
import { invalidValue, required } from "../field.ts";
import { nonNegative } from "../numbers.ts";
import { asArray, asString, isRecord } from "../shape.ts";
import { validatePlacement } from "./placement.ts";
import { CONFLICT_RESOLUTIONS } from "./propagation.ts";
import { validateConditions } from "./conditions.ts";

const HEALTH = ["Healthy", "Unhealthy", "Unknown"];

export function validateResourceBinding(binding: KubeObject): FieldError[] {
  if (!isRecord(binding.spec)) return [required("spec")];
  const spec = binding.spec;
  const errors: FieldError[] = [];
  if (!isRecord(spec.resource)) errors.push(required("spec.resource"));
  else {
    for (const key of ["apiVersion", "kind", "name"]) {
      if (asString(spec.resource[key]) === "") errors.push(required(`spec.resource.${key}`));
    }
  }
  errors.push(...nonNegative(spec.replicas, "spec.replicas"));
  for (const [i, target] of asArray(spec.clusters).entries()) {
    const at = `spec.clusters[${i}]`;
    if (!isRecord(target)) errors.push(invalidValue(at, target, "must be an object"));
    else {
      if (asString(target.name) === "") errors.push(required(`${at}.name`));
      errors.push(...nonNegative(target.replicas, `${at}.replicas`));
    }
  }
  errors.push(...validatePlacement(spec.placement, "spec.placement"));
  errors.push(...enumField(spec.conflictResolution, "spec.conflictResolution", CONFLICT_RESOLUTIONS));
  return errors;
}

export function validateResourceBindingStatusUpdate(binding: KubeObject): FieldError[] {
  const status = isRecord(binding.status) ? binding.status : {};
  const errors = validateConditions(status.conditions, "status.conditions");
  for (const [i, item] of asArray(status.aggregatedStatus).entries()) {
    const at = `status.aggregatedStatus[${i}]`;
    if (!isRecord(item)) errors.push(invalidValue(at, item, "must be an object"));
    else {
      if (asString(item.clusterName) === "") errors.push(required(`${at}.clusterName`));
      errors.push(...enumField(item.health, `${at}.health`, HEALTH));
    }
  }
  return errors;
}
