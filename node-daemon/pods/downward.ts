// Downward API field paths: the pod's own metadata and status, for env vars and volume files.
import type { Pod } from "kubernetes-types/core/v1";

export interface PodAddresses {
  podIP?: string;
  hostIP: string;
}

/** `key="value"` lines, sorted by key, values escaped as Go's %q would (the downward API format). */
export function formatMap(map: Record<string, string> | undefined): string {
  return Object.keys(map ?? {})
    .sort()
    .map((key) => `${key}=${JSON.stringify(map![key])}`)
    .join("\n");
}

/** The value at a fieldRef path, or undefined when the path is not supported. */
export function fieldValue(pod: Pod, path: string, addresses: PodAddresses): string | undefined {
  const meta = pod.metadata ?? {};
  const subscript = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(path);
  if (subscript) {
    const map = subscript[1] === "labels" ? meta.labels : meta.annotations;
    return map?.[subscript[2]] ?? "";
  }
  switch (path) {
    case "metadata.name":
      return meta.name ?? "";
    case "metadata.namespace":
      return meta.namespace ?? "";
    case "metadata.uid":
      return meta.uid ?? "";
    case "metadata.labels":
      return formatMap(meta.labels);
    case "metadata.annotations":
      return formatMap(meta.annotations);
    case "spec.nodeName":
      return pod.spec?.nodeName ?? "";
    case "spec.serviceAccountName":
      return pod.spec?.serviceAccountName ?? "";
    case "status.hostIP":
    case "status.hostIPs":
      return addresses.hostIP;
    case "status.podIP":
    case "status.podIPs":
      return addresses.podIP ?? "";
    default:
      return undefined;
  }
}
