// A real node daemon under test, as its own process (`node cli/flotilla.js node …`): its RSS and
// CPU are read from /proc without the bench's own counted in. Whatever it leaves on the host
// (containers, host processes, network namespaces, the bridge) is removed afterwards through the
// runtime's own code, so a failed run cleans up as well as a good one.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, openSync, readFileSync, closeSync } from "node:fs";
import { join } from "node:path";
import { silentLogger } from "../../node-daemon/log.ts";
import { realClock } from "../../node-daemon/clock.ts";
import { selectRuntime } from "../../node-daemon/runtime/select.ts";
import type { RuntimeName } from "../../node-daemon/runtime/types.ts";
import { shortHash } from "../../node-daemon/util/hash.ts";
import { projectRoot } from "../../cli/paths.ts";

export interface NodeProcessOptions {
  /** The cluster's URL (…/clusters/NAME). */
  server: string;
  token: string;
  name: string;
  runtime: RuntimeName;
  stateDir: string;
  address: string;
}

export interface NodeProcess {
  pid: number;
  /** The daemon's output so far (for a failure report). */
  output(): string;
  /** SIGTERM, then SIGKILL after 10 s; pods keep running (the daemon's contract). */
  stop(): Promise<void>;
}

export function startNodeProcess(options: NodeProcessOptions): NodeProcess {
  mkdirSync(options.stateDir, { recursive: true });
  const logFile = join(options.stateDir, "daemon.log");
  const out = openSync(logFile, "a");
  let child: ChildProcess;
  try {
    child = spawn(
      process.execPath,
      [
        join(projectRoot, "cli", "flotilla.js"),
        "node",
        "--server",
        options.server,
        "--token",
        options.token,
        "--name",
        options.name,
        "--runtime",
        options.runtime,
        "--state-dir",
        options.stateDir,
        "--address",
        options.address,
      ],
      { stdio: ["ignore", out, out], env: process.env },
    );
  } finally {
    closeSync(out);
  }
  if (child.pid === undefined) throw new Error("the node daemon did not start");
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    pid: child.pid,
    output: () => {
      try {
        return readFileSync(logFile, "utf8");
      } catch {
        return "";
      }
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Removes every container and sandbox the node left behind and, for the process runtime, its
 * network (namespaces, bridge, iptables rules). Run after the daemon has stopped.
 */
export async function wipeNode(options: NodeProcessOptions): Promise<{ containers: number; sandboxes: number }> {
  const runtime = await selectRuntime({
    runtime: options.runtime,
    nodeName: options.name,
    // Must match what the daemon derived (daemon.ts): the labels and names depend on it.
    clusterKey: shortHash(options.server.replace(/\/$/, ""), 12),
    hostIP: options.address,
    stateDir: options.stateDir,
    clock: realClock,
    logger: silentLogger,
  });
  await runtime.init();
  try {
    const containers = await runtime.listContainers();
    for (const c of containers) {
      if (c.state === "running") await runtime.stopContainer(c.id, 0);
      await runtime.removeContainer(c.id);
    }
    const sandboxes = await runtime.listSandboxes();
    for (const s of sandboxes) {
      await runtime.stopSandbox(s.id);
      await runtime.removeSandbox(s.id);
    }
    const network = runtime as { removeStrayNetworks?: () => Promise<void>; removeNetwork?: () => Promise<void> };
    await network.removeStrayNetworks?.();
    await network.removeNetwork?.();
    return { containers: containers.length, sandboxes: sandboxes.length };
  } finally {
    await runtime.close();
  }
}
