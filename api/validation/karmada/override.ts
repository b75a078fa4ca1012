// policy.karmada.io/v1alpha1 OverridePolicy and ClusterOverridePolicy: Karmada's webhook
// (ValidateOverrideSpec) plus the enums and required fields of its CRD schema.
import type { FieldError } from "../../errors.ts";
import type { KubeObject } from "../../types.ts";
import { enumField } from "../container.ts";
import { invalidValue, required } from "../field.ts";
import { validateAnnotations, validateLabels } from "../meta.ts";
import { asArray, asString, isRecord, type JsonObject } from "../shape.ts";
import { isSet, jsonPointerProblem, validateClusterAffinity, validateResourceSelectors } from "./affinity.ts";

const OPERATORS = ["add", "remove", "replace"];
const LIST_OPERATORS = ["add", "remove"];
const IMAGE_COMPONENTS = ["Registry", "Repository", "Tag"];
const OVERRIDER_LISTS = [
  "plaintext",
  "imageOverrider",
  "commandOverrider",
  "argsOverrider",
  "labelsOverrider",
  "annotationsOverrider",
  "fieldOverrider",
];

export const validateOverridePolicy = (policy: KubeObject): FieldError[] =>
  validateOverride(policy, policy.metadata.namespace ?? "");

export const validateClusterOverridePolicy = (policy: KubeObject): FieldError[] => validateOverride(policy, "");

function validateOverride(policy: KubeObject, namespace: string): FieldError[] {
  if (!isRecord(policy.spec)) return [required("spec")];
  const spec = policy.spec;
  const errors: FieldError[] = [];
  // targetCluster and overriders are the deprecated one-rule form; overrideRules replaced them.
  if (isSet(spec.targetCluster)) {
    errors.push(...validateClusterAffinity(spec.targetCluster, "spec.targetCluster"));
    if (isSet(spec.overrideRules)) {
      errors.push(
        invalidValue("spec.targetCluster", spec.targetCluster, "overrideRules and targetCluster can't co-exist"),
      );
    }
  }
  if (hasOverriders(spec.overriders) && isSet(spec.overrideRules)) {
    errors.push(invalidValue("spec.overriders", spec.overriders, "overrideRules and overriders can't co-exist"));
  }
  if (isRecord(spec.overriders)) errors.push(...validateOverriders(spec.overriders, "spec.overriders"));
  for (const [i, rule] of asArray(spec.overrideRules).entries()) {
    const at = `spec.overrideRules[${i}]`;
    if (!isRecord(rule)) {
      errors.push(invalidValue(at, rule, "must be an object"));
      continue;
    }
    errors.push(...validateClusterAffinity(rule.targetCluster, `${at}.targetCluster`));
    if (!isRecord(rule.overriders)) errors.push(required(`${at}.overriders`));
    else errors.push(...validateOverriders(rule.overriders, `${at}.overriders`));
  }
  errors.push(...validateResourceSelectors(spec.resourceSelectors, "spec.resourceSelectors", namespace));
  return errors;
}

const hasOverriders = (overriders: unknown): boolean =>
  isRecord(overriders) && OVERRIDER_LISTS.some((name) => asArray(overriders[name]).length > 0);

/** Each overrider list item, by kind; non-object items are reported once by `items`. */
function validateOverriders(overriders: JsonObject, path: string): FieldError[] {
  return [
    ...items(overriders.plaintext, `${path}.plaintext`, validatePlaintext),
    ...items(overriders.imageOverrider, `${path}.imageOverrider`, validateImage),
    ...items(overriders.commandOverrider, `${path}.commandOverrider`, validateCommandArgs),
    ...items(overriders.argsOverrider, `${path}.argsOverrider`, validateCommandArgs),
    ...items(overriders.labelsOverrider, `${path}.labelsOverrider`, (o, at) => [
      ...enumField(o.operator ?? "", `${at}.operator`, OPERATORS),
      ...validateLabels(o.value, `${at}.value`),
    ]),
    ...items(overriders.annotationsOverrider, `${path}.annotationsOverrider`, (o, at) => [
      ...enumField(o.operator ?? "", `${at}.operator`, OPERATORS),
      ...validateAnnotations(o.value, `${at}.value`),
    ]),
    ...items(overriders.fieldOverrider, `${path}.fieldOverrider`, validateFieldOverrider),
  ];
}

function items(list: unknown, path: string, check: (item: JsonObject, at: string) => FieldError[]): FieldError[] {
  return asArray(list).flatMap((item, i) =>
    isRecord(item) ? check(item, `${path}[${i}]`) : [invalidValue(`${path}[${i}]`, item, "must be an object")],
  );
}

/** A path into the object, required here (an empty pointer would replace the whole object). */
function pointer(value: unknown, path: string): FieldError[] {
  const text = asString(value);
  if (text === "") return [required(path)];
  const problem = jsonPointerProblem(text);
  return problem ? [invalidValue(path, text, problem)] : [];
}

const validatePlaintext = (o: JsonObject, at: string): FieldError[] => [
  ...pointer(o.path, `${at}.path`),
  ...enumField(o.operator ?? "", `${at}.operator`, OPERATORS),
];

function validateImage(o: JsonObject, at: string): FieldError[] {
  const errors = [
    ...enumField(o.component ?? "", `${at}.component`, IMAGE_COMPONENTS),
    ...enumField(o.operator ?? "", `${at}.operator`, OPERATORS),
  ];
  if (isRecord(o.predicate)) errors.push(...pointer(o.predicate.path, `${at}.predicate.path`));
  return errors;
}

const validateCommandArgs = (o: JsonObject, at: string): FieldError[] => [
  ...(asString(o.containerName) === "" ? [required(`${at}.containerName`)] : []),
  ...enumField(o.operator ?? "", `${at}.operator`, LIST_OPERATORS),
];

function validateFieldOverrider(o: JsonObject, at: string): FieldError[] {
  const errors: FieldError[] = [];
  const json = asArray(o.json);
  const yaml = asArray(o.yaml);
  if (json.length > 0 && yaml.length > 0) {
    errors.push(invalidValue(at, o, "FieldOverrider has both YAML and JSON set. Only one is allowed"));
  }
  if (json.length === 0 && yaml.length === 0)
    errors.push(required(at, "FieldOverrider must have either JSON or YAML set"));
  const fieldPath = asString(o.fieldPath);
  const problem = jsonPointerProblem(fieldPath);
  if (problem) errors.push(invalidValue(`${at}.fieldPath`, fieldPath, problem));
  errors.push(...items(o.json, `${at}.json`, validatePatchOperation));
  errors.push(...items(o.yaml, `${at}.yaml`, validatePatchOperation));
  return errors;
}

function validatePatchOperation(o: JsonObject, at: string): FieldError[] {
  const errors: FieldError[] = [];
  const subPath = asString(o.subPath);
  const problem = jsonPointerProblem(subPath);
  if (problem) errors.push(invalidValue(`${at}.subPath`, subPath, problem));
  errors.push(...enumField(o.operator ?? "", `${at}.operator`, OPERATORS));
  if ((o.operator === "add" || o.operator === "replace") && !isSet(o.value)) {
    errors.push(invalidValue(`${at}.value`, o.value, "value is required for add or replace operation"));
  }
  if (o.operator === "remove" && isSet(o.value)) {
    errors.push(invalidValue(`${at}.value`, o.value, "value is not allowed for remove operation"));
  }
  return errors;
}
