// Server-side printing: turns objects into a meta.k8s.io/v1 Table for `kubectl get`.
import type { ResourceDef } from "../registry/types.ts";
import type { KubeObject } from "../types.ts";

export type IncludeObject = "None" | "Metadata" | "Object";

export const partialObjectMetadata = (obj: KubeObject) => ({
  kind: "PartialObjectMetadata",
  apiVersion: "meta.k8s.io/v1",
  metadata: obj.metadata,
});

export function tableRow(def: ResourceDef, obj: KubeObject, now: Date, include: IncludeObject) {
  const row: { cells: unknown[]; object?: unknown } = { cells: def.table.cells(obj, now) };
  if (include === "Metadata") row.object = partialObjectMetadata(obj);
  else if (include === "Object") row.object = obj;
  return row;
}

export function buildTable(
  def: ResourceDef,
  objects: KubeObject[],
  now: Date,
  options: { include: IncludeObject; resourceVersion?: string; continue?: string; withColumns?: boolean },
) {
  const metadata: Record<string, string> = {};
  if (options.resourceVersion !== undefined) metadata.resourceVersion = options.resourceVersion;
  if (options.continue) metadata.continue = options.continue;
  return {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    metadata,
    columnDefinitions: options.withColumns === false ? [] : def.table.columns,
    rows: objects.map((obj) => tableRow(def, obj, now, options.include)),
  };
}

export function includeObjectParam(query: URLSearchParams): IncludeObject {
  const value = query.get("includeObject");
  return value === "None" || value === "Object" ? value : "Metadata";
}
