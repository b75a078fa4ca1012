// StoreRuntime for stores that own their revision counter (ClusterStore, RootStore):
// every commit gets its revision at once and is published to watchers immediately.
import type { ResourceDef } from "../../api/registry/types.ts";
import type { StoreRuntime } from "../api-server/runtime.ts";
import type { Change, ObjectStore } from "../storage/object-store.ts";
import type { EventRow } from "../storage/schema.ts";
import { WatchHub } from "../watch/watch-hub.ts";
import { Compactor } from "./compactor.ts";

export interface RuntimeOptions {
  clock: () => Date;
  historyEvents: number;
  watchTiming: { keepaliveMs: number; bookmarkMs: number };
}

/** How often the revision counter's meta row is rewritten (a write per commit costs throughput). */
const REVISION_SAVE_EVERY = 64;

export class DirectRevisionRuntime implements StoreRuntime {
  readonly objects: ObjectStore;
  readonly hub: WatchHub;
  readonly watchTiming: { keepaliveMs: number; bookmarkMs: number };
  private revision: number;
  private readonly compactor: Compactor;
  private readonly clock: () => Date;
  /** Set by the owning object when creates need a check (e.g. a terminating namespace). */
  admitCreate: (def: ResourceDef, namespace: string | undefined, name: string) => Promise<void> = async () => {};
  /** Told of every committed change (the controller manager enqueues work from it). */
  onCommit: (change: Omit<Change, "rv">) => void = () => {};

  constructor(objects: ObjectStore, options: RuntimeOptions) {
    this.objects = objects;
    this.clock = options.clock;
    this.watchTiming = options.watchTiming;
    // The counter is persisted only now and then: the newest event always carries the latest
    // revision (compaction keeps the newest events), so the two together never go back.
    this.revision = Math.max(Number(objects.getMeta("revision") ?? "0"), objects.newestRevision() ?? 0);
    this.hub = new WatchHub(options.clock);
    this.compactor = new Compactor(objects, options.historyEvents);
  }

  now(): Date {
    return this.clock();
  }

  newUid(): string {
    return crypto.randomUUID();
  }

  /** The next cluster revision (its event row records it; the meta row catches up every so often). */
  private nextRevision(): number {
    this.revision += 1;
    if (this.revision % REVISION_SAVE_EVERY === 0) this.objects.setMeta("revision", String(this.revision));
    return this.revision;
  }

  commit(change: Omit<Change, "rv">): EventRow {
    const event = this.objects.commit({ ...change, rv: this.nextRevision() });
    this.hub.publish([event]);
    this.compactor.noteWrites(1);
    this.onCommit(change);
    return event;
  }

  async settle(): Promise<void> {}

  readonly hasPending = false;

  listRevision(): number {
    return this.revision;
  }
}
