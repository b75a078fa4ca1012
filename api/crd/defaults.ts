// Defaulting from a structural schema's `default` values (applied where a field is absent,
// depth-first, as apiextensions-apiserver does on read and write).
import { isPlainObject, type JSONSchemaProps } from "./schema.ts";

export function applyDefaults(value: unknown, schema: JSONSchemaProps | undefined): void {
  if (!schema) return;
  if (Array.isArray(value)) {
    for (const item of value) applyDefaults(item, schema.items);
    return;
  }
  if (!isPlainObject(value)) return;
  for (const [key, child] of Object.entries(schema.properties ?? {})) {
    if (value[key] === undefined && child.default !== undefined) value[key] = structuredClone(child.default);
    if (value[key] !== undefined) applyDefaults(value[key], child);
  }
  if (typeof schema.additionalProperties === "object") {
    for (const key of Object.keys(value)) {
      if (!schema.properties?.[key]) applyDefaults(value[key], schema.additionalProperties);
    }
  }
}
