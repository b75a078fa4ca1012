// The statements every write runs, as constant SQL on the Durable Object's own SqlStorage.
// A create runs a dozen of them across two stores; going through drizzle added its parameter
// filling and row mapping to each (a sixth of a create's CPU), so the hot path binds positional
// parameters itself and SQLite answers rows already shaped as ObjectRow / EventRow (the column
// aliases). The schema, migrations and every other query stay with drizzle (schema.ts).
import type { EventRow, ObjectRow } from "./schema.ts";

const OBJECT_COLUMNS = "resource, namespace, name, rv, seq, uid, node_name AS nodeName, value";
const EVENT_COLUMNS =
  "seq, rv, resource, namespace, name, type, node_name AS nodeName, prev_node_name AS prevNodeName, value, " +
  "prev_value AS prevValue, origin_namespace AS originNamespace, origin_seq AS originSeq";

const SQL = {
  getObject: `SELECT ${OBJECT_COLUMNS} FROM objects WHERE resource = ? AND namespace = ? AND name = ?`,
  deleteObject: "DELETE FROM objects WHERE resource = ? AND namespace = ? AND name = ?",
  insertEvent:
    "INSERT INTO events (rv, resource, namespace, name, type, node_name, prev_node_name, value, prev_value, " +
    "origin_namespace, origin_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq",
  upsertObject:
    "INSERT INTO objects (resource, namespace, name, rv, seq, uid, node_name, value) VALUES (?, ?, ?, ?, ?, ?, ?, ?) " +
    "ON CONFLICT (resource, namespace, name) DO UPDATE SET rv = excluded.rv, seq = excluded.seq, " +
    "uid = excluded.uid, node_name = excluded.node_name, value = excluded.value",
  setEventRevision: "UPDATE events SET rv = ?, value = ? WHERE seq = ?",
  // By primary key (and seq, so a newer version of the object is left alone): no table scan.
  setObjectRevision:
    "UPDATE objects SET rv = ?, value = ? WHERE resource = ? AND namespace = ? AND name = ? AND seq = ?",
  pendingEvents: `SELECT ${EVENT_COLUMNS} FROM events WHERE rv IS NULL ORDER BY seq LIMIT ?`,
  eventBySeq: `SELECT ${EVENT_COLUMNS} FROM events WHERE seq = ?`,
  getMeta: "SELECT value FROM meta WHERE key = ?",
  setMeta: "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
  ingestedRevision: "SELECT rv FROM ingest_log WHERE namespace = ? AND seq = ?",
  recordIngested: "INSERT INTO ingest_log (namespace, seq, rv) VALUES (?, ?, ?)",
  forgetIngestedBefore: "DELETE FROM ingest_log WHERE namespace = ? AND seq < ?",
} as const;

export interface ObjectKey {
  resource: string;
  namespace: string;
  name: string;
}

/** An event row as inserted (seq is assigned by SQLite). */
export type NewEvent = Omit<EventRow, "seq">;

type Value = string | number | null;

function first<T>(cursor: SqlStorageCursor<Record<string, SqlStorageValue>>): T | undefined {
  const next = cursor.next();
  return next.done ? undefined : (next.value as T);
}

export function prepareStatements(sql: SqlStorage) {
  const exec = (query: string, ...params: Value[]) => sql.exec(query, ...params);
  return {
    getObject: (key: ObjectKey) => first<ObjectRow>(exec(SQL.getObject, key.resource, key.namespace, key.name)),
    deleteObject: (key: ObjectKey) => void exec(SQL.deleteObject, key.resource, key.namespace, key.name),
    /** Appends an event; answers its seq. */
    insertEvent: (e: NewEvent): number =>
      first<{ seq: number }>(
        exec(
          SQL.insertEvent,
          e.rv,
          e.resource,
          e.namespace,
          e.name,
          e.type,
          e.nodeName,
          e.prevNodeName,
          e.value,
          e.prevValue,
          e.originNamespace,
          e.originSeq,
        ),
      )!.seq,
    upsertObject: (row: ObjectRow) =>
      void exec(
        SQL.upsertObject,
        row.resource,
        row.namespace,
        row.name,
        row.rv,
        row.seq,
        row.uid,
        row.nodeName,
        row.value,
      ),
    setEventRevision: (seq: number, rv: number, value: string) => void exec(SQL.setEventRevision, rv, value, seq),
    setObjectRevision: (key: ObjectKey, seq: number, rv: number, value: string) =>
      void exec(SQL.setObjectRevision, rv, value, key.resource, key.namespace, key.name, seq),
    pendingEvents: (limit: number) => exec(SQL.pendingEvents, limit).toArray() as unknown as EventRow[],
    eventBySeq: (seq: number) => first<EventRow>(exec(SQL.eventBySeq, seq)),
    getMeta: (key: string) => first<{ value: string }>(exec(SQL.getMeta, key))?.value,
    setMeta: (key: string, value: string) => void exec(SQL.setMeta, key, value),
    ingestedRevision: (namespace: string, seq: number) =>
      first<{ rv: number }>(exec(SQL.ingestedRevision, namespace, seq))?.rv,
    recordIngested: (namespace: string, seq: number, rv: number) => void exec(SQL.recordIngested, namespace, seq, rv),
    forgetIngestedBefore: (namespace: string, seq: number) => void exec(SQL.forgetIngestedBefore, namespace, seq),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;
