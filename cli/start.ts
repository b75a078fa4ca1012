// `flotilla start` (npm start): the local control plane on workerd, the `default` cluster,
// and .flotilla/kubeconfig for kubectl and client libraries.
import { kubeconfigPath, rememberServer, rootToken } from "./paths.ts";
import { readKubeconfig, setClusterContext, tokenOf, writeKubeconfig } from "./kubeconfig.ts";
import { startLocalRuntime } from "./local-runtime.ts";
import { RootClient } from "./root-client.ts";
import { startLocalNode } from "./node.ts";

export interface StartOptions {
  host: string;
  port: number;
  cluster: string;
  /** Run a node daemon for this host too (default). */
  node?: boolean;
}

/** Reuses the kubeconfig's token for the cluster if it still works; mints a new one otherwise. */
async function clusterToken(client: RootClient, cluster: string, existing: string | undefined): Promise<string> {
  if (existing && (await client.tokenWorks(cluster, existing))) return existing;
  return client.mintToken(cluster, "admin");
}

export async function start(options: StartOptions): Promise<void> {
  const token = rootToken();
  const runtime = await startLocalRuntime({ host: options.host, port: options.port, rootToken: token });
  const server = runtime.url.replace("://localhost", "://127.0.0.1");
  rememberServer(server);
  const client = new RootClient({ server, token });
  await client.createCluster(options.cluster);

  const path = kubeconfigPath();
  const config = readKubeconfig(path);
  const clusterTokenValue = await clusterToken(client, options.cluster, tokenOf(config, options.cluster));
  writeKubeconfig(
    path,
    setClusterContext(config, {
      context: options.cluster,
      server,
      cluster: options.cluster,
      token: clusterTokenValue,
      current: true,
    }),
  );

  console.log(
    `Flotilla is ready: cluster "${options.cluster}" at ${server}/clusters/${options.cluster} — export KUBECONFIG=${path}`,
  );

  // The host becomes a node of the cluster; stopping leaves its pods running.
  const node = options.node === false ? undefined : startLocalNode({ cluster: options.cluster, kubeconfig: path });

  const stop = async () => {
    await node?.stop();
    await runtime.dispose();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
