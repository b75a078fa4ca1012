// Pod templates inside controllers: the spec rules, plus what the owning kind
// demands (selector must pick the template's pods, allowed restart policies).
import type { FieldError } from "../errors.ts";
import { forbidden, IMMUTABLE, invalidValue, required } from "./field.ts";
import { deepEqual } from "./equal.ts";
import { restartPolicyErrors, validatePodSpec, validateTemplateMeta } from "./pod.ts";
import { isEmptySelector, selectorMatches, validateLabelSelector } from "./selectors.ts";
import { isRecord, type JsonObject } from "./shape.ts";

export interface TemplateRules {
  /** When given and non-empty, the template's labels must satisfy it. */
  selector?: unknown;
  restartPolicies: readonly string[];
  /** Set for kinds whose pods run forever: activeDeadlineSeconds is then forbidden with this message. */
  noActiveDeadline?: string;
}

export function validatePodTemplate(template: unknown, path: string, rules: TemplateRules): FieldError[] {
  if (!isRecord(template)) return [required(path)];
  const errors: FieldError[] = [];
  const meta = isRecord(template.metadata) ? template.metadata : {};
  if (
    rules.selector !== undefined &&
    !isEmptySelector(rules.selector) &&
    !selectorMatches(rules.selector, meta.labels)
  ) {
    errors.push(invalidValue(`${path}.metadata.labels`, meta.labels, "`selector` does not match template `labels`"));
  }
  errors.push(...validateTemplateMeta(template.metadata, `${path}.metadata`));
  errors.push(...validatePodSpec(template.spec, `${path}.spec`));
  const spec: JsonObject = isRecord(template.spec) ? template.spec : {};
  if (Array.isArray(spec.ephemeralContainers) && spec.ephemeralContainers.length > 0) {
    errors.push(forbidden(`${path}.spec.ephemeralContainers`, "ephemeral containers not allowed in pod template"));
  }
  if (spec.restartPolicy !== undefined && spec.restartPolicy !== "") {
    errors.push(...restartPolicyErrors(spec.restartPolicy, `${path}.spec.restartPolicy`, rules.restartPolicies));
  }
  if (rules.noActiveDeadline && spec.activeDeadlineSeconds !== undefined && spec.activeDeadlineSeconds !== null) {
    errors.push(forbidden(`${path}.spec.activeDeadlineSeconds`, rules.noActiveDeadline));
  }
  return errors;
}

/** A controller's selector: required, well-formed and not empty (it would adopt every pod). */
export function validateControllerSelector(selector: unknown, path: string, kindName: string): FieldError[] {
  if (selector === undefined || selector === null) return [required(path)];
  const errors = validateLabelSelector(selector, path);
  if (errors.length === 0 && isEmptySelector(selector)) {
    errors.push(invalidValue(path, selector, `empty selector is invalid for ${kindName}`));
  }
  return errors;
}

export function immutable(value: unknown, old: unknown, path: string): FieldError[] {
  return deepEqual(value, old) ? [] : [invalidValue(path, value, IMMUTABLE)];
}
