// `flotilla node`: runs the node daemon on this host, joining it to a cluster.
//   flotilla node --cluster NAME [--name N] [--address IP] [--runtime docker|process]
//                 [--labels k=v,…] [--taints k=v:Effect,…] [--kubeconfig PATH | --server URL --token T]
// With a kubeconfig (default: the local one) and the deployment's root token at hand, it mints
// a node token for itself; otherwise it uses the kubeconfig's token and says so.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { nodeNameFrom, parseLabels, parseTaints } from "../node-daemon/config.ts";
import { errorMessage } from "../node-daemon/log.ts";
import { startNodeDaemon, type NodeDaemon } from "../node-daemon/daemon.ts";
import type { RuntimeName } from "../node-daemon/runtime/types.ts";
import { clusterServer, readKubeconfig } from "./kubeconfig.ts";
import { kubeconfigPath, stateDir } from "./paths.ts";
import { RootClient } from "./root-client.ts";

export const NODE_USAGE =
  "usage: flotilla node --cluster NAME [--name N] [--address IP] [--runtime docker|process] " +
  "[--labels k=v,…] [--taints k=v:Effect,…] [--kubeconfig PATH | --server URL --token T] [--state-dir DIR] [--pod-cidr CIDR]";

interface Credentials {
  /** The cluster's URL (…/clusters/NAME). */
  server: string;
  token: string;
  how: string;
}

/** Splits https://host/clusters/NAME into the deployment's URL and the cluster's. */
function serverFor(url: string, cluster: string): { base: string; cluster: string } {
  const trimmed = url.replace(/\/$/, "");
  const match = /^(.*)\/clusters\/[^/]+$/.exec(trimmed);
  const base = match ? match[1] : trimmed;
  return { base, cluster: match ? trimmed : clusterServer(base, cluster) };
}

function rootTokenIfAny(): string | undefined {
  if (process.env.FLOTILLA_ROOT_TOKEN) return process.env.FLOTILLA_ROOT_TOKEN;
  const file = join(stateDir(), "root-token");
  return existsSync(file) ? readFileSync(file, "utf8").trim() : undefined;
}

/** A node token for `node`: the cached one if it still works, else a fresh one from the root API. */
async function nodeToken(base: string, cluster: string, node: string, dir: string): Promise<string | undefined> {
  const root = rootTokenIfAny();
  if (!root) return undefined;
  const client = new RootClient({ server: base, token: root });
  // The control plane may still be starting (flotilla start): wait for it rather than settle for less.
  for (let attempt = 1; ; attempt++) {
    try {
      const cache = join(dir, "token");
      const cached = existsSync(cache) ? readFileSync(cache, "utf8").trim() : "";
      if (cached && (await client.tokenWorks(cluster, cached))) return cached;
      const token = await client.mintToken(cluster, "node", node);
      mkdirSync(dir, { recursive: true });
      writeFileSync(cache, token + "\n", { mode: 0o600 });
      return token;
    } catch (err) {
      // An answer (this root token is not the deployment's, no such cluster): no node token here.
      if (/\(HTTP \d+\)$/.test(err instanceof Error ? err.message : "")) return undefined;
      const delay = Math.min(30, 2 ** Math.min(attempt, 5));
      console.log(
        `node ${node}: waiting for the control plane at ${base} (${errorMessage(err)}); retrying in ${delay}s`,
      );
      await new Promise((resolve) => setTimeout(resolve, delay * 1000));
    }
  }
}

async function credentials(
  values: { kubeconfig?: string; server?: string; token?: string },
  cluster: string,
  node: string,
  dir: string,
): Promise<Credentials> {
  if (values.server || values.token) {
    if (!values.server || !values.token) throw new Error(`--server and --token go together\n${NODE_USAGE}`);
    return { server: serverFor(values.server, cluster).cluster, token: values.token, how: "the token given" };
  }
  const path = values.kubeconfig ?? kubeconfigPath();
  const config = readKubeconfig(path);
  const context =
    config.contexts.find((c) => c.name === cluster) ??
    config.contexts.find((c) => c.name === config["current-context"]);
  if (!context) throw new Error(`no context for cluster "${cluster}" in ${path}`);
  const server = config.clusters.find((c) => c.name === context.context.cluster)?.cluster.server;
  const token = config.users.find((u) => u.name === context.context.user)?.user.token;
  if (!server || !token) throw new Error(`the context "${context.name}" in ${path} has no server or token`);
  const urls = serverFor(server, cluster);
  const minted = await nodeToken(urls.base, cluster, node, dir);
  if (minted) return { server: urls.cluster, token: minted, how: `a node token for ${node}` };
  return {
    server: urls.cluster,
    token,
    how: `the kubeconfig's token from ${path} (no root token here to mint a node token)`,
  };
}

export async function runNode(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      cluster: { type: "string", default: "default" },
      name: { type: "string" },
      address: { type: "string" },
      runtime: { type: "string" },
      labels: { type: "string" },
      taints: { type: "string" },
      kubeconfig: { type: "string" },
      server: { type: "string" },
      token: { type: "string" },
      "state-dir": { type: "string" },
      "pod-cidr": { type: "string" },
      "watch-transport": { type: "string" },
    },
  });
  if (values.runtime !== undefined && values.runtime !== "docker" && values.runtime !== "process")
    throw new Error(`--runtime must be docker or process\n${NODE_USAGE}`);
  const name = values.name ?? nodeNameFrom(hostname());
  const dir = values["state-dir"] ?? join(stateDir(), "nodes", name);
  const prefix = `node ${name}`;
  let daemon: NodeDaemon | undefined;
  let stopping = false;
  const stop = (why: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${prefix}: ${why}: stopping; pods keep running`);
    if (!daemon) process.exit(0);
    void daemon.stop().finally(() => process.exit(0));
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
  // Started by `flotilla start`: stop with it.
  if (process.send) process.on("disconnect", () => stop("flotilla start exited"));

  const creds = await credentials(values, values.cluster, name, dir);
  console.log(`${prefix}: joining cluster "${values.cluster}" at ${creds.server} with ${creds.how}`);
  daemon = await startNodeDaemon({
    server: creds.server,
    token: creds.token,
    nodeName: name,
    address: values.address,
    runtime: values.runtime as RuntimeName | undefined,
    labels: parseLabels(values.labels),
    taints: parseTaints(values.taints),
    stateDir: dir,
    podCIDR: values["pod-cidr"],
    watchTransport: values["watch-transport"] as "auto" | "websocket" | "http" | undefined,
  });
  if (stopping) await daemon.stop().finally(() => process.exit(0));
}

/**
 * `flotilla start`'s node for the local host: `flotilla node` as a child process (its own
 * event loop; a crash or `kill -9` of it leaves the control plane up), restarted with back-off
 * when it dies. Its progress lines go to this process's output.
 */
export function startLocalNode(options: { cluster: string; kubeconfig: string }): { stop(): Promise<void> } {
  const entry = join(import.meta.dirname, "flotilla.js");
  let child: ChildProcess | undefined;
  let stopping = false;
  let failures = 0;
  let startedAt = 0;
  let restartTimer: NodeJS.Timeout | undefined;
  const launch = () => {
    startedAt = Date.now();
    // The IPC channel tells the child when this process is gone, however it went.
    const node = spawn(
      process.execPath,
      [entry, "node", "--cluster", options.cluster, "--kubeconfig", options.kubeconfig],
      {
        stdio: ["ignore", "inherit", "inherit", "ipc"],
        env: process.env,
      },
    );
    child = node;
    node.on("exit", (code, signal) => {
      if (child === node) child = undefined;
      if (stopping) return;
      failures = Date.now() - startedAt > 60_000 ? 1 : failures + 1;
      const delay = Math.min(30_000, 1000 * 2 ** (failures - 1));
      console.log(`node: the node daemon exited (${signal ?? `code ${code}`}); restarting it in ${delay / 1000}s`);
      restartTimer = setTimeout(launch, delay);
    });
  };
  launch();
  return {
    async stop() {
      stopping = true;
      clearTimeout(restartTimer);
      const running = child;
      if (!running || running.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => running.once("exit", () => resolve()));
      running.kill("SIGTERM");
      const timer = setTimeout(() => running.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
