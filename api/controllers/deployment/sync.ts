// One reconcile of a Deployment (Kubernetes' syncDeployment): claim ReplicaSets, then either
// only scale (paused, or spec.replicas changed), or take one step of the rollout (RollingUpdate
// or Recreate), then write the status. Reads and writes go through a DeploymentWorld; in a
// NamespaceStore every call is synchronous and reads are fresh.
import { StatusError } from "../../errors.ts";
import { deepEqual } from "../../lifecycle/object-meta.ts";
import { getCondition, setCondition } from "../common/conditions.ts";
import {
  controllerRef,
  controllerRefOf,
  isControlledBy,
  planClaim,
  withControllerRef,
  withoutOwner,
} from "../common/controller-ref.ts";
import { selectorOf, selectsEverything } from "../common/selector.ts";
import { computePodTemplateHash, templatesEqualIgnoringHash } from "../common/template-hash.ts";
import { specReplicas, type Condition, type Deployment, type Pod, type ReplicaSet } from "../common/types.ts";
import { matchesLabels } from "../../selectors/labels.ts";
import {
  desiredReplicasOf,
  maxRevision,
  replicasAnnotationsNeedUpdate,
  REVISION,
  setDeploymentRevision,
  setNewReplicaSetAnnotations,
  setReplicasAnnotations,
} from "./annotations.ts";
import { replicaSetsToCleanUp } from "./cleanup.ts";
import { deploymentCondition, PROGRESSING, REASONS } from "./conditions.ts";
import { proportionalScaleSteps } from "./proportional.ts";
import { activeReplicaSets, findNewReplicaSet, findOldReplicaSets, newReplicaSetFor } from "./replicasets.ts";
import { cleanupUnhealthySteps, maxScaledDown, newReplicaSetReplicas, scaleDownOldSteps } from "./rolling.ts";
import { calculateStatus, deploymentComplete, progressDeadlineAt, rolloutStatus } from "./status.ts";
import { hasProgressDeadline, isRecreate, maxSurge } from "./strategy.ts";

export interface DeploymentWorld {
  now(): Date;
  getDeployment(name: string): Deployment | undefined;
  listReplicaSets(): ReplicaSet[];
  getReplicaSet(name: string): ReplicaSet | undefined;
  listPods(): Pod[];
  /** Creates a ReplicaSet; undefined when the name is taken. Throws a StatusError when refused. */
  createReplicaSet(rs: ReplicaSet): ReplicaSet | undefined;
  updateReplicaSet(rs: ReplicaSet): ReplicaSet;
  deleteReplicaSet(name: string): void;
  /** Main resource (metadata such as annotations); the stored status is kept. */
  updateDeployment(d: Deployment): Deployment;
  updateDeploymentStatus(d: Deployment): Deployment;
  recordEvent(regarding: Deployment, type: "Normal" | "Warning", reason: string, message: string): void;
  requeueAfter(ms: number): void;
}

const isNotFound = (err: unknown) => err instanceof StatusError && err.code === 404;
const conditionsOf = (d: Deployment) => (d.status?.conditions ?? []) as Condition[];

/** One reconcile's view: the Deployment as last written, and the world. */
class DeploymentSync {
  d: Deployment;
  private readonly world: DeploymentWorld;

  constructor(d: Deployment, world: DeploymentWorld) {
    this.d = d;
    this.world = world;
  }

  /** The ReplicaSets this Deployment controls, as stored now. */
  owned(): ReplicaSet[] {
    return this.world.listReplicaSets().filter((rs) => isControlledBy(rs, this.d));
  }

  /** Adopts matching orphan ReplicaSets and releases owned ones that stopped matching. */
  claimReplicaSets(): void {
    const plan = planClaim(this.d, selectorOf(this.d.spec.selector), this.world.listReplicaSets());
    const ref = controllerRef(this.d, "apps/v1", "Deployment");
    for (const rs of plan.adopt) this.tolerateNotFound(() => this.world.updateReplicaSet(withControllerRef(rs, ref)));
    for (const rs of plan.release)
      this.tolerateNotFound(() => this.world.updateReplicaSet(withoutOwner(rs, this.d.metadata.uid ?? "")));
  }

  private tolerateNotFound(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  // ---- writes ----

  private writeStatus(status: Deployment["status"]): void {
    if (deepEqual(status ?? {}, this.d.status ?? {})) return;
    this.d = this.world.updateDeploymentStatus({ ...this.d, status });
  }

  private writeRevision(revision: string | undefined): void {
    const copy = structuredClone(this.d);
    if (setDeploymentRevision(copy, revision)) this.d = this.world.updateDeployment(copy);
  }

  /**
   * Scales a ReplicaSet (re-read fresh) to `replicas`, refreshing its replica annotations;
   * records ScalingReplicaSet when the size changes. Answers whether the size changed.
   */
  scale(rs: ReplicaSet, replicas: number, always = true): boolean {
    const fresh = this.world.getReplicaSet(rs.metadata.name ?? "");
    if (!fresh || fresh.metadata.uid !== rs.metadata.uid) return false;
    const from = specReplicas(fresh);
    if (!always && from === replicas) return false;
    const desired = specReplicas(this.d);
    const max = desired + maxSurge(this.d);
    if (from === replicas && !replicasAnnotationsNeedUpdate(fresh, desired, max)) return false;
    const copy = structuredClone(fresh);
    copy.spec.replicas = replicas;
    setReplicasAnnotations(copy, desired, max);
    this.world.updateReplicaSet(copy);
    if (from === replicas) return false;
    const operation = replicas > from ? "up" : "down";
    this.world.recordEvent(
      this.d,
      "Normal",
      "ScalingReplicaSet",
      `Scaled ${operation} replica set ${fresh.metadata.name} from ${from} to ${replicas}`,
    );
    return true;
  }

  // ---- the new ReplicaSet and revisions ----

  /**
   * Finds (and with `create`, creates) the new ReplicaSet; syncs its revision and the
   * Deployment's. Answers the new ReplicaSet (if any) and the old ones, fresh.
   */
  allReplicaSets(create: boolean): { newRS: ReplicaSet | undefined; oldRSs: ReplicaSet[] } {
    const sets = this.owned();
    const existing = findNewReplicaSet(this.d, sets);
    const oldRSs = findOldReplicaSets(sets, existing);
    const newRevision = maxRevision(oldRSs) + 1;
    const now = this.world.now();

    if (existing) {
      let rs = existing;
      const copy = structuredClone(existing);
      const annotationsChanged = setNewReplicaSetAnnotations(this.d, copy, newRevision, true);
      const minReady = this.d.spec.minReadySeconds ?? 0;
      const minReadyChanged = (copy.spec.minReadySeconds ?? 0) !== minReady;
      if (minReadyChanged) {
        if (minReady > 0) copy.spec.minReadySeconds = minReady;
        else delete copy.spec.minReadySeconds;
      }
      if (annotationsChanged || minReadyChanged) rs = this.world.updateReplicaSet(copy);
      this.writeRevision(rs.metadata.annotations?.[REVISION]);
      if (hasProgressDeadline(this.d) && !getCondition(conditionsOf(this.d), PROGRESSING)) {
        const conditions = setCondition(
          conditionsOf(this.d),
          deploymentCondition(
            PROGRESSING,
            "True",
            REASONS.foundNewReplicaSet,
            `Found new replica set "${rs.metadata.name}"`,
            now,
          ),
        );
        this.writeStatus({ ...(this.d.status ?? {}), conditions });
      }
      return { newRS: rs, oldRSs };
    }
    if (!create) return { newRS: undefined, oldRSs };

    const hash = computePodTemplateHash(this.d.spec.template, this.d.status?.collisionCount);
    const body = newReplicaSetFor(this.d, hash);
    body.spec.replicas = newReplicaSetReplicas(this.d, oldRSs, undefined);
    setNewReplicaSetAnnotations(this.d, body, newRevision, false);
    let created: ReplicaSet | undefined;
    try {
      created = this.world.createReplicaSet(body);
    } catch (err) {
      this.recordCreateError(err, now);
      throw err;
    }
    if (!created) {
      const taken = this.world.getReplicaSet(body.metadata.name ?? "");
      if (
        taken &&
        controllerRefOf(taken)?.uid === this.d.metadata.uid &&
        templatesEqualIgnoringHash(taken.spec.template, this.d.spec.template)
      ) {
        return { newRS: taken, oldRSs };
      }
      // A hash collision: the next collision count names another ReplicaSet.
      const collisionCount = (this.d.status?.collisionCount ?? 0) + 1;
      this.writeStatus({ ...(this.d.status ?? {}), collisionCount });
      this.world.requeueAfter(0);
      return { newRS: undefined, oldRSs };
    }
    if (specReplicas(created) > 0) {
      this.world.recordEvent(
        this.d,
        "Normal",
        "ScalingReplicaSet",
        `Scaled up replica set ${created.metadata.name} from 0 to ${specReplicas(created)}`,
      );
    }
    this.writeRevision(String(newRevision));
    if (hasProgressDeadline(this.d)) {
      const conditions = setCondition(
        conditionsOf(this.d),
        deploymentCondition(
          PROGRESSING,
          "True",
          REASONS.newReplicaSetCreated,
          `Created new replica set "${created.metadata.name}"`,
          now,
        ),
      );
      this.writeStatus({ ...(this.d.status ?? {}), conditions });
    }
    return { newRS: created, oldRSs };
  }

  private recordCreateError(err: unknown, now: Date): void {
    const message = err instanceof Error ? err.message : String(err);
    if (hasProgressDeadline(this.d)) {
      const conditions = setCondition(
        conditionsOf(this.d),
        deploymentCondition(PROGRESSING, "False", REASONS.replicaSetCreateError, message, now),
      );
      this.writeStatus({ ...(this.d.status ?? {}), conditions });
    }
    this.world.recordEvent(
      this.d,
      "Warning",
      REASONS.replicaSetCreateError,
      `Failed to create new replica set: ${message}`,
    );
  }

  /** Re-reads ReplicaSets by name (after scaling) so status sees what is stored. */
  private fresh(newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[]) {
    const get = (rs: ReplicaSet) => {
      const current = this.world.getReplicaSet(rs.metadata.name ?? "");
      return current && current.metadata.uid === rs.metadata.uid ? current : undefined;
    };
    const freshNew = newRS ? get(newRS) : undefined;
    const freshOld = oldRSs.map(get).filter((rs): rs is ReplicaSet => rs !== undefined);
    return { newRS: freshNew, oldRSs: freshOld, all: freshNew ? [...freshOld, freshNew] : freshOld };
  }

  // ---- status ----

  syncStatusOnly(newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[]): void {
    const { newRS: n, all } = this.fresh(newRS, oldRSs);
    this.writeStatus(calculateStatus(this.d, all, n, this.world.now()));
  }

  syncRolloutStatus(newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[]): void {
    const { newRS: n, all } = this.fresh(newRS, oldRSs);
    const now = this.world.now();
    const status = rolloutStatus(this.d, all, n, now);
    this.writeStatus(status);
    // Check the progress deadline when it falls due (a second late, as Kubernetes does).
    if (!deploymentComplete(this.d, status)) {
      const at = progressDeadlineAt(this.d, status);
      if (at !== undefined) this.world.requeueAfter(Math.max(1000, at - now.getTime() + 1000));
    }
  }

  /** Progressing=Unknown with DeploymentPaused / DeploymentResumed when spec.paused flips. */
  checkPausedConditions(): void {
    if (!hasProgressDeadline(this.d)) return;
    const current = getCondition(conditionsOf(this.d), PROGRESSING);
    if (current?.reason === REASONS.timedOut) return;
    const pausedShown = current?.reason === REASONS.paused;
    const now = this.world.now();
    let condition: Condition | undefined;
    if (this.d.spec.paused && !pausedShown) {
      condition = deploymentCondition(PROGRESSING, "Unknown", REASONS.paused, "Deployment is paused", now);
    } else if (!this.d.spec.paused && pausedShown) {
      condition = deploymentCondition(PROGRESSING, "Unknown", REASONS.resumed, "Deployment is resumed", now);
    }
    if (condition)
      this.writeStatus({ ...(this.d.status ?? {}), conditions: setCondition(conditionsOf(this.d), condition) });
  }

  // ---- the strategies ----

  /** spec.replicas differs from what some active ReplicaSet was sized for. */
  isScalingEvent(): boolean {
    const { newRS, oldRSs } = this.allReplicaSets(false);
    return activeReplicaSets([...oldRSs, newRS]).some((rs) => {
      const desired = desiredReplicasOf(rs);
      return desired !== undefined && desired !== specReplicas(this.d);
    });
  }

  /** Scaling only (paused Deployments and replica changes). */
  syncScale(): void {
    const { newRS, oldRSs } = this.allReplicaSets(false);
    for (const step of proportionalScaleSteps(this.d, newRS, oldRSs)) this.scale(step.rs, step.replicas, step.always);
    if (this.d.spec.paused) this.cleanup(this.fresh(newRS, oldRSs).oldRSs);
    this.syncStatusOnly(newRS, oldRSs);
  }

  rolloutRolling(): void {
    const { newRS, oldRSs } = this.allReplicaSets(true);
    if (!newRS) return; // a hash collision: the status now carries the next collisionCount
    const all = [...oldRSs, newRS];
    // Scale up the new ReplicaSet within maxSurge.
    const target =
      specReplicas(newRS) > specReplicas(this.d) ? specReplicas(this.d) : newReplicaSetReplicas(this.d, all, newRS);
    if (target !== specReplicas(newRS) && this.scale(newRS, target, false)) {
      this.syncRolloutStatus(newRS, oldRSs);
      return;
    }
    // Scale down old ReplicaSets within maxUnavailable.
    if (this.reconcileOldReplicaSets(newRS, oldRSs)) {
      this.syncRolloutStatus(newRS, oldRSs);
      return;
    }
    if (deploymentComplete(this.d, this.d.status ?? {})) this.cleanup(oldRSs);
    this.syncRolloutStatus(newRS, oldRSs);
  }

  private reconcileOldReplicaSets(newRS: ReplicaSet, oldRSs: readonly ReplicaSet[]): boolean {
    if (oldRSs.reduce((n, rs) => n + specReplicas(rs), 0) === 0) return false;
    const all = [...oldRSs, newRS];
    const limit = maxScaledDown(this.d, all, newRS);
    if (limit <= 0) return false;
    let scaled = 0;
    const active = activeReplicaSets(oldRSs);
    for (const step of cleanupUnhealthySteps(active, limit)) {
      if (this.scale(step.rs, step.replicas, false)) scaled += 1;
    }
    // Then whatever availability allows, from the ReplicaSets as they are now.
    const after = this.fresh(newRS, active);
    for (const step of scaleDownOldSteps(this.d, after.all, after.oldRSs)) {
      if (this.scale(step.rs, step.replicas, false)) scaled += 1;
    }
    return scaled > 0;
  }

  rolloutRecreate(pods: readonly Pod[]): void {
    let { newRS, oldRSs } = this.allReplicaSets(false);
    // Scale every old ReplicaSet to zero first.
    let scaledDown = false;
    for (const rs of activeReplicaSets(oldRSs)) if (this.scale(rs, 0, false)) scaledDown = true;
    if (scaledDown) {
      this.syncRolloutStatus(newRS, oldRSs);
      return;
    }
    // Then wait until none of their pods runs any more.
    if (this.oldPodsRunning(newRS, this.fresh(newRS, oldRSs).oldRSs, pods)) {
      this.syncRolloutStatus(newRS, oldRSs);
      return;
    }
    if (!newRS) ({ newRS, oldRSs } = this.allReplicaSets(true));
    if (newRS) this.scale(newRS, specReplicas(this.d), false);
    if (deploymentComplete(this.d, this.d.status ?? {})) this.cleanup(oldRSs);
    this.syncRolloutStatus(newRS, oldRSs);
  }

  private oldPodsRunning(newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[], pods: readonly Pod[]): boolean {
    if (oldRSs.some((rs) => (rs.status?.replicas ?? 0) > 0)) return true;
    const oldUids = new Set(oldRSs.map((rs) => rs.metadata.uid));
    const selector = selectorOf(this.d.spec.selector);
    return pods.some((pod) => {
      const owner = controllerRefOf(pod)?.uid;
      if (owner === undefined || owner === newRS?.metadata.uid || !oldUids.has(owner)) return false;
      if (!matchesLabels(selector, pod.metadata.labels)) return false;
      const phase = pod.status?.phase;
      return phase !== "Succeeded" && phase !== "Failed";
    });
  }

  /** Deletes old ReplicaSets beyond revisionHistoryLimit. */
  cleanup(oldRSs: readonly ReplicaSet[]): void {
    for (const rs of replicaSetsToCleanUp(this.d, oldRSs)) {
      this.tolerateNotFound(() => this.world.deleteReplicaSet(rs.metadata.name ?? ""));
    }
  }
}

export function syncDeployment(name: string, world: DeploymentWorld): void {
  const d = world.getDeployment(name);
  if (!d) return;
  const sync = new DeploymentSync(d, world);
  if (d.metadata.deletionTimestamp !== undefined) {
    const { newRS, oldRSs } = sync.allReplicaSets(false);
    sync.syncStatusOnly(newRS, oldRSs);
    return;
  }
  if (selectsEverything(selectorOf(d.spec.selector))) {
    world.recordEvent(
      d,
      "Warning",
      "SelectingAll",
      "This deployment is selecting all pods. A non-empty selector is required.",
    );
    return;
  }
  sync.claimReplicaSets();
  sync.checkPausedConditions();
  if (sync.d.spec.paused || sync.isScalingEvent()) {
    sync.syncScale();
    return;
  }
  if (isRecreate(sync.d)) sync.rolloutRecreate(world.listPods());
  else sync.rolloutRolling();
}
