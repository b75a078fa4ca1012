// ObjectMeta rules every kind shares: name/generateName, namespace vs scope,
// labels, annotations, finalizers and ownerReferences.
import type { FieldError } from "../errors.ts";
import { forbidden, IMMUTABLE, invalidEach, invalidValue, required, tooLong } from "./field.ts";
import { dns1123Label, labelValue, qualifiedName, type NameRule } from "./names.ts";
import { asArray, asString, byteLength, isRecord } from "./shape.ts";

export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

export interface MetaRules {
  namespaced: boolean;
  name: NameRule;
}

export function validateObjectMeta(meta: unknown, rules: MetaRules, path = "metadata"): FieldError[] {
  if (!isRecord(meta)) return [required(path)];
  const errors: FieldError[] = [];
  const name = asString(meta.name);
  const generateName = asString(meta.generateName);
  if (generateName !== "")
    errors.push(...invalidEach(`${path}.generateName`, generateName, rules.name(generateName, true)));
  if (name === "") errors.push(required(`${path}.name`, "name or generateName is required"));
  else errors.push(...invalidEach(`${path}.name`, name, rules.name(name, false)));

  if (typeof meta.generation === "number" && meta.generation < 0) {
    errors.push(invalidValue(`${path}.generation`, meta.generation, "must be greater than or equal to 0"));
  }
  const namespace = asString(meta.namespace);
  if (rules.namespaced) {
    if (namespace === "") errors.push(required(`${path}.namespace`));
    else errors.push(...invalidEach(`${path}.namespace`, namespace, dns1123Label(namespace)));
  } else if (namespace !== "") {
    errors.push(forbidden(`${path}.namespace`, "not allowed on this type"));
  }
  errors.push(...validateLabels(meta.labels, `${path}.labels`));
  errors.push(...validateAnnotations(meta.annotations, `${path}.annotations`));
  errors.push(...validateOwnerReferences(meta.ownerReferences, `${path}.ownerReferences`));
  errors.push(...validateFinalizers(meta.finalizers, `${path}.finalizers`));
  return errors;
}

/** What may not change on update beyond what the store already pins (uid, timestamps). */
export function validateObjectMetaUpdate(meta: unknown, oldMeta: unknown, path = "metadata"): FieldError[] {
  if (!isRecord(meta) || !isRecord(oldMeta)) return [];
  const errors: FieldError[] = [];
  for (const key of ["name", "namespace"] as const) {
    const now = asString(meta[key]);
    if (now !== asString(oldMeta[key])) errors.push(invalidValue(`${path}.${key}`, now, IMMUTABLE));
  }
  return errors;
}

/** Label maps (object labels, nodeSelector, selector matchLabels): qualified-name keys, short values. */
export function validateLabels(labels: unknown, path: string): FieldError[] {
  if (labels === undefined || labels === null) return [];
  if (!isRecord(labels)) return [invalidValue(path, labels, "must be a map of string keys to string values")];
  const errors: FieldError[] = [];
  for (const [key, value] of Object.entries(labels)) {
    errors.push(...invalidEach(path, key, qualifiedName(key)));
    if (typeof value !== "string") errors.push(invalidValue(path, value, "label values must be strings"));
    else errors.push(...invalidEach(path, value, labelValue(value)));
  }
  return errors;
}

export function validateAnnotations(annotations: unknown, path: string): FieldError[] {
  if (annotations === undefined || annotations === null) return [];
  if (!isRecord(annotations)) return [invalidValue(path, annotations, "must be a map of string keys to string values")];
  const errors: FieldError[] = [];
  let total = 0;
  for (const [key, value] of Object.entries(annotations)) {
    // Annotation keys are compared case-insensitively, so only the lowercased form must be qualified.
    errors.push(...invalidEach(path, key, qualifiedName(key.toLowerCase())));
    if (typeof value !== "string") errors.push(invalidValue(path, value, "annotation values must be strings"));
    total += byteLength(key) + byteLength(typeof value === "string" ? value : "");
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT) errors.push(tooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT));
  return errors;
}

export function validateFinalizers(finalizers: unknown, path: string): FieldError[] {
  const list = asArray(finalizers);
  const errors: FieldError[] = [];
  for (const finalizer of list) {
    if (typeof finalizer !== "string") errors.push(invalidValue(path, finalizer, "finalizers must be strings"));
    else errors.push(...invalidEach(path, finalizer, qualifiedName(finalizer)));
  }
  // The garbage collector cannot both orphan and cascade in the foreground.
  if (list.includes("orphan") && list.includes("foregroundDeletion")) {
    errors.push(invalidValue(path, list, `finalizers "orphan" and "foregroundDeletion" cannot be both set`));
  }
  return errors;
}

export function validateOwnerReferences(refs: unknown, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const controllers: string[] = [];
  for (const ref of asArray(refs)) {
    if (!isRecord(ref)) {
      errors.push(invalidValue(path, ref, "must be an object"));
      continue;
    }
    const apiVersion = asString(ref.apiVersion);
    const kind = asString(ref.kind);
    const name = asString(ref.name);
    const uid = asString(ref.uid);
    const version = apiVersion.includes("/") ? apiVersion.slice(apiVersion.indexOf("/") + 1) : apiVersion;
    if (version === "") errors.push(invalidValue(`${path}.apiVersion`, apiVersion, "version must not be empty"));
    if (kind === "") errors.push(invalidValue(`${path}.kind`, kind, "kind must not be empty"));
    if (name === "") errors.push(invalidValue(`${path}.name`, name, "name must not be empty"));
    if (uid === "") errors.push(invalidValue(`${path}.uid`, uid, "uid must not be empty"));
    // Events are short-lived records; owning through them would make garbage collection nonsense.
    if (kind === "Event" && (apiVersion === "v1" || apiVersion === "events.k8s.io/v1")) {
      errors.push(invalidValue(path, ref, `${apiVersion}, Kind=${kind} is disallowed from being an owner`));
    }
    if (ref.controller === true) controllers.push(`${kind}/${name}`);
  }
  if (controllers.length > 1) {
    errors.push(
      invalidValue(
        path,
        refs,
        `Only one reference can have Controller set to true. Found "true" in references for ${controllers[0]} and ${controllers[1]}`,
      ),
    );
  }
  return errors;
}
