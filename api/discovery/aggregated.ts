// Aggregated discovery (apidiscovery.k8s.io v2 / v2beta1): every group, version and resource in
// one response, so kubectl skips the per-group-version round trips.
import type { ResourceDef } from "../registry/types.ts";
import { groupVersions } from "./groups.ts";
import { defsIn } from "./resources.ts";
import { subresourcesOf, type GroupVersionKind } from "./subresources.ts";

export type DiscoveryVersion = "v2" | "v2beta1";

export interface APISubresourceDiscovery {
  subresource: string;
  responseKind: GroupVersionKind;
  verbs: string[];
}

export interface APIResourceDiscovery {
  resource: string;
  responseKind: GroupVersionKind;
  scope: "Namespaced" | "Cluster";
  singularResource: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  subresources?: APISubresourceDiscovery[];
}

export interface APIVersionDiscovery {
  version: string;
  resources: APIResourceDiscovery[];
  freshness: "Current" | "Stale";
}

export interface APIGroupDiscovery {
  metadata: { name?: string };
  versions: APIVersionDiscovery[];
}

export interface APIGroupDiscoveryList {
  kind: "APIGroupDiscoveryList";
  apiVersion: `apidiscovery.k8s.io/${DiscoveryVersion}`;
  metadata: Record<string, never>;
  items: APIGroupDiscovery[];
}

const resourceDiscovery = (def: ResourceDef): APIResourceDiscovery => {
  const subresources = subresourcesOf(def).map(({ subresource, responseKind, verbs }) => ({
    subresource,
    responseKind: { ...responseKind },
    verbs: [...verbs],
  }));
  return {
    resource: def.resource,
    responseKind: { group: def.group, version: def.version, kind: def.kind },
    scope: def.namespaced ? "Namespaced" : "Cluster",
    singularResource: def.singular,
    verbs: [...def.verbs],
    ...(def.shortNames.length ? { shortNames: [...def.shortNames] } : {}),
    ...(def.categories.length ? { categories: [...def.categories] } : {}),
    ...(subresources.length ? { subresources } : {}),
  };
};

/**
 * `scope: "core"` answers GET /api (the legacy core group, whose name is empty);
 * `scope: "apis"` answers GET /apis (every named group). Versions are listed preferred-first.
 */
export const aggregatedDiscovery = (
  defs: readonly ResourceDef[],
  scope: "core" | "apis",
  version: DiscoveryVersion,
): APIGroupDiscoveryList => ({
  kind: "APIGroupDiscoveryList",
  apiVersion: `apidiscovery.k8s.io/${version}`,
  metadata: {},
  items: groupVersions(defs)
    .filter(({ group }) => (scope === "core" ? group === "" : group !== ""))
    .map(({ group, versions }) => ({
      metadata: group ? { name: group } : {},
      versions: versions.map((v) => ({
        version: v,
        resources: defsIn(defs, group, v).map(resourceDiscovery),
        freshness: "Current" as const,
      })),
    })),
});
