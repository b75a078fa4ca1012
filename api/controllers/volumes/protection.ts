// Storage object in-use protection (kube's StorageObjectInUseProtection admission plugin and the
// pvc-protection / pv-protection controllers): a claim a pod still uses, or a volume still bound
// to a claim, stays (Terminating) when deleted until it is no longer in use.
import type { KubeObject } from "../../types.ts";
import { asArray, asString, isRecord } from "../../validation/shape.ts";

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

/** The claims a pod names: in its volumes, or through generic ephemeral volumes ("<pod>-<volume>"). */
export function claimsOfPod(pod: KubeObject): string[] {
  const spec = isRecord(pod.spec) ? pod.spec : {};
  return asArray(spec.volumes).flatMap((volume) => {
    if (!isRecord(volume)) return [];
    if (isRecord(volume.persistentVolumeClaim)) return [asString(volume.persistentVolumeClaim.claimName)];
    return isRecord(volume.ephemeral) ? [`${pod.metadata.name ?? ""}-${asString(volume.name)}`] : [];
  });
}

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
  return claimsOfPod(pod).includes(claim);
}

/** A deleted claim's protection finalizer may go once no pod uses it. */
export function claimReleasable(claim: KubeObject, pods: readonly KubeObject[]): boolean {
  if (!claim.metadata.deletionTimestamp || !claim.metadata.finalizers?.includes(PVC_PROTECTION_FINALIZER)) return false;
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

/** `object` without `finalizer`. */
export function withoutFinalizer(object: KubeObject, finalizer: string): KubeObject {
  const finalizers = (object.metadata.finalizers ?? []).filter((f) => f !== finalizer);
  return { ...object, metadata: { ...object.metadata, finalizers } };
}
