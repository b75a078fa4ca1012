// GET /api/v1 and GET /apis/<group>/<version>: the legacy (unaggregated) resource list.
import type { ResourceDef } from "../registry/types.ts";
import { fnv1a64Base64 } from "./hash.ts";
import { subresourcesOf } from "./subresources.ts";

export interface APIResource {
  name: string;
  singularName: string;
  namespaced: boolean;
  group?: string;
  version?: string;
  kind: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  storageVersionHash?: string;
}

export interface APIResourceList {
  kind: "APIResourceList";
  apiVersion: "v1";
  groupVersion: string;
  resources: APIResource[];
}

export const defsIn = (defs: readonly ResourceDef[], group: string, version: string): ResourceDef[] =>
  defs.filter((d) => d.group === group && d.version === version).sort((a, b) => cmp(a.resource, b.resource));

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Opaque token that changes when the stored form of a resource would (here: its group/version/kind). */
export const storageVersionHash = (def: ResourceDef): string =>
  fnv1a64Base64(`${def.group}/${def.version}/${def.kind}`);

const mainEntry = (def: ResourceDef): APIResource => ({
  name: def.resource,
  singularName: def.singular,
  namespaced: def.namespaced,
  kind: def.kind,
  verbs: [...def.verbs],
  ...(def.shortNames.length ? { shortNames: [...def.shortNames] } : {}),
  ...(def.categories.length ? { categories: [...def.categories] } : {}),
  storageVersionHash: storageVersionHash(def),
});

const subEntries = (def: ResourceDef): APIResource[] =>
  subresourcesOf(def).map(({ subresource, responseKind, verbs }) => ({
    name: `${def.resource}/${subresource}`,
    singularName: "",
    namespaced: def.namespaced,
    // group/version are only spelled out when they differ from the list's group-version.
    ...(responseKind.group !== def.group || responseKind.version !== def.version
      ? { group: responseKind.group, version: responseKind.version }
      : {}),
    kind: responseKind.kind,
    verbs: [...verbs],
  }));

export const apiResourceList = (
  defs: readonly ResourceDef[],
  group: string,
  version: string,
): APIResourceList | undefined => {
  const matching = defsIn(defs, group, version);
  if (matching.length === 0) return undefined;
  return {
    kind: "APIResourceList",
    apiVersion: "v1",
    groupVersion: group ? `${group}/${version}` : version,
    resources: matching.flatMap((def) => [mainEntry(def), ...subEntries(def)]),
  };
};
