// One reconcile of a ReplicaSet (Kubernetes' syncReplicaSet): claim matching pods (adopt
// orphans, release pods that stopped matching), create or delete pods towards spec.replicas,
// then write the status. Reads and writes go through a ReplicaSetWorld so the logic is
// testable without a store; in a NamespaceStore every call is synchronous and fresh.
import { deepEqual } from "../../lifecycle/object-meta.ts";
import { StatusError } from "../../errors.ts";
import {
  controllerRef,
  controllerRefOf,
  isControlledBy,
  planClaim,
  withControllerRef,
  withoutOwner,
} from "../common/controller-ref.ts";
import { podsToDelete } from "../common/pod-ranking.ts";
import { isPodActive } from "../common/pods.ts";
import { selectorOf } from "../common/selector.ts";
import { slowStartBatch } from "../common/slow-start.ts";
import { specReplicas, type Pod, type ReplicaSet } from "../common/types.ts";
import { podFromTemplate } from "./pod-template.ts";
import { computeReplicaSetStatus, failureRetryDelay, type ManageFailure } from "./status.ts";

/** At most this many pods are created or deleted in one reconcile (Kubernetes' burstReplicas). */
export const BURST_REPLICAS = 500;
export const SLOW_START_INITIAL_BATCH = 1;

export interface ReplicaSetWorld {
  now(): Date;
  getReplicaSet(name: string): ReplicaSet | undefined;
  listReplicaSets(): ReplicaSet[];
  listPods(): Pod[];
  /** Creates a pod (generateName); throws a StatusError when the API refuses it. */
  createPod(pod: Pod): Pod;
  deletePod(name: string): void;
  updatePod(pod: Pod): Pod;
  updateReplicaSetStatus(rs: ReplicaSet): ReplicaSet;
  recordEvent(regarding: ReplicaSet, type: "Normal" | "Warning", reason: string, message: string): void;
  requeueAfter(ms: number): void;
}

const isNotFound = (err: unknown) => err instanceof StatusError && err.code === 404;
const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Adopts and releases; answers the pods the ReplicaSet controls afterwards. */
function claimPods(rs: ReplicaSet, pods: readonly Pod[], world: ReplicaSetWorld): Pod[] {
  const plan = planClaim(rs, selectorOf(rs.spec.selector), pods);
  const owned = [...plan.owned];
  const ref = controllerRef(rs, "apps/v1", "ReplicaSet");
  for (const pod of plan.adopt) {
    try {
      owned.push(world.updatePod(withControllerRef(pod, ref)));
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
  for (const pod of plan.release) {
    try {
      world.updatePod(withoutOwner(pod, rs.metadata.uid ?? ""));
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
  return owned;
}

/** Active pods of this ReplicaSet and of its siblings (same controller): the deletion ranking's context. */
function relatedPods(rs: ReplicaSet, world: ReplicaSetWorld): Pod[] {
  const owner = controllerRefOf(rs);
  const family = owner ? world.listReplicaSets().filter((other) => controllerRefOf(other)?.uid === owner.uid) : [rs];
  const uids = new Set(family.map((other) => other.metadata.uid));
  return world.listPods().filter((pod) => isPodActive(pod) && uids.has(controllerRefOf(pod)?.uid));
}

function manageReplicas(rs: ReplicaSet, pods: readonly Pod[], world: ReplicaSetWorld): ManageFailure | undefined {
  const diff = pods.length - specReplicas(rs);
  if (diff < 0) {
    const wanted = Math.min(-diff, BURST_REPLICAS);
    const result = slowStartBatch(wanted, SLOW_START_INITIAL_BATCH, () => {
      const pod = world.createPod(podFromTemplate(rs));
      world.recordEvent(rs, "Normal", "SuccessfulCreate", `Created pod: ${pod.metadata.name}`);
    });
    if (result.error === undefined) return undefined;
    const message = messageOf(result.error);
    world.recordEvent(rs, "Warning", "FailedCreate", `Error creating: ${message}`);
    return { reason: "FailedCreate", message };
  }
  if (diff > 0) {
    const victims = podsToDelete(pods, relatedPods(rs, world), Math.min(diff, BURST_REPLICAS), world.now());
    let failure: ManageFailure | undefined;
    for (const pod of victims) {
      try {
        world.deletePod(pod.metadata.name ?? "");
        world.recordEvent(rs, "Normal", "SuccessfulDelete", `Deleted pod: ${pod.metadata.name}`);
      } catch (err) {
        if (isNotFound(err)) continue;
        const message = messageOf(err);
        world.recordEvent(rs, "Warning", "FailedDelete", `Error deleting: ${message}`);
        failure ??= { reason: "FailedDelete", message };
      }
    }
    return failure;
  }
  return undefined;
}

export function syncReplicaSet(name: string, world: ReplicaSetWorld): void {
  const rs = world.getReplicaSet(name);
  if (!rs) return;
  const active = world.listPods().filter(isPodActive);
  const owned = claimPods(rs, active, world);
  const failure = rs.metadata.deletionTimestamp === undefined ? manageReplicas(rs, owned, world) : undefined;

  // Status from what exists now (our own creates and deletes included).
  const current = world.getReplicaSet(name);
  if (!current || current.metadata.uid !== rs.metadata.uid) return;
  const pods = world.listPods().filter((pod) => isPodActive(pod) && isControlledBy(pod, current));
  const now = world.now();
  const { status, recheckAt } = computeReplicaSetStatus(current, pods, failure, now);
  const written = deepEqual(status, current.status ?? {})
    ? current
    : world.updateReplicaSetStatus({ ...current, status });
  if (recheckAt !== undefined) world.requeueAfter(Math.max(0, recheckAt - now.getTime()));
  if (failure) world.requeueAfter(failureRetryDelay(written, now));
}
