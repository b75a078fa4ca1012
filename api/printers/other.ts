// Tables for coordination, rbac, policy, scheduling, node, certificates and apiregistration kinds.
import type { CertificateSigningRequest } from "kubernetes-types/certificates/v1";
import type { Lease } from "kubernetes-types/coordination/v1";
import type { RuntimeClass } from "kubernetes-types/node/v1";
import type { PodDisruptionBudget } from "kubernetes-types/policy/v1";
import type { RoleBinding, Subject } from "kubernetes-types/rbac/v1";
import type { PriorityClass } from "kubernetes-types/scheduling/v1";
import type { TableConvertor } from "../registry/types.ts";
import { formatDuration } from "./age.ts";
import { ageColumn, ageOf, col, intOrString, nameColumn, num, view } from "./format.ts";

export const leaseTable: TableConvertor = {
  columns: [nameColumn, col("Holder", "string", "Identity of the current lease holder."), ageColumn],
  cells: (obj, now) => [obj.metadata.name, view<Lease>(obj).spec?.holderIdentity ?? "", ageOf(obj, now)],
};

/** Subjects grouped as users, groups and "namespace/name" service accounts. */
export function subjectsByKind(subjects: Subject[] | undefined): { users: string[]; groups: string[]; sas: string[] } {
  const users: string[] = [];
  const groups: string[] = [];
  const sas: string[] = [];
  for (const s of subjects ?? []) {
    if (s.kind === "User") users.push(s.name);
    else if (s.kind === "Group") groups.push(s.name);
    else if (s.kind === "ServiceAccount") sas.push(`${s.namespace ?? ""}/${s.name}`);
  }
  return { users, groups, sas };
}

/** RoleBinding and ClusterRoleBinding share one layout. */
export const roleBindingTable: TableConvertor = {
  columns: [
    nameColumn,
    col("Role", "string", "Kind/name of the referenced role."),
    ageColumn,
    col("Users", "string", "Users bound.", 1),
    col("Groups", "string", "Groups bound.", 1),
    col("ServiceAccounts", "string", "Service accounts bound.", 1),
  ],
  cells(obj, now) {
    const rb = view<RoleBinding>(obj);
    const { users, groups, sas } = subjectsByKind(rb.subjects);
    return [
      obj.metadata.name,
      `${rb.roleRef?.kind ?? ""}/${rb.roleRef?.name ?? ""}`,
      ageOf(obj, now),
      users.join(", "),
      groups.join(", "),
      sas.join(", "),
    ];
  },
};

export const podDisruptionBudgetTable: TableConvertor = {
  columns: [
    nameColumn,
    col("Min Available", "string", "Pods that must stay available."),
    col("Max Unavailable", "string", "Pods that may be unavailable."),
    col("Allowed Disruptions", "integer", "Pod disruptions currently allowed."),
    ageColumn,
  ],
  cells(obj, now) {
    const pdb = view<PodDisruptionBudget>(obj);
    const min = pdb.spec?.minAvailable;
    const max = pdb.spec?.maxUnavailable;
    return [
      obj.metadata.name,
      min === undefined ? "N/A" : intOrString(min),
      max === undefined ? "N/A" : intOrString(max),
      num(pdb.status?.disruptionsAllowed),
      ageOf(obj, now),
    ];
  },
};

export const priorityClassTable: TableConvertor = {
  columns: [
    nameColumn,
    col("Value", "integer", "Priority of pods using the class."),
    col("Global-Default", "boolean", "Whether this is the default class."),
    ageColumn,
    col("PreemptionPolicy", "string", "Whether pods of this class may preempt others."),
  ],
  cells(obj, now) {
    const pc = view<PriorityClass>(obj);
    return [obj.metadata.name, num(pc.value), pc.globalDefault ?? false, ageOf(obj, now), pc.preemptionPolicy ?? ""];
  },
};

export const runtimeClassTable: TableConvertor = {
  columns: [nameColumn, col("Handler", "string", "The container runtime handler."), ageColumn],
  cells: (obj, now) => [obj.metadata.name, view<RuntimeClass>(obj).handler ?? "", ageOf(obj, now)],
};

/** Denied/Approved/Pending, then ",Failed" and ",Issued" when they apply. */
export function csrCondition(csr: CertificateSigningRequest): string {
  const types = new Set((csr.status?.conditions ?? []).map((c) => c.type));
  let status = types.has("Denied") ? "Denied" : types.has("Approved") ? "Approved" : "Pending";
  if (types.has("Failed")) status += ",Failed";
  if (csr.status?.certificate) status += ",Issued";
  return status;
}

export const certificateSigningRequestTable: TableConvertor = {
  columns: [
    nameColumn,
    ageColumn,
    col("SignerName", "string", "The signer asked to sign."),
    col("Requestor", "string", "The user who made the request."),
    col("RequestedDuration", "string", "Requested validity of the certificate."),
    col("Condition", "string", "Approval and issuance state."),
  ],
  cells(obj, now) {
    const csr = view<CertificateSigningRequest>(obj);
    const seconds = csr.spec?.expirationSeconds;
    return [
      obj.metadata.name,
      ageOf(obj, now),
      csr.spec?.signerName || "<none>",
      csr.spec?.username ?? "",
      seconds !== undefined ? formatDuration(seconds * 1000) : "<none>",
      csrCondition(csr),
    ];
  },
};

interface APIService {
  spec?: { service?: { namespace?: string; name?: string } | null };
  status?: { conditions?: Array<{ type: string; status: string; reason?: string }> };
}

export const apiServiceTable: TableConvertor = {
  columns: [
    nameColumn,
    col("Service", "string", "Backing service, or Local when served in-process."),
    col("Available", "string", "Whether the API is available, with the reason when not."),
    ageColumn,
  ],
  cells(obj, now) {
    const svc = view<APIService>(obj);
    const ref = svc.spec?.service;
    const cond = svc.status?.conditions?.find((c) => c.type === "Available");
    let available = "Unknown";
    if (cond) available = cond.status === "True" || !cond.reason ? cond.status : `${cond.status} (${cond.reason})`;
    return [obj.metadata.name, ref ? `${ref.namespace ?? ""}/${ref.name ?? ""}` : "Local", available, ageOf(obj, now)];
  },
};
