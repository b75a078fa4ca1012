// Reads a container log in the CRI format the runtimes write
// (`2026-11-25T10:00:00.123456789Z stdout F text`) the way `kubectl logs` asks for it:
// tailLines, sinceSeconds/sinceTime, timestamps, limitBytes, and follow.
import { open, stat } from "node:fs/promises";

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

/** Streams a CRI log file to `write`; resolves when done (or aborted). */
export async function streamCriLog(
  path: string,
  options: CriLogOptions,
  write: (text: string) => void,
  signal: AbortSignal,
): Promise<void> {
  let budget = options.limitBytes ?? Number.POSITIVE_INFINITY;
  const emit = (lines: string[]) => {
    for (const line of lines) {
      if (budget <= 0) return false;
      const chunk = Buffer.byteLength(line) > budget ? Buffer.from(line).subarray(0, budget).toString() : line;
      budget -= Buffer.byteLength(chunk);
      write(chunk);
    }
    return budget > 0;
  };
  const file = await open(path, "r");
  try {
    const content = (await file.readFile()).toString("utf8");
    let offset = Buffer.byteLength(content);
    const complete = content.endsWith("\n") ? content : content.slice(0, content.lastIndexOf("\n") + 1);
    let carry = content.slice(complete.length);
    offset -= Buffer.byteLength(carry);
    let lines = renderLines(
      complete.split("\n").filter((l) => l !== ""),
      options,
    );
    if (options.tailLines !== undefined) lines = options.tailLines === 0 ? [] : lines.slice(-options.tailLines);
    if (!emit(lines) || !options.follow) return;
    carry = "";
    const poll = options.pollMs ?? 200;
    while (!signal.aborted) {
      const size = (await stat(path)).size;
      if (size > offset) {
        const buffer = Buffer.alloc(size - offset);
        await file.read(buffer, 0, buffer.length, offset);
        offset = size;
        const text = carry + buffer.toString("utf8");
        const cut = text.lastIndexOf("\n") + 1;
        carry = text.slice(cut);
        if (
          !emit(
            renderLines(
              text
                .slice(0, cut)
                .split("\n")
                .filter((l) => l !== ""),
              { ...options, since: undefined },
            ),
          )
        )
          return;
      } else if (options.finished?.()) return;
      await sleep(poll, signal);
    }
  } finally {
    await file.close();
  }
}
