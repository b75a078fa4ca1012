// Reads a container log in the CRI format the runtimes write
// (`2026-11-25T10:00:00.123456789Z stdout F text`) the way `kubectl logs` asks for it:
// tailLines, sinceSeconds/sinceTime, timestamps, limitBytes, and follow.
import { open } from "node:fs/promises";

export interface CriLogOptions {
  tailLines?: number;
  /** Only lines at or after this time (ms since epoch). */
  since?: number;
  timestamps: boolean;
  limitBytes?: number;
  follow: boolean;
  /** How often a followed file is checked for new lines (injected in tests). */
  pollMs?: number;
  /** Tells a follower the container is gone for good (stop after draining). */
  finished?: () => boolean;
}

export interface CriLine {
  time: string;
  stream: "stdout" | "stderr";
  partial: boolean;
  text: string;
}

export function parseCriLine(line: string): CriLine | undefined {
  const first = line.indexOf(" ");
  const second = line.indexOf(" ", first + 1);
  const third = line.indexOf(" ", second + 1);
  if (first < 0 || second < 0) return undefined;
  const stream = line.slice(first + 1, second);
  if (stream !== "stdout" && stream !== "stderr") return undefined;
  const tag = third < 0 ? line.slice(second + 1) : line.slice(second + 1, third);
  return { time: line.slice(0, first), stream, partial: tag === "P", text: third < 0 ? "" : line.slice(third + 1) };
}

/** Joins partial lines into whole log lines, rendering each as kubectl shows it. */
export function renderLines(raw: string[], options: Pick<CriLogOptions, "since" | "timestamps">): string[] {
  const out: string[] = [];
  let pending = "";
  let pendingTime = "";
  for (const entry of raw) {
    const line = parseCriLine(entry);
    if (!line) continue;
    if (!pendingTime) pendingTime = line.time;
    pending += line.text;
    if (line.partial) continue;
    if (options.since === undefined || Date.parse(pendingTime) >= options.since) {
      out.push((options.timestamps ? `${pendingTime} ` : "") + pending + "\n");
    }
    pending = "";
    pendingTime = "";
  }
  return out;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    });
  });

/** Bytes read from the file at a time: a chatty container's log never blocks the daemon for long. */
export const READ_CHUNK = 1024 * 1024;
/** Rendered lines go out in batches of about this many characters (one tunnel message each). */
export const WRITE_BATCH = 64 * 1024;

type FileHandle = Awaited<ReturnType<typeof open>>;

async function readRange(file: FileHandle, from: number, length: number): Promise<string> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await file.read(buffer, 0, length, from);
  return buffer.subarray(0, bytesRead).toString("utf8");
}

/** Whole-line entries ("F") in a block of raw CRI lines: each ends one rendered log line. */
const fullLines = (text: string) => {
  let count = 0;
  for (const line of text.split("\n")) if (parseCriLine(line)?.partial === false) count++;
  return count;
};

/**
 * Where to start reading so that at least `lines` + 1 whole lines follow (the extra one absorbs a
 * partial group cut at the start): reads backwards in chunks instead of reading the whole file.
 */
async function tailStart(file: FileHandle, size: number, lines: number): Promise<number> {
  let start = size;
  let found = 0;
  while (start > 0 && found <= lines) {
    const from = Math.max(0, start - READ_CHUNK);
    const block = await readRange(file, from, start - from);
    // Count only whole raw lines inside the block (its first may be cut unless it starts the file).
    const firstNewline = from === 0 ? -1 : block.indexOf("\n");
    found += fullLines(block.slice(firstNewline + 1));
    start = from === 0 ? 0 : from + Buffer.byteLength(block.slice(0, firstNewline + 1));
    if (from === 0) break;
  }
  return start;
}

/**
 * Streams a CRI log file to `write`; resolves when done (or aborted). `write` may return a
 * promise (the connection is congested): reading waits for it, so a container that logs faster
 * than the client reads fills no buffer.
 */
export async function streamCriLog(
  path: string,
  options: CriLogOptions,
  write: (text: string) => void | Promise<void>,
  signal: AbortSignal,
): Promise<void> {
  let budget = options.limitBytes ?? Number.POSITIVE_INFINITY;
  /** Sends rendered lines in batches; false once limitBytes is spent. */
  const emit = async (lines: string[]): Promise<boolean> => {
    let batch = "";
    for (const line of lines) {
      if (budget <= 0) break;
      const bytes = Buffer.byteLength(line);
      const chunk = bytes > budget ? Buffer.from(line).subarray(0, budget).toString() : line;
      budget -= Math.min(bytes, budget);
      batch += chunk;
      if (batch.length >= WRITE_BATCH) {
        await write(batch);
        batch = "";
      }
    }
    if (batch !== "") await write(batch);
    return budget > 0;
  };
  /** Complete raw lines of `text` (after what was carried over), and what is left for next time. */
  const split = (text: string): { complete: string[]; rest: string } => {
    const cut = text.lastIndexOf("\n") + 1;
    return {
      complete: text
        .slice(0, cut)
        .split("\n")
        .filter((l) => l !== ""),
      rest: text.slice(cut),
    };
  };

  const file = await open(path, "r");
  try {
    const size = (await file.stat()).size;
    const tail = options.tailLines;
    let offset = tail === undefined ? 0 : tail === 0 ? size : await tailStart(file, size, tail);
    let carry = "";
    if (tail !== undefined) {
      // A bounded tail: render it whole, then keep its last lines.
      const { complete, rest } = split(await readRange(file, offset, size - offset));
      offset = size - Buffer.byteLength(rest);
      if (!(await emit(renderLines(complete, options).slice(tail === 0 ? 0 : -tail)))) return;
      if (tail === 0) offset = size;
    } else {
      // The whole file, a chunk at a time.
      while (offset < size && !signal.aborted) {
        const { complete, rest } = split(carry + (await readRange(file, offset, Math.min(READ_CHUNK, size - offset))));
        offset += Math.min(READ_CHUNK, size - offset);
        carry = rest;
        if (!(await emit(renderLines(complete, options)))) return;
      }
      offset -= Buffer.byteLength(carry);
      carry = "";
    }
    if (!options.follow) return;
    const poll = options.pollMs ?? 200;
    while (!signal.aborted) {
      const current = (await file.stat()).size;
      if (current > offset) {
        const length = Math.min(READ_CHUNK, current - offset);
        const { complete, rest } = split(carry + (await readRange(file, offset, length)));
        offset += length;
        carry = rest;
        if (!(await emit(renderLines(complete, { ...options, since: undefined })))) return;
        if (current > offset) continue; // more is waiting: no pause
      } else if (options.finished?.()) return;
      await sleep(poll, signal);
    }
  } finally {
    await file.close();
  }
}
