// SPDY/3 header blocks: a count, then length-prefixed lower-case names and values (several values
// joined by NUL), compressed with zlib and the SPDY dictionary. Each direction of a connection is
// ONE zlib stream: every block continues the previous one's context and ends with a sync flush,
// so blocks must be (de)compressed strictly in the order they go over the wire.
import { constants, createDeflate, createInflate, type Deflate, type Inflate } from "node:zlib";
import { SPDY3_DICTIONARY } from "./spdy-dictionary.ts";
import { SpdyProtocolError } from "./spdy-frames.ts";

/** Header names (lower case) to their values. */
export type SpdyHeaders = Map<string, string[]>;

/** kubectl's header blocks are a few dozen bytes; anything huge is an attack or a bug. */
const MAX_HEADER_BLOCK = 64 * 1024;

export function encodeHeaderBlock(headers: SpdyHeaders): Uint8Array {
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [];
  const length = (n: number) => {
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setUint32(0, n);
    return bytes;
  };
  parts.push(length(headers.size));
  for (const [name, values] of headers) {
    const nameBytes = encoder.encode(name.toLowerCase());
    const valueBytes = encoder.encode(values.join("\0"));
    parts.push(length(nameBytes.length), nameBytes, length(valueBytes.length), valueBytes);
  }
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export function decodeHeaderBlock(block: Uint8Array): SpdyHeaders {
  const view = new DataView(block.buffer, block.byteOffset, block.byteLength);
  const decoder = new TextDecoder();
  let offset = 0;
  const read = () => {
    if (offset + 4 > block.length) throw new SpdyProtocolError("truncated header block");
    const n = view.getUint32(offset);
    offset += 4;
    if (offset + n > block.length) throw new SpdyProtocolError("truncated header block");
    const text = decoder.decode(block.subarray(offset, offset + n));
    offset += n;
    return text;
  };
  if (block.length < 4) throw new SpdyProtocolError("truncated header block");
  const count = view.getUint32(0);
  offset = 4;
  const headers: SpdyHeaders = new Map();
  for (let i = 0; i < count; i++) {
    const name = read().toLowerCase();
    const values = read().split("\0");
    headers.set(name, [...(headers.get(name) ?? []), ...values]);
  }
  return headers;
}

/**
 * One direction's zlib context. Node's zlib is asynchronous; calls are queued so each block
 * sees the context the previous one left, and each answer holds exactly that block's output
 * (a sync flush ends it).
 */
class ZlibContext {
  private readonly stream: Deflate | Inflate;
  private output: Buffer[] = [];
  private failure: Error | undefined;
  /** The call in progress fails at once on a zlib error (its flush callback never comes then). */
  private pending: ((err: Error) => void) | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(stream: Deflate | Inflate) {
    this.stream = stream;
    // Drain as output appears so a large block never stalls the stream on back-pressure.
    stream.on("readable", () => this.drain());
    stream.on("error", (err) => {
      this.failure = err;
      this.pending?.(err);
    });
  }

  private drain(): void {
    for (let chunk = this.stream.read() as Buffer | null; chunk !== null; chunk = this.stream.read() as Buffer | null)
      this.output.push(chunk);
  }

  run(input: Uint8Array): Promise<Uint8Array> {
    const result = this.queue.then(
      () =>
        new Promise<Uint8Array>((resolve, reject) => {
          const fail = (err: Error) => reject(new SpdyProtocolError(`header compression: ${err.message}`));
          if (this.failure) return fail(this.failure);
          this.pending = fail;
          this.stream.write(input);
          this.stream.flush(constants.Z_SYNC_FLUSH, () => {
            this.pending = undefined;
            this.drain();
            if (this.failure) return fail(this.failure);
            const out = Buffer.concat(this.output.splice(0));
            resolve(new Uint8Array(out.buffer, out.byteOffset, out.byteLength));
          });
        }),
    );
    this.queue = result.catch(() => {});
    return result;
  }

  close(): void {
    this.pending = undefined;
    this.stream.destroy();
  }
}

export class HeaderCompressor {
  private readonly context = new ZlibContext(
    createDeflate({ dictionary: SPDY3_DICTIONARY, level: constants.Z_BEST_COMPRESSION }),
  );

  compress(headers: SpdyHeaders): Promise<Uint8Array> {
    return this.context.run(encodeHeaderBlock(headers));
  }

  close(): void {
    this.context.close();
  }
}

export class HeaderDecompressor {
  private readonly context = new ZlibContext(createInflate({ dictionary: SPDY3_DICTIONARY }));

  async decompress(compressed: Uint8Array): Promise<SpdyHeaders> {
    if (compressed.length > MAX_HEADER_BLOCK) throw new SpdyProtocolError("header block too large");
    const block = await this.context.run(compressed);
    if (block.length > MAX_HEADER_BLOCK) throw new SpdyProtocolError("header block too large");
    return decodeHeaderBlock(block);
  }

  close(): void {
    this.context.close();
  }
}
