// Numeric field checks shared across kinds. Absent (undefined/null) fields pass:
// whether a field is required is the caller's decision.
import type { FieldError } from "../errors.ts";
import { invalidEach, invalidValue } from "./field.ts";
import { percent } from "./names.ts";

export const GE_ZERO = "must be greater than or equal to 0";
export const GT_ZERO = "must be greater than 0";
const NOT_INTEGER = "must be an integer";

const absent = (value: unknown) => value === undefined || value === null;

export function integerAtLeast(value: unknown, min: number, path: string, message: string): FieldError[] {
  if (absent(value)) return [];
  if (typeof value !== "number" || !Number.isInteger(value)) return [invalidValue(path, value, NOT_INTEGER)];
  return value < min ? [invalidValue(path, value, message)] : [];
}

export const nonNegative = (value: unknown, path: string) => integerAtLeast(value, 0, path, GE_ZERO);
export const positive = (value: unknown, path: string) => integerAtLeast(value, 1, path, GT_ZERO);

/** Value of an IntOrString: an integer, or a percentage string ("25%") as a number of percent. */
export function intOrPercentValue(value: unknown): { value: number; isPercent: boolean } | undefined {
  if (typeof value === "number" && Number.isInteger(value)) return { value, isPercent: false };
  if (typeof value === "string" && /^[0-9]+%$/.test(value))
    return { value: Number(value.slice(0, -1)), isPercent: true };
  return undefined;
}

/** A non-negative integer or a percentage; optionally capped at 100%. */
export function intOrPercent(value: unknown, path: string, options: { max100?: boolean } = {}): FieldError[] {
  if (absent(value)) return [];
  if (typeof value === "string") {
    const errors = invalidEach(path, value, percent(value));
    if (errors.length > 0) return errors;
    if (options.max100 && Number(value.slice(0, -1)) > 100)
      return [invalidValue(path, value, "must not be greater than 100%")];
    return [];
  }
  return nonNegative(value, path);
}

/** Zero in both forms ("0%" or 0). */
export const isZeroIntOrPercent = (value: unknown) => intOrPercentValue(value)?.value === 0;
