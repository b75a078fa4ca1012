// Authentication: bearer tokens. The root administrator's token (a secret) reaches every
// cluster and the cluster registry; every other token belongs to exactly one cluster.
import { unauthorized } from "../api/errors.ts";
import type { Credential } from "../api/tenancy/logical-cluster.ts";
import { rootStore, type Env } from "../durable-objects/env.ts";
import { constantTimeEqual } from "../durable-objects/tokens.ts";

/** Verified tokens, per isolate: checked against the RootStore every 10 s at most (a revoked token stops working within that). */
const CACHE_MS = 10_000;
const cache = new Map<string, { credential: Credential | null; at: number }>();

export function bearerToken(request: Request): string | undefined {
  const header = request.headers.get("authorization");
  const match = header ? /^Bearer\s+(.+)$/i.exec(header.trim()) : null;
  return match ? match[1].trim() : undefined;
}

export const isRootToken = (env: Env, token: string | undefined) =>
  token !== undefined &&
  env.ROOT_TOKEN !== undefined &&
  env.ROOT_TOKEN !== "" &&
  constantTimeEqual(token, env.ROOT_TOKEN);

/** A token's verdict from the RootStore, remembered for CACHE_MS under `key`. */
async function cachedCredential(key: string, lookup: () => Promise<Credential | null>): Promise<Credential | null> {
  const cached = cache.get(key);
  if (cached && Date.now() - cached.at < CACHE_MS) return cached.credential;
  const credential = await lookup();
  cache.set(key, { credential, at: Date.now() });
  if (cache.size > 10_000) cache.delete(cache.keys().next().value as string);
  return credential;
}

/** The credential for a request to `cluster`, or a 401. */
export async function authenticate(env: Env, request: Request, cluster: string): Promise<Credential> {
  const token = bearerToken(request);
  if (token === undefined) throw unauthorized();
  if (isRootToken(env, token)) return { cluster: "*", role: "admin" };
  const credential = await cachedCredential(`${cluster}\u0000${token}`, () =>
    rootStore(env).verifyToken(cluster, token),
  );
  if (!credential || credential.cluster !== cluster) throw unauthorized();
  return credential;
}

/**
 * The cluster a request without a /clusters/<name> prefix is for: its token's cluster, or
 * "default" for the root administrator. kubectl sends such requests for `get --raw`, whose path
 * replaces the kubeconfig server's path instead of joining it.
 */
export async function clusterOfToken(env: Env, request: Request): Promise<string> {
  const token = bearerToken(request);
  if (token === undefined) throw unauthorized();
  if (isRootToken(env, token)) return DEFAULT_CLUSTER;
  const credential = await cachedCredential(`\u0000any\u0000${token}`, () => rootStore(env).credentialOf(token));
  if (!credential) throw unauthorized();
  return credential.cluster;
}

const DEFAULT_CLUSTER = "default";

export function requireRoot(env: Env, request: Request): void {
  if (!isRootToken(env, bearerToken(request))) throw unauthorized();
}

/** Forget cached verdicts for a cluster (it was deleted). */
export function forgetCluster(cluster: string): void {
  for (const key of cache.keys()) if (key.startsWith(`${cluster}\u0000`)) cache.delete(key);
}
