import { defineConfig } from "drizzle-kit";

// Migrations for the object stores (NamespaceStore and ClusterStore share one schema).
export default defineConfig({
  dialect: "sqlite",
  driver: "durable-sqlite",
  schema: "./durable-objects/storage/schema.ts",
  out: "./durable-objects/storage/migrations",
});
