// Pruning: fields a structural schema does not specify are dropped, unless the schema
// preserves unknown fields there. At the root (and in embedded resources) apiVersion, kind
// and metadata always stay.
import { isPlainObject, propertySchema, type JSONSchemaProps } from "./schema.ts";

const TYPE_META = new Set(["apiVersion", "kind", "metadata"]);

function pruneValue(value: unknown, schema: JSONSchemaProps | undefined, keepTypeMeta: boolean): void {
  if (!schema) return;
  if (Array.isArray(value)) {
    for (const item of value) pruneValue(item, schema.items, schema.items?.["x-kubernetes-embedded-resource"] === true);
    return;
  }
  if (!isPlainObject(value)) return;
  const preserve = schema["x-kubernetes-preserve-unknown-fields"] === true || schema.additionalProperties === true;
  for (const key of Object.keys(value)) {
    if (keepTypeMeta && TYPE_META.has(key)) continue;
    const child = propertySchema(schema, key);
    if (child) pruneValue(value[key], child, child["x-kubernetes-embedded-resource"] === true);
    else if (!preserve) delete value[key];
  }
}

/** Removes, in place, the fields of a custom object its version's schema does not know. */
export function pruneObject(object: Record<string, unknown>, schema: JSONSchemaProps): void {
  pruneValue(object, schema, true);
}
