// Which objects of a federation are templates to propagate, and how they are named and addressed.
import { resourceKey } from "../registry/define.ts";
import type { ResourceDef } from "../registry/types.ts";
import type { KubeObject } from "../types.ts";
import { POLICY_GROUP, WORK_GROUP, CLUSTER_GROUP } from "./types.ts";

/** Kinds a federation keeps for itself: its own machinery, and what only makes sense per cluster. */
const NEVER: ReadonlySet<string> = new Set([
  "events",
  "events.events.k8s.io",
  "endpoints",
  "endpointslices.discovery.k8s.io",
  "controllerrevisions.apps",
  "leases.coordination.k8s.io",
  "pods/binding",
]);
const FEDERATION_GROUPS = new Set([POLICY_GROUP, WORK_GROUP, CLUSTER_GROUP]);

/** Cluster-scoped kinds that mean the same in every member (Nodes, volumes and the like do not). */
const CLUSTER_SCOPED = new Set([
  "namespaces",
  "clusterroles.rbac.authorization.k8s.io",
  "clusterrolebindings.rbac.authorization.k8s.io",
  "customresourcedefinitions.apiextensions.k8s.io",
  "storageclasses.storage.k8s.io",
  "priorityclasses.scheduling.k8s.io",
  "ingressclasses.networking.k8s.io",
  "runtimeclasses.node.k8s.io",
]);
/** Namespaces every cluster has (and the federation's own store of member credentials). */
const OWN_NAMESPACES = new Set(["default", "kube-system", "kube-public", "kube-node-lease", "karmada-cluster"]);

/** A built-in kind the federation may propagate; with an object, whether that one may go. */
export function isPropagatable(def: ResourceDef, object?: KubeObject): boolean {
  if (FEDERATION_GROUPS.has(def.group)) return false;
  // Custom resources mean what their CRD says, in every member that has it.
  if (def.customSchema !== undefined) return true;
  if (!def.namespaced) {
    if (!CLUSTER_SCOPED.has(resourceKey(def))) return false;
    return !object || def.kind !== "Namespace" || !OWN_NAMESPACES.has(object.metadata.name ?? "");
  }
  if (NEVER.has(resourceKey(def)) || FEDERATION_GROUPS.has(def.group)) return false;
  if (!object) return true;
  // Every namespace gets these from its own cluster.
  if (def.group === "" && def.kind === "ServiceAccount" && object.metadata.name === "default") return false;
  if (def.group === "" && def.kind === "ConfigMap" && object.metadata.name === "kube-root-ca.crt") return false;
  if (
    def.group === "" &&
    def.kind === "Secret" &&
    (object as { type?: string }).type === "kubernetes.io/service-account-token"
  )
    return false;
  return true;
}

/** Karmada's binding name: `<name>-<kind in lower case>`. */
export const bindingName = (name: string, kind: string) => `${name}-${kind.toLowerCase()}`;

export const templateKeyOf = (def: ResourceDef, name: string) => `${resourceKey(def)}/${name}`;

export function splitTemplateKey(key: string): { resource: string; name: string } | undefined {
  const slash = key.indexOf("/");
  return slash > 0 ? { resource: key.slice(0, slash), name: key.slice(slash + 1) } : undefined;
}

/** The object's path on any Kubernetes API server. */
export function objectPath(def: ResourceDef, namespace: string | undefined, name: string): string {
  const prefix = def.group ? `/apis/${def.group}/${def.version}` : `/api/${def.version}`;
  const scope = def.namespaced ? `/namespaces/${encodeURIComponent(namespace ?? "")}` : "";
  return `${prefix}${scope}/${def.resource}/${encodeURIComponent(name)}`;
}
