// ownerReferences as controllers write and read them.
import type { KubeObject, OwnerReference } from "../../types.ts";

/** The reference a controller puts on what it creates: controller, and blocking foreground deletion of its owner. */
export function controllerRefTo(owner: KubeObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion ?? "",
    kind: owner.kind ?? "",
    name: owner.metadata.name ?? "",
    uid: owner.metadata.uid ?? "",
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** The controlling owner reference, if any. */
export const controllerRefOf = (object: KubeObject): OwnerReference | undefined =>
  (object.metadata.ownerReferences ?? []).find((ref) => ref.controller === true);

/** Whether `object` is controlled by the object with uid `ownerUid`. */
export const isControlledBy = (object: KubeObject, ownerUid: string | undefined): boolean =>
  ownerUid !== undefined && controllerRefOf(object)?.uid === ownerUid;

/** The group of an ownerReference's apiVersion ("" for core "v1"). */
export const groupOf = (apiVersion: string): string => (apiVersion.includes("/") ? apiVersion.split("/")[0]! : "");
