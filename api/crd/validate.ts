// Validation of a custom object against its version's openAPIV3Schema, with field errors
// in Kubernetes' wording (`spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"`).
import type { FieldError } from "../errors.ts";
import { isPlainObject, propertySchema, type JSONSchemaProps } from "./schema.ts";

const typeOf = (value: unknown): string => {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
};

const show = (value: unknown) => (typeof value === "string" ? `"${value}"` : JSON.stringify(value));

function matchesType(value: unknown, schema: JSONSchemaProps): boolean {
  if (value === null) return schema.nullable === true;
  if (schema["x-kubernetes-int-or-string"]) return typeof value === "string" || Number.isInteger(value);
  if (!schema.type) return true;
  const actual = typeOf(value);
  return actual === schema.type || (schema.type === "number" && actual === "integer");
}

function check(value: unknown, schema: JSONSchemaProps, path: string, errors: FieldError[]): void {
  const invalid = (detail: string) =>
    errors.push({ field: path, type: "FieldValueInvalid", message: `Invalid value: ${show(value)}: ${detail}` });
  if (!matchesType(value, schema)) {
    errors.push({
      field: path,
      type: "FieldValueTypeInvalid",
      message: `Invalid value: ${show(typeOf(value))}: ${path} in body must be of type ${schema.type}: ${show(typeOf(value))}`,
    });
    return;
  }
  if (value === null) return;
  if (schema.enum && !schema.enum.some((allowed) => JSON.stringify(allowed) === JSON.stringify(value))) {
    errors.push({
      field: path,
      type: "FieldValueNotSupported",
      message: `Unsupported value: ${show(value)}: supported values: ${schema.enum.map(show).join(", ")}`,
    });
  }
  if (typeof value === "number") {
    if (schema.minimum !== undefined && (schema.exclusiveMinimum ? value <= schema.minimum : value < schema.minimum)) {
      invalid(`${path} in body should be greater than or equal to ${schema.minimum}`);
    }
    if (schema.maximum !== undefined && (schema.exclusiveMaximum ? value >= schema.maximum : value > schema.maximum)) {
      invalid(`${path} in body should be less than or equal to ${schema.maximum}`);
    }
    if (schema.multipleOf !== undefined && value % schema.multipleOf !== 0)
      invalid(`${path} in body should be a multiple of ${schema.multipleOf}`);
  }
  if (typeof value === "string") {
    if (schema.minLength !== undefined && value.length < schema.minLength)
      invalid(`${path} in body should be at least ${schema.minLength} chars long`);
    if (schema.maxLength !== undefined && value.length > schema.maxLength) {
      errors.push({
        field: path,
        type: "FieldValueTooLong",
        message: `Too long: may not be more than ${schema.maxLength} bytes`,
      });
    }
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, "u").test(value))
      invalid(`${path} in body should match '${schema.pattern}'`);
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems)
      invalid(`${path} in body should have at least ${schema.minItems} items`);
    if (schema.maxItems !== undefined && value.length > schema.maxItems) {
      errors.push({
        field: path,
        type: "FieldValueTooMany",
        message: `Too many: ${value.length}: must have at most ${schema.maxItems} items`,
      });
    }
    if (schema.items) value.forEach((item, i) => check(item, schema.items as JSONSchemaProps, `${path}[${i}]`, errors));
  }
  if (isPlainObject(value)) {
    for (const key of schema.required ?? []) {
      if (value[key] === undefined)
        errors.push({ field: path ? `${path}.${key}` : key, type: "FieldValueRequired", message: "Required value" });
    }
    const count = Object.keys(value).length;
    if (schema.minProperties !== undefined && count < schema.minProperties)
      invalid(`${path} in body should have at least ${schema.minProperties} properties`);
    if (schema.maxProperties !== undefined && count > schema.maxProperties)
      invalid(`${path} in body should have at most ${schema.maxProperties} properties`);
    for (const [key, child] of Object.entries(value)) {
      const childSchema = propertySchema(schema, key);
      if (childSchema) check(child, childSchema, path ? `${path}.${key}` : key, errors);
    }
  }
  for (const sub of schema.allOf ?? []) check(value, sub, path, errors);
  if (schema.anyOf && !schema.anyOf.some((sub) => validateValue(value, sub, path).length === 0))
    invalid(`${path} in body must match at least one schema in anyOf`);
  if (schema.oneOf && schema.oneOf.filter((sub) => validateValue(value, sub, path).length === 0).length !== 1) {
    invalid(`${path} in body must match exactly one schema in oneOf`);
  }
  if (schema.not && validateValue(value, schema.not, path).length === 0)
    invalid(`${path} in body must not validate the schema (not)`);
}

export function validateValue(value: unknown, schema: JSONSchemaProps, path = ""): FieldError[] {
  const errors: FieldError[] = [];
  check(value, schema, path, errors);
  return errors;
}

/** Validates a custom object; metadata is validated by the generic ObjectMeta rules instead. */
export function validateCustomObject(object: Record<string, unknown>, schema: JSONSchemaProps): FieldError[] {
  const { metadata: _metadata, ...rest } = object;
  const { metadata: _metaSchema, ...properties } = schema.properties ?? {};
  return validateValue(rest, {
    ...schema,
    properties,
    required: (schema.required ?? []).filter((r) => r !== "metadata"),
  });
}
