// Typed views of the objects the DaemonSet controller reads (plain JSON underneath).
import type { DaemonSetSpec, DaemonSetStatus } from "kubernetes-types/apps/v1";
import type { NodeSpec, NodeStatus } from "kubernetes-types/core/v1";
import type { KubeObject } from "../../types.ts";

export interface DaemonSet extends KubeObject {
  spec: DaemonSetSpec;
  status?: DaemonSetStatus;
}

export interface Node extends KubeObject {
  spec?: NodeSpec;
  status?: NodeStatus;
}

export const DAEMONSETS = "daemonsets.apps";
