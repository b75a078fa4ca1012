// A process run for `kubectl exec`, whatever the runtime: its standard streams and its exit code.
import type { ChildProcess } from "node:child_process";
import type { Readable, Writable } from "node:stream";

export interface ExecProcess {
  stdin: Writable;
  stdout: Readable;
  stderr: Readable;
  /** The exit code (128 + signal number when killed by a signal). */
  exit: Promise<number>;
  kill(): void;
}

const SIGNAL_NUMBERS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGTERM: 15 };

export function childExecProcess(child: ChildProcess): ExecProcess {
  if (!child.stdin || !child.stdout || !child.stderr) throw new Error("exec needs piped standard streams");
  const exit = new Promise<number>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code, signal) => resolve(code ?? (signal ? 128 + (SIGNAL_NUMBERS[signal] ?? 0) : 1)));
  });
  return {
    stdin: child.stdin,
    stdout: child.stdout,
    stderr: child.stderr,
    exit,
    kill: () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    },
  };
}
