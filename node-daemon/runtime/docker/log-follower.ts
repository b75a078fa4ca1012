// Container logs of the docker runtime in the CRI format kubelet keeps (and the tunnel serves):
// the daemon follows each container's Docker log stream (timestamps on) and appends
// `<time> <stdout|stderr> <F|P> <text>` lines to the container's log file. After a daemon
// restart it resumes after the last line it wrote.
import { appendFileSync, closeSync, existsSync, fstatSync, mkdirSync, openSync, readSync } from "node:fs";
import { dirname } from "node:path";
import { errorMessage, type Logger } from "../../log.ts";
import type { DockerClient } from "./client.ts";

/** The timestamp of the last line in a CRI log file, or undefined. */
export function lastLogTime(path: string): string | undefined {
  if (!existsSync(path)) return undefined;
  const fd = openSync(path, "r");
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, 64 * 1024);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    const lines = buffer.toString("utf8").trimEnd().split("\n");
    const last = lines[lines.length - 1];
    const match = /^(\S+) (stdout|stderr) [FP] /.exec(last ?? "");
    return match ? match[1] : undefined;
  } finally {
    closeSync(fd);
  }
}

/** RFC 3339 with nanoseconds → Docker's `since` (seconds with a fraction). */
export function dockerSince(time: string): string {
  const match = /^(.*?)(?:\.(\d+))?Z$/.exec(time);
  if (!match) return "0";
  const seconds = Math.floor(Date.parse(`${match[1]}Z`) / 1000);
  return `${seconds}.${(match[2] ?? "0").padEnd(9, "0").slice(0, 9)}`;
}

/** Compares RFC 3339 nano timestamps (same format, UTC). */
const later = (a: string, b: string) => a.replace("Z", "").padEnd(30, "0") > b.replace("Z", "").padEnd(30, "0");

/** Turns Docker log frames (8-byte headers unless the container has a TTY) into CRI lines. */
export class FrameParser {
  private buffer = Buffer.alloc(0);
  private readonly tty: boolean;
  private pendingTty = "";

  constructor(tty: boolean) {
    this.tty = tty;
  }

  /** Payloads with their stream: each is one timestamped line (or piece of one). */
  push(chunk: Uint8Array): Array<{ stream: "stdout" | "stderr"; payload: string }> {
    if (this.tty) {
      const text = this.pendingTty + Buffer.from(chunk).toString("utf8");
      const cut = text.lastIndexOf("\n") + 1;
      this.pendingTty = text.slice(cut);
      return text
        .slice(0, cut)
        .split(/(?<=\n)/)
        .filter(Boolean)
        .map((payload) => ({ stream: "stdout" as const, payload }));
    }
    this.buffer = Buffer.concat([this.buffer, chunk]);
    const out: Array<{ stream: "stdout" | "stderr"; payload: string }> = [];
    while (this.buffer.length >= 8) {
      const size = this.buffer.readUInt32BE(4);
      if (this.buffer.length < 8 + size) break;
      const stream = this.buffer[0] === 2 ? "stderr" : "stdout";
      out.push({ stream, payload: this.buffer.subarray(8, 8 + size).toString("utf8") });
      this.buffer = this.buffer.subarray(8 + size);
    }
    return out;
  }
}

/** One payload (`<time> <text>[\n]`) as a CRI log line; undefined when it is not newer than `after`. */
export function criFromDocker(stream: "stdout" | "stderr", payload: string, after?: string): string | undefined {
  const space = payload.indexOf(" ");
  if (space < 0) return undefined;
  const time = payload.slice(0, space);
  if (after && !later(time, after)) return undefined;
  const complete = payload.endsWith("\n");
  const text = complete ? payload.slice(space + 1, -1) : payload.slice(space + 1);
  return `${time} ${stream} ${complete ? "F" : "P"} ${text}\n`;
}

export class DockerLogFollower {
  private readonly docker: DockerClient;
  private readonly logger: Logger;
  private readonly following = new Map<string, AbortController>();

  constructor(docker: DockerClient, logger: Logger) {
    this.docker = docker;
    this.logger = logger;
  }

  follow(id: string, logPath: string, tty: boolean): void {
    if (this.following.has(id)) return;
    const abort = new AbortController();
    this.following.set(id, abort);
    void this.run(id, logPath, tty, abort.signal)
      .catch((err) => {
        if (!abort.signal.aborted) this.logger.debug(`logs of ${id.slice(0, 12)}: ${errorMessage(err)}`);
      })
      .finally(() => this.following.delete(id));
  }

  private async run(id: string, logPath: string, tty: boolean, signal: AbortSignal): Promise<void> {
    mkdirSync(dirname(logPath), { recursive: true });
    const after = lastLogTime(logPath);
    const since = after ? `&since=${dockerSince(after)}` : "";
    const body = await this.docker.stream(
      "GET",
      `/containers/${id}/logs?follow=1&stdout=1&stderr=1&timestamps=1${since}`,
      { signal, longLived: true },
    );
    const parser = new FrameParser(tty);
    for await (const chunk of body as AsyncIterable<Uint8Array>) {
      let out = "";
      for (const { stream, payload } of parser.push(chunk)) out += criFromDocker(stream, payload, after) ?? "";
      if (out) appendFileSync(logPath, out);
    }
  }

  stop(id: string): void {
    this.following.get(id)?.abort();
  }

  stopAll(): void {
    for (const abort of this.following.values()) abort.abort();
  }
}
