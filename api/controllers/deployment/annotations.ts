// The annotations a Deployment and its ReplicaSets carry: the revision (and the revisions a
// ReplicaSet had before a rollback brought it back), the desired and maximum replica counts
// used for proportional scaling, and the Deployment's own annotations copied onto its
// ReplicaSets (so `kubectl rollout history` shows change-cause per revision).
import type { Deployment, ReplicaSet } from "../common/types.ts";
import { maxSurge } from "./strategy.ts";
import { specReplicas } from "../common/types.ts";

export const REVISION = "deployment.kubernetes.io/revision";
export const REVISION_HISTORY = "deployment.kubernetes.io/revision-history";
export const DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";
export const MAX_REPLICAS = "deployment.kubernetes.io/max-replicas";
export const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
export const ROLLBACK_TO = "deprecated.deployment.rollback.to";

/** Not copied from a Deployment onto its ReplicaSets. */
const SKIPPED = new Set([LAST_APPLIED, REVISION, REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS, ROLLBACK_TO]);

/** How long the revision-history annotation may grow (characters). */
export const REVISION_HISTORY_LIMIT_CHARS = 2000;

const parseInteger = (text: string | undefined): number | undefined =>
  text !== undefined && /^-?\d+$/.test(text) ? Number(text) : undefined;

/** A ReplicaSet's revision number (0 when missing or malformed). */
export const revisionOf = (rs: ReplicaSet): number => parseInteger(rs.metadata.annotations?.[REVISION]) ?? 0;

export const maxRevision = (sets: readonly ReplicaSet[]): number => Math.max(0, ...sets.map(revisionOf));

export const desiredReplicasOf = (rs: ReplicaSet): number | undefined =>
  parseInteger(rs.metadata.annotations?.[DESIRED_REPLICAS]);

export const maxReplicasOf = (rs: ReplicaSet): number | undefined =>
  parseInteger(rs.metadata.annotations?.[MAX_REPLICAS]);

/** Copies the Deployment's annotations (not the skipped ones) onto the ReplicaSet; true if any changed. */
export function copyDeploymentAnnotations(d: Deployment, rs: ReplicaSet): boolean {
  let changed = false;
  const annotations = { ...(rs.metadata.annotations ?? {}) };
  for (const [key, value] of Object.entries(d.metadata.annotations ?? {})) {
    if (SKIPPED.has(key) || annotations[key] === value) continue;
    annotations[key] = value;
    changed = true;
  }
  if (changed) rs.metadata.annotations = annotations;
  return changed;
}

/** Sets desired-replicas and max-replicas; true if they changed. */
export function setReplicasAnnotations(rs: ReplicaSet, desired: number, max: number): boolean {
  const annotations = { ...(rs.metadata.annotations ?? {}) };
  if (annotations[DESIRED_REPLICAS] === String(desired) && annotations[MAX_REPLICAS] === String(max)) return false;
  annotations[DESIRED_REPLICAS] = String(desired);
  annotations[MAX_REPLICAS] = String(max);
  rs.metadata.annotations = annotations;
  return true;
}

export const replicasAnnotationsNeedUpdate = (rs: ReplicaSet, desired: number, max: number): boolean =>
  rs.metadata.annotations?.[DESIRED_REPLICAS] !== String(desired) ||
  rs.metadata.annotations?.[MAX_REPLICAS] !== String(max);

/**
 * The new ReplicaSet's annotations (mutates `rs`): the Deployment's annotations, the revision
 * `newRevision` when it is higher than the one it has (a rollback to it appends the old
 * revision to revision-history), and for a ReplicaSet about to be created the replica
 * annotations. True if anything changed.
 */
export function setNewReplicaSetAnnotations(
  d: Deployment,
  rs: ReplicaSet,
  newRevision: number,
  exists: boolean,
  historyLimitChars = REVISION_HISTORY_LIMIT_CHARS,
): boolean {
  let changed = copyDeploymentAnnotations(d, rs);
  const annotations = { ...(rs.metadata.annotations ?? {}) };
  const oldText = annotations[REVISION];
  const had = oldText !== undefined;
  let oldRevision = 0;
  if (had && oldText !== "") {
    const parsed = parseInteger(oldText);
    if (parsed === undefined) return changed; // a malformed revision is left alone
    oldRevision = parsed;
  }
  if (oldRevision < newRevision) {
    annotations[REVISION] = String(newRevision);
    changed = true;
    if (had) {
      const history = annotations[REVISION_HISTORY] ?? "";
      if (history === "") {
        annotations[REVISION_HISTORY] = oldText;
      } else {
        const parts = history.split(",");
        let total = history.length + oldText.length + 1;
        let start = 0;
        while (total > historyLimitChars && start < parts.length) {
          total -= parts[start].length + 1;
          start += 1;
        }
        if (total <= historyLimitChars) annotations[REVISION_HISTORY] = [...parts.slice(start), oldText].join(",");
      }
    }
  }
  rs.metadata.annotations = annotations;
  if (!exists && setReplicasAnnotations(rs, specReplicas(d), specReplicas(d) + maxSurge(d))) changed = true;
  return changed;
}

/** Sets the Deployment's revision annotation; true if it changed. */
export function setDeploymentRevision(d: Deployment, revision: string | undefined): boolean {
  if (revision === undefined || d.metadata.annotations?.[REVISION] === revision) return false;
  d.metadata.annotations = { ...(d.metadata.annotations ?? {}), [REVISION]: revision };
  return true;
}
