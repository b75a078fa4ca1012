// Looks up strategic-merge metadata by kind and by field. A `Schema` is the metadata of one named
// type; `undefined` means "nothing known", where every list is replaced and every map merged.
import { isObject } from "../../types.ts";
import { coreKinds, coreTypes } from "./core.ts";
import type { FieldMeta, KindTable, TypeMeta, TypeTable } from "./dsl.ts";
import { otherKinds, otherTypes } from "./other.ts";
import { workloadKinds, workloadTypes } from "./workloads.ts";

export type { FieldMeta } from "./dsl.ts";
export type Schema = TypeMeta | undefined;

export const SMP_TYPES: TypeTable = { ...coreTypes, ...workloadTypes, ...otherTypes };

function mergeKindTables(...tables: KindTable[]): KindTable {
  const out: Record<string, Record<string, string>> = {};
  for (const table of tables)
    for (const [apiVersion, kinds] of Object.entries(table)) out[apiVersion] = { ...out[apiVersion], ...kinds };
  return out;
}

export const SMP_KINDS: KindTable = mergeKindTables(coreKinds, workloadKinds, otherKinds);

const NO_FIELD: FieldMeta = {};

/** Root metadata of a built-in kind, or undefined for kinds with no strategic-merge schema (e.g. custom resources). */
export function schemaForKind(apiVersion: string, kind: string): Schema {
  const typeName = Object.hasOwn(SMP_KINDS, apiVersion) ? SMP_KINDS[apiVersion]![kind] : undefined;
  return typeName !== undefined && Object.hasOwn(SMP_TYPES, typeName) ? SMP_TYPES[typeName] : undefined;
}

/** Root metadata for an object, from its own apiVersion and kind. */
export function schemaForObject(obj: unknown): Schema {
  if (!isObject(obj) || typeof obj.apiVersion !== "string" || typeof obj.kind !== "string") return undefined;
  return schemaForKind(obj.apiVersion, obj.kind);
}

/** Whether the kind has strategic-merge metadata, i.e. is a built-in type kube-apiserver accepts SMP for. */
export const hasStrategicMergeSchema = (apiVersion: string, kind: string): boolean =>
  schemaForKind(apiVersion, kind) !== undefined;

/** The metadata of field `key` of `schema`, and the schema of its value (or of each element). */
export function fieldOf(schema: Schema, key: string): { meta: FieldMeta; schema: Schema } {
  const meta = schema !== undefined && Object.hasOwn(schema, key) ? schema[key]! : NO_FIELD;
  const sub = meta.type !== undefined && Object.hasOwn(SMP_TYPES, meta.type) ? SMP_TYPES[meta.type] : undefined;
  return { meta, schema: sub };
}
