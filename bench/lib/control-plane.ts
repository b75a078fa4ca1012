// The control plane under test: the production bundle on workerd (cli/local-runtime.ts), fresh
// state in a temp directory, an ephemeral loopback port; plus a cluster, a token and namespaces.
import { createServer, type AddressInfo } from "node:net";
import { join } from "node:path";
import { startLocalRuntime } from "../../cli/local-runtime.ts";
import { RootClient } from "../../cli/root-client.ts";
import { openPool, sendOne } from "./load.ts";
import { childPids, newWorkerdPid } from "./proc.ts";

export const CLUSTER = "bench";

export interface ControlPlane {
  url: string;
  /** The workerd process serving it (its RSS is measured). */
  pid: number | undefined;
  /** Its V8 inspector (the isolate's heap is measured through it). */
  inspectorPort: number;
  /** Headers every API request carries (the cluster admin's bearer token). */
  headers: Record<string, string>;
  /** `/clusters/bench/api/v1/namespaces/<ns>/configmaps[/<name>]` */
  configMapsPath: (namespace: string, name?: string) => string;
  createNamespaces: (names: string[]) => Promise<void>;
  dispose: () => Promise<void>;
}

/** A port free right now on loopback (for workerd's inspector, which needs a number up front). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function startControlPlane(workDir: string, https: boolean): Promise<ControlPlane> {
  // cli/paths.ts puts the wrangler build under $FLOTILLA_HOME: keep it out of the project.
  process.env.FLOTILLA_HOME = join(workDir, "home");
  const rootToken = "bench-root-" + Math.random().toString(36).slice(2);
  const before = childPids(process.pid, "workerd");
  const inspectorPort = await freePort();
  const runtime = await startLocalRuntime({
    host: "127.0.0.1",
    port: 0,
    rootToken,
    persistTo: join(workDir, "state"),
    https,
    inspectorPort,
  });
  const url = runtime.url.replace("://localhost", "://127.0.0.1");
  const pid = newWorkerdPid(before);
  const root = new RootClient({ server: url, token: rootToken });
  await root.createCluster(CLUSTER);
  const token = await root.mintToken(CLUSTER, "admin");
  const headers = { authorization: `Bearer ${token}`, accept: "application/json", "content-type": "application/json" };
  const configMapsPath = (namespace: string, name?: string) =>
    `/clusters/${CLUSTER}/api/v1/namespaces/${namespace}/configmaps` + (name === undefined ? "" : `/${name}`);

  const createNamespaces = async (names: string[]) => {
    const pool = openPool(url, 4);
    try {
      for (const name of names) {
        const result = await sendOne(pool, {
          method: "POST",
          path: `/clusters/${CLUSTER}/api/v1/namespaces`,
          headers,
          body: JSON.stringify({ apiVersion: "v1", kind: "Namespace", metadata: { name } }),
        });
        if (result.status !== 201) throw new Error(`creating namespace ${name}: ${result.status} ${result.text}`);
      }
    } finally {
      await pool.close();
    }
  };

  return { url, pid, inspectorPort, headers, configMapsPath, createNamespaces, dispose: runtime.dispose };
}

/** A ConfigMap of about 0.7 KB of JSON, the size of a typical small application config. */
export function configMap(
  namespace: string,
  name: string,
  revision: number,
  annotations: Record<string, string> = {},
): string {
  return JSON.stringify({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: {
      name,
      namespace,
      labels: { app: "bench", tier: "config", shard: String(revision % 8) },
      annotations: { "bench.flotilla.dev/owner": "load-generator", ...annotations },
    },
    data: {
      "settings.yaml": `replicas: 3\nlogLevel: info\nrevision: ${revision}\n` + "feature: enabled\n".repeat(12),
      endpoint: "https://backend.example.internal:8443/api",
      timeout: "30s",
    },
  });
}
