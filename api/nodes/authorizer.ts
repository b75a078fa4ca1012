// What a node's credential may do (kube's Node authorizer, simplified): read everything in its
// cluster; write its own Node and Lease, the status of pods bound to it (and delete them, as a
// kubelet finishes terminations), and events. The Worker decides what the path shows; a pod's
// binding is checked by the NamespaceStore that holds it.
import { StatusError } from "../errors.ts";

/** Headers the Worker sets (and strips from clients) to tell a store who is asking. */
export const USER_HEADERS = { role: "x-flotilla-user-role", subject: "x-flotilla-user-subject" } as const;

export const NODE_LEASE_NAMESPACE = "kube-node-lease";

export type Verb = "get" | "list" | "watch" | "create" | "update" | "patch" | "delete" | "deletecollection";

export interface RequestAttributes {
  verb: Verb;
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

export type NodeDecision =
  | "allow"
  | "deny"
  /** Allowed if the pod is bound to this node (the store checks spec.nodeName). */
  | "if-pod-bound-here"
  /** Allowed if the created object's metadata.name is the node's name (the Worker checks the body). */
  | "if-named-after-node";

export const nodeUserName = (node: string) => `system:node:${node}`;

/** The RBAC verb of an HTTP request. */
export function verbOf(method: string, hasName: boolean, watch: boolean): Verb {
  switch (method.toUpperCase()) {
    case "GET":
    case "HEAD":
      return watch ? "watch" : hasName ? "get" : "list";
    case "POST":
      return "create";
    case "PUT":
      return "update";
    case "PATCH":
      return "patch";
    case "DELETE":
      return hasName ? "delete" : "deletecollection";
    default:
      return "get";
  }
}

const READS = new Set<Verb>(["get", "list", "watch"]);
const WRITES = new Set<Verb>(["update", "patch"]);

export function authorizeNode(node: string, a: RequestAttributes): NodeDecision {
  if (READS.has(a.verb)) return "allow";
  const sub = a.subresource;
  if (a.group === "" && a.resource === "nodes" && (sub === undefined || sub === "status")) {
    if (a.verb === "create" && sub === undefined) return "if-named-after-node";
    return WRITES.has(a.verb) && a.name === node ? "allow" : "deny";
  }
  if (a.group === "coordination.k8s.io" && a.resource === "leases" && a.namespace === NODE_LEASE_NAMESPACE) {
    if (a.verb === "create") return "if-named-after-node";
    return (WRITES.has(a.verb) || a.verb === "delete") && a.name === node ? "allow" : "deny";
  }
  if (a.group === "" && a.resource === "pods") {
    if (sub === "status" && WRITES.has(a.verb)) return "if-pod-bound-here";
    if (sub === undefined && a.verb === "delete") return "if-pod-bound-here";
    return "deny";
  }
  if ((a.group === "" || a.group === "events.k8s.io") && a.resource === "events" && sub === undefined) {
    return a.verb === "create" || WRITES.has(a.verb) ? "allow" : "deny";
  }
  return "deny";
}

/** kube's RBAC denial: `<resource> "<name>" is forbidden: User "<u>" cannot <verb> resource "<r>" in API group "<g>" …`. */
export function forbiddenFor(user: string, a: RequestAttributes): StatusError {
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const scope = a.namespace ? `in the namespace "${a.namespace}"` : "at the cluster scope";
  const reason = `User "${user}" cannot ${a.verb} resource "${resource}" in API group "${a.group}" ${scope}`;
  const qualified = a.group ? `${a.resource}.${a.group}` : a.resource;
  const subject = a.name !== undefined ? `${qualified} "${a.name}"` : qualified;
  const details = { group: a.group, kind: a.resource, ...(a.name !== undefined ? { name: a.name } : {}) };
  return new StatusError(403, "Forbidden", `${subject} is forbidden: ${reason}`, details);
}

/** The attributes of a resource request, from its method, query and parsed path. */
export function requestAttributes(
  method: string,
  query: URLSearchParams,
  def: { group: string; resource: string; namespaced: boolean },
  path: { namespace?: string; name?: string; subresource?: string },
): RequestAttributes {
  const watch = query.get("watch");
  const attrs: RequestAttributes = {
    verb: verbOf(method, path.name !== undefined, watch === "true" || watch === "1"),
    group: def.group,
    resource: def.resource,
  };
  if (path.subresource !== undefined) attrs.subresource = path.subresource;
  if (def.namespaced && path.namespace !== undefined) attrs.namespace = path.namespace;
  if (path.name !== undefined) attrs.name = path.name;
  return attrs;
}
