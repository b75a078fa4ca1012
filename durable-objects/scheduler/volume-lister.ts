// The VolumeBinding plugin's view of claims, volumes and classes: read from the ClusterStore's
// objects (its own PVs and classes, its mirror of every namespace's claims) and kept parsed. A
// pod with claims asks twice per attempt (filter, then reserve), and many pods share a claim, so
// each object is read and parsed once and then served from memory until it changes: the
// scheduler tells the lister about every committed change to these resources (`changed`).
import type { VolumeLister } from "../../api/scheduler/volumes.ts";
import type { KubeObject } from "../../api/types.ts";
import { CLAIMS, VOLUMES } from "../../api/volumes/claims.ts";
import { STORAGE_CLASSES } from "../../api/volumes/storage-class.ts";
import type { ObjectStore } from "../storage/object-store.ts";

/** The resources a lister serves. */
export const VOLUME_RESOURCES: ReadonlySet<string> = new Set([CLAIMS, VOLUMES, STORAGE_CLASSES]);

/** Parsed objects kept at most (least recently read go first): claims can number one per pod. */
const CAPACITY = 1024;

const key = (resource: string, namespace: string, name: string) => `${resource}\u0000${namespace}\u0000${name}`;

/** Objects it hands out are shared: callers must not change them. */
export class StoreVolumeLister implements VolumeLister {
  private readonly store: ObjectStore;
  /** Parsed objects by key; `null` remembers "no such object". */
  private readonly known = new Map<string, KubeObject | null>();

  constructor(store: ObjectStore) {
    this.store = store;
  }

  claim(namespace: string, name: string): KubeObject | undefined {
    return this.read(CLAIMS, namespace, name);
  }

  volume(name: string): KubeObject | undefined {
    return this.read(VOLUMES, "", name);
  }

  storageClass(name: string): KubeObject | undefined {
    return this.read(STORAGE_CLASSES, "", name);
  }

  /** A committed change to one of VOLUME_RESOURCES: the next read goes to the store. */
  changed(resource: string, namespace: string, name: string): void {
    this.known.delete(key(resource, namespace, name));
  }

  private read(resource: string, namespace: string, name: string): KubeObject | undefined {
    const at = key(resource, namespace, name);
    let object = this.known.get(at);
    if (object === undefined) {
      const row = this.store.get(resource, namespace, name);
      object = row ? (JSON.parse(row.value) as KubeObject) : null;
      if (this.known.size >= CAPACITY) this.known.delete(this.known.keys().next().value!);
    } else {
      this.known.delete(at); // re-inserted below: Map order is recency
    }
    this.known.set(at, object);
    return object ?? undefined;
  }
}
