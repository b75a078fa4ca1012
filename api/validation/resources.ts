// Container resource requirements: quantities parse, are non-negative, and
// requests do not exceed limits.
import type { FieldError } from "../errors.ts";
import { invalidEach, invalidValue } from "./field.ts";
import { qualifiedName } from "./names.ts";
import { QUANTITY_FORMAT_ERROR, tryParseQuantity } from "./quantity.ts";
import { entriesOf, isRecord } from "./shape.ts";

const STANDARD_CONTAINER_RESOURCES = new Set(["cpu", "memory", "ephemeral-storage"]);

/** Unprefixed names must be standard; prefixed names are extended resources (e.g. nvidia.com/gpu). */
function resourceNameErrors(name: string, path: string): FieldError[] {
  if (name.includes("/")) return invalidEach(path, name, qualifiedName(name));
  if (STANDARD_CONTAINER_RESOURCES.has(name) || name.startsWith("hugepages-")) return [];
  return [invalidValue(path, name, "must be a standard resource for containers")];
}

/** Validates a ResourceList (map of resource name → quantity); returns the parsed values too. */
export function validateResourceList(
  list: unknown,
  path: string,
  options: { containerNames?: boolean } = {},
): { errors: FieldError[]; values: Map<string, number> } {
  const errors: FieldError[] = [];
  const values = new Map<string, number>();
  if (list !== undefined && list !== null && !isRecord(list)) {
    return { errors: [invalidValue(path, list, "must be a map of resource names to quantities")], values };
  }
  for (const [name, raw] of entriesOf(list)) {
    const entryPath = `${path}[${name}]`;
    if (options.containerNames) errors.push(...resourceNameErrors(name, entryPath));
    else errors.push(...invalidEach(entryPath, name, qualifiedName(name)));
    const value = tryParseQuantity(raw);
    if (value === undefined) errors.push(invalidValue(entryPath, raw, QUANTITY_FORMAT_ERROR));
    else if (value < 0) errors.push(invalidValue(entryPath, raw, "must be greater than or equal to 0"));
    else values.set(name, value);
  }
  return { errors, values };
}

export function validateResourceRequirements(resources: unknown, path: string): FieldError[] {
  if (resources === undefined || resources === null) return [];
  if (!isRecord(resources)) return [invalidValue(path, resources, "must be an object")];
  const limits = validateResourceList(resources.limits, `${path}.limits`, { containerNames: true });
  const requests = validateResourceList(resources.requests, `${path}.requests`, { containerNames: true });
  const errors = [...limits.errors, ...requests.errors];
  const rawLimits = isRecord(resources.limits) ? resources.limits : {};
  const rawRequests = isRecord(resources.requests) ? resources.requests : {};
  for (const [name, request] of requests.values) {
    const limit = limits.values.get(name);
    if (limit !== undefined && request > limit) {
      errors.push(
        invalidValue(
          `${path}.requests[${name}]`,
          String(rawRequests[name]),
          `must be less than or equal to ${name} limit of ${String(rawLimits[name])}`,
        ),
      );
    }
  }
  // Extended resources cannot be overcommitted: request and limit must agree.
  for (const [name, limit] of limits.values) {
    if (!name.includes("/") || name.startsWith("kubernetes.io/")) continue;
    const request = requests.values.get(name);
    if (request !== undefined && request !== limit) {
      errors.push(
        invalidValue(
          `${path}.requests[${name}]`,
          String(rawRequests[name]),
          `must be equal to ${name} limit of ${String(rawLimits[name])}`,
        ),
      );
    }
  }
  return errors;
}
