// Typed views of the workload objects the controllers read. Objects stay plain JSON
// (KubeObject); these only name the fields the controllers use.
import type { DeploymentSpec, DeploymentStatus, ReplicaSetSpec, ReplicaSetStatus } from "kubernetes-types/apps/v1";
import type { PodSpec, PodStatus } from "kubernetes-types/core/v1";
import type { KubeObject } from "../../types.ts";

export interface Pod extends KubeObject {
  spec?: PodSpec;
  status?: PodStatus;
}

export interface ReplicaSet extends KubeObject {
  spec: ReplicaSetSpec;
  status?: ReplicaSetStatus;
}

export interface Deployment extends KubeObject {
  spec: DeploymentSpec;
  status?: DeploymentStatus;
}

/** A status condition as Kubernetes' workload controllers write them. */
export interface Condition {
  type: string;
  status: "True" | "False" | "Unknown";
  lastUpdateTime?: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

/** spec.replicas as the API defaults it (1 when absent). */
export const specReplicas = (obj: { spec?: { replicas?: number } }): number =>
  typeof obj.spec?.replicas === "number" ? obj.spec.replicas : 1;

export const POD_TEMPLATE_HASH_LABEL = "pod-template-hash";
