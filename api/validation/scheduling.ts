// scheduling.k8s.io/v1 PriorityClasses.
import type { FieldError } from "../errors.ts";
import type { KubeObject } from "../types.ts";
import { enumField } from "./container.ts";
import { forbidden, invalidValue, required } from "./field.ts";
import { asString } from "./shape.ts";

/** The two classes Kubernetes ships; the "system-" prefix is reserved for them. */
export const SYSTEM_PRIORITY_CLASSES: Record<string, number> = {
  "system-node-critical": 2000001000,
  "system-cluster-critical": 2000000000,
};
export const HIGHEST_USER_DEFINABLE_PRIORITY = 1000000000;

export function validatePriorityClass(pc: KubeObject): FieldError[] {
  const errors: FieldError[] = [];
  const name = asString(pc.metadata.name);
  const system = Object.hasOwn(SYSTEM_PRIORITY_CLASSES, name);
  if (!system && name.startsWith("system-")) {
    errors.push(invalidValue("metadata.name", name, "priority class names with 'system-' prefix are reserved"));
  }
  const value = pc.value;
  if (value === undefined || value === null) errors.push(required("value"));
  else if (typeof value !== "number" || !Number.isInteger(value))
    errors.push(invalidValue("value", value, "must be an integer"));
  else if (system && value !== SYSTEM_PRIORITY_CLASSES[name]) {
    errors.push(invalidValue("value", value, `value of ${name} must be ${SYSTEM_PRIORITY_CLASSES[name]}`));
  } else if (!system && value > HIGHEST_USER_DEFINABLE_PRIORITY) {
    errors.push(
      forbidden("value", `maximum allowed value of a user defined priority is ${HIGHEST_USER_DEFINABLE_PRIORITY}`),
    );
  }
  errors.push(...enumField(pc.preemptionPolicy, "preemptionPolicy", ["PreemptLowerPriority", "Never"]));
  return errors;
}

/** Pods copied the value when admitted; changing it would make them disagree with their class. */
export function validatePriorityClassUpdate(pc: KubeObject, old: KubeObject): FieldError[] {
  const errors: FieldError[] = [];
  if (pc.value !== old.value) errors.push(forbidden("value", "may not be changed in an update."));
  if (pc.preemptionPolicy !== old.preemptionPolicy)
    errors.push(invalidValue("preemptionPolicy", pc.preemptionPolicy ?? null, "field is immutable"));
  return errors;
}
