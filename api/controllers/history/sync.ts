// A parent's revision history (Kubernetes' controller history): the parent claims its
// ControllerRevisions by selector; the revision for its current template is found by content
// (a rollback to an older one renumbers it as the newest) or created, stepping the collision
// count when the name is taken by different content; old revisions beyond the history limit
// are deleted unless a pod still runs them.
import { StatusError } from "../../errors.ts";
import type { KubeObject } from "../../types.ts";
import { controllerRef, isControlledBy, planClaim, withControllerRef, withoutOwner } from "../common/controller-ref.ts";
import { selectorOf } from "../common/selector.ts";
import { byRevision, nextRevisionNumber, revisionName, sameData } from "./revision.ts";
import type { ControllerRevision } from "./types.ts";
import { REVISIONS, type ObjectAccess } from "./world.ts";

/** Attempts at a free revision name before giving up (each one a new collision count). */
const COLLISION_ATTEMPTS = 16;

export interface RevisionParent extends KubeObject {
  kind?: string;
  spec: { selector?: unknown; template?: unknown };
  status?: { collisionCount?: number };
}

export interface RevisionNaming {
  /** The parent's kind (its revisions' controller reference). */
  kind: string;
  /** The hash naming the revision for `data` with this collision count. */
  hash(collisionCount: number): string;
  /** The labels of a new revision with this hash. */
  labels(hash: string): Record<string, string>;
}

const isNotFound = (err: unknown) => err instanceof StatusError && err.code === 404;

function tolerateNotFound(fn: () => void): void {
  try {
    fn();
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

/** Adopts matching orphan revisions, releases owned ones that stopped matching; answers the owned ones, oldest first. */
export function claimRevisions(parent: RevisionParent, kind: string, objects: ObjectAccess): ControllerRevision[] {
  const all = objects.list(REVISIONS) as ControllerRevision[];
  const plan = planClaim(parent, selectorOf(parent.spec.selector), all);
  const owned = [...plan.owned];
  const ref = controllerRef(parent, "apps/v1", kind);
  for (const revision of plan.adopt) {
    tolerateNotFound(() =>
      owned.push(objects.update(REVISIONS, withControllerRef(revision, ref)) as ControllerRevision),
    );
  }
  for (const revision of plan.release) {
    tolerateNotFound(() => objects.update(REVISIONS, withoutOwner(revision, parent.metadata.uid ?? "")));
  }
  return owned.sort(byRevision);
}

export interface UpdateRevision {
  revision: ControllerRevision;
  /** The collision count the parent's status should record. */
  collisionCount: number;
  /** Every owned revision after this step, oldest first. */
  revisions: ControllerRevision[];
}

/**
 * The revision for `data`: an owned one with equal data (the newest of several; renumbered
 * as the next revision when it is not already the latest) or a new one.
 */
export function ensureRevision(
  parent: RevisionParent,
  owned: readonly ControllerRevision[],
  data: unknown,
  naming: RevisionNaming,
  objects: ObjectAccess,
): UpdateRevision {
  const collisionCount = parent.status?.collisionCount ?? 0;
  const sorted = [...owned].sort(byRevision);
  const equal = sorted.filter((r) => sameData(r.data, data));
  if (equal.length > 0) {
    const found = equal[equal.length - 1];
    if (found === sorted[sorted.length - 1]) return { revision: found, collisionCount, revisions: sorted };
    const renumbered = objects.update(REVISIONS, {
      ...structuredClone(found),
      revision: nextRevisionNumber(sorted),
    }) as ControllerRevision;
    const revisions = sorted.map((r) => (r === found ? renumbered : r)).sort(byRevision);
    return { revision: renumbered, collisionCount, revisions };
  }
  const number = nextRevisionNumber(sorted);
  const parentName = parent.metadata.name ?? "";
  for (let count = collisionCount; count < collisionCount + COLLISION_ATTEMPTS; count++) {
    const hash = naming.hash(count);
    const body: ControllerRevision = {
      apiVersion: "apps/v1",
      kind: "ControllerRevision",
      metadata: {
        name: revisionName(parentName, hash),
        labels: naming.labels(hash),
        ownerReferences: [controllerRef(parent, "apps/v1", naming.kind)],
      },
      data: structuredClone(data),
      revision: number,
    };
    const annotations = parent.metadata.annotations;
    if (annotations && Object.keys(annotations).length > 0) body.metadata.annotations = { ...annotations };
    const created = objects.create(REVISIONS, body) as ControllerRevision | undefined;
    if (created) return { revision: created, collisionCount: count, revisions: [...sorted, created] };
    const taken = objects.get(REVISIONS, body.metadata.name ?? "") as ControllerRevision | undefined;
    if (taken && isControlledBy(taken, parent) && sameData(taken.data, data)) {
      return { revision: taken, collisionCount: count, revisions: [...sorted, taken].sort(byRevision) };
    }
  }
  throw new Error(`no free ControllerRevision name for ${parentName} after ${COLLISION_ATTEMPTS} collisions`);
}

/** Revisions to delete: the oldest of those no pod runs (and not `keep`), beyond `limit`. */
export function revisionsToTruncate(
  revisions: readonly ControllerRevision[],
  live: (revision: ControllerRevision) => boolean,
  limit: number,
): ControllerRevision[] {
  const history = [...revisions].sort(byRevision).filter((r) => !live(r));
  return history.length <= limit ? [] : history.slice(0, history.length - limit);
}

export function deleteRevisions(revisions: readonly ControllerRevision[], objects: ObjectAccess): void {
  for (const revision of revisions) objects.delete(REVISIONS, revision.metadata.name ?? "");
}
