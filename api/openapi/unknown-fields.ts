// Finds fields an object has but its schema does not know, for fieldValidation=Strict/Warn.
// Only closed schemas report: anything under x-kubernetes-preserve-unknown-fields (the parts our
// schemas describe partially, or free-form maps) is accepted as is.
import type { ResourceDef } from "../registry/types.ts";
import { buildSchemaSet, kindSchemaName, type SchemaOptions } from "./kinds.ts";
import type { Schema, SchemaSet } from "./schema.ts";

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const walk = (
  set: SchemaSet,
  schema: Schema | undefined,
  value: unknown,
  path: string,
  out: string[],
  depth: number,
) => {
  if (!schema || depth > 64) return;
  if (schema.ref !== undefined) return walk(set, set.get(schema.ref), value, path, out, depth + 1);
  if (Array.isArray(value)) {
    if (schema.items) value.forEach((item, i) => walk(set, schema.items, item, `${path}[${i}]`, out, depth + 1));
    return;
  }
  if (!isPlainObject(value)) return;
  const props = schema.properties ?? {};
  const open = schema["x-kubernetes-preserve-unknown-fields"] === true;
  const extra = schema.additionalProperties;
  for (const [key, child] of Object.entries(value)) {
    const childPath = path ? `${path}.${key}` : key;
    const known = props[key];
    if (known) walk(set, known, child, childPath, out, depth + 1);
    else if (typeof extra === "object") walk(set, extra, child, childPath, out, depth + 1);
    else if (!open && extra !== true && schema.properties) out.push(childPath);
  }
};

/** Dotted paths (`spec.template.spec.containers[0].imagePolicy`) of fields `schemaName` does not define. */
export const unknownFieldsIn = (set: SchemaSet, schemaName: string, value: unknown): string[] => {
  const out: string[] = [];
  walk(set, set.get(schemaName), value, "", out, 0);
  return out;
};

const sets = new WeakMap<readonly ResourceDef[], SchemaSet>();

/** Unknown fields of an object of kind `def` (the schema set is built once per `defs` array). */
export const unknownFields = (
  defs: readonly ResourceDef[],
  def: ResourceDef,
  value: unknown,
  options?: SchemaOptions,
): string[] => {
  let set = options ? undefined : sets.get(defs);
  if (!set) {
    set = buildSchemaSet(defs, options);
    if (!options) sets.set(defs, set);
  }
  return unknownFieldsIn(set, kindSchemaName(def), value);
};
