// StoreRuntime for a NamespaceStore. Writes commit locally at once (atomic, no await),
// then wait in the outbox until the cluster's ClusterStore ingests them and hands back
// their cluster revisions. Nothing is exposed before it has its revision, so every
// resourceVersion a client sees is a cluster revision — the same for namespaced and
// cluster-wide reads. See docs/storage.md.
import type { ResourceDef } from "../../api/registry/types.ts";
import type { KubeObject } from "../../api/types.ts";
import type { StoreRuntime } from "../api-server/runtime.ts";
import type { Change, ObjectStore } from "../storage/object-store.ts";
import type { EventRow } from "../storage/schema.ts";
import { WatchHub } from "../watch/watch-hub.ts";
import { Compactor } from "./compactor.ts";
import { TurnGate } from "./turn-gate.ts";
import type { RuntimeOptions } from "./direct-runtime.ts";

/** One outbox entry as the ClusterStore receives it. */
export interface OutboxEvent {
  seq: number;
  resource: string;
  name: string;
  type: "ADDED" | "MODIFIED" | "DELETED";
  value: string;
  prevNodeName: string | null;
  /** What the event row keeps of the previous version for selector watches (see EventRow.prevValue). */
  prevValue?: string | null;
}

export interface RevisionSource {
  /**
   * Assigns cluster revisions to `events` (idempotent per namespace+seq); answers them and the
   * cluster's head. Entries below `acknowledgedBelow` have their revisions stored by the
   * namespace and will not be sent again.
   */
  ingest(
    namespace: string,
    events: OutboxEvent[],
    acknowledgedBelow: number,
  ): Promise<{ revisions: number[]; head: number }>;
  /** The cluster's current revision. */
  head(): Promise<number>;
}

const FLUSH_BATCH = 256;
/** Revisions learnt are written by the next write, or after this long if none comes. */
const WRITE_REVISIONS_AFTER_MS = 1000;

export class OutboxRuntime implements StoreRuntime {
  readonly objects: ObjectStore;
  readonly hub: WatchHub;
  readonly watchTiming: { keepaliveMs: number; bookmarkMs: number };
  private readonly namespace: string;
  private readonly source: RevisionSource;
  private readonly clock: () => Date;
  private readonly compactor: Compactor;
  /** Committed events still without a cluster revision, oldest first (mirrors rv IS NULL rows). */
  private readonly outbox: EventRow[];
  /**
   * The cluster revision lists are served at. In memory only: a write per flush cost more than
   * the one `head()` call a woken object makes before its first read or write.
   */
  private head: number | undefined;
  private flushing: Promise<void> | undefined;
  private revisionWriter: ReturnType<typeof setTimeout> | undefined;
  private readonly writeTurn = new TurnGate();
  /** POST requests being served (creates, bindings, evictions): nextTurn waits only if others may join. */
  postsInFlight = 0;
  admitCreate: (def: ResourceDef, namespace: string | undefined, name: string) => Promise<void> = async () => {};
  assignAddresses?: (def: ResourceDef, object: KubeObject) => Promise<void>;
  admitFromCluster?: (def: ResourceDef, object: KubeObject) => Promise<void>;
  /** Told of every committed change (the controller manager enqueues work from it). */
  onCommit: (change: Omit<Change, "rv">) => void = () => {};

  constructor(objects: ObjectStore, namespace: string, source: RevisionSource, options: RuntimeOptions) {
    this.objects = objects;
    this.namespace = namespace;
    this.source = source;
    this.clock = options.clock;
    this.watchTiming = options.watchTiming;
    this.hub = new WatchHub(options.clock);
    this.compactor = new Compactor(objects, options.historyEvents);
    this.outbox = objects.pendingEvents(Number.MAX_SAFE_INTEGER);
  }

  now(): Date {
    return this.clock();
  }

  newUid(): string {
    return crypto.randomUUID();
  }

  commit(change: Omit<Change, "rv">): EventRow {
    const event = this.objects.commit({ ...change, rv: null });
    this.outbox.push(event);
    this.onCommit(change);
    return event;
  }

  get hasPending(): boolean {
    return this.outbox.length > 0;
  }

  /** Waits until the outbox is empty; a failed flush rejects (the next call retries). */
  async settle(): Promise<void> {
    if (this.head === undefined) {
      const head = await this.source.head();
      this.head = Math.max(head, this.head ?? 0);
    }
    while (this.outbox.length > 0) {
      // Started a microtask later: writers resumed in the same turn (nextTurn) commit first and
      // go in the same batch.
      this.flushing ??= Promise.resolve()
        .then(() => this.flush())
        .finally(() => {
          this.flushing = undefined;
        });
      await this.flushing;
    }
  }

  nextTurn(): Promise<void> {
    if (this.postsInFlight <= 1 && !this.writeTurn.open) return Promise.resolve();
    return this.writeTurn.next();
  }

  listRevision(): number {
    return this.head ?? 0;
  }

  private async flush(): Promise<void> {
    // Only this flush removes entries, from the front; commits meanwhile append behind them.
    const batch = this.outbox.slice(0, FLUSH_BATCH);
    if (batch.length === 0) return;
    const outgoing: OutboxEvent[] = batch.map((e) => ({
      seq: e.seq,
      resource: e.resource,
      name: e.name,
      type: e.type,
      value: e.value,
      prevNodeName: e.prevNodeName,
      prevValue: e.prevValue,
    }));
    const acknowledgedBelow = Math.min(batch[0].seq, this.objects.firstUnwrittenSeq ?? Infinity);
    const { revisions, head } = await this.source.ingest(this.namespace, outgoing, acknowledgedBelow);
    // From here on no await: revisions, head and publication change together.
    const published: EventRow[] = [];
    batch.forEach((event, i) => {
      const assigned = this.objects.assignRevision(event, revisions[i]);
      if (assigned) published.push(assigned);
    });
    this.outbox.splice(0, batch.length);
    // Every event of ours without a revision yet will get one above `head`.
    this.head = Math.max(head, this.head ?? 0);
    this.hub.publish(published);
    this.compactor.noteWrites(published.length);
    this.writeRevisionsSoon();
  }

  /** A quiet namespace still gets its revisions written (a busy one writes them with its next write). */
  private writeRevisionsSoon(): void {
    if (this.revisionWriter !== undefined || !this.objects.hasUnwrittenRevisions) return;
    this.revisionWriter = setTimeout(() => {
      this.revisionWriter = undefined;
      this.objects.writeRevisions();
    }, WRITE_REVISIONS_AFTER_MS);
  }
}
