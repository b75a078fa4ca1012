// PersistentVolumeClaims and PersistentVolumes as the binder and the scheduler read them.
import type { KubeObject } from "../types.ts";
import { asArray, asString, isRecord, type JsonObject } from "../validation/shape.ts";

export const CLAIMS = "persistentvolumeclaims";
export const VOLUMES = "persistentvolumes";
/** The class annotation older clients set instead of spec.storageClassName (it wins when present). */
export const BETA_CLASS_ANNOTATION = "volume.beta.kubernetes.io/storage-class";

export const specOf = (obj: KubeObject | undefined): JsonObject => (obj && isRecord(obj.spec) ? obj.spec : {});
export const statusOf = (obj: KubeObject | undefined): JsonObject => (obj && isRecord(obj.status) ? obj.status : {});

/** The claims a pod's volumes name: persistentVolumeClaim volumes and generic ephemeral volumes (`<pod>-<volume>`). */
export function podClaimNames(podName: string, spec: JsonObject): string[] {
  const names: string[] = [];
  for (const volume of asArray(spec.volumes)) {
    if (!isRecord(volume)) continue;
    if (isRecord(volume.persistentVolumeClaim)) {
      const claim = asString(volume.persistentVolumeClaim.claimName);
      if (claim !== "" && !names.includes(claim)) names.push(claim);
    } else if (isRecord(volume.ephemeral)) {
      const claim = `${podName}-${asString(volume.name)}`;
      if (!names.includes(claim)) names.push(claim);
    }
  }
  return names;
}

/** The claim's class: the beta annotation, else spec.storageClassName ("" for none). */
export const claimClassName = (claim: KubeObject): string =>
  claim.metadata.annotations?.[BETA_CLASS_ANNOTATION] ?? asString(specOf(claim).storageClassName);

/** Neither the annotation nor the field is set (nil in Kubernetes): the default class may be assigned. */
export const claimClassUnset = (claim: KubeObject): boolean =>
  claim.metadata.annotations?.[BETA_CLASS_ANNOTATION] === undefined &&
  (specOf(claim).storageClassName === undefined || specOf(claim).storageClassName === null);

export const boundVolumeName = (claim: KubeObject): string => asString(specOf(claim).volumeName);

export interface ClaimRef {
  namespace: string;
  name: string;
  uid: string;
}

export function claimRefOf(pv: KubeObject): ClaimRef | undefined {
  const ref = specOf(pv).claimRef;
  if (!isRecord(ref)) return undefined;
  return { namespace: asString(ref.namespace), name: asString(ref.name), uid: asString(ref.uid) };
}

/** The volume is reserved for (pre-bound to, or bound to) this claim. */
export function volumeReservedFor(pv: KubeObject, claim: KubeObject): boolean {
  const ref = claimRefOf(pv);
  if (!ref || ref.namespace !== claim.metadata.namespace || ref.name !== claim.metadata.name) return false;
  return ref.uid === "" || ref.uid === claim.metadata.uid;
}

/** The volume's required node affinity terms (undefined: any node). */
export function volumeNodeTerms(pv: KubeObject): unknown[] | undefined {
  const affinity = specOf(pv).nodeAffinity;
  if (!isRecord(affinity) || !isRecord(affinity.required)) return undefined;
  return asArray(affinity.required.nodeSelectorTerms);
}
