// Hono typing shared by the Worker's routes.
import type { Credential } from "../api/tenancy/logical-cluster.ts";
import type { Env } from "../durable-objects/env.ts";

export interface WorkerEnv {
  Bindings: Env;
  Variables: { cluster: string; credential: Credential };
}
