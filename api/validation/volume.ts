// Pod volumes: unique DNS-label names and exactly one source each.
import type { FieldError } from "../errors.ts";
import { duplicate, forbidden, invalidEach, invalidValue, notSupported, required } from "./field.ts";
import { dns1123Label } from "./names.ts";
import { QUANTITY_FORMAT_ERROR, tryParseQuantity } from "./quantity.ts";
import { relativePathErrors } from "./container.ts";
import { asArray, asString, isRecord, type JsonObject } from "./shape.ts";

export const VOLUME_SOURCES = [
  "hostPath",
  "emptyDir",
  "gcePersistentDisk",
  "awsElasticBlockStore",
  "gitRepo",
  "secret",
  "nfs",
  "iscsi",
  "glusterfs",
  "persistentVolumeClaim",
  "rbd",
  "flexVolume",
  "cinder",
  "cephfs",
  "flocker",
  "downwardAPI",
  "fc",
  "azureFile",
  "configMap",
  "vsphereVolume",
  "quobyte",
  "azureDisk",
  "photonPersistentDisk",
  "projected",
  "portworxVolume",
  "scaleIO",
  "storageos",
  "csi",
  "ephemeral",
  "image",
];

const HOST_PATH_TYPES = [
  "",
  "DirectoryOrCreate",
  "Directory",
  "FileOrCreate",
  "File",
  "Socket",
  "CharDevice",
  "BlockDevice",
];
const MODE_ERROR = "must be a number between 0 and 0777 (octal), both inclusive";

/** Validates the volume list and returns the names it declares (for volumeMounts to check against). */
export function validateVolumes(volumes: unknown, path: string): { errors: FieldError[]; names: Set<string> } {
  const errors: FieldError[] = [];
  const names = new Set<string>();
  for (const [i, volume] of asArray(volumes).entries()) {
    const at = `${path}[${i}]`;
    if (!isRecord(volume)) {
      errors.push(invalidValue(at, volume, "must be an object"));
      continue;
    }
    const name = asString(volume.name);
    if (name === "") errors.push(required(`${at}.name`));
    else {
      errors.push(...invalidEach(`${at}.name`, name, dns1123Label(name)));
      if (names.has(name)) errors.push(duplicate(`${at}.name`, name));
      names.add(name);
    }
    errors.push(...validateSource(volume, at));
  }
  return { errors, names };
}

function validateSource(volume: JsonObject, path: string): FieldError[] {
  const present = VOLUME_SOURCES.filter((k) => volume[k] !== undefined && volume[k] !== null);
  if (present.length === 0) return [required(path, "must specify a volume type")];
  const errors: FieldError[] = present
    .slice(1)
    .map((k) => forbidden(`${path}.${k}`, "may not specify more than 1 volume type"));
  const kind = present[0]!;
  const source = volume[kind];
  const at = `${path}.${kind}`;
  if (!isRecord(source)) return [...errors, invalidValue(at, source, "must be an object")];
  switch (kind) {
    case "configMap":
      if (asString(source.name) === "") errors.push(required(`${at}.name`));
      errors.push(...modeAndItems(source, at));
      break;
    case "secret":
      if (asString(source.secretName) === "") errors.push(required(`${at}.secretName`));
      errors.push(...modeAndItems(source, at));
      break;
    case "persistentVolumeClaim":
      if (asString(source.claimName) === "") errors.push(required(`${at}.claimName`));
      break;
    case "hostPath": {
      if (asString(source.path) === "") errors.push(required(`${at}.path`));
      const type = source.type ?? "";
      if (typeof type !== "string" || !HOST_PATH_TYPES.includes(type))
        errors.push(notSupported(`${at}.type`, type, HOST_PATH_TYPES));
      break;
    }
    case "emptyDir": {
      const medium = source.medium ?? "";
      if (medium !== "" && medium !== "Memory" && medium !== "HugePages" && !String(medium).startsWith("HugePages-")) {
        errors.push(notSupported(`${at}.medium`, medium, ["", "Memory", "HugePages"]));
      }
      if (source.sizeLimit !== undefined && source.sizeLimit !== null) {
        const size = tryParseQuantity(source.sizeLimit);
        if (size === undefined) errors.push(invalidValue(`${at}.sizeLimit`, source.sizeLimit, QUANTITY_FORMAT_ERROR));
        else if (size < 0)
          errors.push(invalidValue(`${at}.sizeLimit`, source.sizeLimit, "must be greater than or equal to 0"));
      }
      break;
    }
    case "projected":
    case "downwardAPI":
      errors.push(...modeAndItems(source, at));
      break;
  }
  return errors;
}

function modeAndItems(source: JsonObject, path: string): FieldError[] {
  const errors: FieldError[] = [];
  errors.push(...fileMode(source.defaultMode, `${path}.defaultMode`));
  for (const [i, item] of asArray(source.items).entries()) {
    const at = `${path}.items[${i}]`;
    if (!isRecord(item)) continue;
    const itemPath = asString(item.path);
    if (itemPath === "") errors.push(required(`${at}.path`));
    else errors.push(...relativePathErrors(itemPath, `${at}.path`));
    errors.push(...fileMode(item.mode, `${at}.mode`));
  }
  return errors;
}

function fileMode(mode: unknown, path: string): FieldError[] {
  if (mode === undefined || mode === null) return [];
  return typeof mode === "number" && Number.isInteger(mode) && mode >= 0 && mode <= 0o777
    ? []
    : [invalidValue(path, mode, MODE_ERROR)];
}
