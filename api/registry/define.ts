// Builds a ResourceDef from what is particular to one kind, filling the rest:
// all verbs, no subresources, a NAME/AGE table, and metadata validation wrapped
// around the kind's own rules so every strategy checks ObjectMeta the same way.
import type { FieldError } from "../errors.ts";
import { formatAge } from "../printers/age.ts";
import type { KubeObject } from "../types.ts";
import { validateObjectMeta, validateObjectMetaUpdate } from "../validation/meta.ts";
import { nameIsDNSSubdomain, type NameRule } from "../validation/names.ts";
import { getPath } from "../validation/shape.ts";
import type { ResourceDef, ScaleSpec, Strategy, TableConvertor } from "./types.ts";

export const ALL_VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

export interface KindSpec {
  group: string;
  version: string;
  resource: string;
  kind: string;
  /** Defaults to the lowercased kind. */
  singular?: string;
  /** Defaults to kind + "List". */
  listKind?: string;
  /** Defaults to true. */
  namespaced?: boolean;
  shortNames?: string[];
  categories?: string[];
  verbs?: string[];
  subresources?: ResourceDef["subresources"];
  /** The kind's own defaulting and validation; ObjectMeta checks are added here. */
  strategy?: Strategy;
  /** How metadata.name is checked; a DNS-1123 subdomain unless said otherwise. */
  nameRule?: NameRule;
  fieldSelectors?: ResourceDef["fieldSelectors"];
  scale?: ScaleSpec;
  table?: TableConvertor;
}

export function defineResource(spec: KindSpec): ResourceDef {
  const namespaced = spec.namespaced ?? true;
  return {
    group: spec.group,
    version: spec.version,
    resource: spec.resource,
    singular: spec.singular ?? spec.kind.toLowerCase(),
    kind: spec.kind,
    listKind: spec.listKind ?? `${spec.kind}List`,
    namespaced,
    shortNames: spec.shortNames ?? [],
    categories: spec.categories ?? [],
    verbs: spec.verbs ?? ALL_VERBS,
    subresources: spec.subresources ?? [],
    strategy: withMetaValidation(spec.strategy ?? {}, namespaced, spec.nameRule ?? nameIsDNSSubdomain),
    table: spec.table ?? defaultTable,
    fieldSelectors: spec.fieldSelectors ?? {},
    ...(spec.scale ? { scale: spec.scale } : {}),
  };
}

function withMetaValidation(strategy: Strategy, namespaced: boolean, name: NameRule): Strategy {
  const rules = { namespaced, name };
  const wrapped: Strategy = {
    ...strategy,
    validate: (obj: KubeObject): FieldError[] => [
      ...validateObjectMeta(obj.metadata, rules),
      ...(strategy.validate?.(obj) ?? []),
    ],
    validateUpdate: (obj: KubeObject, old: KubeObject): FieldError[] => [
      ...validateObjectMetaUpdate(obj.metadata, old.metadata),
      ...(strategy.validateUpdate?.(obj, old) ?? []),
    ],
  };
  return wrapped;
}

/** The printer for kinds without their own: NAME and AGE, as kubectl shows for any object. */
export const defaultTable: TableConvertor = {
  columns: [
    {
      name: "Name",
      type: "string",
      format: "name",
      description: "Name must be unique within a namespace; it identifies the object in URLs.",
      priority: 0,
    },
    {
      name: "Age",
      type: "string",
      format: "",
      description: "Time since the object was created (metadata.creationTimestamp).",
      priority: 0,
    },
  ],
  cells: (obj: KubeObject, now: Date) => [obj.metadata.name ?? "", formatAge(obj.metadata.creationTimestamp, now)],
};

/**
 * A field-selector extractor reading a dotted path. Absent values read as `fallback`,
 * Go's zero value ("" for strings, "false"/"0" where the field is a bool/number),
 * so `spec.nodeName=` selects unscheduled pods as in Kubernetes.
 */
export function byPath(path: string, fallback = ""): (obj: KubeObject) => string {
  return (obj) => {
    const value = getPath(obj, path);
    if (value === undefined || value === null) return fallback;
    return typeof value === "string" ? value : String(value);
  };
}

/** Field selectors from a list of paths that read straight from the object. */
export function selectorsFor(
  paths: readonly string[],
  fallbacks: Record<string, string> = {},
): ResourceDef["fieldSelectors"] {
  return Object.fromEntries(paths.map((p) => [p, byPath(p, fallbacks[p] ?? "")]));
}

/** "pods", "deployments.apps": how stores and printers key a resource. */
export const resourceKey = (def: Pick<ResourceDef, "resource" | "group">): string =>
  def.group ? `${def.resource}.${def.group}` : def.resource;

/** Chains strategy hooks of the same shape, so a kind can reuse shared ones. */
export function all<A extends unknown[]>(...steps: Array<((...args: A) => void) | undefined>): (...args: A) => void {
  return (...args: A) => {
    for (const step of steps) step?.(...args);
  };
}
