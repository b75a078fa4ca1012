// A process run for `kubectl exec` (or a session attached to a container's main process for
// `kubectl attach`), whatever the runtime: its standard streams, its exit code, its terminal.
import type { ChildProcess } from "node:child_process";
import type { Readable, Writable } from "node:stream";

export interface TerminalSize {
  width: number;
  height: number;
}

export interface StreamOptions {
  /** Run under a terminal (exec) or expect the container's (attach): one output stream, raw bytes. */
  tty: boolean;
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  /** The terminal's size from the start, when the client sent it before the process began. */
  size?: TerminalSize;
}

export interface ExecProcess {
  stdin: Writable;
  stdout: Readable;
  /** Empty with a terminal: the terminal merges stderr into stdout. */
  stderr: Readable;
  /** The exit code (128 + signal number when killed by a signal); 0 when an attach session ends. */
  exit: Promise<number>;
  kill(): void;
  /** Applies a new terminal size (best effort; ignored without a terminal). */
  resize(size: TerminalSize): void;
}

const SIGNAL_NUMBERS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGTERM: 15 };

export function childExecProcess(child: ChildProcess, resize: (size: TerminalSize) => void = () => {}): ExecProcess {
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
    resize,
  };
}
