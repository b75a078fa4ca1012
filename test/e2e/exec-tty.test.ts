// `kubectl exec -it` (a terminal, its size, exit codes) and `kubectl attach` through the node's
// tunnel, with real kubectl and an in-process node daemon: Docker (when an engine answers and the
// test image local/busybox:1 is present) and host processes (as root). kubectl only asks for a
// terminal when its own stdin is one, so it runs under util-linux `script`, sized with stty first.
// The file has a logical cluster of its own so no other file's nodes take its pods.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startNodeDaemon, type NodeDaemon } from "../../node-daemon/daemon.ts";
import { silentLogger } from "../../node-daemon/log.ts";
import { shellQuote } from "../../node-daemon/runtime/process/terminal.ts";
import type { ProcessRuntime } from "../../node-daemon/runtime/process/runtime.ts";
import type { RuntimeName } from "../../node-daemon/runtime/types.ts";
import { call, kubeconfigFor, rootClient } from "./clusters.ts";
import { createNamespace, eventually, kubectl, kubectlBinary, kubectlOk, type KubectlOptions } from "./kubectl.ts";

type Obj = Record<string, any>;

const CLUSTER = "exec-tty";
const NAMESPACE = "tty";
const IMAGE = "local/busybox:1";

const hasScript = spawnSync("sh", ["-c", "command -v script"]).status === 0;
const dockerReady =
  existsSync("/var/run/docker.sock") &&
  spawnSync("docker", ["image", "inspect", IMAGE], { stdio: "ignore" }).status === 0;
const isRoot = process.getuid?.() === 0;
/**
 * Docker takes an exec's terminal size with its start from API 1.42 (Docker 23); older engines
 * resize it only once the process runs, so a command that asks at once may still see 0x0.
 */
const dockerSizesAtStart = (() => {
  const version = spawnSync("docker", ["version", "--format", "{{.Server.APIVersion}}"], { encoding: "utf8" });
  const [major, minor] = version.stdout.trim().split(".").map(Number);
  return major > 1 || minor >= 42;
})();

let options: KubectlOptions;
let adminToken: string;

beforeAll(async () => {
  await rootClient().createCluster(CLUSTER);
  adminToken = await rootClient().mintToken(CLUSTER, "admin");
  options = { kubeconfig: kubeconfigFor(CLUSTER, adminToken) };
  await createNamespace(NAMESPACE, options);
});

const ok = (args: string[], input?: string) => kubectlOk(["-n", NAMESPACE, ...args], { ...options, input });
const run = (args: string[], version?: string) => kubectl(["-n", NAMESPACE, ...args], { ...options, version });

/** kubectl on a terminal of its own (`script`), which the test types into and reads from. */
interface Terminal {
  child: ChildProcess;
  /** Everything printed so far, carriage returns dropped. */
  output(): string;
  type(text: string): void;
  /** Resizes kubectl's terminal: the kernel signals SIGWINCH to it, as a terminal window would. */
  resize(rows: number, cols: number): void;
  /**
   * SIGWINCH again. stty sets rows and columns one after the other, and kubectl drops a size while
   * it is still sending the previous one: on another signal it sends the current size again.
   */
  resignal(): void;
  exited: Promise<number>;
}

const terminals = new Set<ChildProcess>();

function onTerminal(args: string[], size: { rows: number; cols: number }, version?: string): Terminal {
  const kubectlLine = [kubectlBinary(version), "-n", NAMESPACE, ...args].map(shellQuote).join(" ");
  const child = spawn(
    "script",
    ["-qfec", `stty rows ${size.rows} cols ${size.cols}; exec ${kubectlLine}`, "/dev/null"],
    {
      env: { ...process.env, KUBECONFIG: options.kubeconfig, HOME: inject("workDir"), SHELL: "/bin/sh" },
      stdio: ["pipe", "pipe", "pipe"],
    },
  );
  terminals.add(child);
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString("utf8").replace(/\r/g, "")));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString("utf8").replace(/\r/g, "")));
  const exited = new Promise<number>((resolve) =>
    child.on("close", (code) => {
      terminals.delete(child);
      resolve(code ?? -1);
    }),
  );
  const kubectlPid = () =>
    Number(readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, "utf8").trim().split(/\s+/)[0]);
  return {
    child,
    output: () => output,
    type: (text) => child.stdin!.write(text),
    resize: (rows, cols) => {
      // script's child (kubectl) has the terminal as its stdin.
      spawnSync("stty", ["-F", `/proc/${kubectlPid()}/fd/0`, "rows", String(rows), "cols", String(cols)]);
    },
    resignal: () => process.kill(kubectlPid(), "SIGWINCH"),
    exited,
  };
}

/** A kubectl whose stdin the test keeps open and writes to. */
function interactive(args: string[]) {
  const child = spawn(kubectlBinary(), ["-n", NAMESPACE, ...args], {
    env: { ...process.env, KUBECONFIG: options.kubeconfig, HOME: inject("workDir") },
  });
  terminals.add(child);
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
  const exited = new Promise<number>((resolve) =>
    child.on("close", (code) => {
      terminals.delete(child);
      resolve(code ?? -1);
    }),
  );
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

async function stopTerminals(): Promise<void> {
  const children = [...terminals];
  for (const child of children) child.kill("SIGKILL");
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.on("close", () => resolve()))),
    ),
  );
}

const pod = (name: string, node: string, containers: Obj[], extra: Obj = {}) =>
  JSON.stringify({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name },
    spec: { nodeName: node, terminationGracePeriodSeconds: 1, containers, ...extra },
  });

const container = (name: string, script: string, extra: Obj = {}) => ({
  name,
  image: IMAGE,
  command: ["sh", "-c", script],
  ...extra,
});

async function podJson(name: string): Promise<Obj> {
  return JSON.parse(await ok(["get", "pod", name, "-o", "json"]));
}

async function waitRunning(name: string, check: (pod: Obj) => boolean = () => true): Promise<void> {
  let last: Obj | undefined;
  await eventually(
    async () => {
      last = await podJson(name);
      return last.status?.phase === "Running" && check(last);
    },
    40_000,
    `${name} Running`,
  ).catch((err) => {
    throw new Error(`${err.message}; last status: ${JSON.stringify(last?.status)}`);
  });
}

const runtimes: Array<{ runtime: RuntimeName; skip: boolean }> = [
  { runtime: "docker", skip: !dockerReady || !hasScript },
  { runtime: "process", skip: !isRoot || !hasScript },
];

describe.each(runtimes)("kubectl exec -it and attach on the $runtime runtime", ({ runtime, skip }) => {
  const node = `tty-${runtime}`;
  const shell = `shell-${runtime}`;
  const ticker = `ticker-${runtime}`;
  const echoer = `echoer-${runtime}`;
  const partly = `partly-${runtime}`;
  const terminalPod = `console-${runtime}`;
  const once = `once-${runtime}`;
  let daemon: NodeDaemon | undefined;

  beforeAll(async () => {
    if (skip) return;
    const token = await rootClient().mintToken(CLUSTER, "node", node);
    daemon = await startNodeDaemon({
      server: `${inject("server")}/clusters/${CLUSTER}`,
      token,
      nodeName: node,
      runtime,
      stateDir: mkdtempSync(join(inject("workDir"), `tty-${runtime}-`)),
      address: "127.0.0.1",
      // A pod network of its own: no two end-to-end files share a bridge range.
      podCIDR: "10.87.3.0/24",
      logger: silentLogger,
    });
    await ok(["create", "-f", "-"], pod(shell, node, [container("main", "trap 'exit 0' TERM; sleep 3600 & wait")]));
    await ok(
      ["create", "-f", "-"],
      pod(ticker, node, [container("main", "i=0; while true; do i=$((i+1)); echo tick $i; sleep 0.2; done")]),
    );
    await ok(
      ["create", "-f", "-"],
      pod(echoer, node, [
        container("main", 'while read line; do echo "echo: $line"; done; echo "stdin closed"; sleep 3600', {
          stdin: true,
        }),
      ]),
    );
    await ok(
      ["create", "-f", "-"],
      pod(once, node, [
        container("main", 'while read line; do echo "echo: $line"; done; echo "stdin closed"; sleep 3600', {
          stdin: true,
          stdinOnce: true,
        }),
      ]),
    );
    await ok(
      ["create", "-f", "-"],
      pod(terminalPod, node, [{ name: "main", image: IMAGE, command: ["sh"], stdin: true, tty: true }]),
    );
    await ok(
      ["create", "-f", "-"],
      pod(
        partly,
        node,
        [container("done", "echo finished"), container("main", "trap 'exit 0' TERM; sleep 3600 & wait")],
        { restartPolicy: "Never" },
      ),
    );
  }, 90_000);

  afterAll(async () => {
    await stopTerminals();
    if (!daemon) return;
    await run(["delete", "pod", shell, ticker, echoer, partly, terminalPod, once, "--grace-period=1", "--wait=false"]);
    await eventually(
      async () => (await daemon!.runtime.listSandboxes()).length === 0,
      30_000,
      "sandboxes removed",
    ).catch(() => {});
    await daemon.stop();
    if (runtime === "process") await (daemon.runtime as ProcessRuntime).removeNetwork().catch(() => {});
    if (runtime === "docker") {
      const left = spawnSync("docker", ["ps", "-aq", "--filter", `label=dev.flotilla.node=${node}`], {
        encoding: "utf8",
      }).stdout;
      for (const id of left.split("\n").filter(Boolean)) spawnSync("docker", ["rm", "-f", id], { stdio: "ignore" });
    }
  }, 90_000);

  it.skipIf(skip).each(["1.30", "1.33"])("exec -it runs the command on a terminal (kubectl %s)", async (version) => {
    await waitRunning(shell);
    const terminal = onTerminal(["exec", "-it", shell, "--", "tty"], { rows: 30, cols: 100 }, version);
    expect(await terminal.exited, terminal.output()).toBe(0);
    expect(terminal.output()).toMatch(/^\/dev\/pts\/\d+\n$/);
  });

  it.skipIf(skip)(
    "exec without a terminal keeps stdout and stderr apart, pipes stdin, reports exit codes",
    async () => {
      await waitRunning(shell);
      const result = await run(["exec", shell, "--", "sh", "-c", "echo out; echo err >&2; exit 3"]);
      expect(result.code).toBe(3);
      expect(result.stdout).toBe("out\n");
      expect(result.stderr).toContain("err\n");
      expect(result.stderr).toContain("command terminated with exit code 3");
      // Input kubectl sends at once reaches the command (the node buffers it while it starts).
      const piped = await kubectl(["-n", NAMESPACE, "exec", "-i", shell, "--", "cat"], {
        ...options,
        input: "piped through\n",
      });
      expect(piped.stdout).toBe("piped through\n");
      expect(piped.code).toBe(0);
    },
  );

  it.skipIf(skip)("exec -t without -i: kubectl asks for no terminal (it needs stdin for one)", async () => {
    await waitRunning(shell);
    const result = await run(["exec", "-t", shell, "--", "tty"]);
    expect(result.stdout).toBe("not a tty\n");
    expect(result.code).toBe(1);
  });

  it.skipIf(skip || (runtime === "docker" && !dockerSizesAtStart))(
    "the terminal has kubectl's size from the start",
    async () => {
      await waitRunning(shell);
      const terminal = onTerminal(["exec", "-it", shell, "--", "sh", "-c", "stty size"], { rows: 30, cols: 100 });
      expect(await terminal.exited, terminal.output()).toBe(0);
      expect(terminal.output()).toBe("30 100\n");
    },
  );

  it.skipIf(skip)("a resized terminal reaches the command (SIGWINCH, channel 4)", async () => {
    await waitRunning(shell);
    const terminal = onTerminal(["exec", "-it", shell, "--", "sh"], { rows: 30, cols: 100 });
    await eventually(() => terminal.output().includes("# "), 20_000, "the shell's prompt");
    terminal.type("stty size\n");
    await eventually(() => terminal.output().includes("30 100\n"), 20_000, "the first size");
    terminal.resize(40, 120);
    // kubectl sends the new size when its SIGWINCH arrives; ask again until the shell sees it.
    await eventually(
      () => {
        if (terminal.output().includes("40 120\n")) return true;
        terminal.resignal();
        terminal.type("stty size\n");
        return false;
      },
      20_000,
      "the new size",
    ).catch((err) => {
      throw new Error(`${err.message}; the terminal showed:\n${terminal.output()}`);
    });
    terminal.type("exit 4\n");
    expect(await terminal.exited).toBe(4);
  });

  it.skipIf(skip)("reports exit codes through a terminal", async () => {
    await waitRunning(shell);
    const terminal = onTerminal(["exec", "-it", shell, "--", "sh", "-c", "echo bye; exit 7"], { rows: 24, cols: 80 });
    expect(await terminal.exited).toBe(7);
    expect(terminal.output()).toContain("bye\n");
    expect(terminal.output()).toContain("command terminated with exit code 7");
  });

  it.skipIf(skip)("attach streams the main process's output", async () => {
    await waitRunning(ticker);
    const session = interactive(["attach", ticker]);
    await eventually(() => /tick \d+\n.*tick \d+\n/s.test(session.stdout()), 20_000, "ticks").catch((err) => {
      throw new Error(`${err.message}: ${session.stderr()}`);
    });
    session.child.kill("SIGTERM");
    await session.exited;
  });

  it.skipIf(skip)("attach -i writes to the container's stdin, which stays open across sessions", async () => {
    await waitRunning(echoer);
    const first = interactive(["attach", "-i", echoer]);
    // Input goes to the process once the session is up: type until it answers.
    await eventually(
      () => {
        if (first.stdout().includes("echo: hello\n")) return true;
        first.child.stdin.write("hello\n");
        return false;
      },
      20_000,
      "the echo",
    ).catch((err) => {
      throw new Error(`${err.message}: ${first.stderr()}`);
    });
    first.child.kill("SIGTERM");
    await first.exited;
    const second = interactive(["attach", "-i", echoer]);
    await eventually(
      () => {
        if (second.stdout().includes("echo: again\n")) return true;
        second.child.stdin.write("again\n");
        return false;
      },
      20_000,
      "the echo of a second session",
    );
    expect(second.stdout()).not.toContain("stdin closed");
    second.child.kill("SIGTERM");
    await second.exited;
  });

  it.skipIf(skip)("with stdinOnce the container's stdin closes when the first session leaves", async () => {
    await waitRunning(once);
    const session = interactive(["attach", "-i", once]);
    await eventually(
      () => {
        if (session.stdout().includes("echo: hello\n")) return true;
        session.child.stdin.write("hello\n");
        return false;
      },
      20_000,
      "the echo",
    );
    session.child.kill("SIGTERM");
    await session.exited;
    await eventually(async () => (await ok(["logs", once])).includes("stdin closed\n"), 20_000, "stdin closed");
  });

  it.skipIf(skip)("attach -it to a container with stdin and tty: typed commands run", async () => {
    await waitRunning(terminalPod);
    const terminal = onTerminal(["attach", "-it", terminalPod], { rows: 30, cols: 100 });
    const answered = (command: string, answer: string) =>
      eventually(
        () => {
          if (terminal.output().includes(answer)) return true;
          terminal.type(`${command}\n`);
          return false;
        },
        20_000,
        answer,
      ).catch((err) => {
        throw new Error(`${err.message}; the terminal showed:\n${terminal.output()}`);
      });
    await answered("echo $((6*7))", "\n42\n");
    // Docker gives the container a terminal, sized by the session; the process runtime runs it on pipes.
    if (runtime === "docker") await answered("stty size", "\n30 100\n");
    terminal.child.kill("SIGKILL");
    await terminal.exited;
  });

  it.skipIf(skip)("attach to a container that is not running fails as the kubelet's would", async () => {
    await waitRunning(partly, (p) =>
      (p.status?.containerStatuses ?? []).some((c: Obj) => c.name === "done" && c.state?.terminated),
    );
    const result = await run(["attach", partly, "-c", "done"]);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('unable to upgrade connection: container not found ("done")');
  });
});

describe("authorization", () => {
  it("answers 403 for exec and attach without create on pods/exec and pods/attach", async () => {
    const nodeToken = await rootClient().mintToken(CLUSTER, "node", "some-node");
    for (const subresource of ["exec", "attach"]) {
      const answer = await call(
        "GET",
        `/clusters/${CLUSTER}/api/v1/namespaces/${NAMESPACE}/pods/any/${subresource}?stdout=true&command=true`,
        { token: nodeToken },
      );
      expect(answer.status).toBe(403);
      expect(answer.body).toMatchObject({ kind: "Status", reason: "Forbidden", code: 403 });
      expect(answer.body.message).toBe(
        `pods "any" is forbidden: User "system:node:some-node" cannot create resource "pods/${subresource}" in API group "" in the namespace "${NAMESPACE}"`,
      );
    }
  });
});
