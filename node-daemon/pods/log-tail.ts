// The last lines of a container's log, from a CRI log file (process runtime) or Docker's
// json-file (docker runtime): terminationMessagePolicy FallbackToLogsOnError reads them.
import { closeSync, fstatSync, openSync, readSync } from "node:fs";

const CHUNK = 64 * 1024;

function readTail(path: string, bytes: number): { text: string; cut: boolean } {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return { text: "", cut: false };
  }
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, bytes);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    return { text: buffer.toString("utf8"), cut: length < size };
  } finally {
    closeSync(fd);
  }
}

/** One log line's text, whichever format it is in. */
export function logLineText(line: string): string | undefined {
  if (line.startsWith("{")) {
    try {
      return (JSON.parse(line) as { log?: string }).log?.replace(/\n$/, "");
    } catch {
      return undefined;
    }
  }
  const match = /^\S+ (?:stdout|stderr) [FP] (.*)$/.exec(line);
  return match ? match[1] : undefined;
}

export function tailLines(path: string, lines: number, maxBytes: number): string {
  const { text, cut } = readTail(path, CHUNK);
  const parsed = text
    .split("\n")
    .slice(cut ? 1 : 0) // a line cut by the read is dropped
    .map(logLineText)
    .filter((line): line is string => line !== undefined);
  let out = parsed.slice(-lines).join("\n");
  if (Buffer.byteLength(out) > maxBytes) out = Buffer.from(out).subarray(-maxBytes).toString("utf8");
  return out;
}
