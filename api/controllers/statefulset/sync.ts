// One reconcile of a StatefulSet (Kubernetes' StatefulSet controller): claim its pods and
// revisions, find or create the update revision, carry out the plan (claims before pods,
// identity repairs, scale-down, rolling update), write the status, then trim the revision
// history. Every read is fresh and every write synchronous, so a reconcile interrupted at any
// point is finished by the next one.
import type { PodTemplateSpec } from "kubernetes-types/core/v1";
import { deepEqual } from "../../lifecycle/object-meta.ts";
import { StatusError } from "../../errors.ts";
import { controllerRef, isControlledBy, planClaim, withControllerRef, withoutOwner } from "../common/controller-ref.ts";
import { selectorOf } from "../common/selector.ts";
import type { Pod } from "../common/types.ts";
import { revisionHash, templateOfRevision, templatePatch } from "../history/revision.ts";
import {
  claimRevisions,
  deleteRevisions,
  ensureRevision,
  revisionsToTruncate,
  type RevisionNaming,
} from "../history/sync.ts";
import { REVISION_HASH_LABEL, type ControllerRevision } from "../history/types.ts";
import { CLAIMS, PODS, type WorkloadWorld } from "../history/world.ts";
import { claimsFor, isStaleClaim, retentionOf, retentionOwnerRefs } from "./claims.ts";
import { podRevision } from "./health.ts";
import { claimName, identityMatches, isMemberOf, ordinalOf, podName, withIdentityLabels } from "./identity.ts";
import { newStatefulSetPod } from "./pod.ts";
import { planStatefulSet, type Step } from "./plan.ts";
import { computeStatefulSetStatus } from "./status.ts";
import { STATEFULSETS, type PersistentVolumeClaim, type StatefulSet } from "./types.ts";

/** How soon to look again at a claim the garbage collector is about to remove. */
export const STALE_CLAIM_RECHECK_MS = 5_000;

const isNotFound = (err: unknown) => err instanceof StatusError && err.code === 404;
const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

export const statefulSetNaming = (set: StatefulSet, data: unknown): RevisionNaming => ({
  kind: "StatefulSet",
  hash: (collisionCount) => revisionHash(data, collisionCount),
  labels: (hash) => ({ ...(set.spec.template?.metadata?.labels ?? {}), [REVISION_HASH_LABEL]: hash }),
});

/** A step could not be carried out now (a claim still going away); later steps wait too. */
class Blocked {}

class StatefulSetSync {
  private readonly set: StatefulSet;
  private readonly world: WorkloadWorld;
  private readonly revisions: { current: ControllerRevision; update: ControllerRevision };

  constructor(set: StatefulSet, world: WorkloadWorld, current: ControllerRevision, update: ControllerRevision) {
    this.set = set;
    this.world = world;
    this.revisions = { current, update };
  }

  private get name(): string {
    return this.set.metadata.name ?? "";
  }

  private event(type: "Normal" | "Warning", reason: string, message: string): void {
    this.world.recordEvent(this.set, type, reason, message);
  }

  run(step: Step): void {
    switch (step.kind) {
      case "create":
        return this.create(step.ordinal, step.revision);
      case "delete":
        return this.deletePod(step.pod);
      case "repair":
        return this.repair(step.pod);
      case "retain":
        return this.fixClaimOwners(step.pod, true);
    }
  }

  private create(ordinal: number, which: "current" | "update"): void {
    const revision = this.revisions[which];
    const template = (templateOfRevision(revision) ?? this.set.spec.template) as PodTemplateSpec;
    const name = podName(this.set, ordinal);
    this.createClaims(ordinal, name, true);
    const pod = newStatefulSetPod(this.set, template, ordinal, revision.metadata.name ?? "");
    let created: Pod | undefined;
    try {
      created = this.world.objects.create(PODS, pod) as Pod | undefined;
    } catch (err) {
      this.event(
        "Warning",
        "FailedCreate",
        `create Pod ${name} in StatefulSet ${this.name} failed error: ${messageOf(err)}`,
      );
      throw err;
    }
    if (!created) {
      // The name is held by a pod this set does not own.
      const message = `pods "${name}" already exists`;
      this.event("Warning", "FailedCreate", `create Pod ${name} in StatefulSet ${this.name} failed error: ${message}`);
      throw new Error(message);
    }
    this.event("Normal", "SuccessfulCreate", `create Pod ${name} in StatefulSet ${this.name} successful`);
  }

  /** Creates the ordinal's missing claims; with `beforePod`, a claim still going away blocks. */
  private createClaims(ordinal: number, pod: string, beforePod: boolean): void {
    const objects = this.world.objects;
    const ownedBySet = retentionOf(this.set).whenDeleted === "Delete";
    for (const body of claimsFor(this.set, ordinal)) {
      const claim = body.metadata.name ?? "";
      const existing = objects.get(CLAIMS, claim) as PersistentVolumeClaim | undefined;
      if (existing) {
        if (beforePod && isStaleClaim(existing, pod)) {
          this.world.requeueAfter(STALE_CLAIM_RECHECK_MS);
          throw new Blocked();
        }
        continue;
      }
      if (ownedBySet) {
        body.metadata.ownerReferences = [
          { apiVersion: "apps/v1", kind: "StatefulSet", name: this.name, uid: this.set.metadata.uid ?? "" },
        ];
      }
      try {
        objects.create(CLAIMS, body);
      } catch (err) {
        this.event(
          "Warning",
          "FailedCreate",
          `create Claim ${claim} for Pod ${pod} in StatefulSet ${this.name} failed error: ${messageOf(err)}`,
        );
        throw err;
      }
      this.event("Normal", "SuccessfulCreate", `create Claim ${claim} Pod ${pod} in StatefulSet ${this.name} success`);
    }
  }

  private deletePod(pod: Pod): void {
    const name = pod.metadata.name ?? "";
    try {
      this.world.objects.delete(PODS, name);
    } catch (err) {
      if (isNotFound(err)) return;
      this.event(
        "Warning",
        "FailedDelete",
        `delete Pod ${name} in StatefulSet ${this.name} failed error: ${messageOf(err)}`,
      );
      throw err;
    }
    this.event("Normal", "SuccessfulDelete", `delete Pod ${name} in StatefulSet ${this.name} successful`);
  }

  /** Identity labels, missing claims of a pod still starting, and the claims' retention owners. */
  private repair(pod: Pod): void {
    if (!identityMatches(this.set, pod)) {
      try {
        this.world.objects.update(PODS, withIdentityLabels(pod));
      } catch (err) {
        if (!isNotFound(err)) throw err;
        return;
      }
    }
    const phase = pod.status?.phase;
    if (phase === undefined || phase === "Pending") {
      this.createClaims(ordinalOf(pod), pod.metadata.name ?? "", false);
    }
    this.fixClaimOwners(pod, false);
  }

  private fixClaimOwners(pod: Pod, condemned: boolean): void {
    const objects = this.world.objects;
    for (const template of this.set.spec.volumeClaimTemplates ?? []) {
      const name = claimName(template.metadata?.name ?? "", this.set, ordinalOf(pod));
      const claim = objects.get(CLAIMS, name) as PersistentVolumeClaim | undefined;
      if (!claim || claim.metadata.deletionTimestamp !== undefined) continue;
      const refs = retentionOwnerRefs(claim, this.set, pod, condemned);
      if (refs === undefined) continue;
      const next = structuredClone(claim);
      if (refs.length > 0) next.metadata.ownerReferences = refs;
      else delete next.metadata.ownerReferences;
      objects.update(CLAIMS, next);
    }
  }
}

/** Adopts orphans named as members and matching the selector; releases pods that stopped matching. */
function claimPods(set: StatefulSet, world: WorkloadWorld): Pod[] {
  const objects = world.objects;
  const candidates = (objects.list(PODS) as Pod[]).filter((pod) => isMemberOf(set, pod) || isControlledBy(pod, set));
  const plan = planClaim(set, selectorOf(set.spec.selector), candidates);
  const owned: Pod[] = [];
  const release = [...plan.release];
  for (const pod of plan.owned) (isMemberOf(set, pod) ? owned : release).push(pod);
  const ref = controllerRef(set, "apps/v1", "StatefulSet");
  for (const pod of plan.adopt) {
    if (!isMemberOf(set, pod)) continue;
    try {
      owned.push(objects.update(PODS, withControllerRef(pod, ref)) as Pod);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
  if (set.metadata.deletionTimestamp === undefined) {
    for (const pod of release) {
      try {
        objects.update(PODS, withoutOwner(pod, set.metadata.uid ?? ""));
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
  }
  return owned;
}

export function syncStatefulSet(name: string, world: WorkloadWorld): void {
  const objects = world.objects;
  const set = objects.get(STATEFULSETS, name) as StatefulSet | undefined;
  if (!set || selectorOf(set.spec.selector) === null) return;
  if (set.metadata.deletionTimestamp !== undefined) return; // the garbage collector takes it from here

  const pods = claimPods(set, world);
  const data = templatePatch(set.spec.template);
  const owned = claimRevisions(set, "StatefulSet", objects);
  const {
    revision: update,
    collisionCount,
    revisions,
  } = ensureRevision(set, owned, data, statefulSetNaming(set, data), objects);
  const current = revisions.find((r) => r.metadata.name === set.status?.currentRevision) ?? update;

  const plan = planStatefulSet({ set, pods, updateRevision: update.metadata.name ?? "", now: world.now() });
  const sync = new StatefulSetSync(set, world, current, update);
  let failure: unknown;
  for (const step of plan.steps) {
    try {
      sync.run(step);
    } catch (err) {
      if (!(err instanceof Blocked)) failure = err;
      break;
    }
  }

  // Status from what exists now (this reconcile's own writes included).
  const fresh = objects.get(STATEFULSETS, name) as StatefulSet | undefined;
  if (!fresh || fresh.metadata.uid !== set.metadata.uid) return;
  const now = world.now();
  const podsNow = (objects.list(PODS) as Pod[]).filter((pod) => isMemberOf(fresh, pod) && isControlledBy(pod, fresh));
  const { status, recheckAt } = computeStatefulSetStatus({
    set: fresh,
    pods: podsNow,
    currentRevision: current.metadata.name ?? "",
    updateRevision: update.metadata.name ?? "",
    collisionCount,
    now,
  });
  if (!deepEqual(status, fresh.status ?? {})) objects.updateStatus(STATEFULSETS, { ...fresh, status });
  const due = [plan.recheckAt, recheckAt].filter((t): t is number => t !== undefined);
  if (due.length > 0) world.requeueAfter(Math.max(0, Math.min(...due) - now.getTime()));
  if (failure !== undefined) throw failure;

  // History: keep what pods run, the current and update revisions, and revisionHistoryLimit more.
  const live = new Set([
    current.metadata.name,
    status.currentRevision,
    status.updateRevision,
    ...podsNow.map(podRevision),
  ]);
  const limit = fresh.spec.revisionHistoryLimit ?? 10;
  deleteRevisions(
    revisionsToTruncate(revisions, (r) => live.has(r.metadata.name), limit),
    objects,
  );
}
