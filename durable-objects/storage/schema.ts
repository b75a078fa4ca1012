// SQLite schema shared by NamespaceStore and ClusterStore (kine-style revision log).
//
// `objects` is the current state, `events` the append-only log that gives watch history.
// Every exposed resourceVersion is a cluster-wide revision (`rv`) allocated by the
// cluster's ClusterStore; a NamespaceStore first commits locally (`seq`, rv NULL = outbox),
// then learns the rv when the ClusterStore ingests the event. See docs/storage.md.
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const objectsTable = sqliteTable(
  "objects",
  {
    resource: text("resource").notNull(), // resourceKey, e.g. "pods", "deployments.apps"
    namespace: text("namespace").notNull(), // "" for cluster-scoped objects
    name: text("name").notNull(),
    /** Cluster revision of the latest change; NULL while the change waits in the outbox. */
    rv: integer("rv"),
    /** Local sequence of the latest change (the outbox position). */
    seq: integer("seq").notNull(),
    uid: text("uid").notNull(),
    /** spec.nodeName for pods: the per-node pod feed filters on it. */
    nodeName: text("node_name"),
    value: text("value").notNull(), // the object as JSON, metadata.resourceVersion included once rv is known
  },
  (table) => [
    primaryKey({ columns: [table.resource, table.namespace, table.name] }),
    index("objects_node").on(table.resource, table.nodeName),
  ],
);

export const eventsTable = sqliteTable(
  "events",
  {
    seq: integer("seq").primaryKey({ autoIncrement: true }),
    rv: integer("rv"),
    resource: text("resource").notNull(),
    namespace: text("namespace").notNull(),
    name: text("name").notNull(),
    type: text("type", { enum: ["ADDED", "MODIFIED", "DELETED"] }).notNull(),
    nodeName: text("node_name"),
    /** The previous spec.nodeName of a pod, so a node's feed sees a pod leave it. */
    prevNodeName: text("prev_node_name"),
    value: text("value").notNull(),
    /**
     * The object before this change, kept only when its labels or selectable fields changed:
     * selector watches need it to tell "started/stopped matching", even after compaction.
     */
    prevValue: text("prev_value"),
    /** For events a ClusterStore ingested from a namespace: where they came from (not indexed: ingest_log answers re-delivery). */
    originNamespace: text("origin_namespace"),
    originSeq: integer("origin_seq"),
  },
  (table) => [uniqueIndex("events_rv").on(table.rv), index("events_resource_rv").on(table.resource, table.rv)],
);

/** Small key/value facts about the store: its identity, the revision counter, the compaction floor. */
export const metaTable = sqliteTable("meta", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
});

export type ObjectRow = typeof objectsTable.$inferSelect;
export type EventRow = typeof eventsTable.$inferSelect;

/** Timed controller work: reconcile `key` of `controller` at `due` (ms since epoch). One alarm serves them all. */
export const scheduleTable = sqliteTable(
  "schedule",
  {
    controller: text("controller").notNull(),
    key: text("key").notNull(),
    due: integer("due").notNull(),
  },
  (table) => [primaryKey({ columns: [table.controller, table.key] }), index("schedule_due").on(table.due)],
);

/**
 * Which outbox entries (namespace, seq) a ClusterStore already ordered, and at which revision, so
 * a re-sent batch gets its original revisions. A namespace flushes oldest-first, so entries below
 * the first seq of a new batch are acknowledged and dropped.
 */
export const ingestLogTable = sqliteTable(
  "ingest_log",
  {
    namespace: text("namespace").notNull(),
    seq: integer("seq").notNull(),
    rv: integer("rv").notNull(),
  },
  (table) => [primaryKey({ columns: [table.namespace, table.seq] })],
);
