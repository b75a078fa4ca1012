// Group-level discovery: GET /api, GET /apis, GET /apis/<group>.
import type { ResourceDef } from "../registry/types.ts";
import { compareKubeVersions } from "./versions.ts";

export interface GroupVersionForDiscovery {
  groupVersion: string;
  version: string;
}

export interface APIGroup {
  kind?: "APIGroup";
  apiVersion?: "v1";
  name: string;
  versions: GroupVersionForDiscovery[];
  preferredVersion: GroupVersionForDiscovery;
}

export interface APIGroupList {
  kind: "APIGroupList";
  apiVersion: "v1";
  groups: APIGroup[];
}

export interface APIVersions {
  kind: "APIVersions";
  versions: string[];
  serverAddressByClientCIDRs: Array<{ clientCIDR: string; serverAddress: string }>;
}

/** A group with its versions, preferred version first. */
export interface GroupVersions {
  group: string;
  versions: string[];
}

/**
 * Groups in order of first appearance in `defs` (so the registry decides priority, which matters
 * when two groups serve the same resource name), versions preferred-first.
 */
export const groupVersions = (defs: readonly ResourceDef[]): GroupVersions[] => {
  const byGroup = new Map<string, string[]>();
  for (const def of defs) {
    const versions = byGroup.get(def.group) ?? [];
    if (!versions.includes(def.version)) versions.push(def.version);
    byGroup.set(def.group, versions);
  }
  return [...byGroup].map(([group, versions]) => ({ group, versions: [...versions].sort(compareKubeVersions) }));
};

const forDiscovery = (group: string, version: string): GroupVersionForDiscovery => ({
  groupVersion: group ? `${group}/${version}` : version,
  version,
});

const toGroup = ({ group, versions }: GroupVersions): APIGroup => ({
  name: group,
  versions: versions.map((v) => forDiscovery(group, v)),
  preferredVersion: forDiscovery(group, versions[0]!),
});

export const coreApiVersions = (): APIVersions => ({
  kind: "APIVersions",
  versions: ["v1"],
  serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress: "" }],
});

export const apiGroupList = (defs: readonly ResourceDef[]): APIGroupList => ({
  kind: "APIGroupList",
  apiVersion: "v1",
  groups: groupVersions(defs)
    .filter((g) => g.group !== "")
    .map(toGroup),
});

export const apiGroup = (defs: readonly ResourceDef[], group: string): APIGroup | undefined => {
  if (group === "") return undefined;
  const found = groupVersions(defs).find((g) => g.group === group);
  return found && { kind: "APIGroup", apiVersion: "v1", ...toGroup(found) };
};
