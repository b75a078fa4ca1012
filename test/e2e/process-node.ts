// A logical cluster of its own with one in-process node daemon (process runtime) for an end-to-end
// file: real kubectl drives it, and no other file's nodes take its pods. Teardown deletes the
// file's namespaces first (so the node stops their pods), then the node, its network and the cluster.
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { inject } from "vitest";
import type { NodeDaemonOptions } from "../../node-daemon/config.ts";
import { startNodeDaemon, type NodeDaemon } from "../../node-daemon/daemon.ts";
import { silentLogger } from "../../node-daemon/log.ts";
import type { ProcessRuntime } from "../../node-daemon/runtime/process/runtime.ts";
import { kubeconfigFor, rootClient } from "./clusters.ts";
import { eventually, kubectl, kubectlOk, type KubectlOptions } from "./kubectl.ts";
import { drainRuntime } from "./node-cleanup.ts";

export interface ProcessNode {
  daemon: NodeDaemon;
  /** The daemon's state directory (pod volumes, logs, runtime records). */
  stateDir: string;
  /** kubectl options with the cluster admin's kubeconfig. */
  options: KubectlOptions;
  /** Tears down the given namespaces, the node and the cluster. */
  stop(namespaces: string[]): Promise<void>;
}

/**
 * Creates `cluster`, starts node `node` on `podCIDR` (a bridge range no other file uses) and waits
 * until kubectl sees it Ready. `extra` passes daemon options through (e.g. a short relistMs).
 */
export async function startProcessNode(
  cluster: string,
  node: string,
  podCIDR: string,
  extra: Partial<NodeDaemonOptions> = {},
): Promise<ProcessNode> {
  const root = rootClient();
  await root.createCluster(cluster);
  const options: KubectlOptions = { kubeconfig: kubeconfigFor(cluster, await root.mintToken(cluster, "admin")) };
  const stateDir = mkdtempSync(join(inject("workDir"), `${node}-`));
  const daemon = await startNodeDaemon({
    server: `${inject("server")}/clusters/${cluster}`,
    token: await root.mintToken(cluster, "node", node),
    nodeName: node,
    runtime: "process",
    stateDir,
    address: "127.0.0.1",
    podCIDR,
    logger: silentLogger,
    ...extra,
  });
  await eventually(
    async () => new RegExp(`${node}\\s+Ready\\s`).test(await kubectlOk(["get", "nodes"], options)),
    30_000,
    "the node Ready",
  );
  const stop = async (namespaces: string[]) => {
    await Promise.all(
      namespaces.map((ns) => kubectl(["delete", "ns", ns, "--ignore-not-found", "--timeout=60s"], options)),
    );
    const runtime = daemon.runtime;
    await drainRuntime(runtime);
    await daemon.stop();
    await (runtime as ProcessRuntime).removeNetwork();
    await root.deleteCluster(cluster).catch(() => {});
  };
  return { daemon, stateDir, options, stop };
}
