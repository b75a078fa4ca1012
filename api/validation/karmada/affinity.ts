// Pieces policy.karmada.io kinds share: resource selectors and cluster affinities, with the field
// paths and messages of Karmada's validation (pkg/util/validation) and CRD schemas.
import type { FieldError } from "../../errors.ts";
import { invalidValue, required } from "../field.ts";
import { validateLabelSelector } from "../selectors.ts";
import { asArray, asString, isRecord, type JsonObject } from "../shape.ts";

const FIELD_SELECTOR_KEYS = ["provider", "region", "zone"];
const FIELD_SELECTOR_OPERATORS = ["In", "NotIn"];

export const isSet = (value: unknown) => value !== undefined && value !== null;

/**
 * Each selector needs apiVersion and kind (the CRD marks them required). In a namespaced policy a
 * selector may only reach the policy's own namespace (defaulting has filled an empty one).
 */
export function validateResourceSelectors(selectors: unknown, path: string, policyNamespace: string): FieldError[] {
  const errors: FieldError[] = [];
  for (const [i, selector] of asArray(selectors).entries()) {
    const at = `${path}[${i}]`;
    if (!isRecord(selector)) {
      errors.push(invalidValue(at, selector, "must be an object"));
      continue;
    }
    if (asString(selector.apiVersion) === "") errors.push(required(`${at}.apiVersion`));
    if (asString(selector.kind) === "") errors.push(required(`${at}.kind`));
    if (policyNamespace !== "" && asString(selector.namespace) !== policyNamespace) {
      errors.push(
        invalidValue(
          `${at}.namespace`,
          asString(selector.namespace),
          "namespace of resource selector must be the same as the namespace of the policy",
        ),
      );
    }
    errors.push(...validateLabelSelector(selector.labelSelector, `${at}.labelSelector`));
  }
  return errors;
}

/**
 * Karmada reports a bad field selector once, on the whole selector, with the first problem found:
 * only provider/region/zone keys (the Cluster fields it can read) and In/NotIn.
 */
function fieldSelectorProblem(fieldSelector: JsonObject): string | undefined {
  for (const expr of asArray(fieldSelector.matchExpressions)) {
    const key = isRecord(expr) ? asString(expr.key) : "";
    if (!FIELD_SELECTOR_KEYS.includes(key)) return `unsupported key "${key}", must be provider, region, or zone`;
    const operator = isRecord(expr) ? asString(expr.operator) : "";
    if (!FIELD_SELECTOR_OPERATORS.includes(operator)) return `unsupported operator "${operator}", must be In or NotIn`;
  }
  return undefined;
}

export function validateClusterAffinity(affinity: unknown, path: string): FieldError[] {
  if (!isSet(affinity)) return [];
  if (!isRecord(affinity)) return [invalidValue(path, affinity, "must be an object")];
  const errors: FieldError[] = [];
  if (isRecord(affinity.fieldSelector)) {
    const problem = fieldSelectorProblem(affinity.fieldSelector);
    if (problem) errors.push(invalidValue(`${path}.fieldSelector`, affinity.fieldSelector, problem));
  }
  errors.push(...validateLabelSelector(affinity.labelSelector, `${path}.labelSelector`));
  return errors;
}

/** A JSON pointer (RFC 6901): empty, or "/"-separated tokens. The message is go-openapi's. */
export const jsonPointerProblem = (pointer: string): string | undefined =>
  pointer === "" || pointer.startsWith("/") ? undefined : 'JSON pointer must be empty or start with a "/"';
