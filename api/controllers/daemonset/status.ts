// A DaemonSet's status (what `kubectl rollout status ds` and `kubectl get ds` read): per node
// that should run it, whether it has a pod and whether that pod (the oldest, bound first) is
// ready, available and of the current revision; pods on nodes that should not run it are
// misscheduled.
import type { DaemonSetStatus } from "kubernetes-types/apps/v1";
import { isPodAvailable, isPodReady, podAvailableFrom } from "../common/pods.ts";
import { POD_REVISION_LABEL } from "../history/types.ts";
import { byScheduledThenAge, type NodeView } from "./nodes.ts";
import type { DaemonSet } from "./types.ts";

export interface DaemonSetStatusResult {
  status: DaemonSetStatus;
  /** When (ms) a ready pod becomes available and the status needs recomputing. */
  recheckAt?: number;
}

export function computeDaemonSetStatus(
  ds: DaemonSet,
  view: NodeView,
  hash: string,
  collisionCount: number,
  now: Date,
): DaemonSetStatusResult {
  const minReady = ds.spec.minReadySeconds ?? 0;
  let desired = 0;
  let current = 0;
  let misscheduled = 0;
  let ready = 0;
  let available = 0;
  let updated = 0;
  let recheckAt: number | undefined;
  for (const node of view.nodes) {
    const scheduled = node.pods.length > 0;
    if (!node.shouldRun) {
      if (scheduled) misscheduled += 1;
      continue;
    }
    desired += 1;
    if (!scheduled) continue;
    current += 1;
    const pod = [...node.pods].sort(byScheduledThenAge)[0];
    if (isPodReady(pod)) {
      ready += 1;
      if (isPodAvailable(pod, minReady, now)) available += 1;
      else {
        const from = podAvailableFrom(pod, minReady);
        if (from !== undefined) recheckAt = Math.min(recheckAt ?? Infinity, from);
      }
    }
    if (pod.metadata.labels?.[POD_REVISION_LABEL] === hash) updated += 1;
  }
  const status: DaemonSetStatus = {
    currentNumberScheduled: current,
    numberMisscheduled: misscheduled,
    desiredNumberScheduled: desired,
    numberReady: ready,
  };
  if (ds.metadata.generation !== undefined) status.observedGeneration = ds.metadata.generation;
  if (updated > 0) status.updatedNumberScheduled = updated;
  if (available > 0) status.numberAvailable = available;
  if (desired - available > 0) status.numberUnavailable = desired - available;
  if (collisionCount > 0) status.collisionCount = collisionCount;
  const conditions = ds.status?.conditions;
  if (conditions && conditions.length > 0) status.conditions = conditions;
  return recheckAt === undefined ? { status } : { status, recheckAt };
}
