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

export interface BenchRuntime {
  /** http(s)://127.0.0.1:<port> */
  url: string;
  /** The workerd process serving it. */
  pid: number | undefined;
  /** The cluster "bench" and a token of its admin. */
  token: string;
  /** Mints more tokens of the cluster (node daemons). */
  root: RootClient;
  /** The root administrator's token (any cluster). */
  rootToken: string;
  dispose: () => Promise<void>;
}

/**
 * The production bundle on workerd with fresh state under `workDir` (the wrangler build too:
 * cli/paths.ts puts it under $FLOTILLA_HOME, kept out of the project), plus the cluster "bench".
 */
export async function startBenchRuntime(
  workDir: string,
  options: {
    https?: boolean;
    state?: string;
    bindings?: Record<string, string>;
    inspectorPort?: number;
    separateClusterStore?: boolean;
  } = {},
): Promise<BenchRuntime> {
  process.env.FLOTILLA_HOME = join(workDir, "home");
  const rootToken = "bench-root-" + Math.random().toString(36).slice(2);
  const before = childPids(process.pid, "workerd");
  const runtime = await startLocalRuntime({
    host: "127.0.0.1",
    port: 0,
    rootToken,
    persistTo: join(workDir, options.state ?? "state"),
    https: options.https ?? false,
    ...(options.bindings ? { bindings: options.bindings } : {}),
    ...(options.inspectorPort !== undefined ? { inspectorPort: options.inspectorPort } : {}),
    ...(options.separateClusterStore ? { separateClusterStore: true } : {}),
  });
  const url = runtime.url.replace("://localhost", "://127.0.0.1");
  const pid = newWorkerdPid(before);
  const root = new RootClient({ server: url, token: rootToken });
  await root.createCluster(CLUSTER);
  const token = await root.mintToken(CLUSTER, "admin");
  return { url, pid, token, root, rootToken, dispose: runtime.dispose };
}

export async function startControlPlane(workDir: string, https: boolean): Promise<ControlPlane> {
  const inspectorPort = await freePort();
  const { url, pid, token, dispose } = await startBenchRuntime(workDir, { https, inspectorPort });
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

  return { url, pid, inspectorPort, headers, configMapsPath, createNamespaces, dispose };
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
