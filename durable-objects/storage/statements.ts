// The statements every write runs, prepared once per store: building a drizzle query is
// costlier than executing it on SQLite, and a create runs a dozen of them across two stores.
import { and, asc, eq, isNull, lt, sql } from "drizzle-orm";
import type { DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import { eventsTable, ingestLogTable, metaTable, objectsTable } from "./schema.ts";

const p = <T extends string>(name: T) => sql.placeholder(name);

export function prepareStatements(db: DrizzleSqliteDODatabase) {
  const objectKey = and(
    eq(objectsTable.resource, p("resource")),
    eq(objectsTable.namespace, p("namespace")),
    eq(objectsTable.name, p("name")),
  );
  return {
    getObject: db.select().from(objectsTable).where(objectKey).prepare(),
    deleteObject: db.delete(objectsTable).where(objectKey).prepare(),
    insertEvent: db
      .insert(eventsTable)
      .values({
        rv: p("rv"),
        resource: p("resource"),
        namespace: p("namespace"),
        name: p("name"),
        type: p("type"),
        nodeName: p("nodeName"),
        prevNodeName: p("prevNodeName"),
        value: p("value"),
        prevValue: p("prevValue"),
        originNamespace: p("originNamespace"),
        originSeq: p("originSeq"),
      })
      .returning()
      .prepare(),
    upsertObject: db
      .insert(objectsTable)
      .values({
        resource: p("resource"),
        namespace: p("namespace"),
        name: p("name"),
        rv: p("rv"),
        seq: p("seq"),
        uid: p("uid"),
        nodeName: p("nodeName"),
        value: p("value"),
      })
      .onConflictDoUpdate({
        target: [objectsTable.resource, objectsTable.namespace, objectsTable.name],
        set: {
          rv: sql`excluded.rv`,
          seq: sql`excluded.seq`,
          uid: sql`excluded.uid`,
          nodeName: sql`excluded.node_name`,
          value: sql`excluded.value`,
        },
      })
      .prepare(),
    setEventRevision: db
      .update(eventsTable)
      .set({ rv: sql`${p("rv")}`, value: sql`${p("value")}` })
      .where(eq(eventsTable.seq, p("seq")))
      .prepare(),
    setObjectRevision: db
      .update(objectsTable)
      .set({ rv: sql`${p("rv")}`, value: sql`${p("value")}` })
      .where(and(objectKey, eq(objectsTable.seq, p("seq"))))
      .prepare(),
    pendingEvents: db
      .select()
      .from(eventsTable)
      .where(isNull(eventsTable.rv))
      .orderBy(asc(eventsTable.seq))
      .limit(p("limit"))
      .prepare(),
    eventBySeq: db
      .select()
      .from(eventsTable)
      .where(eq(eventsTable.seq, p("seq")))
      .prepare(),
    getMeta: db
      .select()
      .from(metaTable)
      .where(eq(metaTable.key, p("key")))
      .prepare(),
    setMeta: db
      .insert(metaTable)
      .values({ key: p("key"), value: p("value") })
      .onConflictDoUpdate({ target: metaTable.key, set: { value: sql`excluded.value` } })
      .prepare(),
    ingestedRevision: db
      .select({ rv: ingestLogTable.rv })
      .from(ingestLogTable)
      .where(and(eq(ingestLogTable.namespace, p("namespace")), eq(ingestLogTable.seq, p("seq"))))
      .prepare(),
    recordIngested: db
      .insert(ingestLogTable)
      .values({ namespace: p("namespace"), seq: p("seq"), rv: p("rv") })
      .prepare(),
    forgetIngestedBefore: db
      .delete(ingestLogTable)
      .where(and(eq(ingestLogTable.namespace, p("namespace")), lt(ingestLogTable.seq, p("seq"))))
      .prepare(),
  };
}

export type Statements = ReturnType<typeof prepareStatements>;
