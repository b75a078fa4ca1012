// Builders for field errors, worded as Kubernetes words them, so kubectl prints
// `* spec.replicas: Invalid value: -1: must be greater than or equal to 0`.
import type { FieldError } from "../errors.ts";

/**
 * Renders a bad value the way Kubernetes' field errors do (they use Go's
 * formatting): strings quoted, numbers and booleans bare, string maps and
 * string lists in Go literal syntax, anything else as JSON.
 */
export function formatValue(value: unknown): string {
  if (value === undefined || value === null) return "null";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) {
    return `[]string{${value.map((v) => JSON.stringify(v)).join(", ")}}`;
  }
  if (isStringMap(value)) {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${JSON.stringify(value[k])}`);
    return `map[string]string{${entries.join(", ")}}`;
  }
  return JSON.stringify(value);
}

function isStringMap(value: unknown): value is Record<string, string> {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length > 0 &&
    Object.values(value).every((v) => typeof v === "string")
  );
}

const withDetail = (head: string, detail?: string) => (detail ? `${head}: ${detail}` : head);

export const required = (field: string, detail?: string): FieldError => ({
  field,
  type: "FieldValueRequired",
  message: withDetail("Required value", detail),
});

export const invalidValue = (field: string, value: unknown, detail?: string): FieldError => ({
  field,
  type: "FieldValueInvalid",
  message: withDetail(`Invalid value: ${formatValue(value)}`, detail),
});

export const notSupported = (field: string, value: unknown, supported: readonly string[]): FieldError => ({
  field,
  type: "FieldValueNotSupported",
  message: `Unsupported value: ${formatValue(value)}: supported values: ${supported.map((s) => JSON.stringify(s)).join(", ")}`,
});

export const forbidden = (field: string, detail: string): FieldError => ({
  field,
  type: "FieldValueForbidden",
  message: withDetail("Forbidden", detail),
});

export const duplicate = (field: string, value: unknown): FieldError => ({
  field,
  type: "FieldValueDuplicate",
  message: `Duplicate value: ${formatValue(value)}`,
});

export const tooLong = (field: string, maxBytes: number): FieldError => ({
  field,
  type: "FieldValueTooLong",
  message: `Too long: may not be more than ${maxBytes} bytes`,
});

/**
 * Kubernetes reports a dangling reference as "FieldValueNotFound"; FieldError has no
 * such type, so it travels as Invalid with the same message text kubectl prints.
 */
export const notFound = (field: string, value: unknown): FieldError => ({
  field,
  type: "FieldValueInvalid",
  message: `Not found: ${formatValue(value)}`,
});

export const typeInvalid = (field: string, value: unknown, detail: string): FieldError => ({
  field,
  type: "FieldValueTypeInvalid",
  message: `Invalid value: ${formatValue(value)}: ${detail}`,
});

/** One Invalid error per message, all on the same field and value. */
export const invalidEach = (field: string, value: unknown, messages: readonly string[]): FieldError[] =>
  messages.map((m) => invalidValue(field, value, m));

export const IMMUTABLE = "field is immutable";
