// PersistentVolumes, PersistentVolumeClaims (and StatefulSet claim templates), StorageClasses.
import type { FieldError } from "../errors.ts";
import type { KubeObject } from "../types.ts";
import { enumField } from "./container.ts";
import { deepEqual } from "./equal.ts";
import { forbidden, invalidEach, invalidValue, notSupported, required, tooLong } from "./field.ts";
import { dns1123Subdomain, qualifiedName } from "./names.ts";
import { QUANTITY_FORMAT_ERROR, tryParseQuantity } from "./quantity.ts";
import { validateLabelSelector } from "./selectors.ts";
import { asArray, asString, byteLength, isRecord, type JsonObject } from "./shape.ts";
import { immutable } from "./template.ts";

const ACCESS_MODES = ["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"];
const VOLUME_MODES = ["Block", "Filesystem"];
const RECLAIM_POLICIES = ["Delete", "Recycle", "Retain"];
const PV_SOURCES = [
  "gcePersistentDisk",
  "awsElasticBlockStore",
  "hostPath",
  "glusterfs",
  "nfs",
  "rbd",
  "quobyte",
  "cinder",
  "cephfs",
  "iscsi",
  "fc",
  "flocker",
  "flexVolume",
  "azureFile",
  "vsphereVolume",
  "azureDisk",
  "photonPersistentDisk",
  "portworxVolume",
  "scaleIO",
  "local",
  "storageos",
  "csi",
];

const specOf = (obj: KubeObject): JsonObject => (isRecord(obj.spec) ? obj.spec : {});

function accessModeErrors(modes: unknown, path: string): FieldError[] {
  const list = asArray(modes);
  if (list.length === 0) return [required(path, "at least 1 access mode is required")];
  const errors: FieldError[] = [];
  for (const mode of list)
    if (typeof mode !== "string" || !ACCESS_MODES.includes(mode)) errors.push(notSupported(path, mode, ACCESS_MODES));
  if (list.includes("ReadWriteOncePod") && list.length > 1) {
    errors.push(forbidden(path, "may not use ReadWriteOncePod with other access modes"));
  }
  return errors;
}

function positiveStorage(value: unknown, path: string): FieldError[] {
  if (value === undefined || value === null) return [required(path)];
  const size = tryParseQuantity(value);
  if (size === undefined) return [invalidValue(path, value, QUANTITY_FORMAT_ERROR)];
  return size <= 0 ? [invalidValue(path, value, "must be greater than zero")] : [];
}

function storageClassNameErrors(value: unknown, path: string): FieldError[] {
  const name = asString(value);
  return name === "" ? [] : invalidEach(path, name, dns1123Subdomain(name));
}

/** A claim's spec, also used for StatefulSet volumeClaimTemplates. */
export function validateClaimSpec(spec: unknown, path: string): FieldError[] {
  if (!isRecord(spec)) return [required(path)];
  const errors = accessModeErrors(spec.accessModes, `${path}.accessModes`);
  errors.push(...validateLabelSelector(spec.selector, `${path}.selector`));
  const requests = isRecord(spec.resources) && isRecord(spec.resources.requests) ? spec.resources.requests : {};
  errors.push(...positiveStorage(requests.storage, `${path}.resources[storage]`));
  errors.push(...storageClassNameErrors(spec.storageClassName, `${path}.storageClassName`));
  errors.push(...enumField(spec.volumeMode, `${path}.volumeMode`, VOLUME_MODES));
  return errors;
}

export const validatePersistentVolumeClaim = (pvc: KubeObject) => validateClaimSpec(pvc.spec, "spec");

const BETA_CLASS_ANNOTATION = "volume.beta.kubernetes.io/storage-class";

/** A claim created without a class may get one later (Kubernetes' retroactive default StorageClass). */
function classSetFromNil(pvc: KubeObject, old: KubeObject): boolean {
  const oldClass = specOf(old).storageClassName;
  const newClass = asString(specOf(pvc).storageClassName);
  if (old.metadata.annotations?.[BETA_CLASS_ANNOTATION] !== undefined) return false;
  if (oldClass !== undefined && oldClass !== null) return false;
  const newAnnotation = pvc.metadata.annotations?.[BETA_CLASS_ANNOTATION];
  return newClass !== "" && (newAnnotation === undefined || newAnnotation === newClass);
}

/**
 * Claims are fixed once created, except: the binder fills volumeName, a claim without a class
 * may get one, and a bound claim may grow (expansion) or change its volume attributes class.
 */
export function validatePersistentVolumeClaimUpdate(pvc: KubeObject, old: KubeObject): FieldError[] {
  const spec = specOf(pvc);
  const oldSpec = specOf(old);
  const bound = isRecord(old.status) && old.status.phase === "Bound";
  const classGiven = classSetFromNil(pvc, old);
  const comparable = (s: JsonObject, keepRequests: boolean): JsonObject => {
    const copy = structuredClone(s);
    if (asString(oldSpec.volumeName) === "") delete copy.volumeName;
    if (classGiven) delete copy.storageClassName;
    if (bound) delete copy.volumeAttributesClassName;
    if (!keepRequests && isRecord(copy.resources)) delete copy.resources.requests;
    return copy;
  };
  if (!deepEqual(comparable(spec, !bound), comparable(oldSpec, !bound))) {
    return [
      forbidden(
        "spec",
        "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims",
      ),
    ];
  }
  const size = tryParseQuantity(
    isRecord(spec.resources) && isRecord(spec.resources.requests) ? spec.resources.requests.storage : undefined,
  );
  const oldSize = tryParseQuantity(
    isRecord(oldSpec.resources) && isRecord(oldSpec.resources.requests)
      ? oldSpec.resources.requests.storage
      : undefined,
  );
  if (size !== undefined && oldSize !== undefined && size < oldSize) {
    return [forbidden("spec.resources.requests.storage", "field can not be less than previous value")];
  }
  return [];
}

export function validatePersistentVolume(pv: KubeObject): FieldError[] {
  const spec = specOf(pv);
  const errors = accessModeErrors(spec.accessModes, "spec.accessModes");
  const capacity = spec.capacity;
  if (!isRecord(capacity) || Object.keys(capacity).length === 0) errors.push(required("spec.capacity"));
  else {
    const keys = Object.keys(capacity);
    if (!keys.includes("storage") || keys.length > 1) errors.push(notSupported("spec.capacity", keys, ["storage"]));
    if (capacity.storage !== undefined) errors.push(...positiveStorage(capacity.storage, "spec.capacity[storage]"));
  }
  errors.push(...enumField(spec.persistentVolumeReclaimPolicy, "spec.persistentVolumeReclaimPolicy", RECLAIM_POLICIES));
  errors.push(...enumField(spec.volumeMode, "spec.volumeMode", VOLUME_MODES));
  errors.push(...storageClassNameErrors(spec.storageClassName, "spec.storageClassName"));
  const sources = PV_SOURCES.filter((k) => spec[k] !== undefined && spec[k] !== null);
  if (sources.length === 0) errors.push(required("spec", "must specify a volume type"));
  errors.push(...sources.slice(1).map((k) => forbidden(`spec.${k}`, "may not specify more than 1 volume type")));
  const source = sources[0] !== undefined && isRecord(spec[sources[0]]) ? (spec[sources[0]] as JsonObject) : undefined;
  if (source && (sources[0] === "hostPath" || sources[0] === "local") && asString(source.path) === "") {
    errors.push(required(`spec.${sources[0]}.path`));
  }
  if (sources[0] === "local" && !isRecord(spec.nodeAffinity))
    errors.push(required("spec.nodeAffinity", "Local volume requires node affinity"));
  if (source && sources[0] === "nfs") {
    if (asString(source.server) === "") errors.push(required("spec.nfs.server"));
    if (asString(source.path) === "") errors.push(required("spec.nfs.path"));
  }
  if (source && sources[0] === "csi") {
    if (asString(source.driver) === "") errors.push(required("spec.csi.driver"));
    if (asString(source.volumeHandle) === "") errors.push(required("spec.csi.volumeHandle"));
  }
  return errors;
}

export function validatePersistentVolumeUpdate(pv: KubeObject, old: KubeObject): FieldError[] {
  const spec = specOf(pv);
  const oldSpec = specOf(old);
  const errors: FieldError[] = [];
  const source = (s: JsonObject) => PV_SOURCES.map((k) => s[k]);
  if (!deepEqual(source(spec), source(oldSpec))) {
    errors.push(forbidden("spec.persistentvolumesource", "spec.persistentvolumesource is immutable after creation"));
  }
  errors.push(...immutable(spec.volumeMode, oldSpec.volumeMode, "spec.volumeMode"));
  if (oldSpec.nodeAffinity !== undefined)
    errors.push(...immutable(spec.nodeAffinity, oldSpec.nodeAffinity, "spec.nodeAffinity"));
  return errors;
}

const MAX_PARAMETERS = 512;
const MAX_PARAMETERS_BYTES = 256 * 1024;

export function validateStorageClass(sc: KubeObject): FieldError[] {
  const errors: FieldError[] = [];
  const provisioner = asString(sc.provisioner);
  if (provisioner === "") errors.push(required("provisioner"));
  else errors.push(...invalidEach("provisioner", provisioner, qualifiedName(provisioner.toLowerCase())));
  const parameters = isRecord(sc.parameters) ? sc.parameters : {};
  const entries = Object.entries(parameters);
  if (entries.length > MAX_PARAMETERS) {
    errors.push(invalidValue("parameters", entries.length, `must have at most ${MAX_PARAMETERS} parameters`));
  }
  let size = 0;
  for (const [key, value] of entries) {
    if (key === "") errors.push(invalidValue("parameters", key, "field can not be empty."));
    size += byteLength(key) + byteLength(String(value));
  }
  if (size > MAX_PARAMETERS_BYTES) errors.push(tooLong("parameters", MAX_PARAMETERS_BYTES));
  errors.push(...enumField(sc.reclaimPolicy, "reclaimPolicy", ["Delete", "Retain"]));
  errors.push(...enumField(sc.volumeBindingMode, "volumeBindingMode", ["Immediate", "WaitForFirstConsumer"]));
  return errors;
}

/** Volumes already provisioned from a class would disagree with changed provisioning settings. */
export function validateStorageClassUpdate(sc: KubeObject, old: KubeObject): FieldError[] {
  const errors: FieldError[] = [];
  if (!deepEqual(sc.parameters ?? {}, old.parameters ?? {}))
    errors.push(forbidden("parameters", "updates to parameters are forbidden."));
  if (sc.provisioner !== old.provisioner)
    errors.push(forbidden("provisioner", "updates to provisioner are forbidden."));
  if (sc.reclaimPolicy !== old.reclaimPolicy)
    errors.push(forbidden("reclaimPolicy", "updates to reclaimPolicy are forbidden."));
  errors.push(...immutable(sc.volumeBindingMode, old.volumeBindingMode, "volumeBindingMode"));
  return errors;
}
