// Tables for persistent volumes, claims, and storage.k8s.io kinds.
import type { PersistentVolume, PersistentVolumeClaim } from "kubernetes-types/core/v1";
import type {
  CSIDriver,
  CSINode,
  CSIStorageCapacity,
  StorageClass,
  VolumeAttachment,
} from "kubernetes-types/storage/v1";
import type { VolumeAttributesClass } from "kubernetes-types/storage/v1alpha1";
import type { TableConvertor } from "../registry/types.ts";
import { ageColumn, ageOf, col, nameColumn, view } from "./format.ts";
import { canonicalQuantity } from "./quantity.ts";

const ACCESS_MODES: Array<[string, string]> = [
  ["ReadWriteOnce", "RWO"],
  ["ReadOnlyMany", "ROX"],
  ["ReadWriteMany", "RWX"],
  ["ReadWriteOncePod", "RWOP"],
];

/** "RWO,RWX" in a fixed order, duplicates dropped. */
export const accessModes = (modes: string[] | undefined): string =>
  ACCESS_MODES.filter(([mode]) => modes?.includes(mode))
    .map(([, short]) => short)
    .join(",");

const BETA_CLASS_ANNOTATION = "volume.beta.kubernetes.io/storage-class";

/** Storage class from the legacy annotation, else spec.storageClassName. */
const storageClassOf = (annotations: Record<string, string> | undefined, specClass: string | undefined) =>
  annotations?.[BETA_CLASS_ANNOTATION] ?? specClass ?? "";

const accessModesColumn = col("Access Modes", "string", "Access modes, abbreviated.");
const storageClassColumn = col("StorageClass", "string", "Name of the storage class.");
const attributesClassColumn = col("VolumeAttributesClass", "string", "Name of the volume attributes class.");
const volumeModeColumn = col("VolumeMode", "string", "Filesystem or Block.", 1);

export const persistentVolumeTable: TableConvertor = {
  columns: [
    nameColumn,
    col("Capacity", "string", "Storage capacity of the volume."),
    accessModesColumn,
    col("Reclaim Policy", "string", "What happens to the volume when released."),
    col("Status", "string", "The volume's phase."),
    col("Claim", "string", "Namespace/name of the bound claim."),
    storageClassColumn,
    attributesClassColumn,
    col("Reason", "string", "Why the volume is in its phase."),
    ageColumn,
    volumeModeColumn,
  ],
  cells(obj, now) {
    const pv = view<PersistentVolume>(obj);
    const claim = pv.spec?.claimRef;
    return [
      obj.metadata.name,
      canonicalQuantity(pv.spec?.capacity?.storage),
      accessModes(pv.spec?.accessModes),
      pv.spec?.persistentVolumeReclaimPolicy ?? "",
      obj.metadata.deletionTimestamp ? "Terminating" : (pv.status?.phase ?? ""),
      claim ? `${claim.namespace ?? ""}/${claim.name ?? ""}` : "",
      storageClassOf(obj.metadata.annotations, pv.spec?.storageClassName),
      pv.spec?.volumeAttributesClassName ?? "<unset>",
      pv.status?.reason ?? "",
      ageOf(obj, now),
      pv.spec?.volumeMode ?? "<unset>",
    ];
  },
};

export const persistentVolumeClaimTable: TableConvertor = {
  columns: [
    nameColumn,
    col("Status", "string", "The claim's phase."),
    col("Volume", "string", "Name of the bound volume."),
    col("Capacity", "string", "Capacity of the bound volume."),
    accessModesColumn,
    storageClassColumn,
    attributesClassColumn,
    ageColumn,
    volumeModeColumn,
  ],
  cells(obj, now) {
    const pvc = view<PersistentVolumeClaim>(obj);
    const bound = Boolean(pvc.spec?.volumeName);
    return [
      obj.metadata.name,
      obj.metadata.deletionTimestamp ? "Terminating" : (pvc.status?.phase ?? ""),
      pvc.spec?.volumeName ?? "",
      bound ? canonicalQuantity(pvc.status?.capacity?.storage) : "",
      bound ? accessModes(pvc.status?.accessModes) : "",
      storageClassOf(obj.metadata.annotations, pvc.spec?.storageClassName),
      pvc.spec?.volumeAttributesClassName ?? "<unset>",
      ageOf(obj, now),
      pvc.spec?.volumeMode ?? "<unset>",
    ];
  },
};

const isDefaultClass = (annotations: Record<string, string> | undefined) =>
  annotations?.["storageclass.kubernetes.io/is-default-class"] === "true" ||
  annotations?.["storageclass.beta.kubernetes.io/is-default-class"] === "true";

export const storageClassTable: TableConvertor = {
  columns: [
    nameColumn,
    col("Provisioner", "string", "The volume plugin that provisions volumes."),
    col("ReclaimPolicy", "string", "Reclaim policy of provisioned volumes."),
    col("VolumeBindingMode", "string", "When volumes are bound and provisioned."),
    col("AllowVolumeExpansion", "string", "Whether claims may be resized."),
    ageColumn,
  ],
  cells(obj, now) {
    const sc = view<StorageClass>(obj);
    return [
      isDefaultClass(obj.metadata.annotations) ? `${obj.metadata.name} (default)` : obj.metadata.name,
      sc.provisioner ?? "",
      sc.reclaimPolicy ?? "Delete",
      sc.volumeBindingMode ?? "Immediate",
      sc.allowVolumeExpansion ?? false,
      ageOf(obj, now),
    ];
  },
};

export const volumeAttributesClassTable: TableConvertor = {
  columns: [nameColumn, col("DriverName", "string", "The CSI driver the class applies to."), ageColumn],
  cells: (obj, now) => [obj.metadata.name, view<VolumeAttributesClass>(obj).driverName ?? "", ageOf(obj, now)],
};

export const volumeAttachmentTable: TableConvertor = {
  columns: [
    nameColumn,
    col("Attacher", "string", "The volume driver doing the attach."),
    col("PV", "string", "The persistent volume being attached."),
    col("Node", "string", "The node the volume is attached to."),
    col("Attached", "boolean", "Whether the attach completed."),
    ageColumn,
  ],
  cells(obj, now) {
    const va = view<VolumeAttachment>(obj);
    return [
      obj.metadata.name,
      va.spec?.attacher ?? "",
      va.spec?.source?.persistentVolumeName ?? "",
      va.spec?.nodeName ?? "",
      va.status?.attached ?? false,
      ageOf(obj, now),
    ];
  },
};

export const csiDriverTable: TableConvertor = {
  columns: [
    nameColumn,
    col("AttachRequired", "boolean", "Whether the driver needs an attach step."),
    col("PodInfoOnMount", "boolean", "Whether pod details are passed on mount."),
    col("StorageCapacity", "boolean", "Whether capacity is considered when scheduling."),
    col("TokenRequests", "string", "Audiences of service account tokens passed to the driver."),
    col("RequiresRepublish", "boolean", "Whether volumes are periodically republished."),
    col("Modes", "string", "Supported volume lifecycle modes."),
    ageColumn,
  ],
  cells(obj, now) {
    const spec = view<CSIDriver>(obj).spec;
    const audiences = (spec?.tokenRequests ?? []).map((t) => t.audience);
    return [
      obj.metadata.name,
      spec?.attachRequired ?? true,
      spec?.podInfoOnMount ?? false,
      spec?.storageCapacity ?? false,
      audiences.length > 0 ? audiences.join(",") : "<unset>",
      spec?.requiresRepublish ?? false,
      (spec?.volumeLifecycleModes ?? []).join(",") || "<none>",
      ageOf(obj, now),
    ];
  },
};

export const csiNodeTable: TableConvertor = {
  columns: [nameColumn, col("Drivers", "integer", "Number of CSI drivers on the node."), ageColumn],
  cells: (obj, now) => [obj.metadata.name, (view<CSINode>(obj).spec?.drivers ?? []).length, ageOf(obj, now)],
};

export const csiStorageCapacityTable: TableConvertor = {
  columns: [
    nameColumn,
    col("StorageClassName", "string", "The storage class the capacity is for."),
    col("Capacity", "string", "Available capacity."),
  ],
  cells(obj) {
    const c = view<CSIStorageCapacity>(obj);
    return [obj.metadata.name, c.storageClassName ?? "", c.capacity ? canonicalQuantity(c.capacity) : "<unset>"];
  },
};
