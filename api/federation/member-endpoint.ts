// Where a member cluster's API is: a logical cluster of this deployment (reached in-process) or
// any other Kubernetes API server (reached over the network).
import { splitClusterPath } from "../request/route.ts";

export type MemberEndpoint =
  /** `cluster` undefined: the deployment's root path, where a request goes to its token's cluster. */
  | { kind: "local"; cluster?: string; base: string }
  | { kind: "remote"; base: string }
  | { kind: "invalid"; message: string };

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/;

/**
 * A `/clusters/<name>` endpoint on a loopback host, or on one of the deployment's own hostnames,
 * is a logical cluster of this deployment; so is the bare host (the member token's cluster).
 */
export function parseMemberEndpoint(apiEndpoint: string | undefined, ownHosts: readonly string[] = []): MemberEndpoint {
  if (!apiEndpoint) return { kind: "invalid", message: "spec.apiEndpoint is not set" };
  let url: URL;
  try {
    url = new URL(apiEndpoint);
  } catch {
    return { kind: "invalid", message: `spec.apiEndpoint "${apiEndpoint}" is not a URL` };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    return { kind: "invalid", message: `spec.apiEndpoint "${apiEndpoint}" is not an http(s) URL` };
  const base = `${url.origin}${url.pathname.replace(/\/$/, "")}`;
  const own = LOOPBACK.test(url.hostname) || ownHosts.includes(url.hostname);
  const split = splitClusterPath(url.pathname.replace(/\/$/, ""));
  if (own && split && split.rest === "/") return { kind: "local", cluster: split.cluster, base };
  if (own && (url.pathname === "/" || url.pathname === "")) return { kind: "local", base };
  return { kind: "remote", base };
}
