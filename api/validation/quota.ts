// core/v1 ResourceQuotas and LimitRanges.
import type { FieldError } from "../errors.ts";
import type { KubeObject } from "../types.ts";
import { invalidValue, notSupported, required } from "./field.ts";
import { validateResourceList } from "./resources.ts";
import { asArray, asString, isRecord } from "./shape.ts";

const QUOTA_SCOPES = [
  "Terminating",
  "NotTerminating",
  "BestEffort",
  "NotBestEffort",
  "PriorityClass",
  "CrossNamespacePodAffinity",
];
const LIMIT_TYPES = ["Pod", "Container", "PersistentVolumeClaim"];

export function validateResourceQuota(quota: KubeObject): FieldError[] {
  const spec = isRecord(quota.spec) ? quota.spec : {};
  const errors = validateResourceList(spec.hard, "spec.hard").errors;
  for (const [i, scope] of asArray(spec.scopes).entries()) {
    if (typeof scope !== "string" || !QUOTA_SCOPES.includes(scope))
      errors.push(notSupported(`spec.scopes[${i}]`, scope, QUOTA_SCOPES));
  }
  return errors;
}

export function validateResourceQuotaStatus(quota: KubeObject): FieldError[] {
  const status = isRecord(quota.status) ? quota.status : {};
  return [
    ...validateResourceList(status.hard, "status.hard").errors,
    ...validateResourceList(status.used, "status.used").errors,
  ];
}

export function validateLimitRange(range: KubeObject): FieldError[] {
  const spec = isRecord(range.spec) ? range.spec : {};
  const errors: FieldError[] = [];
  for (const [i, item] of asArray(spec.limits).entries()) {
    const at = `spec.limits[${i}]`;
    if (!isRecord(item)) continue;
    const type = asString(item.type);
    if (type === "") errors.push(required(`${at}.type`));
    else if (!LIMIT_TYPES.includes(type)) errors.push(notSupported(`${at}.type`, type, LIMIT_TYPES));
    const lists = Object.fromEntries(
      (["max", "min", "default", "defaultRequest", "maxLimitRequestRatio"] as const).map((field) => {
        const checked = validateResourceList(item[field], `${at}.${field}`);
        errors.push(...checked.errors);
        return [field, checked.values];
      }),
    );
    // min <= defaultRequest <= default <= max, per resource.
    const order = [
      ["min", "defaultRequest"],
      ["defaultRequest", "default"],
      ["default", "max"],
      ["min", "max"],
    ] as const;
    for (const [low, high] of order) {
      for (const [resource, lowValue] of lists[low]!) {
        const highValue = lists[high]!.get(resource);
        if (highValue !== undefined && lowValue > highValue) {
          errors.push(
            invalidValue(
              `${at}.${low}[${resource}]`,
              String(lowValue),
              `${low} value ${lowValue} is greater than ${high} value ${highValue}`,
            ),
          );
        }
      }
    }
  }
  return errors;
}
