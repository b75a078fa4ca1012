// Resource requests: find the kind, pick the Durable Object that owns the objects, forward.
import type { Context } from "hono";
import { pathNotFound } from "../../api/errors.ts";
import { bufferedBody, refuseOversized } from "../../durable-objects/api-server/body.ts";
import { CRD_KEY } from "../../api/crd/resource-defs.ts";
import { resourceKey } from "../../api/registry/index.ts";
import { parseResourcePath } from "../../api/request/route.ts";
import { clusterStore, namespaceStore, STORE_HEADERS } from "../../durable-objects/env.ts";
import { authorize, setIdentityHeaders } from "../authz.ts";
import { clusterCatalog } from "../catalog.ts";
import type { WorkerEnv } from "../context.ts";

/** Subresources served by the stores themselves; the others need a node (#6) and are not served yet. */
const STORED_SUBRESOURCES = new Set(["status", "scale", "binding", "eviction", "ephemeralcontainers"]);

export async function forwardResourceRequest(c: Context<WorkerEnv>, restPath: string): Promise<Response> {
  const path = parseResourcePath(restPath);
  const catalog = clusterCatalog(c.env, c.get("cluster"));
  const def = path && (await catalog.find(path.group, path.version, path.resource));
  if (!path || !def) throw pathNotFound();
  if (path.subresource !== undefined && !STORED_SUBRESOURCES.has(path.subresource)) throw pathNotFound();
  // Refuse an oversized body here, before a Durable Object is involved (kube-apiserver's 3 MiB).
  await refuseOversized(c.req.raw);
  const credential = c.get("credential");
  const { bodyText } = await authorize(credential, c.req.raw, def, path);

  const cluster = c.get("cluster");
  const url = new URL(c.req.url);
  const target = new URL(restPath + url.search, "https://store.flotilla.internal");
  const headers = new Headers(c.req.raw.headers);
  headers.set(STORE_HEADERS.cluster, cluster);
  if (def.namespaced && path.namespace !== undefined) headers.set(STORE_HEADERS.namespace, path.namespace);
  setIdentityHeaders(headers, credential);
  const body = bodyText ?? (await bufferedBody(c.req.raw));
  if (bodyText !== undefined) headers.delete("content-length");
  const forwarded = new Request(target, { method: c.req.method, headers, body });
  // A CRD written through this isolate is served by it at once.
  if (c.req.method !== "GET" && resourceKey(def) === CRD_KEY) catalog.invalidate();
  const store =
    def.namespaced && path.namespace !== undefined
      ? namespaceStore(c.env, cluster, path.namespace)
      : clusterStore(c.env, cluster);
  return store.fetch(forwarded);
}
