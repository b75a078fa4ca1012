// Container logs of the process runtime: processes write raw stdout/stderr files (they never
// block on the daemon); the daemon turns new bytes into the CRI log format kubelet keeps,
// `<RFC3339Nano time> <stdout|stderr> <F|P> <text>`, one file per container attempt.
import { appendFileSync, closeSync, fstatSync, openSync, readSync } from "node:fs";
import type { Clock } from "../../clock.ts";

const MAX_LINE = 16 * 1024;
/**
 * Raw output taken per container per poll (4 MiB/s each): a process writing as fast as it can
 * must not hold the daemon's event loop (probes, status, other pods) for long.
 */
const READ_PER_POLL = 1024 * 1024;
const POLL_MS = 250;

export interface LogSource {
  stdout: string;
  stderr: string;
  log: string;
  offsets: { stdout: number; stderr: number };
}

/** RFC 3339 with nanoseconds, as CRI log lines carry it. */
const criTime = (time: number) => new Date(time).toISOString().replace(/\.(\d{3})Z$/, ".$1000000Z");

/** One CRI log line; `partial` marks a line the runtime split (too long, or cut at exit). */
export function criLine(time: number, stream: "stdout" | "stderr", text: string, partial = false): string {
  return `${criTime(time)} ${stream} ${partial ? "P" : "F"} ${text}\n`;
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
      const text = entry.pending[stream] + bytes.toString("utf8");
      // Every line of one copy shares its time: format it once, walk the text by index.
      const whole = `${criTime(now)} ${stream} F `;
      const part = `${criTime(now)} ${stream} P `;
      const lines: string[] = [];
      let at = 0;
      for (let newline = text.indexOf("\n"); newline >= 0; newline = text.indexOf("\n", at)) {
        lines.push(whole + text.slice(at, newline) + "\n");
        at = newline + 1;
      }
      while (text.length - at > MAX_LINE) {
        lines.push(part + text.slice(at, at + MAX_LINE) + "\n");
        at += MAX_LINE;
      }
      let rest = text.slice(at);
      if (final && rest !== "") {
        lines.push(part + rest + "\n");
        rest = "";
      }
      out += lines.join("");
      entry.pending[stream] = rest;
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
    const buffer = Buffer.alloc(Math.min(size - offset, READ_PER_POLL));
    const read = readSync(fd, buffer, 0, buffer.length, offset);
    return buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}
