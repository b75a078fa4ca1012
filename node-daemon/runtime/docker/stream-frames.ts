// Docker's multiplexed stream (exec and attach without a TTY): every frame is an 8-byte header
// (stream type, three zero bytes, big-endian payload length) and the payload. Chunks from the
// socket cut frames anywhere, so the demuxer keeps what it has not finished.

/** 1 stdout, 2 stderr (0 would be stdin, which Docker never sends back). */
export type OutputStream = 1 | 2;

const HEADER = 8;

export class StreamDemuxer {
  private pending = new Uint8Array(0);

  /** The payloads of the frames the bytes so far complete, in order (Docker's frames are small). */
  push(chunk: Uint8Array): Array<{ stream: OutputStream; data: Uint8Array }> {
    const buffer = this.pending.length === 0 ? chunk : concat(this.pending, chunk);
    const out: Array<{ stream: OutputStream; data: Uint8Array }> = [];
    let offset = 0;
    while (buffer.length - offset >= HEADER) {
      const size =
        ((buffer[offset + 4] << 24) | (buffer[offset + 5] << 16) | (buffer[offset + 6] << 8) | buffer[offset + 7]) >>>
        0;
      if (buffer.length - offset - HEADER < size) break;
      const stream: OutputStream = buffer[offset] === 2 ? 2 : 1;
      if (size > 0) out.push({ stream, data: buffer.slice(offset + HEADER, offset + HEADER + size) });
      offset += HEADER + size;
    }
    this.pending = buffer.slice(offset);
    return out;
  }

  /** Bytes of an unfinished frame (a stream that ended mid-frame lost them). */
  get buffered(): number {
    return this.pending.length;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a, 0);
  joined.set(b, a.length);
  return joined;
}
