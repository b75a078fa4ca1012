// metav1.LabelSelector as found in specs (deployments, PDBs, services use plain maps).
import type { FieldError } from "../errors.ts";
import { labelSelectorFromObject, matchesLabels, type LabelSelectorObject } from "../selectors/labels.ts";
import { forbidden, invalidEach, invalidValue, required } from "./field.ts";
import { validateLabels } from "./meta.ts";
import { labelValue, qualifiedName } from "./names.ts";
import { asArray, asString, isRecord } from "./shape.ts";

const SET_OPERATORS = new Set(["In", "NotIn"]);
const EXISTENCE_OPERATORS = new Set(["Exists", "DoesNotExist"]);

export function validateLabelSelector(selector: unknown, path: string): FieldError[] {
  if (selector === undefined || selector === null) return [];
  if (!isRecord(selector)) return [invalidValue(path, selector, "must be a label selector object")];
  const errors: FieldError[] = [];
  for (const [i, expr] of asArray(selector.matchExpressions).entries()) {
    errors.push(...validateRequirement(expr, `${path}.matchExpressions[${i}]`));
  }
  errors.push(...validateLabels(selector.matchLabels, `${path}.matchLabels`));
  return errors;
}

function validateRequirement(expr: unknown, path: string): FieldError[] {
  if (!isRecord(expr)) return [invalidValue(path, expr, "must be a label selector requirement")];
  const errors: FieldError[] = [];
  const operator = asString(expr.operator);
  const values = asArray(expr.values);
  if (SET_OPERATORS.has(operator)) {
    if (values.length === 0)
      errors.push(required(`${path}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
  } else if (EXISTENCE_OPERATORS.has(operator)) {
    if (values.length > 0) {
      errors.push(forbidden(`${path}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
    }
  } else {
    errors.push(invalidValue(`${path}.operator`, operator, "not a valid selector operator"));
  }
  const key = asString(expr.key);
  errors.push(...invalidEach(`${path}.key`, key, qualifiedName(key)));
  for (const [j, value] of values.entries()) {
    if (typeof value !== "string") errors.push(invalidValue(`${path}.values[${j}]`, value, "must be a string"));
    else errors.push(...invalidEach(`${path}.values[${j}]`, value, labelValue(value)));
  }
  return errors;
}

/** True when the selector has neither matchLabels nor matchExpressions (it would select everything). */
export function isEmptySelector(selector: unknown): boolean {
  if (!isRecord(selector)) return true;
  const labels = isRecord(selector.matchLabels) ? Object.keys(selector.matchLabels).length : 0;
  return labels === 0 && asArray(selector.matchExpressions).length === 0;
}

/** Whether `labels` satisfy `selector`; false for a selector too malformed to evaluate. */
export function selectorMatches(selector: unknown, labels: unknown): boolean {
  if (!isRecord(selector)) return false;
  const plain: Record<string, string> = {};
  if (isRecord(labels)) for (const [k, v] of Object.entries(labels)) if (typeof v === "string") plain[k] = v;
  try {
    return matchesLabels(labelSelectorFromObject(selector as LabelSelectorObject), plain);
  } catch {
    return false; // invalid selectors are reported by validateLabelSelector
  }
}
