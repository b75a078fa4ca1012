// A compact way to write Kubernetes object schemas as data.
//
// A module is a package (e.g. `io.k8s.api.apps.v1`) and a record of named types. Each type lists
// its fields as `f(typeExpr, description, options)`. Type expressions:
//   string | boolean | int32 | int64 | double | byte | object      primitives (`object`: free-form map)
//   []T                                                              array of T
//   {}T                                                              map from string to T
//   Name                                                             another named type (same module first)
//   io.k8s.api.core.v1.Name                                          a fully qualified name
//
// The field record of a type is checked against the matching `kubernetes-types` interface (pass it
// as the type argument), so field names cannot drift from the real API. `complete` additionally
// requires every field of that interface; `partial` types keep unknown fields (they are marked
// `x-kubernetes-preserve-unknown-fields`), so nothing we left out is ever rejected.

export interface FieldOptions {
  required?: boolean;
  enum?: string[];
  /** Strategic-merge key for lists of objects (x-kubernetes-patch-merge-key, patch strategy "merge"). */
  mergeKey?: string;
  /** x-kubernetes-patch-strategy for lists that merge without a key, e.g. "merge" for finalizers. */
  patchStrategy?: string;
  listType?: "atomic" | "set" | "map";
  listMapKeys?: string[];
  mapType?: "atomic" | "granular";
  /** Field is free-form below this point (x-kubernetes-preserve-unknown-fields). */
  preserveUnknown?: boolean;
}

export interface FieldSpec extends FieldOptions {
  type: string;
  description: string;
}

export interface TypeSpec {
  description: string;
  fields: Record<string, FieldSpec>;
  /** Fields are a subset of the real type's; unknown fields must be kept. */
  partial: boolean;
  /** For a schema with no properties: its JSON type and format (e.g. Time is a date-time string). */
  scalar?: { type: "string" | "integer" | "number" | "boolean" | "object"; format?: string };
}

export interface SchemaModule {
  /** Package prefix of every type in the module, e.g. "io.k8s.api.apps.v1". */
  pkg: string;
  types: Record<string, TypeSpec>;
}

/** The fields of a `kubernetes-types` interface, minus the ones every kind gets automatically. */
export type Own<T> = Omit<T, "apiVersion" | "kind" | "metadata">;

/** Some fields of `T`, by name. */
export type SomeFields<T> = { [K in keyof T]?: FieldSpec };
/** Every field of `T`. */
export type AllFields<T> = { [K in keyof T]-?: FieldSpec };

type Newer = Record<string, FieldSpec>;

export const f = (type: string, description: string, options: FieldOptions = {}): FieldSpec => ({
  type,
  description,
  ...options,
});

/** A required field. */
export const req = (type: string, description: string, options: FieldOptions = {}): FieldSpec =>
  f(type, description, { ...options, required: true });

const spec = (description: string, fields: object, newer: Newer, isPartial: boolean): TypeSpec => ({
  description,
  fields: { ...(fields as Record<string, FieldSpec>), ...newer },
  partial: isPartial,
});

// `newer` holds fields added to Kubernetes after the `kubernetes-types` release we check against.

/** A type whose every field is listed (checked against `T`); unknown fields are errors. */
export const complete = <T>(description: string, fields: AllFields<T>, newer: Newer = {}) =>
  spec(description, fields, newer, false);

/** A type described only in part (field names checked against `T`); other fields are preserved. */
export const partial = <T>(description: string, fields: SomeFields<T>, newer: Newer = {}) =>
  spec(description, fields, newer, true);

/** A kind with every field listed; apiVersion, kind and metadata are added for every kind. */
export const kind = <T>(description: string, fields: AllFields<Own<T>>, newer: Newer = {}) =>
  spec(description, fields, newer, false);

/** A kind described only in part. */
export const partialKind = <T>(description: string, fields: SomeFields<Own<T>>, newer: Newer = {}) =>
  spec(description, fields, newer, true);

/** A type with no `kubernetes-types` counterpart. */
export const untyped = (description: string, fields: Record<string, FieldSpec>, isPartial = false): TypeSpec =>
  spec(description, fields, {}, isPartial);

/** A named schema that is a single JSON value (strings with a format, free-form objects). */
export const scalar = (
  description: string,
  type: "string" | "integer" | "number" | "boolean" | "object",
  format?: string,
): TypeSpec => ({
  description,
  fields: {},
  partial: type === "object",
  scalar: { type, ...(format ? { format } : {}) },
});

/** A named object we say nothing about beyond its purpose; its content is kept as sent. */
export const opaque = (description: string): TypeSpec => ({ description, fields: {}, partial: true });
