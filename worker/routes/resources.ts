// Resource requests: find the kind, pick the Durable Object that owns the objects, forward.
import type { Context } from "hono";
import { forbidden, pathNotFound } from "../../api/errors.ts";
import { CRD_KEY } from "../../api/crd/resource-defs.ts";
import { resourceKey } from "../../api/registry/index.ts";
import { parseResourcePath } from "../../api/request/route.ts";
import { clusterStore, namespaceStore, STORE_HEADERS } from "../../durable-objects/env.ts";
import { clusterCatalog } from "../catalog.ts";
import type { WorkerEnv } from "../context.ts";

/** Subresources served by the stores themselves; the others need a node (#4/#6) and are not served yet. */
const STORED_SUBRESOURCES = new Set(["status", "scale"]);

export async function forwardResourceRequest(c: Context<WorkerEnv>, restPath: string): Promise<Response> {
  const path = parseResourcePath(restPath);
  const catalog = clusterCatalog(c.env, c.get("cluster"));
  const def = path && (await catalog.find(path.group, path.version, path.resource));
  if (!path || !def) throw pathNotFound();
  if (path.subresource !== undefined && !STORED_SUBRESOURCES.has(path.subresource)) throw pathNotFound();
  const credential = c.get("credential");
  if (credential.role !== "admin")
    throw forbidden(`User "${credential.subject ?? "node"}" cannot access ${def.resource}`);

  const cluster = c.get("cluster");
  const url = new URL(c.req.url);
  const target = new URL(restPath + url.search, "https://store.flotilla.internal");
  const headers = new Headers(c.req.raw.headers);
  headers.set(STORE_HEADERS.cluster, cluster);
  if (def.namespaced && path.namespace !== undefined) headers.set(STORE_HEADERS.namespace, path.namespace);
  const forwarded = new Request(target, { method: c.req.method, headers, body: c.req.raw.body });
  // A CRD written through this isolate is served by it at once.
  if (c.req.method !== "GET" && resourceKey(def) === CRD_KEY) catalog.invalidate();
  const store =
    def.namespaced && path.namespace !== undefined
      ? namespaceStore(c.env, cluster, path.namespace)
      : clusterStore(c.env, cluster);
  return store.fetch(forwarded);
}
