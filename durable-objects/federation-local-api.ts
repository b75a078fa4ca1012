// The deployment's own API, callable in-process. A federation's members are often logical
// clusters of the same deployment; a Durable Object reaching them through the public hostname would
// leave Cloudflare and come back (or, locally, need to trust the development certificate). The
// Worker registers its request handler here when its module loads; federation controllers call it
// with the member's own bearer token, so authentication and authorization are exactly a client's.
import type { Env } from "./env.ts";

export type ApiHandler = (request: Request, env: Env) => Promise<Response>;

let handler: ApiHandler | undefined;

export function registerLocalApi(serve: ApiHandler): void {
  handler = serve;
}

export function localApi(): ApiHandler {
  if (!handler) throw new Error("the Worker's API handler is not registered in this isolate");
  return handler;
}
