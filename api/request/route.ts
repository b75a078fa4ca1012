// Parses Kubernetes REST paths into the resource they address.
// Pure: the Worker uses it to pick a Durable Object, the object uses it to dispatch.

export interface ResourcePath {
  group: string; // "" for the core group
  version: string;
  resource: string;
  namespace?: string; // set for namespaced requests
  name?: string;
  subresource?: string;
}

const segmentsOf = (pathname: string) =>
  pathname
    .split("/")
    .filter((s) => s.length > 0)
    .map(decodeURIComponent);

/**
 * `/api/v1/namespaces/ns/pods/x/log`, `/apis/apps/v1/deployments`, `/api/v1/namespaces/ns` …
 * Returns undefined for paths that are not resource paths (discovery, /version, …).
 */
export function parseResourcePath(pathname: string): ResourcePath | undefined {
  const parts = segmentsOf(pathname);
  let group: string;
  let rest: string[];
  if (parts[0] === "api" && parts.length >= 3) {
    group = "";
    rest = parts.slice(1);
  } else if (parts[0] === "apis" && parts.length >= 4) {
    group = parts[1];
    rest = parts.slice(2);
  } else {
    return undefined;
  }
  const [version, ...tail] = rest;
  // "namespaces/<ns>/<resource>…" addresses a namespaced resource; "namespaces[/<name>[/<sub>]]" the Namespace itself.
  if (tail[0] === "namespaces" && tail.length >= 3) {
    const [, namespace, resource, name, subresource, ...extra] = tail;
    if (extra.length > 0) return undefined;
    return { group, version, resource, namespace, name, subresource };
  }
  const [resource, name, subresource, ...extra] = tail;
  if (extra.length > 0 || resource === undefined) return undefined;
  return { group, version, resource, name, subresource };
}

/** Logical clusters live under `/clusters/<name>/…` (the kcp convention). */
export function splitClusterPath(pathname: string): { cluster: string; rest: string } | undefined {
  const match = /^\/clusters\/([^/]+)(\/.*)?$/.exec(pathname);
  if (!match) return undefined;
  return { cluster: decodeURIComponent(match[1]), rest: match[2] ?? "/" };
}
