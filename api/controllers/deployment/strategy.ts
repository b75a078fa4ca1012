// A Deployment's rollout strategy in numbers: maxSurge (rounded up) and maxUnavailable
// (rounded down, at most spec.replicas), as Kubernetes resolves them.
import { resolveFenceposts } from "../common/int-or-percent.ts";
import { specReplicas, type Deployment } from "../common/types.ts";

const DEFAULT_SURGE = "25%";
const DEFAULT_UNAVAILABLE = "25%";

export const isRollingUpdate = (d: Deployment): boolean =>
  (d.spec.strategy?.type ?? "RollingUpdate") === "RollingUpdate";

export const isRecreate = (d: Deployment): boolean => d.spec.strategy?.type === "Recreate";

function fenceposts(d: Deployment): { surge: number; unavailable: number } {
  const rolling = d.spec.strategy?.rollingUpdate;
  return resolveFenceposts(
    rolling?.maxSurge ?? DEFAULT_SURGE,
    rolling?.maxUnavailable ?? DEFAULT_UNAVAILABLE,
    specReplicas(d),
  );
}

/** How many pods above spec.replicas may exist during a rolling update (0 for Recreate). */
export const maxSurge = (d: Deployment): number => (isRollingUpdate(d) ? fenceposts(d).surge : 0);

/** How many of spec.replicas may be unavailable during a rolling update (0 for Recreate). */
export function maxUnavailable(d: Deployment): number {
  const replicas = specReplicas(d);
  if (!isRollingUpdate(d) || replicas === 0) return 0;
  return Math.min(fenceposts(d).unavailable, replicas);
}

export const hasProgressDeadline = (d: Deployment): boolean =>
  typeof d.spec.progressDeadlineSeconds === "number" && d.spec.progressDeadlineSeconds !== 2147483647;

export const hasRevisionHistoryLimit = (d: Deployment): boolean =>
  typeof d.spec.revisionHistoryLimit === "number" && d.spec.revisionHistoryLimit !== 2147483647;
