// Runs a host command and answers its output; failures carry the command's stderr.
import { execFile, spawn } from "node:child_process";

export function run(command: string, args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(command, args, { encoding: "utf8", maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${command} ${args.join(" ")}: ${(stderr || err.message).trim()}`));
      else resolve(stdout);
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** Like run, but answers undefined instead of failing. */
export async function tryRun(command: string, args: string[], input?: string): Promise<string | undefined> {
  try {
    return await run(command, args, input);
  } catch {
    return undefined;
  }
}

/** Whether `command` can be found and started. */
export function commandExists(command: string): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn("sh", ["-c", `command -v ${command}`], { stdio: "ignore" });
    child.on("error", () => resolve(false));
    child.on("close", (code) => resolve(code === 0));
  });
}
