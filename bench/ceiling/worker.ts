// The reference the control plane's writes are compared with: the least a write can cost on
// this runtime. GET /bare answers from the Worker; POST /do/<name> forwards the request to the
// Durable Object <name>, which inserts the body into SQLite and answers 201 with the row id.
import { DurableObject } from "cloudflare:workers";

interface CeilingEnv {
  CEILING: DurableObjectNamespace<CeilingStore>;
}

export class CeilingStore extends DurableObject<CeilingEnv> {
  constructor(ctx: DurableObjectState, env: CeilingEnv) {
    super(ctx, env);
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS kv (id INTEGER PRIMARY KEY, k TEXT NOT NULL, v TEXT NOT NULL)");
  }

  async fetch(request: Request): Promise<Response> {
    const value = await request.text();
    const key = new URL(request.url).pathname;
    const row = this.ctx.storage.sql.exec("INSERT INTO kv (k, v) VALUES (?, ?) RETURNING id", key, value).one();
    return new Response(JSON.stringify({ id: row.id }), {
      status: 201,
      headers: { "content-type": "application/json" },
    });
  }
}

export default {
  async fetch(request: Request, env: CeilingEnv): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === "/bare") return new Response("ok");
    const match = /^\/do\/([^/]+)$/.exec(url.pathname);
    if (!match) return new Response("not found", { status: 404 });
    const stub = env.CEILING.get(env.CEILING.idFromName(match[1]));
    return stub.fetch(new Request(new URL(url.pathname, "https://ceiling.internal"), request));
  },
} satisfies ExportedHandler<CeilingEnv>;
