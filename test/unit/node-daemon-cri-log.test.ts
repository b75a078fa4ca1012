import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { READ_CHUNK, streamCriLog, WRITE_BATCH } from "../../node-daemon/tunnel/cri-log.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function logFile(lines: number, from = 0): string {
  const dir = mkdtempSync(join(tmpdir(), "cri-log-"));
  dirs.push(dir);
  const path = join(dir, "0.log");
  writeFileSync(path, criLines(lines, from));
  return path;
}

const criLines = (count: number, from = 0) =>
  Array.from({ length: count }, (_, i) => `2026-11-26T00:00:00.000000000Z stdout F line ${from + i}\n`).join("");

async function collect(path: string, options: Parameters<typeof streamCriLog>[1]): Promise<string[]> {
  const writes: string[] = [];
  await streamCriLog(path, options, async (text) => void writes.push(text), new AbortController().signal);
  return writes;
}

describe("streamCriLog", () => {
  it("streams a log bigger than one read in order, in batches rather than a write per line", async () => {
    const count = Math.ceil((READ_CHUNK * 2.5) / 50);
    const writes = await collect(logFile(count), { timestamps: false, follow: false });
    const lines = writes.join("").split("\n").slice(0, -1);
    expect(lines).toHaveLength(count);
    expect(lines[0]).toBe("line 0");
    expect(lines.at(-1)).toBe(`line ${count - 1}`);
    expect(writes.length).toBeLessThan(count / 100);
    expect(Math.max(...writes.map((w) => w.length))).toBeLessThan(WRITE_BATCH + 100);
  });

  it("tails from the end of a big file, and --tail=0 shows nothing", async () => {
    const count = Math.ceil((READ_CHUNK * 3) / 50);
    const path = logFile(count);
    expect((await collect(path, { timestamps: false, follow: false, tailLines: 3 })).join("")).toBe(
      `line ${count - 3}\nline ${count - 2}\nline ${count - 1}\n`,
    );
    expect(await collect(path, { timestamps: false, follow: false, tailLines: 0 })).toEqual([]);
  });

  it("joins partial entries into one line, also when the tail starts inside a group", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cri-log-"));
    dirs.push(dir);
    const path = join(dir, "0.log");
    writeFileSync(
      path,
      "2026-11-26T00:00:00Z stdout P ab\n2026-11-26T00:00:00Z stdout F cd\n2026-11-26T00:00:01Z stderr F ef\n",
    );
    expect((await collect(path, { timestamps: false, follow: false })).join("")).toBe("abcd\nef\n");
    expect((await collect(path, { timestamps: false, follow: false, tailLines: 1 })).join("")).toBe("ef\n");
  });

  it("follows new lines, and waits for a congested writer before reading on", async () => {
    const path = logFile(2);
    const abort = new AbortController();
    const seen: string[] = [];
    let release: (() => void) | undefined;
    const done = streamCriLog(
      path,
      { timestamps: false, follow: true, pollMs: 5 },
      (text) => {
        seen.push(text);
        // The first write (the existing lines) is held back until released.
        return seen.length === 1 ? new Promise<void>((resolve) => (release = resolve)) : Promise.resolve();
      },
      abort.signal,
    );
    await expect.poll(() => seen.length).toBe(1);
    appendFileSync(path, criLines(1, 2));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(seen).toHaveLength(1); // nothing read while the writer is congested
    release!();
    await expect.poll(() => seen.join("")).toBe("line 0\nline 1\nline 2\n");
    abort.abort();
    await done;
  });

  it("stops at limitBytes", async () => {
    const writes = await collect(logFile(10), { timestamps: false, follow: false, limitBytes: 9 });
    expect(writes.join("")).toBe("line 0\nli");
  });
});
