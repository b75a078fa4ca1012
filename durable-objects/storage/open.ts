// Opens a store's SQLite through drizzle and applies the generated migrations.
import { drizzle, type DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import { migrate } from "drizzle-orm/durable-sqlite/migrator";
import migrations from "./migrations/migrations.js";
import { ObjectStore } from "./object-store.ts";

export async function openObjectStore(storage: DurableObjectStorage): Promise<ObjectStore> {
  const db: DrizzleSqliteDODatabase = drizzle(storage);
  try {
    await migrate(db, migrations);
  } catch (err) {
    // drizzle reports a failed migration only as "Rollback": say which store and why.
    console.error("object store migration failed", err);
    throw err;
  }
  return new ObjectStore(db, storage.sql);
}
