// Kubernetes' DefaultStorageClass admission plugin: a claim created without a class (neither
// spec.storageClassName nor the beta annotation; "" is an explicit "no class") gets the
// cluster's default class, when there is one.
import type { KubeObject } from "../types.ts";
import { isRecord } from "../validation/shape.ts";
import { claimClassUnset } from "../volumes/claims.ts";
import { defaultClassName } from "../volumes/storage-class.ts";

/** Whether the claim needs the default class looked up (saves a cluster read for every other create). */
export const wantsDefaultClass = (claim: KubeObject): boolean => isRecord(claim.spec) && claimClassUnset(claim);

/** Sets spec.storageClassName to the default class; answers the class set, if any. */
export function applyDefaultStorageClass(claim: KubeObject, classes: Iterable<KubeObject>): string | undefined {
  if (!wantsDefaultClass(claim)) return undefined;
  const name = defaultClassName(classes);
  if (name !== undefined) (claim.spec as Record<string, unknown>).storageClassName = name;
  return name;
}
