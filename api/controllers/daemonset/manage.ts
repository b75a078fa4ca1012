// One pass over the nodes (Kubernetes' DaemonSet manage): a node that should run the daemon and
// has no pod gets one; a node that may keep it has its failed pods removed (with a backoff per
// node) and extra pods pruned — without surge all but the oldest; with surge the oldest pod of
// the update revision and, while that one is not yet available and the old one still ready, the
// oldest old pod; a node that may not keep it loses them all. Pods meant for nodes that are
// gone are removed too.
import { isPodAvailable, isPodReady } from "../common/pods.ts";
import type { Pod } from "../common/types.ts";
import { POD_REVISION_LABEL } from "../history/types.ts";
import { byScheduledThenAge, type NodeView } from "./nodes.ts";
import { allowsSurge } from "./strategy.ts";
import type { DaemonSet } from "./types.ts";

export interface ManagePlan {
  /** Nodes that need a daemon pod. */
  createOn: string[];
  /** Pods to delete (failed ones included). */
  remove: Pod[];
  /** Pods meant for nodes that no longer exist: nothing will finish their graceful deletion. */
  removeNow: Pod[];
  /** Failed pods found (each also in `remove`), for the FailedDaemonPod event. */
  failed: { pod: Pod; node: string }[];
  /** The earliest a node in backoff may try again (ms from now). */
  retryAfter?: number;
}

/** Per node: ms left before a failed pod there may be replaced, or undefined; `next` starts the next backoff. */
export interface FailedPodBackoffs {
  remaining(key: string, now: number): number | undefined;
  next(key: string, now: number): void;
}

export function planManage(
  ds: DaemonSet,
  view: NodeView,
  hash: string,
  now: Date,
  backoff: FailedPodBackoffs,
): ManagePlan {
  const plan: ManagePlan = { createOn: [], remove: [], removeNow: [], failed: [] };
  const surge = allowsSurge(ds);
  const minReady = ds.spec.minReadySeconds ?? 0;
  for (const node of view.nodes) {
    const exists = node.pods.length > 0;
    if (node.shouldRun && !exists) {
      plan.createOn.push(node.name);
      continue;
    }
    if (!node.shouldContinueRunning) {
      plan.remove.push(...node.pods.filter((pod) => pod.metadata.deletionTimestamp === undefined));
      continue;
    }
    const running: Pod[] = [];
    for (const pod of node.pods) {
      if (pod.metadata.deletionTimestamp !== undefined) continue;
      if (pod.status?.phase !== "Failed") {
        running.push(pod);
        continue;
      }
      const key = `${ds.metadata.uid ?? ""}/${node.name}`;
      const left = backoff.remaining(key, now.getTime());
      if (left !== undefined) {
        plan.retryAfter = Math.min(plan.retryAfter ?? Infinity, left);
        continue;
      }
      backoff.next(key, now.getTime());
      plan.failed.push({ pod, node: node.name });
      plan.remove.push(pod);
    }
    if (!surge) {
      if (running.length > 1) plan.remove.push(...running.sort(byScheduledThenAge).slice(1));
      continue;
    }
    if (running.length === 0) {
      if (node.shouldRun) plan.createOn.push(node.name);
      continue;
    }
    if (running.length === 1) continue;
    let oldestNew: Pod | undefined;
    let oldestOld: Pod | undefined;
    for (const pod of running.sort(byScheduledThenAge)) {
      const isNew = pod.metadata.labels?.[POD_REVISION_LABEL] === hash;
      if (isNew && !oldestNew) oldestNew = pod;
      else if (!isNew && !oldestOld) oldestOld = pod;
      else plan.remove.push(pod);
    }
    if (oldestNew && oldestOld && (!isPodReady(oldestOld) || isPodAvailable(oldestNew, minReady, now))) {
      plan.remove.push(oldestOld);
    }
  }
  plan.removeNow.push(...view.nodeless.filter((pod) => pod.metadata.deletionTimestamp === undefined));
  return plan;
}
