// SPDY/3.1 framing (the subset kubectl's port-forward uses), as pure byte encoding and a
// streaming parser. kubectl writes frames in several pieces (one WebSocket message per write),
// so the reader buffers across chunks. Header blocks stay compressed here; spdy-headers.ts
// (de)compresses them, in order, with the connection's shared zlib contexts.

export const SPDY_VERSION = 3;

export const FrameType = {
  SynStream: 1,
  SynReply: 2,
  RstStream: 3,
  Settings: 4,
  Ping: 6,
  GoAway: 7,
  Headers: 8,
  WindowUpdate: 9,
} as const;

/** FLAG_FIN on data frames, SYN_STREAM, SYN_REPLY and HEADERS: the sender's half is closed. */
export const FLAG_FIN = 0x01;

/** RST_STREAM status codes (SPDY/3 section 2.6.3). */
export const RstStatus = { ProtocolError: 1, InvalidStream: 2, RefusedStream: 3, Cancel: 5, InternalError: 6 } as const;

/** The most a data frame's length field can carry (24 bits). */
export const MAX_DATA_LENGTH = 0xffffff;

export type Frame =
  | { kind: "data"; streamId: number; fin: boolean; data: Uint8Array }
  | {
      kind: "syn-stream";
      streamId: number;
      associatedTo: number;
      priority: number;
      fin: boolean;
      unidirectional: boolean;
      headerBlock: Uint8Array;
    }
  | { kind: "syn-reply"; streamId: number; fin: boolean; headerBlock: Uint8Array }
  | { kind: "headers"; streamId: number; fin: boolean; headerBlock: Uint8Array }
  | { kind: "rst-stream"; streamId: number; status: number }
  | { kind: "ping"; id: number }
  | { kind: "goaway"; lastGoodStreamId: number; status: number }
  | { kind: "settings"; entries: Array<{ flags: number; id: number; value: number }> }
  | { kind: "window-update"; streamId: number; delta: number }
  | { kind: "unknown"; type: number };

/** A malformed frame: the connection cannot continue (kubectl's framer would give up too). */
export class SpdyProtocolError extends Error {}

const STREAM_ID_MASK = 0x7fffffff;

function controlFrame(type: number, flags: number, payload: Uint8Array): Uint8Array {
  if (payload.length > MAX_DATA_LENGTH) throw new SpdyProtocolError("control frame too large");
  const frame = new Uint8Array(8 + payload.length);
  const view = new DataView(frame.buffer);
  view.setUint16(0, 0x8000 | SPDY_VERSION);
  view.setUint16(2, type);
  view.setUint32(4, ((flags & 0xff) << 24) | payload.length);
  frame.set(payload, 8);
  return frame;
}

function words(...values: number[]): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  values.forEach((value, i) => view.setUint32(i * 4, value >>> 0));
  return bytes;
}

const concat = (a: Uint8Array, b: Uint8Array) => {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
};

export function encodeData(streamId: number, data: Uint8Array, fin = false): Uint8Array {
  if (data.length > MAX_DATA_LENGTH) throw new SpdyProtocolError("data frame too large");
  const frame = new Uint8Array(8 + data.length);
  const view = new DataView(frame.buffer);
  view.setUint32(0, streamId & STREAM_ID_MASK);
  view.setUint32(4, ((fin ? FLAG_FIN : 0) << 24) | data.length);
  frame.set(data, 8);
  return frame;
}

export function encodeSynStream(
  streamId: number,
  headerBlock: Uint8Array,
  options: { fin?: boolean; associatedTo?: number; priority?: number } = {},
): Uint8Array {
  const head = new Uint8Array(10);
  const view = new DataView(head.buffer);
  view.setUint32(0, streamId & STREAM_ID_MASK);
  view.setUint32(4, (options.associatedTo ?? 0) & STREAM_ID_MASK);
  head[8] = ((options.priority ?? 0) & 0x7) << 5;
  return controlFrame(FrameType.SynStream, options.fin ? FLAG_FIN : 0, concat(head, headerBlock));
}

export function encodeSynReply(streamId: number, headerBlock: Uint8Array, fin = false): Uint8Array {
  return controlFrame(FrameType.SynReply, fin ? FLAG_FIN : 0, concat(words(streamId & STREAM_ID_MASK), headerBlock));
}

export const encodeRstStream = (streamId: number, status: number) =>
  controlFrame(FrameType.RstStream, 0, words(streamId & STREAM_ID_MASK, status));

export const encodePing = (id: number) => controlFrame(FrameType.Ping, 0, words(id));

export const encodeGoAway = (lastGoodStreamId: number, status = 0) =>
  controlFrame(FrameType.GoAway, 0, words(lastGoodStreamId & STREAM_ID_MASK, status));

/** Parses a frame's payload once all of it has arrived. */
function decodeFrame(head: DataView, payload: Uint8Array): Frame {
  const first = head.getUint32(0);
  const flags = head.getUint8(4);
  const fin = (flags & FLAG_FIN) !== 0;
  if ((first & 0x80000000) === 0) return { kind: "data", streamId: first & STREAM_ID_MASK, fin, data: payload };
  const version = (first >>> 16) & 0x7fff;
  if (version !== SPDY_VERSION) throw new SpdyProtocolError(`unsupported SPDY version ${version}`);
  const type = first & 0xffff;
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const need = (n: number) => {
    if (payload.length < n) throw new SpdyProtocolError(`control frame type ${type} is too short`);
  };
  switch (type) {
    case FrameType.SynStream:
      need(10);
      return {
        kind: "syn-stream",
        streamId: view.getUint32(0) & STREAM_ID_MASK,
        associatedTo: view.getUint32(4) & STREAM_ID_MASK,
        priority: payload[8] >> 5,
        fin,
        unidirectional: (flags & 0x02) !== 0,
        headerBlock: payload.subarray(10),
      };
    case FrameType.SynReply:
    case FrameType.Headers:
      need(4);
      return {
        kind: type === FrameType.SynReply ? "syn-reply" : "headers",
        streamId: view.getUint32(0) & STREAM_ID_MASK,
        fin,
        headerBlock: payload.subarray(4),
      };
    case FrameType.RstStream:
      need(8);
      return { kind: "rst-stream", streamId: view.getUint32(0) & STREAM_ID_MASK, status: view.getUint32(4) };
    case FrameType.Ping:
      need(4);
      return { kind: "ping", id: view.getUint32(0) };
    case FrameType.GoAway:
      need(4);
      return {
        kind: "goaway",
        lastGoodStreamId: view.getUint32(0) & STREAM_ID_MASK,
        status: payload.length >= 8 ? view.getUint32(4) : 0,
      };
    case FrameType.Settings: {
      need(4);
      const count = view.getUint32(0);
      need(4 + count * 8);
      const entries = Array.from({ length: count }, (_, i) => {
        const flagId = view.getUint32(4 + i * 8);
        return { flags: flagId >>> 24, id: flagId & 0xffffff, value: view.getUint32(8 + i * 8) };
      });
      return { kind: "settings", entries };
    }
    case FrameType.WindowUpdate:
      need(8);
      return {
        kind: "window-update",
        streamId: view.getUint32(0) & STREAM_ID_MASK,
        delta: view.getUint32(4) & STREAM_ID_MASK,
      };
    default:
      // SPDY/3 says to ignore control frames of unknown types.
      return { kind: "unknown", type };
  }
}

/** Cuts a byte stream into frames; feed it chunks as they come, in order. */
export class FrameReader {
  private buffered: Uint8Array[] = [];
  private size = 0;

  /** Every frame completed by `chunk`, in order. Throws SpdyProtocolError on malformed input. */
  push(chunk: Uint8Array): Frame[] {
    if (chunk.length === 0) return [];
    this.buffered.push(chunk);
    this.size += chunk.length;
    const frames: Frame[] = [];
    for (;;) {
      if (this.size < 8) break;
      const head = this.peek(8);
      const view = new DataView(head.buffer, head.byteOffset, 8);
      const length = view.getUint32(4) & 0xffffff;
      if (this.size < 8 + length) break;
      const whole = this.take(8 + length);
      frames.push(decodeFrame(new DataView(whole.buffer, whole.byteOffset, 8), whole.subarray(8)));
    }
    return frames;
  }

  /** Bytes of an incomplete frame still waiting for the rest. */
  get pending(): number {
    return this.size;
  }

  private peek(n: number): Uint8Array {
    if (this.buffered[0].length >= n) return this.buffered[0].subarray(0, n);
    const joined = this.join();
    return joined.subarray(0, n);
  }

  private take(n: number): Uint8Array {
    if (this.buffered[0].length < n) this.join();
    const first = this.buffered[0];
    const taken = first.subarray(0, n);
    if (first.length === n) this.buffered.shift();
    else this.buffered[0] = first.subarray(n);
    this.size -= n;
    return taken;
  }

  private join(): Uint8Array {
    const joined = new Uint8Array(this.size);
    let offset = 0;
    for (const part of this.buffered) {
      joined.set(part, offset);
      offset += part.length;
    }
    this.buffered = [joined];
    return joined;
  }
}
