// Each cluster's served kinds as the Worker sees them (built-in + CRDs, cached briefly per isolate).
import { CRD_KEY } from "../api/crd/resource-defs.ts";
import { clusterStore, type Env } from "../durable-objects/env.ts";
import { RemoteCatalog } from "../durable-objects/resources/remote-catalog.ts";

const catalogs = new Map<string, RemoteCatalog>();

export function clusterCatalog(env: Env, cluster: string): RemoteCatalog {
  let catalog = catalogs.get(cluster);
  if (!catalog) {
    catalog = new RemoteCatalog(() => clusterStore(env, cluster).listClusterObjects(CRD_KEY));
    if (catalogs.size > 1000) catalogs.clear();
    catalogs.set(cluster, catalog);
  }
  return catalog;
}
