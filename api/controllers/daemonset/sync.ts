// One reconcile of a DaemonSet (Kubernetes' DaemonSet controller), given the cluster's nodes:
// claim its pods and revisions, find or create the revision of the current template, create
// and delete pods node by node, then (RollingUpdate) replace old pods within maxUnavailable /
// maxSurge, write the status and trim the revision history. Reads are fresh and writes
// synchronous, so an interrupted reconcile is finished by the next one.
import { deepEqual } from "../../lifecycle/object-meta.ts";
import { StatusError } from "../../errors.ts";
import { controllerRef, isControlledBy, planClaim, withControllerRef, withoutOwner } from "../common/controller-ref.ts";
import { selectorOf, selectsEverything } from "../common/selector.ts";
import { slowStartBatch } from "../common/slow-start.ts";
import { computePodTemplateHash } from "../common/template-hash.ts";
import type { Pod } from "../common/types.ts";
import { templatePatch } from "../history/revision.ts";
import {
  claimRevisions,
  deleteRevisions,
  ensureRevision,
  revisionsToTruncate,
  type RevisionNaming,
} from "../history/sync.ts";
import { POD_REVISION_LABEL, type ControllerRevision } from "../history/types.ts";
import { PODS, REVISIONS, type WorkloadWorld } from "../history/world.ts";
import { planManage, type FailedPodBackoffs } from "./manage.ts";
import { nodeView } from "./nodes.ts";
import { daemonPodFor } from "./pod.ts";
import { planRollingUpdate } from "./rolling.ts";
import { computeDaemonSetStatus } from "./status.ts";
import { isRollingUpdate } from "./strategy.ts";
import { DAEMONSETS, type DaemonSet, type Node } from "./types.ts";

/** At most this many pods are created or deleted in one reconcile (Kubernetes' burstReplicas). */
export const BURST_REPLICAS = 250;

export interface DaemonSetWorld extends WorkloadWorld {
  readonly backoff: FailedPodBackoffs;
}

const isNotFound = (err: unknown) => err instanceof StatusError && err.code === 404;
const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

export const daemonSetNaming = (ds: DaemonSet): RevisionNaming => ({
  kind: "DaemonSet",
  hash: (collisionCount) => computePodTemplateHash(ds.spec.template, collisionCount),
  labels: (hash) => ({ ...(ds.spec.template?.metadata?.labels ?? {}), [POD_REVISION_LABEL]: hash }),
});

/** The revision's hash label; a revision without one gets its name as the hash (as Kubernetes does). */
function hashOf(revision: ControllerRevision, world: WorkloadWorld): string {
  const hash = revision.metadata.labels?.[POD_REVISION_LABEL];
  if (hash) return hash;
  const name = revision.metadata.name ?? "";
  const copy = structuredClone(revision);
  copy.metadata.labels = { ...(copy.metadata.labels ?? {}), [POD_REVISION_LABEL]: name };
  world.objects.update(REVISIONS, copy);
  return name;
}

function claimPods(ds: DaemonSet, world: WorkloadWorld): Pod[] {
  const objects = world.objects;
  const plan = planClaim(ds, selectorOf(ds.spec.selector), objects.list(PODS) as Pod[]);
  const owned = [...plan.owned];
  const ref = controllerRef(ds, "apps/v1", "DaemonSet");
  for (const pod of plan.adopt) {
    try {
      owned.push(objects.update(PODS, withControllerRef(pod, ref)) as Pod);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
  for (const pod of plan.release) {
    try {
      objects.update(PODS, withoutOwner(pod, ds.metadata.uid ?? ""));
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
  return owned;
}

class DaemonSetSync {
  private readonly ds: DaemonSet;
  private readonly world: DaemonSetWorld;
  private readonly hash: string;
  failure: unknown;

  constructor(ds: DaemonSet, world: DaemonSetWorld, hash: string) {
    this.ds = ds;
    this.world = world;
    this.hash = hash;
  }

  private get name(): string {
    return this.ds.metadata.name ?? "";
  }

  ownedPods(): Pod[] {
    return (this.world.objects.list(PODS) as Pod[]).filter((pod) => isControlledBy(pod, this.ds));
  }

  create(nodes: readonly string[]): void {
    const queue = nodes.slice(0, BURST_REPLICAS);
    let next = 0;
    const result = slowStartBatch(queue.length, 1, () => {
      const node = queue[next++];
      const pod = this.world.objects.create(PODS, daemonPodFor(this.ds, node, this.hash));
      if (!pod) throw new Error(`no free name for a pod of ${this.name}`);
      this.world.recordEvent(this.ds, "Normal", "SuccessfulCreate", `Created pod: ${pod.metadata.name}`);
    });
    if (result.error !== undefined) {
      this.world.recordEvent(this.ds, "Warning", "FailedCreate", `Error creating: ${messageOf(result.error)}`);
      this.failure ??= result.error;
    }
  }

  remove(pods: readonly Pod[], now = false): void {
    for (const pod of pods.slice(0, BURST_REPLICAS)) {
      const name = pod.metadata.name ?? "";
      try {
        this.world.objects.delete(PODS, name, now ? { gracePeriodSeconds: 0 } : {});
        this.world.recordEvent(this.ds, "Normal", "SuccessfulDelete", `Deleted pod: ${name}`);
      } catch (err) {
        if (isNotFound(err)) continue;
        this.world.recordEvent(this.ds, "Warning", "FailedDelete", `Error deleting: ${messageOf(err)}`);
        this.failure ??= err;
      }
    }
  }
}

export function syncDaemonSet(name: string, nodes: readonly Node[], world: DaemonSetWorld): void {
  const objects = world.objects;
  const ds = objects.get(DAEMONSETS, name) as DaemonSet | undefined;
  if (!ds || ds.metadata.deletionTimestamp !== undefined) return; // a deleted one: the garbage collector's
  const selector = selectorOf(ds.spec.selector);
  if (selector === null) return;
  if (selectsEverything(selector)) {
    world.recordEvent(
      ds,
      "Warning",
      "SelectingAll",
      "This daemon set is selecting all pods. A non-empty selector is required.",
    );
    return;
  }

  claimPods(ds, world);
  const owned = claimRevisions(ds, "DaemonSet", objects);
  const { revision, collisionCount, revisions } = ensureRevision(
    ds,
    owned,
    templatePatch(ds.spec.template),
    daemonSetNaming(ds),
    objects,
  );
  const hash = hashOf(revision, world);
  const sync = new DaemonSetSync(ds, world, hash);

  // Node by node.
  const manage = planManage(ds, nodeView(ds, nodes, sync.ownedPods()), hash, world.now(), world.backoff);
  for (const { pod, node } of manage.failed) {
    world.recordEvent(
      ds,
      "Warning",
      "FailedDaemonPod",
      `Found failed daemon pod ${pod.metadata.namespace ?? ""}/${pod.metadata.name ?? ""} on node ${node}, will try to kill it`,
    );
  }
  sync.remove(manage.remove);
  sync.remove(manage.removeNow, true);
  sync.create(manage.createOn);
  if (manage.retryAfter !== undefined) world.requeueAfter(manage.retryAfter);

  // The rollout, from the pods as they are now.
  if (isRollingUpdate(ds) && sync.failure === undefined) {
    const rolling = planRollingUpdate(ds, nodeView(ds, nodes, sync.ownedPods()), hash, world.now());
    sync.remove(rolling.remove);
    sync.create(rolling.createOn);
  }

  const fresh = objects.get(DAEMONSETS, name) as DaemonSet | undefined;
  if (!fresh || fresh.metadata.uid !== ds.metadata.uid) return;
  const now = world.now();
  const pods = sync.ownedPods();
  const { status, recheckAt } = computeDaemonSetStatus(fresh, nodeView(fresh, nodes, pods), hash, collisionCount, now);
  if (!deepEqual(status, fresh.status ?? {})) objects.updateStatus(DAEMONSETS, { ...fresh, status });
  if (recheckAt !== undefined) world.requeueAfter(Math.max(0, recheckAt - now.getTime()));
  if (sync.failure !== undefined) throw sync.failure;

  // History: keep the current revision, those pods still run, and revisionHistoryLimit more.
  const live = new Set([hash, ...pods.map((pod) => pod.metadata.labels?.[POD_REVISION_LABEL])]);
  const limit = fresh.spec.revisionHistoryLimit ?? 10;
  deleteRevisions(
    revisionsToTruncate(
      revisions,
      (r) => r.metadata.uid === revision.metadata.uid || live.has(r.metadata.labels?.[POD_REVISION_LABEL]),
      limit,
    ),
    objects,
  );
}
