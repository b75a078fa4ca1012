// StorageClasses as the volume binder reads them: the cluster's built-in `local-path` class
// (rancher's local-path provisioner, as kind and k3s ship it), which class is the default, and
// when a class binds its claims.
import type { KubeObject } from "../types.ts";
import { asString } from "../validation/shape.ts";

export const STORAGE_CLASSES = "storageclasses.storage.k8s.io";
export const LOCAL_PATH_CLASS = "local-path";
export const LOCAL_PATH_PROVISIONER = "rancher.io/local-path";
export const DEFAULT_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class";
const BETA_DEFAULT_CLASS_ANNOTATION = "storageclass.beta.kubernetes.io/is-default-class";
/** Provisioner of classes whose volumes are created by hand (no dynamic provisioning). */
export const NO_PROVISIONER = "kubernetes.io/no-provisioner";

/** The StorageClass every logical cluster starts with. */
export function localPathStorageClass(): KubeObject {
  return {
    apiVersion: "storage.k8s.io/v1",
    kind: "StorageClass",
    metadata: { name: LOCAL_PATH_CLASS, annotations: { [DEFAULT_CLASS_ANNOTATION]: "true" } },
    provisioner: LOCAL_PATH_PROVISIONER,
    reclaimPolicy: "Delete",
    volumeBindingMode: "WaitForFirstConsumer",
  };
}

export const isDefaultClass = (sc: KubeObject): boolean =>
  sc.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === "true" ||
  sc.metadata.annotations?.[BETA_DEFAULT_CLASS_ANNOTATION] === "true";

/**
 * The class a claim without one gets. Several defaults may exist (while one replaces another):
 * like Kubernetes ≥ 1.26, the newest wins, ties broken by name.
 */
export function defaultClassName(classes: Iterable<KubeObject>): string | undefined {
  let best: KubeObject | undefined;
  for (const sc of classes) {
    if (!isDefaultClass(sc) || sc.metadata.deletionTimestamp !== undefined) continue;
    if (!best) {
      best = sc;
      continue;
    }
    const created = Date.parse(sc.metadata.creationTimestamp ?? "") || 0;
    const bestCreated = Date.parse(best.metadata.creationTimestamp ?? "") || 0;
    if (created > bestCreated || (created === bestCreated && (sc.metadata.name ?? "") < (best.metadata.name ?? "")))
      best = sc;
  }
  return best?.metadata.name;
}

/** Claims of a WaitForFirstConsumer class are bound (and provisioned) when a pod using them is scheduled. */
export const waitsForFirstConsumer = (sc: KubeObject | undefined): boolean =>
  asString(sc?.volumeBindingMode) === "WaitForFirstConsumer";
