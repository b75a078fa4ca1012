// `kubectl attach` for the process runtime. A container's output goes to files the log tailer
// reads; attached sessions get the bytes it reads from then on. A container with `stdin: true`
// is started with a pipe as its stdin, which the daemon holds here: sessions write into it, and
// with `stdinOnce` the first session that used it closes it when it ends (Kubernetes' meaning).
// The pipe lives in the daemon: after a daemon restart a re-adopted container's stdin is at EOF.
import type { Socket } from "node:net";
import { PassThrough, Writable } from "node:stream";
import type { ExecProcess, StreamOptions } from "../exec-process.ts";
import type { LogTailer } from "./log-tailer.ts";

export class AttachHub {
  private readonly tailer: LogTailer;
  private readonly stdins = new Map<string, Writable>();

  constructor(tailer: LogTailer) {
    this.tailer = tailer;
  }

  /** Holds a started container's stdin pipe (without keeping the daemon's event loop alive). */
  keepStdin(id: string, stdin: Writable): void {
    stdin.on("error", () => {});
    (stdin as Writable & Partial<Pick<Socket, "unref">>).unref?.();
    this.stdins.set(id, stdin);
  }

  /** The container's stdin reaches EOF (stdinOnce, or the container is gone). */
  closeStdin(id: string): void {
    this.stdins.get(id)?.end();
    this.stdins.delete(id);
  }

  /** A session on a followed (running) container; undefined when it is not running. */
  session(id: string, options: StreamOptions & { stdinOnce: boolean }): ExecProcess | undefined {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let finish!: (code: number) => void;
    const exit = new Promise<number>((resolve) => (finish = resolve));
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      unsubscribe?.();
      stdout.end();
      stderr.end();
      if (options.stdin && options.stdinOnce) this.closeStdin(id);
      finish(0);
    };
    const unsubscribe = this.tailer.subscribe(id, {
      data: (stream, bytes) => {
        if (stream === "stdout" && options.stdout) stdout.write(bytes);
        else if (stream === "stderr" && options.stderr) (options.tty ? stdout : stderr).write(bytes);
      },
      end,
    });
    if (!unsubscribe) return undefined;
    const stdin = new Writable({
      write: (chunk: Buffer, _encoding, callback) => {
        const pipe = options.stdin ? this.stdins.get(id) : undefined;
        if (!pipe?.writable) return callback();
        pipe.write(chunk, () => callback());
      },
      final: (callback) => {
        if (options.stdin && options.stdinOnce) this.closeStdin(id);
        callback();
      },
    });
    stdin.on("error", () => {});
    // The main process has no terminal of its own here: nothing to resize.
    return { stdin, stdout, stderr, exit, kill: end, resize: () => {} };
  }
}
