// Server-side field validation (`fieldValidation=Strict|Warn|Ignore`): unknown fields of a
// built-in kind are an error, a warning, or silently dropped — and never stored, since
// Kubernetes decodes into typed structs that have no place for them.
import { badRequest } from "../errors.ts";
import { unknownFields } from "../openapi/index.ts";
import { builtinResources } from "../registry/index.ts";
import type { ResourceDef } from "../registry/types.ts";

export type FieldValidation = "Strict" | "Warn" | "Ignore";

/** Kubernetes' default when the client does not say is Warn. */
export function fieldValidationOf(query: URLSearchParams): FieldValidation {
  const value = query.get("fieldValidation");
  if (value === null || value === "") return "Warn";
  if (value === "Strict" || value === "Warn" || value === "Ignore") return value;
  throw badRequest(`fieldValidation: Unsupported value: "${value}": supported values: "Ignore", "Strict", "Warn"`);
}

const customDefs = new WeakMap<ResourceDef, readonly ResourceDef[]>();

/** Built-in kinds share one schema set; a custom resource gets its own (its CRD's schema). */
function schemaDefsFor(def: ResourceDef): readonly ResourceDef[] {
  if (!def.customSchema) return builtinResources;
  let defs = customDefs.get(def);
  if (!defs) {
    defs = [def];
    customDefs.set(def, defs);
  }
  return defs;
}

const PATH_PART = /([^.[\]]+)|\[(\d+)\]/g;

/** Deletes a dotted path such as `spec.containers[0].imagePolicy`. */
function deletePath(target: unknown, path: string): void {
  const parts = [...path.matchAll(PATH_PART)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]));
  let current: unknown = target;
  for (const part of parts.slice(0, -1)) {
    if (current === null || typeof current !== "object") return;
    current = (current as Record<string | number, unknown>)[part];
  }
  if (current !== null && typeof current === "object")
    delete (current as Record<string | number, unknown>)[parts[parts.length - 1]];
}

/**
 * Applies the client's field validation to `body` (mutating it: unknown fields are pruned).
 * Answers the warnings to return in `Warning` headers.
 */
export function validateFields(def: ResourceDef, body: unknown, mode: FieldValidation): string[] {
  const unknown = unknownFields(schemaDefsFor(def), def, body);
  if (unknown.length === 0) return [];
  if (mode === "Strict") {
    const list = unknown.map((path) => `unknown field "${path}"`).join(", ");
    throw badRequest(
      `${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: strict decoding error: ${list}`,
    );
  }
  for (const path of unknown) deletePath(body, path);
  return mode === "Warn" ? unknown.map((path) => `unknown field "${path}"`) : [];
}
