// The HPA's scale target: which workload spec.scaleTargetRef names, its replicas and the
// selector of its pods (what the /scale subresource would answer).
import type { CrossVersionObjectReference } from "kubernetes-types/autoscaling/v2";
import { labelSelectorFromObject, type LabelSelector, type LabelSelectorObject } from "../../selectors/labels.ts";
import type { KubeObject } from "../../types.ts";
import { isRecord } from "../../validation/shape.ts";

/** Workloads with a scale subresource, by kind (apps group). */
export const SCALABLE: Record<string, string> = {
  Deployment: "deployments.apps",
  ReplicaSet: "replicasets.apps",
  StatefulSet: "statefulsets.apps",
};

export interface ScaleTarget {
  resource: string;
  object: KubeObject;
  specReplicas: number;
  statusReplicas: number;
  selector: LabelSelector | null;
}

const groupOf = (apiVersion: string | undefined) => (apiVersion?.includes("/") ? apiVersion.split("/")[0]! : "");

/** The storage key of the referenced kind, or the error Kubernetes gives for an unknown kind. */
export function targetResource(ref: CrossVersionObjectReference): { resource: string } | { error: string } {
  const group = groupOf(ref.apiVersion);
  const resource = group === "apps" ? SCALABLE[ref.kind] : undefined;
  if (resource === undefined) return { error: `no matches for kind "${ref.kind}" in group "${group}"` };
  return { resource };
}

export function scaleTargetOf(
  ref: CrossVersionObjectReference,
  get: (resource: string, name: string) => KubeObject | undefined,
): ScaleTarget | { error: string } {
  const kind = targetResource(ref);
  if ("error" in kind) return kind;
  const object = get(kind.resource, ref.name);
  if (!object) return { error: `${kind.resource} "${ref.name}" not found` };
  const spec = isRecord(object.spec) ? object.spec : {};
  const status = isRecord(object.status) ? object.status : {};
  let selector: LabelSelector | null = null;
  try {
    selector = labelSelectorFromObject(spec.selector as LabelSelectorObject | undefined);
  } catch {
    selector = null;
  }
  return {
    resource: kind.resource,
    object,
    specReplicas: typeof spec.replicas === "number" ? spec.replicas : 1,
    statusReplicas: typeof status.replicas === "number" ? status.replicas : 0,
    selector,
  };
}
