// The VolumeBinding plugin's view of claims, volumes and classes: read straight from the
// ClusterStore's objects (its own PVs and classes, its mirror of every namespace's claims).
// Only pods with claims ask, so reading a row per claim is cheaper than keeping a parsed cache.
import type { VolumeLister } from "../../api/scheduler/volumes.ts";
import type { KubeObject } from "../../api/types.ts";
import { CLAIMS, VOLUMES } from "../../api/volumes/claims.ts";
import { STORAGE_CLASSES } from "../../api/volumes/storage-class.ts";
import type { ObjectStore } from "../storage/object-store.ts";

export function storeVolumeLister(store: ObjectStore): VolumeLister {
  const read = (resource: string, namespace: string, name: string): KubeObject | undefined => {
    const row = store.get(resource, namespace, name);
    return row ? (JSON.parse(row.value) as KubeObject) : undefined;
  };
  return {
    claim: (namespace, name) => read(CLAIMS, namespace, name),
    volume: (name) => read(VOLUMES, "", name),
    storageClass: (name) => read(STORAGE_CLASSES, "", name),
  };
}
