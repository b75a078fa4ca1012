// Runs the real kubectl against the suite's control plane.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { realpathSync } from "node:fs";
import { inject } from "vitest";

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface KubectlOptions {
  input?: string;
  /** `1.30` … `1.33`: a versioned sibling of the kubectl on PATH. */
  version?: string;
  env?: Record<string, string>;
  kubeconfig?: string;
}

/** `kubectl` or a versioned sibling (`kubectl.1.30`) from the same directory. */
export function kubectlBinary(version?: string): string {
  const found = spawnSync("sh", ["-c", "command -v kubectl"], { encoding: "utf8" }).stdout.trim();
  if (!found) throw new Error("kubectl is not installed");
  if (!version) return found;
  const versioned = join(dirname(realpathSync(found)), `kubectl.${version}`);
  if (!existsSync(versioned)) throw new Error(`kubectl ${version} is not installed (${versioned})`);
  return versioned;
}

function kubectlEnv(options: KubectlOptions): NodeJS.ProcessEnv {
  return {
    ...process.env,
    KUBECONFIG: options.kubeconfig ?? inject("kubeconfig"),
    HOME: inject("workDir"),
    ...(options.env ?? {}),
  };
}

export function kubectl(args: string[], options: KubectlOptions = {}): Promise<KubectlResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(kubectlBinary(options.version), args, { env: kubectlEnv(options) });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
    if (options.input !== undefined) child.stdin.end(options.input);
    else child.stdin.end();
  });
}

/** kubectl that must succeed; answers stdout. */
export async function kubectlOk(args: string[], options: KubectlOptions = {}): Promise<string> {
  const result = await kubectl(args, options);
  if (result.code !== 0)
    throw new Error(`kubectl ${args.join(" ")} failed (${result.code}):\n${result.stderr}${result.stdout}`);
  return result.stdout;
}

/** kubectl that must fail; answers its stderr (kubectl prints server errors there). */
export async function kubectlFails(args: string[], options: KubectlOptions = {}): Promise<string> {
  const result = await kubectl(args, options);
  if (result.code === 0)
    throw new Error(`kubectl ${args.join(" ")} succeeded but should have failed:\n${result.stdout}`);
  return result.stderr;
}

export interface KubectlStream {
  child: ChildProcess;
  /** Complete stdout lines, as they come. */
  lines: string[];
  /** Complete stderr lines, as they come (with `-v=6`, kubectl logs each request here). */
  errLines: string[];
  stop: () => void;
  /** Resolves once the process has exited. */
  exited: Promise<number>;
}

const running = new Set<ChildProcess>();

/** A long-running kubectl (e.g. `get -w`); `lines` collects stdout lines as they come. */
export function kubectlStream(args: string[], options: KubectlOptions = {}): KubectlStream {
  const child = spawn(kubectlBinary(options.version), args, { env: kubectlEnv(options) });
  running.add(child);
  const lines: string[] = [];
  const errLines: string[] = [];
  const collect = (target: string[]) => {
    let buffer = "";
    return (chunk: Buffer) => {
      buffer += chunk.toString("utf8");
      const parts = buffer.split("\n");
      buffer = parts.pop() ?? "";
      target.push(...parts);
    };
  };
  child.stdout.on("data", collect(lines));
  child.stderr.on("data", collect(errLines));
  const exited = new Promise<number>((resolve) =>
    child.on("close", (code) => {
      running.delete(child);
      resolve(code ?? -1);
    }),
  );
  child.stdin.end();
  return { child, lines, errLines, exited, stop: () => child.kill("SIGTERM") };
}

/** Ends every stream a test left running (call from afterEach). */
export async function stopAllStreams(): Promise<void> {
  const children = [...running];
  for (const child of children) child.kill("SIGTERM");
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.on("close", () => resolve()))),
    ),
  );
}

/**
 * True once a `-v=6` kubectl has logged the 200 answer to its watch request: from then on every
 * change reaches it (the format differs between 1.30 and 1.33, both name the URL and the status).
 */
export const watchEstablished = (stream: KubectlStream) =>
  stream.errLines.some((line) => line.includes("watch=true") && line.includes("200 OK"));

/** Polls `check` until it returns true (no fixed sleeps: a condition with a deadline). */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
  what = "condition",
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A ConfigMap manifest as JSON (kubectl accepts JSON on stdin for `create -f -` / `apply -f -`). */
export const configMap = (name: string, data: Record<string, string> = {}, labels?: Record<string, string>) =>
  JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, ...(labels ? { labels } : {}) }, data });

/** Creates a namespace through `create -f` (a JSON body: works on every kubectl version). */
export async function createNamespace(name: string, options: KubectlOptions = {}): Promise<void> {
  await kubectlOk(["create", "-f", "-"], {
    ...options,
    input: JSON.stringify({ apiVersion: "v1", kind: "Namespace", metadata: { name } }),
  });
}
