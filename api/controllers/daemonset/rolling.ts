// A DaemonSet's RollingUpdate (Kubernetes' rollingUpdate): per node at most one old and one new
// pod count. Without surge, old pods are deleted while fewer than maxUnavailable nodes are
// unavailable (an old pod that is not available anyway may always go); the next pass creates the
// new pod once the old one is gone. With surge, a new pod starts next to an available old one on
// up to maxSurge nodes at a time, and the old one goes once the new one is available.
import { isPodAvailable } from "../common/pods.ts";
import type { Pod } from "../common/types.ts";
import { POD_REVISION_LABEL } from "../history/types.ts";
import type { NodeState, NodeView } from "./nodes.ts";
import { surgeAndUnavailable } from "./strategy.ts";
import type { DaemonSet } from "./types.ts";

export interface RollingPlan {
  /** Old pods to delete. */
  remove: Pod[];
  /** Nodes to start a new pod on next to the old one (surge). */
  createOn: string[];
}

/** The node's live pods split by revision; undefined when there are several of either (manage prunes those first). */
function updatedAndOld(pods: readonly Pod[], hash: string): { updated?: Pod; old?: Pod } | undefined {
  let updated: Pod | undefined;
  let old: Pod | undefined;
  for (const pod of pods) {
    if (pod.metadata.deletionTimestamp !== undefined) continue;
    if (pod.metadata.labels?.[POD_REVISION_LABEL] === hash) {
      if (updated) return undefined;
      updated = pod;
    } else {
      if (old) return undefined;
      old = pod;
    }
  }
  return { updated, old };
}

/** The nodes the rollout covers: those with daemon pods, and those that should run one. */
const rolloutNodes = (view: NodeView): NodeState[] => view.nodes.filter((n) => n.pods.length > 0 || n.shouldRun);

export function planRollingUpdate(ds: DaemonSet, view: NodeView, hash: string, now: Date): RollingPlan {
  const minReady = ds.spec.minReadySeconds ?? 0;
  const desired = view.nodes.filter((n) => n.shouldRun).length;
  const { maxSurge, maxUnavailable } = surgeAndUnavailable(ds, desired);
  const available = (pod: Pod) => isPodAvailable(pod, minReady, now);
  const nodes = rolloutNodes(view);

  if (maxSurge === 0) {
    let unavailable = 0;
    const replace: Pod[] = [];
    const candidates: Pod[] = [];
    for (const node of nodes) {
      const pods = updatedAndOld(node.pods, hash);
      if (!pods) {
        unavailable += 1;
        continue;
      }
      const { updated, old } = pods;
      if ((!old && !updated) || (old && updated)) unavailable += 1;
      else if (updated) {
        if (!available(updated)) unavailable += 1;
      } else if (old) {
        if (!available(old)) {
          replace.push(old);
          unavailable += 1;
        } else if (unavailable < maxUnavailable) candidates.push(old);
      }
    }
    const room = Math.min(Math.max(0, maxUnavailable - unavailable), candidates.length);
    return { remove: [...replace, ...candidates.slice(0, room)], createOn: [] };
  }

  let surging = 0;
  const remove: Pod[] = [];
  const allowed: string[] = [];
  const candidates: string[] = [];
  for (const node of nodes) {
    const pods = updatedAndOld(node.pods, hash);
    if (!pods) {
      surging += 1;
      continue;
    }
    const { updated, old } = pods;
    if (!old) continue;
    if (!updated) {
      // A node that no longer takes the daemon keeps an available old pod, and loses an unavailable one.
      if (!available(old)) {
        if (node.shouldRun) allowed.push(node.name);
        else remove.push(old);
      } else if (node.shouldRun && surging < maxSurge) candidates.push(node.name);
      continue;
    }
    if (!available(updated)) {
      surging += 1;
      continue;
    }
    remove.push(old);
  }
  const room = Math.min(Math.max(0, maxSurge - surging), candidates.length);
  return { remove, createOn: [...allowed, ...candidates.slice(0, room)] };
}
