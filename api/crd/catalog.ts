// The resources one cluster serves: the built-in kinds plus those its CRDs define.
// Built once per set of CRD versions, so documents cached per array (OpenAPI) stay cached.
import { builtinResources, resourceKey } from "../registry/index.ts";
import type { ResourceDef } from "../registry/types.ts";
import type { KubeObject } from "../types.ts";
import { crdToResourceDefs } from "./resource-defs.ts";

export interface Catalog {
  all: ResourceDef[];
  find(group: string, version: string, resource: string): ResourceDef | undefined;
  byKey(key: string): ResourceDef | undefined;
}

const builtinByGVR = new Map(builtinResources.map((def) => [`${def.group}/${def.version}/${def.resource}`, def]));
const builtinByKey = new Map(builtinResources.map((def) => [resourceKey(def), def]));

function makeCatalog(custom: ResourceDef[]): Catalog {
  // Built-in kinds win: a CRD cannot shadow them.
  const extra = custom.filter((def) => !builtinByKey.has(resourceKey(def)));
  const byGVR = new Map(builtinByGVR);
  const byKey = new Map(builtinByKey);
  for (const def of extra) {
    byGVR.set(`${def.group}/${def.version}/${def.resource}`, def);
    if (!byKey.has(resourceKey(def))) byKey.set(resourceKey(def), def);
  }
  return {
    all: extra.length === 0 ? builtinResources : [...builtinResources, ...extra],
    find: (group, version, resource) => byGVR.get(`${group}/${version}/${resource}`),
    byKey: (key) => byKey.get(key),
  };
}

export const builtinCatalog: Catalog = makeCatalog([]);

const memo = new Map<string, Catalog>();

/** The catalog for a cluster's CRDs (memoized by the CRDs' names and resourceVersions). */
export function catalogFor(crds: KubeObject[]): Catalog {
  if (crds.length === 0) return builtinCatalog;
  const signature = crds
    .map((crd) => `${crd.metadata.name}@${crd.metadata.resourceVersion ?? ""}`)
    .sort()
    .join(",");
  let catalog = memo.get(signature);
  if (!catalog) {
    catalog = makeCatalog(crds.flatMap(crdToResourceDefs));
    if (memo.size > 64) memo.clear();
    memo.set(signature, catalog);
  }
  return catalog;
}
