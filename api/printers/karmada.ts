// Tables for Karmada's kinds, with the columns Karmada's own printers and CRD printer columns show.
import type { Condition, MemberCluster, PropagationPolicy, ResourceBinding, Work } from "../federation/types.ts";
import type { TableConvertor } from "../registry/types.ts";
import { ageColumn, ageOf, col, nameColumn, orElse, view } from "./format.ts";

const conditionStatus = (conditions: Condition[] | undefined, type: string): string | undefined =>
  conditions?.find((c) => c.type === type)?.status;

export const memberClusterTable: TableConvertor = {
  columns: [
    nameColumn,
    col("Version", "string", "Kubernetes version of the member cluster."),
    col(
      "Mode",
      "string",
      "How resources reach the member: Push (the control plane applies them) or Pull (an agent does).",
    ),
    col("Ready", "string", "Whether the member is ready for workloads (its Ready condition)."),
    ageColumn,
    col("Zones", "string", "Failure zones the member runs in.", 1),
    col("Region", "string", "Region of the member.", 1),
    col("Provider", "string", "Cloud provider of the member.", 1),
    col("API-Endpoint", "string", "API endpoint of the member.", 1),
    col("Proxy-URL", "string", "Proxy used to reach the member.", 1),
  ],
  cells(obj, now) {
    const cluster = view<MemberCluster>(obj);
    const spec = cluster.spec ?? {};
    const zones = spec.zones?.length ? spec.zones.join(",") : "<none>";
    return [
      obj.metadata.name,
      cluster.status?.kubernetesVersion ?? "",
      spec.syncMode ?? "",
      // A member not probed yet is neither ready nor unready.
      conditionStatus(cluster.status?.conditions, "Ready") ?? "Unknown",
      ageOf(obj, now),
      zones,
      orElse(spec.region, "<none>"),
      orElse(spec.provider, "<none>"),
      spec.apiEndpoint ?? "",
      orElse(spec.proxyURL, "<none>"),
    ];
  },
};

/** PropagationPolicy and ClusterPropagationPolicy. */
export const propagationPolicyTable: TableConvertor = {
  columns: [
    nameColumn,
    col(
      "Conflict-Resolution",
      "string",
      "What happens when the resource already exists in a member: Abort or Overwrite.",
    ),
    col("Priority", "integer", "The policy's priority; the highest matching policy claims a resource."),
    ageColumn,
  ],
  cells(obj, now) {
    const spec = view<PropagationPolicy>(obj).spec;
    return [obj.metadata.name, spec?.conflictResolution ?? null, spec?.priority ?? null, ageOf(obj, now)];
  },
};

/**
 * ResourceBinding and ClusterResourceBinding: whether the scheduler placed the resource and whether
 * every chosen member applied it. Absent conditions print as kubectl's `<none>`, as Karmada's CRD
 * printer columns do.
 */
export const resourceBindingTable: TableConvertor = {
  columns: [
    nameColumn,
    col("Scheduled", "string", "Status of the Scheduled condition."),
    col("FullyApplied", "string", "Status of the FullyApplied condition."),
    ageColumn,
  ],
  cells(obj, now) {
    const conditions = view<ResourceBinding>(obj).status?.conditions;
    return [
      obj.metadata.name,
      conditionStatus(conditions, "Scheduled") ?? null,
      conditionStatus(conditions, "FullyApplied") ?? null,
      ageOf(obj, now),
    ];
  },
};

/** Karmada's Work columns: whether its agent applied it. */
export const workTable: TableConvertor = {
  columns: [nameColumn, col("Applied", "string", "Status of the Applied condition."), ageColumn],
  cells(obj, now) {
    const conditions = view<Work>(obj).status?.conditions;
    return [obj.metadata.name, conditionStatus(conditions, "Applied") ?? null, ageOf(obj, now)];
  },
};
