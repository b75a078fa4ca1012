// Pod tolerations and node taints share their key/value/effect rules.
import type { FieldError } from "../errors.ts";
import { invalidEach, invalidValue, notSupported, required } from "./field.ts";
import { labelValue, qualifiedName } from "./names.ts";
import { asArray, asString, isRecord } from "./shape.ts";

export const TAINT_EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

export function validateTolerations(tolerations: unknown, path: string): FieldError[] {
  const errors: FieldError[] = [];
  for (const [i, toleration] of asArray(tolerations).entries()) {
    const at = `${path}[${i}]`;
    if (!isRecord(toleration)) {
      errors.push(invalidValue(at, toleration, "must be an object"));
      continue;
    }
    const key = asString(toleration.key);
    const operator = asString(toleration.operator);
    const value = asString(toleration.value);
    const effect = asString(toleration.effect);
    if (key !== "") errors.push(...invalidEach(`${at}.key`, key, qualifiedName(key)));
    // An empty key matches every taint, which only makes sense with Exists.
    if (key === "" && operator !== "Exists") {
      errors.push(
        invalidValue(
          `${at}.operator`,
          operator,
          'operator must be Exists when `key` is empty, which means "match all values and all keys"',
        ),
      );
    }
    if (toleration.tolerationSeconds !== undefined && toleration.tolerationSeconds !== null && effect !== "NoExecute") {
      errors.push(invalidValue(`${at}.effect`, effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    if (operator === "" || operator === "Equal")
      errors.push(...invalidEach(`${at}.operator`, value, labelValue(value)));
    else if (operator === "Exists") {
      if (value !== "")
        errors.push(invalidValue(`${at}.operator`, toleration, "value must be empty when `operator` is 'Exists'"));
    } else errors.push(notSupported(`${at}.operator`, operator, ["Equal", "Exists"]));
    if (effect !== "" && !TAINT_EFFECTS.includes(effect))
      errors.push(notSupported(`${at}.effect`, effect, TAINT_EFFECTS));
  }
  return errors;
}

export function validateTaints(taints: unknown, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  for (const [i, taint] of asArray(taints).entries()) {
    const at = `${path}[${i}]`;
    if (!isRecord(taint)) {
      errors.push(invalidValue(at, taint, "must be an object"));
      continue;
    }
    const key = asString(taint.key);
    const effect = asString(taint.effect);
    if (key === "") errors.push(required(`${at}.key`));
    else errors.push(...invalidEach(`${at}.key`, key, qualifiedName(key)));
    const value = asString(taint.value);
    errors.push(...invalidEach(`${at}.value`, value, labelValue(value)));
    if (effect === "") errors.push(required(`${at}.effect`));
    else if (!TAINT_EFFECTS.includes(effect)) errors.push(notSupported(`${at}.effect`, effect, TAINT_EFFECTS));
    // The same key may carry several effects, but never the same effect twice.
    const id = `${key}:${effect}`;
    if (seen.has(id)) errors.push(invalidValue(at, taint, "taints must be unique by key and effect pair"));
    seen.add(id);
  }
  return errors;
}
