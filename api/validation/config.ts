// ConfigMaps and Secrets: key names, sizes, per-type required keys, immutability.
import type { FieldError } from "../errors.ts";
import type { KubeObject } from "../types.ts";
import { deepEqual } from "./equal.ts";
import { forbidden, IMMUTABLE, invalidEach, invalidValue, required, tooLong } from "./field.ts";
import { configMapKey } from "./names.ts";
import { asString, byteLength, entriesOf, isRecord } from "./shape.ts";

/** Both kinds are stored whole in one record; Kubernetes caps them at 1 MiB. */
export const MAX_DATA_BYTES = 1024 * 1024;
const IMMUTABLE_DATA = "field is immutable when `immutable` is set";

export function validateConfigMap(cm: KubeObject): FieldError[] {
  const errors: FieldError[] = [];
  let size = 0;
  const dataKeys = new Set<string>();
  for (const [key, value] of entriesOf(cm.data)) {
    errors.push(...invalidEach("data[" + key + "]", key, configMapKey(key)));
    if (typeof value !== "string") errors.push(invalidValue(`data[${key}]`, value, "must be a string"));
    else size += byteLength(value);
    dataKeys.add(key);
  }
  for (const [key, value] of entriesOf(cm.binaryData)) {
    errors.push(...invalidEach(`binaryData[${key}]`, key, configMapKey(key)));
    if (dataKeys.has(key)) errors.push(invalidValue(`data[${key}]`, key, "duplicate of key present in binaryData"));
    size += typeof value === "string" ? base64DecodedLength(value) : 0;
  }
  if (size > MAX_DATA_BYTES) errors.push(tooLong("data", MAX_DATA_BYTES));
  return errors;
}

/** Secret types whose consumers expect particular keys (or annotations). */
const REQUIRED_SECRET_KEYS: Record<string, string[]> = {
  "kubernetes.io/dockercfg": [".dockercfg"],
  "kubernetes.io/dockerconfigjson": [".dockerconfigjson"],
  "kubernetes.io/ssh-auth": ["ssh-privatekey"],
  "kubernetes.io/tls": ["tls.crt", "tls.key"],
};

export function validateSecret(secret: KubeObject): FieldError[] {
  const errors: FieldError[] = [];
  let size = 0;
  const data = isRecord(secret.data) ? secret.data : {};
  for (const [key, value] of Object.entries(data)) {
    errors.push(...invalidEach(`data[${key}]`, key, configMapKey(key)));
    if (typeof value !== "string" || !isBase64(value))
      errors.push(invalidValue(`data[${key}]`, "<secret contents redacted>", "must be base64 encoded"));
    else size += base64DecodedLength(value);
  }
  if (size > MAX_DATA_BYTES) errors.push(tooLong("data", MAX_DATA_BYTES));

  const type = asString(secret.type);
  for (const key of REQUIRED_SECRET_KEYS[type] ?? []) {
    if (!Object.hasOwn(data, key)) errors.push(required(`data[${key}]`));
  }
  if (type === "kubernetes.io/service-account-token") {
    const annotations = isRecord(secret.metadata.annotations) ? secret.metadata.annotations : {};
    if (asString(annotations["kubernetes.io/service-account.name"]) === "") {
      errors.push(required("metadata.annotations[kubernetes.io/service-account.name]"));
    }
  }
  if (type === "kubernetes.io/basic-auth" && !Object.hasOwn(data, "username") && !Object.hasOwn(data, "password")) {
    errors.push(required("data[username]"));
  }
  return errors;
}

/** Shared by ConfigMaps and Secrets: once `immutable: true`, data and the flag itself are frozen. */
export function validateImmutableData(obj: KubeObject, old: KubeObject, dataFields: readonly string[]): FieldError[] {
  if (old.immutable !== true) return [];
  const errors: FieldError[] = [];
  if (obj.immutable !== true) errors.push(forbidden("immutable", IMMUTABLE_DATA));
  for (const field of dataFields) {
    if (!deepEqual(obj[field] ?? {}, old[field] ?? {})) errors.push(forbidden(field, IMMUTABLE_DATA));
  }
  return errors;
}

export const validateConfigMapUpdate = (cm: KubeObject, old: KubeObject) =>
  validateImmutableData(cm, old, ["data", "binaryData"]);

export function validateSecretUpdate(secret: KubeObject, old: KubeObject): FieldError[] {
  const errors = validateImmutableData(secret, old, ["data"]);
  if (asString(secret.type) !== asString(old.type)) errors.push(invalidValue("type", asString(secret.type), IMMUTABLE));
  return errors;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export const isBase64 = (text: string) => BASE64.test(text);

function base64DecodedLength(text: string): number {
  const padding = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
  return Math.floor((text.length * 3) / 4) - padding;
}
