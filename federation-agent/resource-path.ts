// Where a manifest lives on a Kubernetes API server: its apiVersion and kind name a resource in
// the server's discovery document (`/api/v1`, `/apis/<group>/<version>`), which says the
// resource's plural name and whether it is namespaced. Any member, any kind — custom ones too.

export interface GroupVersion {
  group: string;
  version: string;
}

/** A served resource, as an APIResourceList entry describes it. */
export interface ServedResource {
  name: string;
  kind: string;
  namespaced: boolean;
}

export function parseApiVersion(apiVersion: string): GroupVersion {
  const slash = apiVersion.indexOf("/");
  return slash < 0
    ? { group: "", version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** The discovery path listing a group version's resources. */
export const discoveryPath = ({ group, version }: GroupVersion) =>
  group ? `/apis/${group}/${version}` : `/api/${version}`;

/** The kind's resource in an APIResourceList (subresources such as `deployments/status` skipped). */
export function findResource(list: unknown, kind: string): ServedResource | undefined {
  const resources = (list as { resources?: unknown } | undefined)?.resources;
  if (!Array.isArray(resources)) return undefined;
  for (const item of resources as Array<Partial<ServedResource>>) {
    if (item?.kind === kind && typeof item.name === "string" && !item.name.includes("/")) {
      return { name: item.name, kind, namespaced: item.namespaced === true };
    }
  }
  return undefined;
}

/** The path of one object (without a name: its collection). */
export function resourcePath(gv: GroupVersion, resource: ServedResource, namespace: string | undefined, name?: string) {
  const scope = resource.namespaced ? `/namespaces/${encodeURIComponent(namespace ?? "")}` : "";
  return `${discoveryPath(gv)}${scope}/${resource.name}${name === undefined ? "" : `/${encodeURIComponent(name)}`}`;
}
