// The `flotilla` CLI as a user runs it, against the suite's control plane: its state kept in
// `home` (FLOTILLA_HOME), away from the project's own .flotilla.
import { spawn } from "node:child_process";
import { join, resolve } from "node:path";
import { inject } from "vitest";

const CLI = resolve(import.meta.dirname, "../../cli/flotilla.js");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `flotilla ARGS --server … --token …` (the root token unless another is given). */
export function runFlotilla(home: string, args: string[], options: { token?: string } = {}): Promise<CliResult> {
  return new Promise((done, reject) => {
    const child = spawn(
      process.execPath,
      [CLI, ...args, "--server", inject("server"), "--token", options.token ?? inject("rootToken")],
      { cwd: home, env: { ...process.env, FLOTILLA_HOME: join(home, ".flotilla") } },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => done({ code: code ?? -1, stdout, stderr }));
    child.stdin.end();
  });
}

/** The CLI, which must succeed; answers its standard output. */
export async function runFlotillaOk(home: string, args: string[]): Promise<string> {
  const result = await runFlotilla(home, args);
  if (result.code !== 0) throw new Error(`flotilla ${args.join(" ")} failed (${result.code}):\n${result.stderr}`);
  return result.stdout;
}
