// Container logs of the process runtime: processes write raw stdout/stderr files (they never
// block on the daemon); the daemon turns new bytes into the CRI log format kubelet keeps,
// `<RFC3339Nano time> <stdout|stderr> <F|P> <text>`, one file per container attempt.
import { appendFileSync, closeSync, fstatSync, openSync, readSync } from "node:fs";
import type { Clock } from "../../clock.ts";

const MAX_LINE = 16 * 1024;
const POLL_MS = 250;

export interface LogSource {
  stdout: string;
  stderr: string;
  log: string;
  offsets: { stdout: number; stderr: number };
}

/** One CRI log line; `partial` marks a line the runtime split (too long, or cut at exit). */
export function criLine(time: number, stream: "stdout" | "stderr", text: string, partial = false): string {
  const iso = new Date(time).toISOString().replace(/\.(\d{3})Z$/, ".$1000000Z");
  return `${iso} ${stream} ${partial ? "P" : "F"} ${text}\n`;
}

/** Someone attached to the container's output (`kubectl attach`): gets new bytes as they are read. */
export interface OutputListener {
  data(stream: "stdout" | "stderr", bytes: Buffer): void;
  /** The container ended (or the daemon stops following it). */
  end(): void;
}

interface Followed {
  source: LogSource;
  pending: { stdout: string; stderr: string };
  onOffsets: (offsets: LogSource["offsets"]) => void;
  listeners: Set<OutputListener>;
}

export class LogTailer {
  private readonly clock: Clock;
  private readonly followed = new Map<string, Followed>();
  private cancelTimer: (() => void) | undefined;

  constructor(clock: Clock) {
    this.clock = clock;
  }

  follow(id: string, source: LogSource, onOffsets: (offsets: LogSource["offsets"]) => void): void {
    this.followed.set(id, { source, pending: { stdout: "", stderr: "" }, onOffsets, listeners: new Set() });
    this.schedule();
  }

  /** Adds a listener to a followed container's output; undefined when it is not followed (not running). */
  subscribe(id: string, listener: OutputListener): (() => void) | undefined {
    const entry = this.followed.get(id);
    if (!entry) return undefined;
    entry.listeners.add(listener);
    return () => entry.listeners.delete(listener);
  }

  /** Copies what is left and stops following (the container ended). */
  finish(id: string): void {
    const entry = this.followed.get(id);
    if (!entry) return;
    this.copy(entry, true);
    this.followed.delete(id);
    for (const listener of entry.listeners) listener.end();
  }

  stopAll(): void {
    for (const entry of this.followed.values()) {
      this.copy(entry, false);
      for (const listener of entry.listeners) listener.end();
    }
    this.followed.clear();
    this.cancelTimer?.();
    this.cancelTimer = undefined;
  }

  private schedule(): void {
    if (this.cancelTimer || this.followed.size === 0) return;
    this.cancelTimer = this.clock.setTimer(POLL_MS, () => {
      this.cancelTimer = undefined;
      for (const entry of this.followed.values()) this.copy(entry, false);
      this.schedule();
    });
  }

  private copy(entry: Followed, final: boolean): void {
    let out = "";
    const now = this.clock.now();
    for (const stream of ["stdout", "stderr"] as const) {
      const bytes = readFrom(entry.source[stream], entry.source.offsets[stream]);
      if (bytes.length === 0 && !final) continue;
      entry.source.offsets[stream] += bytes.length;
      if (bytes.length > 0) for (const listener of entry.listeners) listener.data(stream, bytes);
      let text = entry.pending[stream] + bytes.toString("utf8");
      let newline: number;
      while ((newline = text.indexOf("\n")) >= 0) {
        out += criLine(now, stream, text.slice(0, newline));
        text = text.slice(newline + 1);
      }
      while (text.length > MAX_LINE) {
        out += criLine(now, stream, text.slice(0, MAX_LINE), true);
        text = text.slice(MAX_LINE);
      }
      if (final && text !== "") {
        out += criLine(now, stream, text, true);
        text = "";
      }
      entry.pending[stream] = text;
    }
    if (out === "") return;
    appendFileSync(entry.source.log, out);
    // Text held back (an unfinished line) is read again after a daemon restart.
    entry.onOffsets({
      stdout: entry.source.offsets.stdout - Buffer.byteLength(entry.pending.stdout),
      stderr: entry.source.offsets.stderr - Buffer.byteLength(entry.pending.stderr),
    });
  }
}

function readFrom(path: string, offset: number): Buffer {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return Buffer.alloc(0);
  }
  try {
    const size = fstatSync(fd).size;
    if (size <= offset) return Buffer.alloc(0);
    const buffer = Buffer.alloc(Math.min(size - offset, 4 * 1024 * 1024));
    const read = readSync(fd, buffer, 0, buffer.length, offset);
    return buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}
