// Storage object in-use protection (kube's StorageObjectInUseProtection admission plugin and the
// pvc-protection / pv-protection controllers): a claim a pod still uses, or a volume still bound
// to a claim, stays (Terminating) when deleted until it is no longer in use.
import type { KubeObject } from "../../types.ts";
import { podClaimNames } from "../../volumes/claims.ts";
import { asString, isRecord } from "../../validation/shape.ts";

export const PVC_PROTECTION_FINALIZER = "kubernetes.io/pvc-protection";
export const PV_PROTECTION_FINALIZER = "kubernetes.io/pv-protection";

/** Adds `finalizer` to a new object's metadata (what the admission plugin does on create). */
export function withFinalizer(object: KubeObject, finalizer: string): void {
  const finalizers = object.metadata.finalizers ?? [];
  if (!finalizers.includes(finalizer)) object.metadata.finalizers = [...finalizers, finalizer];
}

export const protectClaim = (claim: KubeObject) => withFinalizer(claim, PVC_PROTECTION_FINALIZER);
export const protectVolume = (volume: KubeObject) => withFinalizer(volume, PV_PROTECTION_FINALIZER);

const phaseOf = (object: KubeObject) => asString(isRecord(object.status) ? object.status.phase : undefined);

/**
 * Whether `pod` uses claim `claim` of its namespace: it names it and is scheduled and not
 * finished. An unscheduled pod cannot be started with a claim being deleted (the kubelet
 * refuses), so it does not hold the claim back.
 */
export function podUsesClaim(pod: KubeObject, claim: string): boolean {
  const spec = isRecord(pod.spec) ? pod.spec : {};
  if (asString(spec.nodeName) === "") return false;
  const phase = phaseOf(pod);
  if (phase === "Succeeded" || phase === "Failed") return false;
  return podClaimNames(pod.metadata.name ?? "", spec).includes(claim);
}

/** A deleted claim still held by its protection finalizer. */
export const claimAwaitsRelease = (claim: KubeObject): boolean =>
  claim.metadata.deletionTimestamp !== undefined && !!claim.metadata.finalizers?.includes(PVC_PROTECTION_FINALIZER);

/** A deleted claim's protection finalizer may go once no pod uses it. */
export function claimReleasable(claim: KubeObject, pods: readonly KubeObject[]): boolean {
  if (!claimAwaitsRelease(claim)) return false;
  const name = claim.metadata.name ?? "";
  return !pods.some((pod) => podUsesClaim(pod, name));
}

/**
 * A deleted volume's protection finalizer may go once no claim holds it: it is not Bound, or the
 * claim its claimRef names (`claim`, as the ClusterStore mirrors it) is gone. The reclaimer
 * deletes a volume whose claim went without marking it Released first.
 */
export function volumeReleasable(volume: KubeObject, claim: KubeObject | undefined): boolean {
  if (!volume.metadata.deletionTimestamp || !volume.metadata.finalizers?.includes(PV_PROTECTION_FINALIZER))
    return false;
  if (phaseOf(volume) !== "Bound") return true;
  const spec = isRecord(volume.spec) ? volume.spec : {};
  const uid = isRecord(spec.claimRef) ? asString(spec.claimRef.uid) : "";
  return !claim || (uid !== "" && claim.metadata.uid !== uid);
}
