// Defaulting helpers: fill a field only when the client left it out, as
// Kubernetes' defaulters do (an explicit value, even an empty one, is kept).
import { isRecord, type JsonObject } from "../../validation/shape.ts";

export const isUnset = (value: unknown) => value === undefined || value === null;

export function setDefault(obj: JsonObject, key: string, value: unknown): void {
  if (isUnset(obj[key])) obj[key] = value;
}

/** Like setDefault, but also replaces "" (for string enums Kubernetes treats "" as unset). */
export function setDefaultString(obj: JsonObject, key: string, value: string): void {
  if (isUnset(obj[key]) || obj[key] === "") obj[key] = value;
}

/** The nested object at `key`, created when missing; undefined when something else is there. */
export function child(obj: JsonObject, key: string): JsonObject | undefined {
  if (isUnset(obj[key])) obj[key] = {};
  const value = obj[key];
  return isRecord(value) ? value : undefined;
}

/** The nested object at `key` if present, without creating it. */
export const existing = (obj: JsonObject, key: string): JsonObject | undefined =>
  isRecord(obj[key]) ? (obj[key] as JsonObject) : undefined;

/** Each element of the array at `key` that is an object. */
export const objectsIn = (obj: JsonObject, key: string): JsonObject[] =>
  Array.isArray(obj[key]) ? (obj[key] as unknown[]).filter(isRecord) : [];
