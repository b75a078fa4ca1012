// A ControllerRevision as the StatefulSet and DaemonSet controllers keep them: an immutable
// snapshot (`data`) of the parent's pod template, numbered by `revision`.
import type { KubeObject } from "../../types.ts";

export interface ControllerRevision extends KubeObject {
  data?: unknown;
  revision: number;
}

/** The pod label naming a pod's revision: the revision's name (StatefulSet) or hash (DaemonSet). */
export const POD_REVISION_LABEL = "controller-revision-hash";
/** The label a StatefulSet's revisions carry with their hash. */
export const REVISION_HASH_LABEL = "controller.kubernetes.io/hash";
/** What `kubectl rollout history` shows per revision (copied from the parent's annotations). */
export const CHANGE_CAUSE = "kubernetes.io/change-cause";
