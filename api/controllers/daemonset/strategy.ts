// A DaemonSet's update strategy: RollingUpdate's maxSurge and maxUnavailable, resolved against
// the number of nodes that should run it (both round up; with both zero, one may be unavailable).
import { scaledValue } from "../common/int-or-percent.ts";
import type { DaemonSet } from "./types.ts";

export const isRollingUpdate = (ds: DaemonSet): boolean =>
  (ds.spec.updateStrategy?.type ?? "RollingUpdate") === "RollingUpdate";

export function surgeAndUnavailable(ds: DaemonSet, desired: number): { maxSurge: number; maxUnavailable: number } {
  const rolling = isRollingUpdate(ds) ? ds.spec.updateStrategy?.rollingUpdate : undefined;
  const maxSurge = scaledValue(rolling?.maxSurge ?? 0, desired, true);
  let maxUnavailable = scaledValue(rolling?.maxUnavailable ?? 1, desired, true);
  if (desired > 0 && maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable };
}

/** Surge is in use: a new pod starts next to the old one before the old one goes. */
export const allowsSurge = (ds: DaemonSet): boolean => isRollingUpdate(ds) && surgeAndUnavailable(ds, 1).maxSurge > 0;
