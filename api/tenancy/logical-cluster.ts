// The logical clusters one deployment hosts (served only by the root store, at the root path).
import type { FieldError } from "../errors.ts";
import type { ResourceDef } from "../registry/types.ts";
import type { KubeObject } from "../types.ts";
import { formatAge } from "../printers/age.ts";

export const TENANCY_GROUP = "tenancy.flotilla.dev";
export const TENANCY_VERSION = "v1alpha1";

/** Cluster names appear in URLs (`/clusters/<name>/…`) and Durable Object names: DNS labels. */
const CLUSTER_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function validateClusterName(name: string | undefined): FieldError[] {
  if (name && name.length <= 63 && CLUSTER_NAME.test(name)) return [];
  return [
    {
      field: "metadata.name",
      type: "FieldValueInvalid",
      message: `Invalid value: "${name ?? ""}": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
    },
  ];
}

/**
 * A Standard cluster runs workloads on its nodes; a Federation cluster runs none itself: it holds
 * templates and Karmada-style policies and propagates workloads to its member clusters.
 */
export type ClusterType = "Standard" | "Federation";
export const CLUSTER_TYPES: readonly ClusterType[] = ["Standard", "Federation"];

/** The cluster's type, matched without regard to case ("federation" is Federation). */
export const clusterTypeOf = (obj: KubeObject): ClusterType => {
  const type = (obj.spec as { type?: unknown } | undefined)?.type;
  if (type === undefined) return "Standard";
  return CLUSTER_TYPES.find((known) => known.toLowerCase() === String(type).toLowerCase()) ?? (type as ClusterType);
};

function validateClusterType(obj: KubeObject): FieldError[] {
  const type = (obj.spec as { type?: unknown } | undefined)?.type;
  if (type === undefined || CLUSTER_TYPES.includes(clusterTypeOf(obj))) return [];
  return [
    {
      field: "spec.type",
      type: "FieldValueNotSupported",
      message: `Unsupported value: "${String(type)}": supported values: "Standard", "Federation"`,
    },
  ];
}

export const logicalClusters: ResourceDef = {
  group: TENANCY_GROUP,
  version: TENANCY_VERSION,
  resource: "logicalclusters",
  singular: "logicalcluster",
  kind: "LogicalCluster",
  listKind: "LogicalClusterList",
  namespaced: false,
  shortNames: ["lc"],
  categories: [],
  verbs: ["create", "delete", "get", "list", "watch"],
  subresources: [],
  strategy: {
    prepareForCreate(obj: KubeObject) {
      obj.spec = { ...(obj.spec as object | undefined), type: clusterTypeOf(obj) };
      obj.status = { phase: "Ready" };
    },
    validate: (obj) => [...validateClusterName(obj.metadata.name), ...validateClusterType(obj)],
  },
  table: {
    columns: [
      { name: "Name", type: "string", format: "name", description: "Name of the logical cluster", priority: 0 },
      { name: "Phase", type: "string", format: "", description: "Whether the cluster serves requests", priority: 0 },
      { name: "Age", type: "string", format: "", description: "Time since creation", priority: 0 },
      { name: "Type", type: "string", format: "", description: "Standard or Federation", priority: 0 },
    ],
    cells: (obj, now) => [
      obj.metadata.name,
      (obj.status as { phase?: string } | undefined)?.phase ?? "",
      formatAge(obj.metadata.creationTimestamp, now),
      clusterTypeOf(obj),
    ],
  },
  fieldSelectors: {},
};

/** What a bearer token stands for. */
export interface Credential {
  cluster: string; // "*" for the root administrator
  role: "admin" | "node";
  /** For node credentials: the Node name it may act as. */
  subject?: string;
}
