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

/** The conditions Kubernetes' namespace controller reports while content remains. */
export function terminatingConditions(remaining: number, now: Date) {
  const time = formatTimestamp(now);
  return [
    {
      type: "NamespaceContentRemaining",
      status: remaining > 0 ? "True" : "False",
      lastTransitionTime: time,
      reason: remaining > 0 ? "SomeResourcesRemain" : "ContentDeleted",
      message:
        remaining > 0 ? `Some resources are remaining: ${remaining} objects` : "All content successfully removed",
    },
  ];
}

export const terminatingMessage = (namespace: string) =>
  `unable to create new content in namespace ${namespace} because it is being terminated`;
