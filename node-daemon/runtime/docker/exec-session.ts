// `kubectl exec|attach` on the docker runtime: a hijacked Engine API connection (hijack.ts)
// turned into the runtime-neutral ExecProcess. With a TTY the output is raw terminal bytes;
// without one it is multiplexed (stream-frames.ts).
import type { Socket } from "node:net";
import { PassThrough, Writable } from "node:stream";
import type { ExecProcess, TerminalSize } from "../exec-process.ts";
import { StreamDemuxer } from "./stream-frames.ts";

export interface SessionOptions {
  /** How the engine frames the output: raw with a TTY, multiplexed without. */
  tty: boolean;
  resize: (size: TerminalSize) => void;
  /** The exit code once the stream has ended (exec: asked of the engine; attach: 0). */
  finish: () => Promise<number>;
}

export function hijackedSession(socket: Socket, options: SessionOptions): ExecProcess {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const demuxer = options.tty ? undefined : new StreamDemuxer();
  socket.on("data", (chunk: Buffer) => {
    if (!demuxer) {
      stdout.write(chunk);
      return;
    }
    for (const frame of demuxer.push(chunk)) (frame.stream === 2 ? stderr : stdout).write(frame.data);
  });
  // The engine ends its half when the process (or the attached container) is done: end ours too,
  // or a half-open socket would never close.
  socket.once("end", () => socket.end());
  const closed = new Promise<void>((resolve) => {
    socket.once("close", () => resolve());
    // A reset connection ends the session like a closed one; the exit code tells the rest.
    socket.on("error", () => {});
  });
  const exit = closed.then(() => {
    stdout.end();
    stderr.end();
    return options.finish();
  });
  const stdin = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (!socket.writable) return callback();
      socket.write(chunk, () => callback());
    },
    // The engine closes the process's stdin when our half of the connection ends.
    final(callback) {
      if (socket.writable) socket.end();
      callback();
    },
  });
  stdin.on("error", () => {});
  socket.resume();
  return {
    stdin,
    stdout,
    stderr,
    exit,
    kill: () => socket.destroy(),
    resize: options.resize,
  };
}
