// autoscaling/v2 HorizontalPodAutoscalers.
import type { FieldError } from "../errors.ts";
import type { KubeObject } from "../types.ts";
import { enumField } from "./container.ts";
import { invalidEach, invalidValue, notSupported, required } from "./field.ts";
import { pathSegmentName } from "./names.ts";
import { nonNegative } from "./numbers.ts";
import { QUANTITY_FORMAT_ERROR, tryParseQuantity } from "./quantity.ts";
import { asArray, asString, isRecord, type JsonObject } from "./shape.ts";

const METRIC_TYPES = ["ContainerResource", "External", "Object", "Pods", "Resource"];
const TARGET_TYPES = ["AverageValue", "Utilization", "Value"];
/** Which metric type keeps its details under which field. */
const METRIC_FIELDS: Record<string, string> = {
  Resource: "resource",
  ContainerResource: "containerResource",
  Pods: "pods",
  Object: "object",
  External: "external",
};

export function validateHorizontalPodAutoscaler(hpa: KubeObject): FieldError[] {
  const spec = isRecord(hpa.spec) ? hpa.spec : {};
  const errors: FieldError[] = [];
  const ref = isRecord(spec.scaleTargetRef) ? spec.scaleTargetRef : {};
  const kind = asString(ref.kind);
  const name = asString(ref.name);
  if (kind === "") errors.push(required("spec.scaleTargetRef.kind"));
  else errors.push(...invalidEach("spec.scaleTargetRef.kind", kind, pathSegmentName(kind)));
  if (name === "") errors.push(required("spec.scaleTargetRef.name"));
  else errors.push(...invalidEach("spec.scaleTargetRef.name", name, pathSegmentName(name)));

  const min = spec.minReplicas;
  const max = spec.maxReplicas;
  if (typeof min === "number" && min < 1)
    errors.push(invalidValue("spec.minReplicas", min, "must be greater than or equal to 1"));
  if (typeof max !== "number" || max < 1)
    errors.push(invalidValue("spec.maxReplicas", max ?? 0, "must be greater than 0"));
  else if (typeof min === "number" && max < min) {
    errors.push(invalidValue("spec.maxReplicas", max, "must be greater than or equal to `minReplicas`"));
  }
  for (const [i, metric] of asArray(spec.metrics).entries())
    errors.push(...validateMetric(metric, `spec.metrics[${i}]`));
  if (isRecord(spec.behavior)) {
    for (const direction of ["scaleUp", "scaleDown"] as const) {
      errors.push(...validateScalingRules(spec.behavior[direction], `spec.behavior.${direction}`));
    }
  }
  return errors;
}

function validateMetric(metric: unknown, path: string): FieldError[] {
  if (!isRecord(metric)) return [invalidValue(path, metric, "must be an object")];
  const type = asString(metric.type);
  if (type === "") return [required(`${path}.type`, "must specify a metric source type")];
  if (!METRIC_TYPES.includes(type)) return [notSupported(`${path}.type`, type, METRIC_TYPES)];
  const field = METRIC_FIELDS[type]!;
  const source = metric[field];
  if (!isRecord(source)) return [required(`${path}.${field}`, `must populate information for the given metric source`)];
  const errors: FieldError[] = [];
  const at = `${path}.${field}`;
  if ((type === "Resource" || type === "ContainerResource") && asString(source.name) === "")
    errors.push(required(`${at}.name`));
  if (type === "ContainerResource" && asString(source.container) === "") errors.push(required(`${at}.container`));
  if (
    (type === "Pods" || type === "Object" || type === "External") &&
    !(isRecord(source.metric) && asString(source.metric.name) !== "")
  ) {
    errors.push(required(`${at}.metric.name`));
  }
  if (type === "Object" && !(isRecord(source.describedObject) && asString(source.describedObject.kind) !== "")) {
    errors.push(required(`${at}.describedObject.kind`));
  }
  errors.push(...validateTarget(source.target, `${at}.target`, type === "Resource" || type === "ContainerResource"));
  return errors;
}

function validateTarget(target: unknown, path: string, utilizationAllowed: boolean): FieldError[] {
  if (!isRecord(target)) return [required(path)];
  const t: JsonObject = target;
  const errors: FieldError[] = [];
  const type = asString(t.type);
  if (type === "") errors.push(required(`${path}.type`));
  else if (!TARGET_TYPES.includes(type)) errors.push(notSupported(`${path}.type`, type, TARGET_TYPES));
  if (type === "Utilization") {
    if (!utilizationAllowed) errors.push(notSupported(`${path}.type`, type, ["AverageValue", "Value"]));
    if (typeof t.averageUtilization !== "number" || t.averageUtilization <= 0) {
      errors.push(invalidValue(`${path}.averageUtilization`, t.averageUtilization ?? 0, "must be greater than 0"));
    }
  }
  for (const field of ["value", "averageValue"] as const) {
    if (t[field] === undefined || t[field] === null) continue;
    const q = tryParseQuantity(t[field]);
    if (q === undefined) errors.push(invalidValue(`${path}.${field}`, t[field], QUANTITY_FORMAT_ERROR));
    else if (q <= 0) errors.push(invalidValue(`${path}.${field}`, t[field], "must be positive"));
  }
  if (type === "Value" && (t.value === undefined || t.value === null))
    errors.push(required(`${path}.value`, "must set value when type is Value"));
  if (type === "AverageValue" && (t.averageValue === undefined || t.averageValue === null)) {
    errors.push(required(`${path}.averageValue`, "must set averageValue when type is AverageValue"));
  }
  return errors;
}

const MAX_STABILIZATION_WINDOW = 3600;
const MAX_PERIOD = 1800;

function validateScalingRules(rules: unknown, path: string): FieldError[] {
  if (!isRecord(rules)) return [];
  const errors: FieldError[] = [];
  const window = rules.stabilizationWindowSeconds;
  errors.push(...nonNegative(window, `${path}.stabilizationWindowSeconds`));
  if (typeof window === "number" && window > MAX_STABILIZATION_WINDOW) {
    errors.push(
      invalidValue(
        `${path}.stabilizationWindowSeconds`,
        window,
        `must be less than or equal to ${MAX_STABILIZATION_WINDOW}`,
      ),
    );
  }
  errors.push(...enumField(rules.selectPolicy, `${path}.selectPolicy`, ["Disabled", "Max", "Min"]));
  for (const [i, policy] of asArray(rules.policies).entries()) {
    const at = `${path}.policies[${i}]`;
    if (!isRecord(policy)) continue;
    errors.push(...enumField(policy.type ?? "", `${at}.type`, ["Percent", "Pods"]));
    if (typeof policy.value !== "number" || policy.value <= 0)
      errors.push(invalidValue(`${at}.value`, policy.value ?? 0, "must be greater than zero"));
    const period = policy.periodSeconds;
    if (typeof period !== "number" || period <= 0 || period > MAX_PERIOD) {
      errors.push(
        invalidValue(
          `${at}.periodSeconds`,
          period ?? 0,
          `must be greater than zero and less than or equal to ${MAX_PERIOD}`,
        ),
      );
    }
  }
  return errors;
}
