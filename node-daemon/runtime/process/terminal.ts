// Terminals for the process runtime's `kubectl exec -t`, without native addons: util-linux
// `script` (in Debian's essential bsdutils) runs the command on a new pseudo-terminal and relays
// it over plain pipes, and returns the command's exit status (-e). Resizes reach the terminal
// through `stty -F` on the command's stdin, which is that terminal; the kernel then signals
// SIGWINCH to the command as a real terminal would.
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { TerminalSize } from "../exec-process.ts";
import { resizeQueue } from "../resize-queue.ts";
import { DEFAULT_PATH } from "./command.ts";

/** Quotes one word for a POSIX shell. */
export const shellQuote = (word: string) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);

/**
 * The argv that runs `argv` on a new terminal. `script` starts its command with $SHELL, which the
 * caller sets to /bin/sh; the command line puts the container's own SHELL back (or removes it),
 * and sets the size first so the command never sees an unsized (0x0) terminal.
 */
export function terminalArgv(argv: string[], options: { size?: TerminalSize; shell?: string }): string[] {
  const steps: string[] = [];
  if (options.size) steps.push(`stty rows ${options.size.height} cols ${options.size.width} 2>/dev/null`);
  steps.push(options.shell === undefined ? "unset SHELL" : `export SHELL=${shellQuote(options.shell)}`);
  steps.push(`exec ${argv.map(shellQuote).join(" ")}`);
  return ["script", "-qfec", steps.join("; "), "/dev/null"];
}

/** The `script` binary, when the host has one. */
export function findScript(): string | undefined {
  return DEFAULT_PATH.split(":")
    .map((dir) => join(dir, "script"))
    .find((path) => existsSync(path));
}

/** The terminal of a `script` process: its child's stdin, reachable through /proc. */
function terminalOf(scriptPid: number): string | undefined {
  try {
    const children = readFileSync(`/proc/${scriptPid}/task/${scriptPid}/children`, "utf8").trim().split(/\s+/);
    return children[0] ? `/proc/${children[0]}/fd/0` : undefined;
  } catch {
    return undefined;
  }
}

/** Applies sizes to the terminal of a running `script` (best effort: a size before it has a terminal is lost). */
export function terminalResizer(scriptPid: () => number | undefined): (size: TerminalSize) => void {
  return resizeQueue(
    (size) =>
      new Promise<void>((resolve) => {
        const pid = scriptPid();
        const terminal = pid !== undefined ? terminalOf(pid) : undefined;
        if (!terminal) return resolve();
        const stty = spawn("stty", ["-F", terminal, "rows", String(size.height), "cols", String(size.width)], {
          stdio: "ignore",
        });
        stty.once("error", () => resolve());
        stty.once("close", () => resolve());
      }),
  );
}
