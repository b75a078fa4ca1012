// Strategic-merge-patch metadata written as data.
//
// Each named type lists only the fields that matter to a strategic merge: those carrying a
// `patchStrategy` / `patchMergeKey` in the Kubernetes API types, and the fields that lead to such
// a type (e.g. Deployment.spec → DeploymentSpec.template → PodTemplateSpec.spec → PodSpec). Any
// field not listed has no strategy: maps merge key by key, lists are replaced whole.

export interface FieldMeta {
  /** Named type of the value (of each element, for a list); absent when nothing below has metadata. */
  readonly type?: string;
  /**
   * `merge`: a list merges element-wise by `mergeKey`, or as a set when it holds primitives.
   * `replace`: a map is replaced whole rather than merged key by key.
   */
  readonly strategy?: "merge" | "replace";
  /** The element field that identifies list items (patchMergeKey). */
  readonly mergeKey?: string;
  /** The strategy also lists retainKeys: kubectl sends `$retainKeys` for this map (or each element). */
  readonly retainKeys?: boolean;
}

export type TypeMeta = Readonly<Record<string, FieldMeta>>;
export type TypeTable = Readonly<Record<string, TypeMeta>>;
/** apiVersion → kind → root type name. */
export type KindTable = Readonly<Record<string, Readonly<Record<string, string>>>>;

/** A field whose value is (a list of) another named type, merged with default semantics. */
export const nested = (type: string): FieldMeta => ({ type });

/** A list of objects merged element-wise by `mergeKey`. */
export const mergeBy = (mergeKey: string, type?: string): FieldMeta =>
  type ? { strategy: "merge", mergeKey, type } : { strategy: "merge", mergeKey };

/** Like `mergeBy`, and each element also clears the keys it does not set (`merge,retainKeys`). */
export const mergeRetainingBy = (mergeKey: string, type?: string): FieldMeta => ({
  ...mergeBy(mergeKey, type),
  retainKeys: true,
});

/** A list of primitives merged as a set (union), e.g. metadata.finalizers. */
export const mergeSet: FieldMeta = { strategy: "merge" };

/** A map whose keys not sent are cleared when it changes (`retainKeys`), e.g. Deployment strategy. */
export const retaining = (type?: string): FieldMeta => (type ? { retainKeys: true, type } : { retainKeys: true });

/** A map replaced whole (`patchStrategy: replace`), e.g. PodDisruptionBudget spec.selector. */
export const replaced: FieldMeta = { strategy: "replace" };

/** The root type of a kind: every kind's metadata is ObjectMeta. */
export const kind = (fields: Record<string, FieldMeta> = {}): TypeMeta => ({
  metadata: nested("ObjectMeta"),
  ...fields,
});

/** Root type of kinds whose only patch metadata is in ObjectMeta. */
export const PLAIN = "PlainObject";

/** The `conditions` list most status types have, merged by condition type. */
export const conditions: FieldMeta = mergeBy("type");
