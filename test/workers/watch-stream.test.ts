// WatchStream inside workerd: how written lines become chunks, and every way a stream ends
// (close, client cancel, falling 16 MiB behind) calling onClose exactly once.
import { describe, expect, it } from "vitest";
import { WatchStream } from "../../durable-objects/watch/watch-stream.ts";

const decoder = new TextDecoder();

function open() {
  let closes = 0;
  // Keepalives far apart: these tests see only what they write.
  const stream = new WatchStream({ keepaliveMs: 3_600_000, onClose: () => (closes += 1) });
  const reader = stream.readable.getReader();
  const read = async () => {
    const { value, done } = await reader.read();
    return done ? undefined : decoder.decode(value);
  };
  return { stream, reader, read, closes: () => closes };
}

describe("WatchStream", () => {
  it("sends the lines written in one turn as one chunk, and a lone line at once", async () => {
    const { stream, read } = open();
    stream.write("a\n");
    stream.write("b\n");
    stream.write("c\n");
    expect(await read()).toBe("a\nb\nc\n");
    stream.write("d\n");
    expect(await read()).toBe("d\n");
    stream.close();
  });

  it("sends what was written before it fails or closes, then ends; onClose runs once", async () => {
    const { stream, read, closes } = open();
    stream.send("ADDED", '{"n":1}');
    stream.fail('{"kind":"Status","code":410}');
    expect(stream.isClosed).toBe(true);
    expect(await read()).toBe(
      '{"type":"ADDED","object":{"n":1}}\n{"type":"ERROR","object":{"kind":"Status","code":410}}\n',
    );
    expect(await read()).toBeUndefined();
    stream.close();
    stream.write("ignored\n");
    expect(closes()).toBe(1);
  });

  it("ends once when the client cancels, dropping what was not sent", async () => {
    const { stream, reader, closes } = open();
    stream.write("pending\n");
    await reader.cancel();
    expect(stream.isClosed).toBe(true);
    stream.write("after\n");
    stream.close();
    await Promise.resolve();
    expect(closes()).toBe(1);
  });

  it("cuts off a watcher whose client falls 16 MiB behind", async () => {
    const { stream, read, closes } = open();
    const line = "x".repeat(1024 * 1024 - 1) + "\n";
    // Each 1 MiB line is a chunk of its own (long writes are not held back); nobody reads.
    for (let i = 0; i < 16; i++) stream.write(line);
    expect(stream.isClosed).toBe(false);
    stream.write(line);
    expect(stream.isClosed).toBe(true);
    expect(closes()).toBe(1);
    // What was already queued still reaches the client, then the stream ends.
    let bytes = 0;
    for (let text = await read(); text !== undefined; text = await read()) bytes += text.length;
    expect(bytes).toBe(16 * line.length);
  });
});
