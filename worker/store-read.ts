// Reads the Worker itself makes from a cluster's stores (to find a pod's node, to list nodes
// for metrics): a GET to the store that owns the path, with the identity headers stores expect.
import type { Context } from "hono";
import { clusterStore, namespaceStore, STORE_HEADERS } from "../durable-objects/env.ts";
import type { WorkerEnv } from "./context.ts";

/** GET `path` (e.g. /api/v1/namespaces/x/pods/y) from the namespace's store, or the ClusterStore. */
export function storeGet(c: Context<WorkerEnv>, path: string, namespace?: string): Promise<Response> {
  const cluster = c.get("cluster");
  const headers = new Headers({ [STORE_HEADERS.cluster]: cluster });
  if (namespace) headers.set(STORE_HEADERS.namespace, namespace);
  const store = namespace ? namespaceStore(c.env, cluster, namespace) : clusterStore(c.env, cluster);
  return store.fetch(new Request(`https://store.flotilla.internal${path}`, { headers }));
}
