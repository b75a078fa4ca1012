// What the generic verbs need from the Durable Object that stores the objects.
// NamespaceStore and ClusterStore implement it differently (outbox vs. direct revisions).
import type { ResourceDef } from "../../api/registry/types.ts";
import type { KubeObject } from "../../api/types.ts";
import type { Change, ObjectStore } from "../storage/object-store.ts";
import type { EventRow } from "../storage/schema.ts";
import type { WatchHub } from "../watch/watch-hub.ts";

export interface StoreRuntime {
  readonly objects: ObjectStore;
  readonly hub: WatchHub;
  now(): Date;
  newUid(): string;
  /** Commits a change synchronously; its cluster revision may arrive later (see settle). */
  commit(change: Omit<Change, "rv">): EventRow;
  /** Resolves once every committed change has its cluster revision and was published to watchers. */
  settle(): Promise<void>;
  /**
   * Resolves in the next turn of the event loop, together with every other caller meanwhile, so
   * the writes they then make synchronously share one SQLite transaction (group commit).
   */
  nextTurn?(): Promise<void>;
  /** Whether committed changes still wait for their revision. */
  readonly hasPending: boolean;
  /** The revision a list or watch start is consistent at. */
  listRevision(): number;
  /** Throws a Status error if `name` may not be created in `namespace` (missing, terminating). */
  admitCreate(def: ResourceDef, namespace: string | undefined, name: string): Promise<void>;
  /**
   * Mutating admission of a new object that needs cluster-scoped state (DefaultStorageClass: a
   * claim without a class gets the default one). Runs for API creates, dry runs included.
   */
  admitFromCluster?(def: ResourceDef, object: KubeObject): Promise<void>;
  /** Fills in cluster-allocated fields of a new object (a Service's ClusterIP and node ports). */
  assignAddresses?(def: ResourceDef, object: KubeObject): Promise<void>;
  /**
   * Admission from the store's own objects (LimitRange defaults and limits, ResourceQuota), called
   * right before a create (no `old`) or an update commits. May mutate `object`; throws a Status
   * error to refuse. Synchronous, so its decision holds at commit time.
   */
  admit?(def: ResourceDef, object: KubeObject, old?: KubeObject): void;
  /** Intervals for watch keepalives and bookmarks (injected so tests can shorten them). */
  readonly watchTiming: { keepaliveMs: number; bookmarkMs: number };
}

/**
 * Waits until nothing is pending *in the caller's own continuation*: other requests resumed by the
 * same flush may commit before the caller runs again, so the check repeats after every wait. Read
 * synchronously right after it returns.
 */
export async function settled(rt: StoreRuntime): Promise<void> {
  do await rt.settle();
  while (rt.hasPending);
}
