// metav1.Condition lists in Karmada statuses (Cluster Ready, binding Scheduled / FullyApplied).
import type { FieldError } from "../../errors.ts";
import { duplicate, invalidEach, invalidValue, notSupported, required } from "../field.ts";
import { qualifiedName } from "../names.ts";
import { asArray, asString, isRecord } from "../shape.ts";

const STATUSES = ["True", "False", "Unknown"];

/**
 * Only what readers depend on: a type, unique in the list (`kubectl wait --for=condition=` and the
 * printers look conditions up by it), and a status among the three values. Reason and timestamps
 * are left to the writer.
 */
export function validateConditions(conditions: unknown, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  for (const [i, condition] of asArray(conditions).entries()) {
    const at = `${path}[${i}]`;
    if (!isRecord(condition)) {
      errors.push(invalidValue(at, condition, "must be an object"));
      continue;
    }
    const type = asString(condition.type);
    if (type === "") errors.push(required(`${at}.type`));
    else errors.push(...invalidEach(`${at}.type`, type, qualifiedName(type)));
    if (seen.has(type)) errors.push(duplicate(`${at}.type`, type));
    seen.add(type);
    const status = asString(condition.status);
    if (status === "") errors.push(required(`${at}.status`));
    else if (!STATUSES.includes(status)) errors.push(notSupported(`${at}.status`, status, STATUSES));
  }
  return errors;
}
