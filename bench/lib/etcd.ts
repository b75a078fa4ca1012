// Debian's etcd as the reference store: one member, fresh data directory, loopback ports.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

export interface EtcdServer {
  url: string;
  pid: number | undefined;
  version: string;
  stop: () => Promise<void>;
}

export async function freePort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The etcd binary's version, or undefined when it is not installed. */
export function etcdVersion(binary = "etcd"): string | undefined {
  const result = spawnSync(binary, ["--version"], { encoding: "utf8" });
  if (result.status !== 0 || result.error) return undefined;
  return /etcd Version:\s*(\S+)/.exec(result.stdout)?.[1] ?? "unknown";
}

export async function startEtcd(dataRoot: string, binary = "etcd"): Promise<EtcdServer> {
  const version = etcdVersion(binary);
  if (version === undefined) throw new Error(`${binary} is not installed (apt-get install etcd-server)`);
  const clientPort = await freePort();
  const peerPort = await freePort();
  const url = `http://127.0.0.1:${clientPort}`;
  const child: ChildProcess = spawn(
    binary,
    [
      "--name",
      "bench",
      "--data-dir",
      join(dataRoot, "etcd"),
      "--listen-client-urls",
      url,
      "--advertise-client-urls",
      url,
      "--listen-peer-urls",
      `http://127.0.0.1:${peerPort}`,
      "--initial-advertise-peer-urls",
      `http://127.0.0.1:${peerPort}`,
      "--initial-cluster",
      `bench=http://127.0.0.1:${peerPort}`,
      "--log-level",
      "error",
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
  };
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`etcd exited (${child.exitCode}):\n${stderr}`);
    try {
      const response = await fetch(`${url}/health`);
      const health = (await response.json()) as { health?: string };
      if (health.health === "true") break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`etcd did not become healthy:\n${stderr}`);
    }
    await sleep(100);
  }
  return { url, pid: child.pid, version, stop };
}
