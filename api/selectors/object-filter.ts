// One predicate for "does this object match the request's label and field selectors",
// shared by list, watch and deletecollection.
import type { ResourceDef } from "../registry/types.ts";
import type { KubeObject } from "../types.ts";
import { checkFieldsSupported, matchesFields, type FieldRequirement } from "./fields.ts";
import { matchesLabels, type LabelSelector } from "./labels.ts";

export type ObjectFilter = ((obj: KubeObject) => boolean) & { readonly always: boolean };

export function fieldGetter(def: ResourceDef, obj: KubeObject) {
  return (field: string): string | undefined => {
    if (field === "metadata.name") return obj.metadata.name;
    if (field === "metadata.namespace") return obj.metadata.namespace ?? "";
    return def.fieldSelectors[field]?.(obj);
  };
}

export function objectFilter(def: ResourceDef, labels?: LabelSelector, fields?: FieldRequirement[]): ObjectFilter {
  const hasLabels = labels !== undefined && labels.length > 0;
  const hasFields = fields !== undefined && fields.length > 0;
  if (hasFields)
    checkFieldsSupported(fields, new Set(["metadata.name", "metadata.namespace", ...Object.keys(def.fieldSelectors)]));
  const filter = (obj: KubeObject) =>
    (!hasLabels || matchesLabels(labels, obj.metadata.labels)) &&
    (!hasFields || matchesFields(fields, fieldGetter(def, obj)));
  return Object.assign(filter, { always: !hasLabels && !hasFields });
}
