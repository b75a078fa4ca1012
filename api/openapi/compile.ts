// Turns the data modules of ./schemas into a SchemaSet.
import type { FieldSpec, SchemaModule, TypeSpec } from "./schemas/dsl.ts";
import type { Schema, SchemaSet } from "./schema.ts";

const PRIMITIVES: Record<string, () => Schema> = {
  string: () => ({ type: "string" }),
  boolean: () => ({ type: "boolean" }),
  int32: () => ({ type: "integer", format: "int32" }),
  int64: () => ({ type: "integer", format: "int64" }),
  double: () => ({ type: "number", format: "double" }),
  byte: () => ({ type: "string", format: "byte" }),
  object: () => ({ type: "object", "x-kubernetes-preserve-unknown-fields": true }),
};

type Resolve = (name: string) => string;

export const parseTypeExpr = (expr: string, resolve: Resolve): Schema => {
  if (expr.startsWith("[]")) return { type: "array", items: parseTypeExpr(expr.slice(2), resolve) };
  if (expr.startsWith("{}")) return { type: "object", additionalProperties: parseTypeExpr(expr.slice(2), resolve) };
  const primitive = PRIMITIVES[expr];
  return primitive ? primitive() : { ref: resolve(expr) };
};

const fieldSchema = (field: FieldSpec, resolve: Resolve): Schema => {
  const schema: Schema = { description: field.description, ...parseTypeExpr(field.type, resolve) };
  if (field.enum) schema.enum = [...field.enum];
  if (field.mergeKey) schema["x-kubernetes-patch-merge-key"] = field.mergeKey;
  if (field.mergeKey || field.patchStrategy) schema["x-kubernetes-patch-strategy"] = field.patchStrategy ?? "merge";
  if (field.listType) schema["x-kubernetes-list-type"] = field.listType;
  if (field.listMapKeys) schema["x-kubernetes-list-map-keys"] = [...field.listMapKeys];
  if (field.mapType) schema["x-kubernetes-map-type"] = field.mapType;
  if (field.preserveUnknown) schema["x-kubernetes-preserve-unknown-fields"] = true;
  return schema;
};

export const typeSchema = (spec: TypeSpec, resolve: Resolve): Schema => {
  if (spec.scalar) {
    const schema: Schema = { description: spec.description, ...spec.scalar };
    if (spec.scalar.type === "object") schema["x-kubernetes-preserve-unknown-fields"] = true;
    return schema;
  }
  const names = Object.keys(spec.fields).sort();
  const schema: Schema = { description: spec.description, type: "object" };
  if (names.length) {
    schema.properties = Object.fromEntries(names.map((n) => [n, fieldSchema(spec.fields[n]!, resolve)]));
    const required = names.filter((n) => spec.fields[n]!.required);
    if (required.length) schema.required = required;
  }
  if (spec.partial) schema["x-kubernetes-preserve-unknown-fields"] = true;
  return schema;
};

/**
 * Compiles modules into schemas keyed by full name. A bare type name resolves to the module's own
 * type first, then to the only module that defines it; anything else is an error (so the data
 * modules are checked by the unit tests).
 */
export const compileModules = (modules: readonly SchemaModule[]): SchemaSet => {
  const owners = new Map<string, string[]>();
  for (const m of modules)
    for (const name of Object.keys(m.types)) owners.set(name, [...(owners.get(name) ?? []), m.pkg]);
  const set: SchemaSet = new Map();
  for (const m of modules) {
    const resolve: Resolve = (name) => {
      if (name.includes(".")) return name;
      if (m.types[name]) return `${m.pkg}.${name}`;
      const pkgs = owners.get(name) ?? [];
      if (pkgs.length === 1) return `${pkgs[0]}.${name}`;
      throw new Error(`${m.pkg}: type "${name}" is ${pkgs.length ? "ambiguous" : "unknown"}`);
    };
    for (const [name, spec] of Object.entries(m.types)) set.set(`${m.pkg}.${name}`, typeSchema(spec, resolve));
  }
  return set;
};
