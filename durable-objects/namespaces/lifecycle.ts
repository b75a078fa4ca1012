// Namespace rules the ClusterStore enforces: protected system namespaces, and the
// Terminating phase a deleted namespace stays in until its contents are gone.
import { forbidden } from "../../api/errors.ts";
import { formatTimestamp } from "../../api/lifecycle/object-meta.ts";
import type { KubeObject } from "../../api/types.ts";

export const SYSTEM_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"];
const UNDELETABLE = new Set(["default", "kube-system", "kube-public"]);

export type NamespacePhase = "Active" | "Terminating";

export const phaseOf = (namespace: KubeObject): NamespacePhase =>
  (namespace.status as { phase?: string } | undefined)?.phase === "Terminating" || namespace.metadata.deletionTimestamp
    ? "Terminating"
    : "Active";

export function checkDeletable(name: string): void {
  if (UNDELETABLE.has(name)) {
    throw forbidden(`namespaces "${name}" is forbidden: this namespace may not be deleted`, {
      group: "",
      resource: "namespaces",
      name,
    });
  }
}

/** The namespace as it looks once deletion has started. */
export function markTerminating(namespace: KubeObject, now: Date): KubeObject {
  const updated = structuredClone(namespace);
  updated.metadata.deletionTimestamp ??= formatTimestamp(now);
  updated.metadata.deletionGracePeriodSeconds ??= 0;
  updated.status = { ...(updated.status as object | undefined), phase: "Terminating" };
  return updated;
}

/** What is left in a namespace being emptied: objects per resource, and finalizers holding them. */
export interface RemainingContent {
  /** "<resource>.<group>" (kube's group-resource form: "pods." for the core group) → objects. */
  resources: Record<string, number>;
  /** finalizer → objects it holds. */
  finalizers: Record<string, number>;
}

export const remainingCount = (content: RemainingContent) =>
  Object.values(content.resources).reduce((sum, n) => sum + n, 0);

/** Tallies the objects left in a namespace (their resourceKey and metadata). */
export function tallyRemaining(objects: Array<{ resource: string; object: KubeObject }>): RemainingContent {
  const content: RemainingContent = { resources: {}, finalizers: {} };
  for (const { resource, object } of objects) {
    const dot = resource.indexOf(".");
    const groupResource = dot < 0 ? `${resource}.` : resource;
    content.resources[groupResource] = (content.resources[groupResource] ?? 0) + 1;
    for (const finalizer of object.metadata.finalizers ?? []) {
      content.finalizers[finalizer] = (content.finalizers[finalizer] ?? 0) + 1;
    }
  }
  return content;
}

const listed = (counts: Record<string, number>, unit: string) =>
  Object.entries(counts)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, n]) => `${name} ${unit} ${n} resource instances`)
    .join(", ");

/** The five conditions Kubernetes' namespace controller reports on a terminating namespace. */
export function terminatingConditions(content: RemainingContent, now: Date) {
  const lastTransitionTime = formatTimestamp(now);
  const remaining = remainingCount(content) > 0;
  const finalizing = Object.keys(content.finalizers).length > 0;
  const condition = (type: string, status: boolean, reason: string, message: string) => ({
    type,
    status: status ? "True" : "False",
    lastTransitionTime,
    reason,
    message,
  });
  return [
    condition(
      "NamespaceDeletionDiscoveryFailure",
      false,
      "ResourcesDiscovered",
      "All resources successfully discovered",
    ),
    condition(
      "NamespaceDeletionGroupVersionParsingFailure",
      false,
      "ParsedGroupVersions",
      "All legacy kube types successfully parsed",
    ),
    condition(
      "NamespaceDeletionContentFailure",
      false,
      "ContentDeleted",
      "All content successfully deleted, may be waiting on finalization",
    ),
    remaining
      ? condition(
          "NamespaceContentRemaining",
          true,
          "SomeResourcesRemain",
          `Some resources are remaining: ${listed(content.resources, "has")}`,
        )
      : condition("NamespaceContentRemaining", false, "ContentRemoved", "All content successfully removed"),
    finalizing
      ? condition(
          "NamespaceFinalizersRemaining",
          true,
          "SomeFinalizersRemain",
          `Some content in the namespace has finalizers remaining: ${listed(content.finalizers, "in")}`,
        )
      : condition(
          "NamespaceFinalizersRemaining",
          false,
          "ContentHasNoFinalizers",
          "All content-preserving finalizers finished",
        ),
  ];
}

export const terminatingMessage = (namespace: string) =>
  `unable to create new content in namespace ${namespace} because it is being terminated`;
