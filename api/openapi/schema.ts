// The in-memory schema model shared by the OpenAPI v3 and v2 renderers: JSON Schema as Kubernetes
// uses it, except that references are kept as `ref: <schema name>` and turned into `$ref`s
// (`#/components/schemas/…` or `#/definitions/…`) only when a document is rendered.

export type JsonType = "object" | "array" | "string" | "integer" | "number" | "boolean";

export interface GVK {
  group: string;
  version: string;
  kind: string;
}

export interface Schema {
  ref?: string;
  type?: JsonType;
  format?: string;
  description?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: Schema | boolean;
  enum?: unknown[];
  default?: unknown;
  nullable?: boolean;
  "x-kubernetes-group-version-kind"?: GVK[];
  "x-kubernetes-preserve-unknown-fields"?: boolean;
  "x-kubernetes-patch-merge-key"?: string;
  "x-kubernetes-patch-strategy"?: string;
  "x-kubernetes-list-type"?: string;
  "x-kubernetes-list-map-keys"?: string[];
  "x-kubernetes-map-type"?: string;
  "x-kubernetes-int-or-string"?: boolean;
  "x-kubernetes-embedded-resource"?: boolean;
  [keyword: string]: unknown;
}

/** Schemas by full name, e.g. "io.k8s.api.apps.v1.Deployment". */
export type SchemaSet = Map<string, Schema>;

/** Names referenced anywhere inside `schema`. */
export const refsOf = (schema: unknown, out: Set<string> = new Set()): Set<string> => {
  if (Array.isArray(schema)) for (const item of schema) refsOf(item, out);
  else if (typeof schema === "object" && schema !== null) {
    for (const [key, value] of Object.entries(schema)) {
      if (key === "ref" && typeof value === "string") out.add(value);
      else refsOf(value, out);
    }
  }
  return out;
};

/**
 * `roots` plus every schema name reachable from them, in a deterministic order (roots first in the
 * given order, then discovery order). Names missing from `set` are included (as leaves) so the
 * caller can substitute a placeholder.
 */
export const closure = (set: SchemaSet, roots: Iterable<string>): string[] => {
  const seen = new Set<string>();
  const queue = [...roots];
  while (queue.length) {
    const name = queue.shift()!;
    if (seen.has(name)) continue;
    seen.add(name);
    for (const ref of refsOf(set.get(name))) if (!seen.has(ref)) queue.push(ref);
  }
  return [...seen];
};
