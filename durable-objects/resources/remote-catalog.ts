// A cluster's catalog as seen from outside its ClusterStore (the Worker, NamespaceStores):
// the CRDs are fetched over RPC and trusted for a couple of seconds, so a new CRD is served
// within seconds everywhere without a round trip on every request.
import { builtinCatalog, catalogFor, type Catalog } from "../../api/crd/catalog.ts";
import type { KubeObject } from "../../api/types.ts";

const TTL_MS = 2000;
const REFRESH_ON_MISS_MS = 250;

export class RemoteCatalog {
  private readonly load: () => Promise<KubeObject[]>;
  private cached: { catalog: Catalog; at: number } | undefined;

  constructor(load: () => Promise<KubeObject[]>) {
    this.load = load;
  }

  /** What is known now, without waiting (built-in kinds until the CRDs were first fetched). */
  current(): Catalog {
    return this.cached?.catalog ?? builtinCatalog;
  }

  invalidate(): void {
    this.cached = undefined;
  }

  async get(): Promise<Catalog> {
    if (this.cached && Date.now() - this.cached.at < TTL_MS) return this.cached.catalog;
    const catalog = catalogFor(await this.load());
    this.cached = { catalog, at: Date.now() };
    return catalog;
  }

  /** Built-in kinds need no lookup; only unknown ones ask for the cluster's CRDs. */
  async find(group: string, version: string, resource: string) {
    return (
      builtinCatalog.find(group, version, resource) ?? (await this.lookup((c) => c.find(group, version, resource)))
    );
  }

  async byKey(key: string) {
    return builtinCatalog.byKey(key) ?? (await this.lookup((c) => c.byKey(key)));
  }

  /** A miss on a catalog older than a moment refreshes it once: a CRD created just now is found. */
  private async lookup<T>(pick: (catalog: Catalog) => T | undefined): Promise<T | undefined> {
    const found = pick(await this.get());
    if (found !== undefined || !this.cached || Date.now() - this.cached.at < REFRESH_ON_MISS_MS) return found;
    this.invalidate();
    return pick(await this.get());
  }
}
