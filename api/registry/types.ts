// What the generic store needs to know about one kind of resource.
// One `ResourceDef` per resource; per-kind files hold only what differs
// from the defaults (the Kubernetes "strategy" pattern).
import type { FieldError } from "../errors.ts";
import type { KubeObject } from "../types.ts";

export interface Strategy {
  /** Defaulting on create (after metadata defaults). Mutates `obj`. Status is cleared by the store when the kind has a status subresource. */
  prepareForCreate?(obj: KubeObject): void;
  /** Defaulting on update; `oldObj` is the stored version. Mutates `obj`. */
  prepareForUpdate?(obj: KubeObject, oldObj: KubeObject): void;
  /** Field errors for a new object; must not mutate. */
  validate?(obj: KubeObject): FieldError[];
  /** Field errors only a create can have (a field set through a subresource later); `validate` runs too. */
  validateCreate?(obj: KubeObject): FieldError[];
  /** Field errors for an update (immutable fields etc.); must not mutate. `validate` runs too. */
  validateUpdate?(obj: KubeObject, oldObj: KubeObject): FieldError[];
  /** Field errors for a /status update. */
  validateStatusUpdate?(obj: KubeObject, oldObj: KubeObject): FieldError[];
  /** Field errors for a pods/ephemeralcontainers update; `validate` runs too. */
  validateEphemeralContainersUpdate?(obj: KubeObject, oldObj: KubeObject): FieldError[];
}

export interface ColumnDefinition {
  name: string;
  type: "string" | "integer" | "number" | "boolean" | "date";
  format: string; // "" or "name" or "date"
  description: string;
  priority: number; // 0 = always, 1 = only -o wide
}

export interface TableConvertor {
  columns: ColumnDefinition[];
  /** One cell per column, in order. `now` is injected so AGE is deterministic in tests. */
  cells(obj: KubeObject, now: Date): unknown[];
}

export interface ScaleSpec {
  specReplicasPath: string; // e.g. ".spec.replicas"
  statusReplicasPath: string; // e.g. ".status.replicas"
  labelSelectorPath?: string; // e.g. ".status.selector" — a string selector in status
}

export interface ResourceDef {
  group: string; // "" for core
  version: string;
  resource: string; // plural, lowercase
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  /** Subresources served besides the main resource. */
  subresources: Array<
    | "status"
    | "scale"
    | "binding"
    | "eviction"
    | "log"
    | "exec"
    | "attach"
    | "portforward"
    | "proxy"
    | "ephemeralcontainers"
  >;
  strategy: Strategy;
  table: TableConvertor;
  /** Field-selector keys this kind supports beyond metadata.name / metadata.namespace, with the value extractor. */
  fieldSelectors: Record<string, (obj: KubeObject) => string | undefined>;
  scale?: ScaleSpec;
  /** For custom resources: the served version's openAPIV3Schema (OpenAPI documents publish it). */
  customSchema?: Record<string, unknown>;
}

export const apiVersionOf = (def: Pick<ResourceDef, "group" | "version">) =>
  def.group ? `${def.group}/${def.version}` : def.version;
