// persistentVolumeClaim volumes: claim → bound PersistentVolume → a directory on this node
// (hostPath or local PVs; local-path's provisioned directories live in the node's own root).
import type { PersistentVolume, PersistentVolumeClaim } from "kubernetes-types/core/v1";
import { chmodSync, existsSync, mkdirSync, statSync } from "node:fs";
import type { ApiClient } from "../api/client.ts";
import { isNotFound } from "../api/errors.ts";
import type { LocalPathRoot } from "./local-path.ts";

/** A claim could not be resolved to a directory (the caller turns it into a FailedMount). */
export class ClaimError extends Error {}

export class ClaimResolver {
  private readonly api: ApiClient;
  private readonly root: LocalPathRoot;

  constructor(api: ApiClient, root: LocalPathRoot) {
    this.api = api;
    this.root = root;
  }

  private async read<T>(path: string): Promise<T | undefined> {
    try {
      return await this.api.get<T>(path);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** The host directory of the claim's volume, created if the volume allows; throws ClaimError. */
  async hostPath(namespace: string, claimName: string): Promise<string> {
    const what = `error processing PVC ${namespace}/${claimName}`;
    const claim = await this.read<PersistentVolumeClaim>(
      `/api/v1/namespaces/${encodeURIComponent(namespace)}/persistentvolumeclaims/${encodeURIComponent(claimName)}`,
    );
    if (!claim) throw new ClaimError(`${what}: persistentvolumeclaim "${claimName}" not found`);
    const volumeName = claim.spec?.volumeName ?? "";
    if (volumeName === "") throw new ClaimError(`${what}: PVC is not bound`);
    const pv = await this.read<PersistentVolume>(`/api/v1/persistentvolumes/${encodeURIComponent(volumeName)}`);
    if (!pv) throw new ClaimError(`${what}: persistentvolume "${volumeName}" not found`);
    const ref = pv.spec?.claimRef;
    if (ref?.uid && ref.uid !== claim.metadata?.uid)
      throw new ClaimError(`${what}: persistentvolume "${volumeName}" is bound to another claim`);
    const source = pv.spec?.hostPath ?? pv.spec?.local;
    if (!source) {
      const kind = Object.keys(pv.spec ?? {}).find((k) => !NOT_SOURCES.has(k)) ?? "unknown";
      throw new ClaimError(`${what}: ${kind} persistent volumes are not supported by this node`);
    }
    const path = this.root.hostPath(source.path);
    if (path === undefined) throw new ClaimError(`${what}: invalid path ${source.path}`);
    const type = pv.spec?.hostPath?.type ?? "";
    const wantsDirectory = pv.spec?.local !== undefined || type === "" || type.startsWith("Directory");
    if (!existsSync(path)) {
      if (pv.spec?.hostPath === undefined || (type !== "" && type !== "DirectoryOrCreate"))
        throw new ClaimError(`${what}: path ${path} does not exist`);
      mkdirSync(path, { recursive: true });
      // World-writable like rancher's: the pod's user is not known in advance.
      chmodSync(path, 0o777);
    } else if (wantsDirectory && !statSync(path).isDirectory())
      throw new ClaimError(`${what}: ${path} is not a directory`);
    return path;
  }
}

/** PersistentVolumeSpec fields that are not a volume source. */
const NOT_SOURCES = new Set([
  "accessModes",
  "capacity",
  "claimRef",
  "mountOptions",
  "nodeAffinity",
  "persistentVolumeReclaimPolicy",
  "storageClassName",
  "volumeMode",
  "volumeAttributesClassName",
]);
