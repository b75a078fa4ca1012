// Top-level kind and list schemas for the served resources, built from the data modules where a
// kind is described there, from a caller-provided schema (CRDs), or generically otherwise.
import type { ResourceDef } from "../registry/types.ts";
import { compileModules } from "./compile.ts";
import { LIST_META, OBJECT_META, schemaName } from "./names.ts";
import type { Schema, SchemaSet } from "./schema.ts";
import { MODULES } from "./schemas/index.ts";

export interface SchemaOptions {
  /**
   * A structural schema for a kind, e.g. a CRD version's `schema.openAPIV3Schema`. Takes precedence
   * over the built-in data modules. `metadata` is replaced by ObjectMeta as kube-apiserver does.
   */
  schemaFor?: (def: ResourceDef) => Record<string, unknown> | undefined;
}

let library: SchemaSet | undefined;
/** The compiled data modules (static, so compiled once). */
export const schemaLibrary = (): SchemaSet => (library ??= compileModules(MODULES));

const API_VERSION: Schema = {
  description: "Schema version of this object, as group/version (just the version for the core group).",
  type: "string",
};
const KIND: Schema = { description: "Type of this object, in CamelCase.", type: "string" };

const gvkExt = (def: ResourceDef, kind = def.kind) => [{ group: def.group, version: def.version, kind }];

const sorted = (props: Record<string, Schema>) =>
  Object.fromEntries(
    Object.keys(props)
      .sort()
      .map((k) => [k, props[k]!]),
  );

const withKindFields = (body: Schema, def: ResourceDef): Schema => ({
  ...body,
  type: "object",
  properties: sorted({
    ...body.properties,
    apiVersion: API_VERSION,
    kind: KIND,
    metadata: { ref: OBJECT_META, description: "Standard object metadata: name, namespace, labels, annotations…" },
  }),
  "x-kubernetes-group-version-kind": gvkExt(def),
});

const genericKind = (def: ResourceDef): Schema =>
  withKindFields(
    {
      description: `${def.kind} (${def.resource}${def.group ? `.${def.group}` : ""}). Fields below metadata are not described here.`,
      type: "object",
      properties: {
        spec: { description: "Desired state.", type: "object", "x-kubernetes-preserve-unknown-fields": true },
        status: { description: "Observed state.", type: "object", "x-kubernetes-preserve-unknown-fields": true },
      },
      "x-kubernetes-preserve-unknown-fields": true,
    },
    def,
  );

const providedKind = (raw: Record<string, unknown>, def: ResourceDef): Schema => {
  const body = structuredClone(raw) as Schema;
  const props = { ...(body.properties ?? {}) };
  delete props.metadata;
  return withKindFields({ ...body, properties: props }, def);
};

const listKind = (def: ResourceDef, itemName: string): Schema => ({
  description: `A list of ${def.kind} objects.`,
  type: "object",
  required: ["items"],
  properties: {
    apiVersion: API_VERSION,
    items: { description: `The ${def.resource}.`, type: "array", items: { ref: itemName } },
    kind: KIND,
    metadata: { ref: LIST_META, description: "List metadata: resourceVersion and the continue token." },
  },
  "x-kubernetes-group-version-kind": gvkExt(def, def.listKind),
});

/** The kind's schema name, e.g. "io.k8s.api.apps.v1.Deployment". */
export const kindSchemaName = (def: ResourceDef) => schemaName(def.group, def.version, def.kind);
export const listSchemaName = (def: ResourceDef) => schemaName(def.group, def.version, def.listKind);

/** The data-module library plus one kind and one list schema per def. */
export const buildSchemaSet = (defs: readonly ResourceDef[], options: SchemaOptions = {}): SchemaSet => {
  const lib = schemaLibrary();
  const set: SchemaSet = new Map(lib);
  for (const def of defs) {
    const name = kindSchemaName(def);
    const provided = options.schemaFor?.(def) ?? def.customSchema;
    const described = lib.get(name);
    set.set(
      name,
      provided ? providedKind(provided, def) : described ? withKindFields(described, def) : genericKind(def),
    );
    set.set(listSchemaName(def), listKind(def, name));
  }
  return set;
};

/** A stand-in for a schema the library lacks (so every `$ref` in a document resolves). */
export const placeholder = (name: string): Schema => ({
  description: `${name.split(".").pop()}: not described.`,
  type: "object",
  "x-kubernetes-preserve-unknown-fields": true,
});
