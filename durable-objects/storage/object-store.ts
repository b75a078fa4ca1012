// Current state + revision log over one Durable Object's SQLite, through drizzle.
// Synchronous by design: a read-validate-write sequence with no await in between
// is atomic inside a Durable Object, which is how optimistic concurrency stays cheap.
import { and, asc, desc, eq, gt, isNull, lte, sql } from "drizzle-orm";
import type { DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import { findByKey } from "../../api/registry/index.ts";
import type { KubeObject } from "../../api/types.ts";
import { eventsTable, ingestLogTable, metaTable, objectsTable, type EventRow, type ObjectRow } from "./schema.ts";
import { ParsedObjectCache } from "./parsed-cache.ts";
import { prepareStatements, type NewEvent, type Statements } from "./statements.ts";

export type ChangeType = "ADDED" | "MODIFIED" | "DELETED";

export interface Change {
  type: ChangeType;
  resource: string;
  namespace: string;
  name: string;
  object: KubeObject; // for DELETED: the last state
  /** The cluster revision, when known at commit time (ClusterStore); null for an outbox entry. */
  rv: number | null;
  prevNodeName?: string | null;
  origin?: { namespace: string; seq: number };
  /** `object` as serializeObject wrote it without a resourceVersion (an outbox entry's value): saves serializing again. */
  serialized?: string;
  /** For MODIFIED, the event's prevValue when the caller already knows it (an outbox entry's): saves reading the previous version. */
  prevValue?: string | null;
}

/** The node a pod is bound to: the per-node pod feed filters on it. */
export const nodeNameOf = (resource: string, object: KubeObject): string | null => {
  if (resource !== "pods") return null;
  const spec = object.spec as { nodeName?: unknown } | undefined;
  return typeof spec?.nodeName === "string" && spec.nodeName !== "" ? spec.nodeName : null;
};

const sameLabels = (a: Record<string, string>, b: Record<string, string>) => {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
};

/** Kinds that support field selectors beyond metadata (pods by node or phase, events by object…). */
const hasFieldSelectors = (resource: string) => Object.keys(findByKey(resource)?.fieldSelectors ?? {}).length > 0;

export const withResourceVersion = (object: KubeObject, rv: number | null): KubeObject => {
  if (rv !== null) object.metadata.resourceVersion = String(rv);
  else delete object.metadata.resourceVersion;
  return object;
};

/**
 * The stored JSON of an object: apiVersion, kind and metadata first, so the first `"metadata":{`
 * in the text is the object's own (JSON strings cannot hold an unescaped quote). That lets an
 * outbox entry learn its resourceVersion by a splice instead of a parse and re-serialization.
 */
export function serializeObject(object: KubeObject): string {
  const { apiVersion, kind, metadata, ...rest } = object;
  return JSON.stringify({ apiVersion, kind, metadata, ...rest });
}

const METADATA_OPEN = '"metadata":{';

/** Adds metadata.resourceVersion to JSON written by serializeObject without one. */
export function spliceResourceVersion(value: string, rv: number): string {
  const at = value.indexOf(METADATA_OPEN);
  if (at < 0) return JSON.stringify(withResourceVersion(JSON.parse(value) as KubeObject, rv));
  const insert = at + METADATA_OPEN.length;
  const separator = value[insert] === "}" ? "" : ",";
  return `${value.slice(0, insert)}"resourceVersion":"${rv}"${separator}${value.slice(insert)}`;
}

/** Acknowledged ingest-log entries are deleted this many at a time. */
const FORGET_STEP = 64;

export type StoredValue = Pick<ObjectRow, "namespace" | "name" | "value">;

/** An object's first change after some revision (see firstChangesSince). */
export type FirstChange = Pick<EventRow, "namespace" | "name" | "type" | "prevValue">;

/** Objects of one resource, in one namespace or all, after a (namespace, name) key. */
function listConditions(resource: string, namespace: string | undefined, after?: { namespace: string; name: string }) {
  const conditions = [eq(objectsTable.resource, resource)];
  if (namespace !== undefined) conditions.push(eq(objectsTable.namespace, namespace));
  if (after) {
    conditions.push(
      sql`(${objectsTable.namespace} > ${after.namespace} OR (${objectsTable.namespace} = ${after.namespace} AND ${objectsTable.name} > ${after.name}))`,
    );
  }
  return and(...conditions);
}

export class ObjectStore {
  /** Exposed for store-local tables beside the object log (the controllers' schedule). */
  readonly db: DrizzleSqliteDODatabase;

  private readonly statements: Statements;
  private readonly parsed = new ParsedObjectCache();
  /** Per namespace, in memory only: the highest outbox entry recorded, and where forgetting stopped. */
  private readonly ingest = { highest: new Map<string, number>(), forgotten: new Map<string, number>() };
  /**
   * The row `get` last answered, kept current by every write: a read-modify-write reads the
   * object, and its commit needs the previous version again (for selector watches).
   */
  private lastRead: ObjectRow | undefined;
  /**
   * Outbox events whose cluster revision is known (and already in their rows' in-memory copies,
   * the parsed cache and watches) but not yet written to SQLite, oldest first. They are written
   * by whatever next touches the tables — usually the next write, in its transaction — so
   * learning a revision costs no transaction of its own. Losing them is harmless: the rows still
   * say rv NULL, are sent again, and the ClusterStore answers the same revisions (it keeps them
   * until acknowledged: see firstUnwrittenSeq).
   */
  private readonly unwritten = new Map<number, EventRow>();

  constructor(db: DrizzleSqliteDODatabase, sql: SqlStorage) {
    this.db = db;
    this.statements = prepareStatements(sql);
  }

  get(resource: string, namespace: string, name: string): ObjectRow | undefined {
    this.writeRevisions();
    const row = this.statements.getObject({ resource, namespace, name });
    this.lastRead = row;
    return row;
  }

  /**
   * Objects of one resource ordered by (namespace, name); `namespace` undefined = all namespaces.
   * `after` is the (namespace, name) key to start after (pagination).
   */
  list(
    resource: string,
    namespace: string | undefined,
    after?: { namespace: string; name: string },
    limit?: number,
  ): ObjectRow[] {
    this.writeRevisions();
    const query = this.db
      .select()
      .from(objectsTable)
      .where(listConditions(resource, namespace, after))
      .orderBy(asc(objectsTable.namespace), asc(objectsTable.name));
    return limit === undefined ? query.all() : query.limit(limit).all();
  }

  /** Like list, but only the key and JSON: lists of many objects keep far less in memory. */
  listValues(
    resource: string,
    namespace: string | undefined,
    after?: { namespace: string; name: string },
    limit?: number,
  ): StoredValue[] {
    this.writeRevisions();
    const query = this.db
      .select({ namespace: objectsTable.namespace, name: objectsTable.name, value: objectsTable.value })
      .from(objectsTable)
      .where(listConditions(resource, namespace, after))
      .orderBy(asc(objectsTable.namespace), asc(objectsTable.name));
    return limit === undefined ? query.all() : query.limit(limit).all();
  }

  /** Every object this store holds (a namespace being emptied). */
  /**
   * Parsed objects of one resource in one namespace, ordered by name, from a cache the store's
   * writes keep current (for controllers). Deep-frozen: copy one before changing it.
   */
  listParsed(resource: string, namespace: string): KubeObject[] {
    return this.parsed.list(resource, namespace, () => this.list(resource, namespace));
  }

  listAll(): ObjectRow[] {
    this.writeRevisions();
    return this.db.select().from(objectsTable).all();
  }

  listByNode(nodeName: string): ObjectRow[] {
    this.writeRevisions();
    return this.db
      .select()
      .from(objectsTable)
      .where(and(eq(objectsTable.resource, "pods"), eq(objectsTable.nodeName, nodeName)))
      .all();
  }

  countInNamespace(namespace: string): number {
    this.writeRevisions();
    const row = this.db
      .select({ n: sql<number>`count(*)` })
      .from(objectsTable)
      .where(eq(objectsTable.namespace, namespace))
      .get();
    return row?.n ?? 0;
  }

  /** Writes the new state and appends the event, atomically (no await inside). */
  commit(change: Change): EventRow {
    this.writeRevisions();
    const object = withResourceVersion(change.object, change.rv);
    const value =
      change.serialized === undefined
        ? serializeObject(object)
        : change.rv === null
          ? change.serialized
          : spliceResourceVersion(change.serialized, change.rv);
    const prevValue =
      change.type !== "MODIFIED"
        ? null
        : change.prevValue !== undefined
          ? change.prevValue
          : this.selectionRelevantPrevious(change.resource, change.namespace, change.name, object);
    this.lastRead = undefined;
    const nodeName = nodeNameOf(change.resource, object);
    const row: NewEvent = {
      rv: change.rv,
      resource: change.resource,
      namespace: change.namespace,
      name: change.name,
      type: change.type,
      nodeName,
      prevNodeName: change.prevNodeName ?? null,
      value,
      prevValue,
      originNamespace: change.origin?.namespace ?? null,
      originSeq: change.origin?.seq ?? null,
    };
    const event: EventRow = { seq: this.statements.insertEvent(row), ...row };
    if (change.type === "DELETED") this.statements.deleteObject(change);
    else {
      const uid = object.metadata.uid ?? "";
      const { resource, namespace, name } = change;
      this.statements.upsertObject({ resource, namespace, name, rv: change.rv, seq: event.seq, uid, nodeName, value });
    }
    this.parsed.noteWrite(
      change.resource,
      change.namespace,
      change.name,
      event.seq,
      change.type === "DELETED" ? null : value,
    );
    return event;
  }

  /**
   * The previous state of an object when a selector could see the change differently (its labels
   * or, for kinds with field selectors, anything) — otherwise null: matching is unchanged.
   */
  private selectionRelevantPrevious(
    resource: string,
    namespace: string,
    name: string,
    next: KubeObject,
  ): string | null {
    const memo = this.lastRead;
    const previous =
      memo && memo.resource === resource && memo.namespace === namespace && memo.name === name
        ? memo
        : this.statements.getObject({ resource, namespace, name });
    if (!previous) return null;
    if (hasFieldSelectors(resource)) return previous.value;
    const before = (JSON.parse(previous.value) as KubeObject).metadata.labels ?? {};
    return sameLabels(before, next.metadata.labels ?? {}) ? null : previous.value;
  }

  /** Events waiting for a cluster revision (the outbox), oldest first. */
  pendingEvents(limit: number): EventRow[] {
    this.writeRevisions();
    return this.statements.pendingEvents(limit);
  }

  /**
   * Records the cluster revision of an outbox event, and of the object if it is still that version
   * (written to SQLite later: see `unwritten`). Updates `event` in place (whoever holds it sees the
   * revision); undefined if it already had one.
   */
  assignRevision(event: EventRow, rv: number): EventRow | undefined {
    if (event.rv !== null) return undefined;
    const value = spliceResourceVersion(event.value, rv);
    this.parsed.noteRevision(event.resource, event.namespace, event.name, event.seq, rv, value);
    const memo = this.lastRead;
    if (
      memo?.seq === event.seq &&
      memo.resource === event.resource &&
      memo.namespace === event.namespace &&
      memo.name === event.name
    )
      this.lastRead = { ...memo, rv, value };
    event.rv = rv;
    event.value = value;
    this.unwritten.set(event.seq, event);
    return event;
  }

  /** Writes the revisions learnt since the last write (a no-op when there are none). */
  writeRevisions(): void {
    if (this.unwritten.size === 0) return;
    for (const event of this.unwritten.values()) {
      this.statements.setEventRevision(event.seq, event.rv!, event.value);
      // By primary key and seq: a newer version of the object (or its absence) is left alone.
      this.statements.setObjectRevision(event, event.seq, event.rv!, event.value);
    }
    this.unwritten.clear();
  }

  get hasUnwrittenRevisions(): boolean {
    return this.unwritten.size > 0;
  }

  /** The oldest outbox entry whose revision is not in SQLite yet: the ClusterStore must remember it. */
  get firstUnwrittenSeq(): number | undefined {
    return this.unwritten.keys().next().value;
  }

  /** Events with rv > `after`, oldest first, optionally of one resource. */
  eventsAfter(after: number, resource?: string, limit = 10_000): EventRow[] {
    this.writeRevisions();
    const conditions = [gt(eventsTable.rv, after)];
    if (resource !== undefined) conditions.push(eq(eventsTable.resource, resource));
    return this.db
      .select()
      .from(eventsTable)
      .where(and(...conditions))
      .orderBy(asc(eventsTable.rv))
      .limit(limit)
      .all();
  }

  /**
   * The first change after revision `rv` to each object of `resource` (in `namespace`, or all)
   * changed since, oldest first; at most `limit` keys. What a list page at `rv` must see
   * differently from the current state.
   */
  firstChangesSince(rv: number, resource: string, namespace: string | undefined, limit: number): FirstChange[] {
    this.writeRevisions();
    const conditions = [eq(eventsTable.resource, resource), gt(eventsTable.rv, rv)];
    if (namespace !== undefined) conditions.push(eq(eventsTable.namespace, namespace));
    const firsts = new Map<string, FirstChange>();
    const rows = this.db
      .select({
        namespace: eventsTable.namespace,
        name: eventsTable.name,
        type: eventsTable.type,
        prevValue: eventsTable.prevValue,
      })
      .from(eventsTable)
      .where(and(...conditions))
      .orderBy(asc(eventsTable.rv))
      .all();
    for (const row of rows) {
      const key = `${row.namespace}/${row.name}`;
      if (firsts.has(key)) continue;
      if (firsts.size === limit) break;
      firsts.set(key, row);
    }
    return [...firsts.values()];
  }

  /**
   * An object as of revision `rv` from the log: its last event at or before `rv` (undefined when
   * the log no longer holds one, or null when that event deleted it).
   */
  valueAt(resource: string, namespace: string, name: string, rv: number): string | null | undefined {
    this.writeRevisions();
    const row = this.db
      .select({ type: eventsTable.type, value: eventsTable.value })
      .from(eventsTable)
      .where(
        and(
          eq(eventsTable.resource, resource),
          lte(eventsTable.rv, rv),
          eq(eventsTable.namespace, namespace),
          eq(eventsTable.name, name),
        ),
      )
      .orderBy(desc(eventsTable.rv))
      .limit(1)
      .get();
    if (!row) return undefined;
    return row.type === "DELETED" ? null : row.value;
  }

  eventBySeq(seq: number): EventRow | undefined {
    this.writeRevisions();
    return this.statements.eventBySeq(seq);
  }

  /** Revisions already given to a namespace's outbox entries (re-sent batches get the same ones). */
  ingestedRevision(namespace: string, seq: number): number | undefined {
    // A namespace sends its outbox oldest-first: past the highest entry recorded since this
    // object woke, nothing can be recorded yet (no read needed on the common path).
    const highest = this.ingest.highest.get(namespace);
    if (highest !== undefined && seq > highest) return undefined;
    return this.statements.ingestedRevision(namespace, seq);
  }

  recordIngested(namespace: string, seq: number, rv: number): void {
    this.statements.recordIngested(namespace, seq, rv);
    this.ingest.highest.set(namespace, Math.max(seq, this.ingest.highest.get(namespace) ?? 0));
  }

  /**
   * The namespace flushes oldest-first: entries before `seq` were acknowledged and may go.
   * Deleted in steps of FORGET_STEP entries (a row delete per ingest costs more than the rows);
   * Number.MAX_SAFE_INTEGER (the namespace is gone) forgets everything at once.
   */
  forgetIngestedBefore(namespace: string, seq: number): void {
    const forgotten = this.ingest.forgotten.get(namespace);
    if (seq !== Number.MAX_SAFE_INTEGER && forgotten !== undefined && seq - forgotten < FORGET_STEP) return;
    this.statements.forgetIngestedBefore(namespace, seq);
    if (seq === Number.MAX_SAFE_INTEGER) {
      this.ingest.forgotten.delete(namespace);
      this.ingest.highest.delete(namespace);
    } else this.ingest.forgotten.set(namespace, seq);
  }

  /** Drops history up to and including `rv`; watches from before it get 410 Expired. */
  compactThrough(rv: number): void {
    this.writeRevisions();
    this.db.delete(eventsTable).where(lte(eventsTable.rv, rv)).run();
    this.setMeta("compactedThrough", String(Math.max(rv, this.compactedThrough())));
  }

  compactedThrough(): number {
    return Number(this.getMeta("compactedThrough") ?? "0");
  }

  /** The highest revision in the log (undefined when it is empty). */
  newestRevision(): number | undefined {
    return this.rvBeforeNewest(0);
  }

  /** The rv of the n-th newest event (compaction keeps the newest n). */
  rvBeforeNewest(n: number): number | undefined {
    this.writeRevisions();
    const row = this.db
      .select({ rv: eventsTable.rv })
      .from(eventsTable)
      .where(sql`${eventsTable.rv} IS NOT NULL`)
      .orderBy(desc(eventsTable.rv))
      .limit(1)
      .offset(n)
      .get();
    return row?.rv ?? undefined;
  }

  /** Forgets everything (the store's cluster or namespace is deleted); the schema stays. */
  clear(): void {
    this.parsed.clear();
    this.lastRead = undefined;
    this.unwritten.clear();
    this.ingest.highest.clear();
    this.ingest.forgotten.clear();
    this.db.delete(objectsTable).run();
    this.db.delete(eventsTable).run();
    this.db.delete(metaTable).run();
    this.db.delete(ingestLogTable).run();
  }

  getMeta(key: string): string | undefined {
    return this.statements.getMeta(key);
  }

  deleteMeta(key: string): void {
    this.db.delete(metaTable).where(eq(metaTable.key, key)).run();
  }

  setMeta(key: string, value: string): void {
    this.statements.setMeta(key, value);
  }
}
