// Typed views of the objects the StatefulSet controller reads (plain JSON underneath).
import type { StatefulSetSpec, StatefulSetStatus } from "kubernetes-types/apps/v1";
import type { PersistentVolumeClaimSpec, PersistentVolumeClaimStatus } from "kubernetes-types/core/v1";
import type { KubeObject } from "../../types.ts";

export interface StatefulSet extends KubeObject {
  spec: StatefulSetSpec;
  status?: StatefulSetStatus;
}

export interface PersistentVolumeClaim extends KubeObject {
  spec?: PersistentVolumeClaimSpec;
  status?: PersistentVolumeClaimStatus;
}

export const STATEFULSETS = "statefulsets.apps";
