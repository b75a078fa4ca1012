// policy/v1 PodDisruptionBudgets.
import type { FieldError } from "../errors.ts";
import type { KubeObject } from "../types.ts";
import { enumField } from "./container.ts";
import { invalidValue } from "./field.ts";
import { intOrPercent } from "./numbers.ts";
import { validateLabelSelector } from "./selectors.ts";
import { isRecord } from "./shape.ts";

export function validatePodDisruptionBudget(pdb: KubeObject): FieldError[] {
  const spec = isRecord(pdb.spec) ? pdb.spec : {};
  const errors: FieldError[] = [];
  const hasMin = spec.minAvailable !== undefined && spec.minAvailable !== null;
  const hasMax = spec.maxUnavailable !== undefined && spec.maxUnavailable !== null;
  if (hasMin && hasMax) errors.push(invalidValue("spec", spec, "minAvailable and maxUnavailable cannot be both set"));
  errors.push(...intOrPercent(spec.minAvailable, "spec.minAvailable", { max100: true }));
  errors.push(...intOrPercent(spec.maxUnavailable, "spec.maxUnavailable", { max100: true }));
  errors.push(...validateLabelSelector(spec.selector, "spec.selector"));
  errors.push(
    ...enumField(spec.unhealthyPodEvictionPolicy, "spec.unhealthyPodEvictionPolicy", [
      "IfHealthyBudget",
      "AlwaysAllow",
    ]),
  );
  return errors;
}
