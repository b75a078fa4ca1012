// Shared assembly for both OpenAPI documents: which operations and schemas a set of defs yields.
import type { ResourceDef } from "../registry/types.ts";
import { buildSchemaSet, kindSchemaName, listSchemaName, placeholder, type SchemaOptions } from "./kinds.ts";
import { resourceOperations, type Operation } from "./operations.ts";
import { closure, type Schema } from "./schema.ts";

export const TITLE = "Kubernetes";
export const API_VERSION_LABEL = "v1.33.0";

export interface Assembled {
  operations: Operation[];
  /** Schemas by name, sorted by name. */
  schemas: Array<[string, Schema]>;
}

/** Operations of `defs` and the schemas they need (kinds, lists, bodies, responses and all they reference). */
export const assemble = (defs: readonly ResourceDef[], options: SchemaOptions = {}): Assembled => {
  const set = buildSchemaSet(defs, options);
  const operations = defs.flatMap(resourceOperations);
  const roots = [
    ...defs.flatMap((d) => [kindSchemaName(d), listSchemaName(d)]),
    ...operations.flatMap((o) => [o.body?.schema, ...o.responses.map((r) => r.schema)]),
  ].filter((n): n is string => n !== undefined);
  const names = closure(set, roots).sort();
  return { operations, schemas: names.map((n) => [n, set.get(n) ?? placeholder(n)]) };
};

/** Operations grouped by path, paths in first-seen order. */
export const byPath = (operations: readonly Operation[]): Map<string, Operation[]> => {
  const paths = new Map<string, Operation[]>();
  for (const op of operations) paths.set(op.path, [...(paths.get(op.path) ?? []), op]);
  return paths;
};
