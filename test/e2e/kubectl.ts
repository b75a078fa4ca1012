// Runs the real kubectl against the suite's control plane.
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { realpathSync } from "node:fs";
import { inject } from "vitest";

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
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

export function kubectl(
  args: string[],
  options: { input?: string; version?: string; env?: Record<string, string>; kubeconfig?: string } = {},
): Promise<KubectlResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(kubectlBinary(options.version), args, {
      env: {
        ...process.env,
        KUBECONFIG: options.kubeconfig ?? inject("kubeconfig"),
        HOME: inject("workDir"),
        ...(options.env ?? {}),
      },
    });
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
export async function kubectlOk(args: string[], options: Parameters<typeof kubectl>[1] = {}): Promise<string> {
  const result = await kubectl(args, options);
  if (result.code !== 0)
    throw new Error(`kubectl ${args.join(" ")} failed (${result.code}):\n${result.stderr}${result.stdout}`);
  return result.stdout;
}

/** A long-running kubectl (e.g. `get -w`); `lines` collects stdout lines as they come. */
export function kubectlStream(args: string[]) {
  const child = spawn(kubectlBinary(), args, {
    env: { ...process.env, KUBECONFIG: inject("kubeconfig"), HOME: inject("workDir") },
  });
  const lines: string[] = [];
  let buffer = "";
  child.stdout.on("data", (chunk) => {
    buffer += chunk;
    const parts = buffer.split("\n");
    buffer = parts.pop() ?? "";
    lines.push(...parts);
  });
  return { child, lines, stop: () => child.kill("SIGTERM") };
}

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
