// Ephemeral containers on the real runtimes: the process runtime marks them in its records and a
// restarted runtime still knows them; Docker labels them and shares the target's PID namespace
// (the Docker part runs when an engine and the test image local/busybox:1 are there).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { realClock } from "../../node-daemon/clock.ts";
import { silentLogger } from "../../node-daemon/log.ts";
import { DockerClient } from "../../node-daemon/runtime/docker/client.ts";
import { DockerRuntime } from "../../node-daemon/runtime/docker/runtime.ts";
import { ProcessRuntime } from "../../node-daemon/runtime/process/runtime.ts";
import type { ContainerConfig, ContainerRuntime, PodRef, SandboxInfo } from "../../node-daemon/runtime/types.ts";

const IMAGE = "local/busybox:1";

function config(
  pod: PodRef,
  dir: string,
  name: string,
  command: string[],
  over: Partial<ContainerConfig> = {},
): ContainerConfig {
  return {
    pod,
    name,
    attempt: 0,
    init: false,
    ephemeral: false,
    image: IMAGE,
    command,
    env: [],
    mounts: [],
    tty: false,
    stdin: false,
    stdinOnce: false,
    resources: {},
    privileged: false,
    readOnlyRootFilesystem: false,
    logPath: join(dir, "logs", name, "0.log"),
    specHash: "h",
    ...over,
  };
}

/** Polls the runtime (no fixed sleeps) until the container has exited. */
async function exited(runtime: ContainerRuntime, id: string) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const status = await runtime.containerStatus(id);
    if (status?.state === "exited") return status;
    if (Date.now() > deadline) throw new Error(`container ${id} did not exit`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function cleanUp(runtime: ContainerRuntime, uid: string, sandbox?: SandboxInfo) {
  for (const c of await runtime.listContainers(uid)) {
    await runtime.stopContainer(c.id, 0).catch(() => {});
    await runtime.removeContainer(c.id).catch(() => {});
  }
  if (sandbox) {
    await runtime.stopSandbox(sandbox.id).catch(() => {});
    await runtime.removeSandbox(sandbox.id).catch(() => {});
  }
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

describe("process runtime", () => {
  const make = (dir: string) =>
    new ProcessRuntime({
      nodeKey: "eph",
      hostIP: "127.0.0.1",
      dir: join(dir, "runtime"),
      clock: realClock,
      logger: silentLogger,
      isolateMounts: false,
    });

  it("records ephemeral containers as such, across a restart of the runtime", async () => {
    const dir = mkdtempSync(join(tmpdir(), "flotilla-eph-process-"));
    const pod = { uid: `eph-${process.pid}`, name: "web", namespace: "default" };
    let runtime = make(dir);
    await runtime.init();
    const sandbox = await runtime.runSandbox({ pod, attempt: 0, hostname: "web", hostNetwork: false, podDir: dir });
    cleanups.push(async () => {
      await cleanUp(runtime, pod.uid, sandbox);
      await runtime.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const app = await runtime.createContainer(sandbox, config(pod, dir, "app", ["sleep", "30"]));
    await runtime.startContainer(app);
    const debug = await runtime.createContainer(
      sandbox,
      config(pod, dir, "debugger", ["sh", "-c", "exit 3"], { ephemeral: true, pidTargetId: app }),
    );
    await runtime.startContainer(debug);
    expect(await exited(runtime, debug)).toMatchObject({ ephemeral: true, init: false, exitCode: 3, reason: "Error" });

    await runtime.close();
    runtime = make(dir);
    await runtime.init();
    const found = await runtime.listContainers(pod.uid);
    expect(found.map((c) => [c.name, c.ephemeral, c.state]).sort()).toEqual([
      ["app", false, "running"],
      ["debugger", true, "exited"],
    ]);
  });
});

async function dockerWithImage(): Promise<boolean> {
  const docker = new DockerClient();
  try {
    if (!docker.plausible) return false;
    await docker.negotiate();
    await docker.json("GET", `/images/${encodeURIComponent(IMAGE)}/json`);
    return true;
  } catch {
    return false;
  } finally {
    await docker.close();
  }
}

describe.skipIf(!(await dockerWithImage()))("docker runtime", () => {
  const make = (key: string) =>
    new DockerRuntime({
      nodeName: "eph-node",
      clusterKey: key,
      hostIP: "127.0.0.1",
      clock: realClock,
      logger: silentLogger,
    });

  it("labels ephemeral containers and shares the target's process namespace", { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "flotilla-eph-docker-"));
    const key = `eph-${process.pid}-${Date.now()}`;
    const pod = { uid: key, name: "web", namespace: "default" };
    let runtime = make(key);
    await runtime.init();
    const sandbox = await runtime.runSandbox({ pod, attempt: 0, hostname: "web", hostNetwork: false, podDir: dir });
    cleanups.push(async () => {
      await cleanUp(runtime, pod.uid, sandbox);
      await runtime.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const app = await runtime.createContainer(sandbox, config(pod, dir, "app", ["sleep", "300"]));
    await runtime.startContainer(app);
    // Sees the target's `sleep 300` only when it shares its PID namespace.
    const look = ["sh", "-c", "ps | grep -v grep | grep -q 'sleep 300'"];
    const debug = await runtime.createContainer(
      sandbox,
      config(pod, dir, "debugger", look, { ephemeral: true, pidTargetId: app }),
    );
    await runtime.startContainer(debug);
    expect(await exited(runtime, debug)).toMatchObject({ ephemeral: true, exitCode: 0, sandboxId: sandbox.id });
    // Without a target it has a PID namespace of its own.
    const alone = await runtime.createContainer(sandbox, config(pod, dir, "alone", look, { ephemeral: true }));
    await runtime.startContainer(alone);
    expect(await exited(runtime, alone)).toMatchObject({ ephemeral: true, exitCode: 1 });

    await runtime.close();
    runtime = make(key);
    await runtime.init();
    const found = await runtime.listContainers(pod.uid);
    expect(found.map((c) => [c.name, c.ephemeral]).sort()).toEqual([
      ["alone", true],
      ["app", false],
      ["debugger", true],
    ]);
  });
});
