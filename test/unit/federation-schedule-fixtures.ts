// Member clusters for the federation scheduler's tests.
import type { MemberCluster, MemberClusterSpec, ResourceList, Taint } from "../../api/federation/types.ts";

export interface ClusterOptions {
  ready?: boolean;
  labels?: Record<string, string>;
  provider?: string;
  region?: string;
  zone?: string;
  zones?: string[];
  taints?: Taint[];
  /** Free pod slots; undefined leaves `status.resourceSummary` out. */
  pods?: number;
  allocatable?: ResourceList;
  allocated?: ResourceList;
  allocating?: ResourceList;
}

export function member(name: string, options: ClusterOptions = {}): MemberCluster {
  const spec: MemberClusterSpec = {};
  for (const key of ["provider", "region", "zone", "zones", "taints"] as const) {
    if (options[key] !== undefined) Object.assign(spec, { [key]: options[key] });
  }
  const cluster: MemberCluster = {
    apiVersion: "cluster.karmada.io/v1alpha1",
    kind: "Cluster",
    metadata: { name, ...(options.labels ? { labels: options.labels } : {}) },
    spec,
    status: {
      conditions: [{ type: "Ready", status: options.ready === false ? "False" : "True" }],
    },
  };
  if (options.pods !== undefined || options.allocatable) {
    cluster.status!.resourceSummary = {
      allocatable: { pods: String(options.pods ?? 0), ...options.allocatable },
      ...(options.allocated ? { allocated: options.allocated } : {}),
      ...(options.allocating ? { allocating: options.allocating } : {}),
    };
  }
  return cluster;
}

/** Name → replicas, for compact assertions. */
export const asRecord = (targets: ReadonlyArray<{ name: string; replicas?: number }>) =>
  Object.fromEntries(targets.map((t) => [t.name, t.replicas]));
