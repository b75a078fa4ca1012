// ConfigMaps and Secrets the node's pods reference, read through the API with a short cache
// (several containers and volumes of a pod read the same objects; volumes re-read to follow updates).
import type { ConfigMap, Secret } from "kubernetes-types/core/v1";
import type { ApiClient } from "../api/client.ts";
import { isNotFound } from "../api/errors.ts";
import type { Clock } from "../clock.ts";

interface Entry<T> {
  at: number;
  value: Promise<T | null>;
}

export class ReferenceCache {
  private readonly api: ApiClient;
  private readonly clock: Clock;
  private readonly ttlMs: number;
  private readonly entries = new Map<string, Entry<unknown>>();

  constructor(api: ApiClient, clock: Clock, ttlMs = 5_000) {
    this.api = api;
    this.clock = clock;
    this.ttlMs = ttlMs;
  }

  private read<T>(resource: "configmaps" | "secrets", namespace: string, name: string): Promise<T | null> {
    const key = `${resource}/${namespace}/${name}`;
    const now = this.clock.now();
    const cached = this.entries.get(key) as Entry<T> | undefined;
    if (cached && now - cached.at < this.ttlMs) return cached.value;
    const value = this.api
      .get<T>(`/api/v1/namespaces/${encodeURIComponent(namespace)}/${resource}/${encodeURIComponent(name)}`)
      .catch((err) => {
        if (isNotFound(err)) return null;
        this.entries.delete(key);
        throw err;
      });
    this.entries.set(key, { at: now, value });
    if (this.entries.size > 5000) this.entries.delete(this.entries.keys().next().value as string);
    return value;
  }

  configMap(namespace: string, name: string): Promise<ConfigMap | null> {
    return this.read<ConfigMap>("configmaps", namespace, name);
  }

  secret(namespace: string, name: string): Promise<Secret | null> {
    return this.read<Secret>("secrets", namespace, name);
  }
}

/** A ConfigMap's data and binaryData as bytes. */
export function configMapBytes(cm: ConfigMap): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const [key, value] of Object.entries(cm.data ?? {})) out.set(key, Buffer.from(value, "utf8"));
  for (const [key, value] of Object.entries(cm.binaryData ?? {})) out.set(key, Buffer.from(value, "base64"));
  return out;
}

/** A Secret's data (base64) and stringData as bytes. */
export function secretBytes(secret: Secret): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const [key, value] of Object.entries(secret.data ?? {})) out.set(key, Buffer.from(value, "base64"));
  for (const [key, value] of Object.entries(secret.stringData ?? {})) out.set(key, Buffer.from(value, "utf8"));
  return out;
}

export const asStrings = (bytes: Map<string, Buffer>): Record<string, string> =>
  Object.fromEntries([...bytes].map(([key, value]) => [key, value.toString("utf8")]));
