// Bindings of the Worker and its Durable Objects (see wrangler.toml).
import type { ClusterStore } from "./cluster-store.ts";
import type { NodeTunnel } from "./node-tunnel.ts";
import type { NamespaceStore } from "./namespace-store.ts";
import type { RootStore } from "./root-store.ts";

export interface Env {
  NAMESPACE_STORE: DurableObjectNamespace<NamespaceStore>;
  CLUSTER_STORE: DurableObjectNamespace<ClusterStore>;
  ROOT_STORE: DurableObjectNamespace<RootStore>;
  NODE_TUNNEL: DurableObjectNamespace<NodeTunnel>;
  /** The root administrator's bearer token (a wrangler secret in production). */
  ROOT_TOKEN?: string;
  /** How many events of watch history each store keeps before compacting (default below). */
  HISTORY_EVENTS?: string;
  /** Watch keepalive / bookmark intervals in ms (tests shorten them). */
  WATCH_KEEPALIVE_MS?: string;
  WATCH_BOOKMARK_MS?: string;
  /** Hostnames this deployment answers on (comma-separated): federation members there are reached in-process. */
  PUBLIC_HOSTS?: string;
  /** The domain federated Services' DNS names are under (default flotilla.local), and their TTL in seconds. */
  FEDERATION_DNS_DOMAIN?: string;
  FEDERATION_DNS_TTL?: string;
}

export const publicHosts = (env: Env): string[] =>
  (env.PUBLIC_HOSTS ?? "")
    .split(",")
    .map((host) => host.trim())
    .filter(Boolean);

export const historyLimit = (env: Env, fallback: number) => Number(env.HISTORY_EVENTS ?? fallback) || fallback;

export const watchTiming = (env: Env) => ({
  keepaliveMs: Number(env.WATCH_KEEPALIVE_MS ?? 10_000) || 10_000,
  bookmarkMs: Number(env.WATCH_BOOKMARK_MS ?? 60_000) || 60_000,
});

/**
 * idFromName hashes the name on every call (about 1% of a request's CPU here); ids are plain
 * values, so each isolate remembers the ones it has made. Stubs are not cached: a Worker's are
 * tied to the request that made them.
 */
const idCache = new WeakMap<DurableObjectNamespace, Map<string, DurableObjectId>>();
const MAX_CACHED_IDS = 10_000;

function idFor(namespace: DurableObjectNamespace, name: string): DurableObjectId {
  let ids = idCache.get(namespace);
  if (!ids) idCache.set(namespace, (ids = new Map()));
  let id = ids.get(name);
  if (!id) {
    if (ids.size >= MAX_CACHED_IDS) ids.clear();
    ids.set(name, (id = namespace.idFromName(name)));
  }
  return id;
}

export const clusterStore = (env: Env, cluster: string) => env.CLUSTER_STORE.get(idFor(env.CLUSTER_STORE, cluster));

export const namespaceStore = (env: Env, cluster: string, namespace: string) =>
  env.NAMESPACE_STORE.get(idFor(env.NAMESPACE_STORE, `${cluster}/${namespace}`));

export const nodeTunnel = (env: Env, cluster: string, node: string) =>
  env.NODE_TUNNEL.get(idFor(env.NODE_TUNNEL, `${cluster}/${node}`));

export const rootStore = (env: Env) => env.ROOT_STORE.get(idFor(env.ROOT_STORE, "root"));

/** Headers the Worker sets when it forwards a request to a store (stores are reachable only through it). */
export const STORE_HEADERS = { cluster: "x-flotilla-cluster", namespace: "x-flotilla-namespace" } as const;
