// The kubelet's side of `kubectl port-forward` (portforward.k8s.io over SPDY/3.1): kubectl opens
// two streams per local connection, `streamtype: error` and `streamtype: data`, sharing a
// `requestid` and naming the `port`. Each is answered with SYN_REPLY at once (kubectl waits for
// it before opening the next); once both are there the pod's port is dialed and the data stream
// piped to it. A failure is written as text on the error stream; closing the error stream tells
// kubectl the connection is over. Bytes in and out are opaque to everything upstream.
import type { Socket } from "node:net";
import type { Clock } from "../clock.ts";
import {
  encodeData,
  encodePing,
  encodeRstStream,
  encodeSynReply,
  FrameReader,
  RstStatus,
  type Frame,
} from "./spdy-frames.ts";
import { HeaderCompressor, HeaderDecompressor, type SpdyHeaders } from "./spdy-headers.ts";

/** How long the kubelet waits for the second stream of a pair (its streamCreationTimeout). */
export const STREAM_PAIR_TIMEOUT_MS = 30_000;

/** Data frames sent to kubectl are cut to this size (kubectl reads whatever comes). */
const MAX_CHUNK = 32 * 1024;

export interface SpdySessionOptions {
  /** Bytes for kubectl, in order. */
  send(bytes: Uint8Array): void;
  /** Connects to the pod's port; the socket emits "connect" or "error". */
  dial(port: number): Socket;
  /** The pod as the kubelet names it in errors, and why a dial failed in Go's words. */
  pod: string;
  uid: string;
  explain?(err: Error, port: number): string;
  /** kubectl said goodbye (GOAWAY) or broke the protocol: the session is over. */
  onEnd(reason?: string): void;
  clock: Clock;
}

interface Pair {
  requestId: string;
  port: number;
  errorStream?: number;
  dataStream?: number;
  socket?: Socket;
  dataFinSent: boolean;
  errorFinSent: boolean;
  /** kubectl reset the data stream: nothing more may be sent on it. */
  reset: boolean;
  cancelTimer?: () => void;
}

export class SpdyPortForwardSession {
  private readonly options: SpdySessionOptions;
  private readonly reader = new FrameReader();
  private readonly inflater = new HeaderDecompressor();
  private readonly deflater = new HeaderCompressor();
  /** Incoming frames are handled one after another (header blocks share a zlib context). */
  private incoming: Promise<void> = Promise.resolve();
  /** Outgoing frames keep their order (a SYN_REPLY is compressed before it can be sent). */
  private outgoing: Promise<void> = Promise.resolve();
  private readonly pairs = new Map<string, Pair>();
  private readonly streams = new Map<number, Pair>();
  private ended = false;

  constructor(options: SpdySessionOptions) {
    this.options = options;
  }

  /** Bytes from kubectl, in order, cut anywhere. */
  receive(bytes: Uint8Array): void {
    if (this.ended) return;
    let frames: Frame[];
    try {
      frames = this.reader.push(bytes);
    } catch (err) {
      this.end(`protocol error: ${(err as Error).message}`);
      return;
    }
    for (const frame of frames) {
      this.incoming = this.incoming
        .then(() => (this.ended ? undefined : this.handle(frame)))
        .catch((err: Error) => this.end(`protocol error: ${err.message}`));
    }
  }

  /** Ends every forwarded connection (kubectl went away, or the node is stopping). */
  close(): void {
    if (this.ended) return;
    this.ended = true;
    for (const pair of this.pairs.values()) {
      pair.cancelTimer?.();
      pair.socket?.destroy();
    }
    this.pairs.clear();
    this.streams.clear();
    this.inflater.close();
    // Let queued frames (a final error message) go out before the compressor goes.
    void this.outgoing.then(() => this.deflater.close());
  }

  private end(reason?: string): void {
    if (this.ended) return;
    this.close();
    this.options.onEnd(reason);
  }

  private emit(frame: Uint8Array | Promise<Uint8Array>): void {
    const ready = Promise.resolve(frame);
    this.outgoing = this.outgoing
      .then(() => ready)
      .then((bytes) => this.options.send(bytes))
      .catch((err: Error) => this.end(`protocol error: ${err.message}`));
  }

  private async handle(frame: Frame): Promise<void> {
    switch (frame.kind) {
      case "syn-stream":
        return this.openStream(frame.streamId, await this.inflater.decompress(frame.headerBlock));
      case "headers":
      case "syn-reply":
        // Keep the shared zlib context in step even though these carry nothing we use.
        await this.inflater.decompress(frame.headerBlock);
        return;
      case "data":
        return this.onData(frame.streamId, frame.data, frame.fin);
      case "rst-stream":
        return this.onReset(frame.streamId);
      case "ping":
        // kubectl pings every few seconds (odd ids); answering proves the tunnel is alive.
        if (frame.id % 2 === 1) this.emit(encodePing(frame.id));
        return;
      case "goaway":
        return this.end();
      default:
        // SETTINGS, WINDOW_UPDATE (kubectl's spdystream has no flow control) and unknown frames.
        return;
    }
  }

  private openStream(streamId: number, headers: SpdyHeaders): void {
    const first = (name: string) => headers.get(name)?.[0] ?? "";
    const portText = first("port");
    const type = first("streamtype");
    const port = Number(portText);
    // What the kubelet checks before accepting a stream; a refused stream is reset.
    if (!/^\d+$/.test(portText) || port < 1 || port > 65535 || (type !== "error" && type !== "data")) {
      this.emit(encodeRstStream(streamId, RstStatus.Cancel));
      return;
    }
    this.emit(this.deflater.compress(new Map()).then((block) => encodeSynReply(streamId, block)));
    // Old clients sent no request id: their data stream followed the error stream (ids step by 2).
    const requestId = first("requestid") || String(type === "error" ? streamId : streamId - 2);
    let pair = this.pairs.get(requestId);
    if (!pair) {
      pair = { requestId, port, dataFinSent: false, errorFinSent: false, reset: false };
      this.pairs.set(requestId, pair);
      const waiting = pair;
      pair.cancelTimer = this.options.clock.setTimer(STREAM_PAIR_TIMEOUT_MS, () =>
        this.fail(waiting, `timed out waiting for streams of request ${requestId}`),
      );
    }
    if ((type === "error" ? pair.errorStream : pair.dataStream) !== undefined) {
      this.fail(pair, `${type} stream already assigned for request ${requestId}`);
      return;
    }
    if (type === "error") pair.errorStream = streamId;
    else pair.dataStream = streamId;
    this.streams.set(streamId, pair);
    if (pair.errorStream !== undefined && pair.dataStream !== undefined) {
      pair.cancelTimer?.();
      this.connect(pair);
    }
  }

  private connect(pair: Pair): void {
    const dataStream = pair.dataStream!;
    const socket = this.options.dial(pair.port);
    pair.socket = socket;
    let connected = false;
    socket.on("connect", () => (connected = true));
    socket.on("data", (chunk: Buffer) => {
      if (pair.reset || pair.dataFinSent) return;
      for (let offset = 0; offset < chunk.length; offset += MAX_CHUNK)
        this.emit(encodeData(dataStream, chunk.subarray(offset, offset + MAX_CHUNK)));
    });
    socket.on("end", () => this.finishData(pair));
    socket.on("error", (err) => {
      // Before the connection exists this is the answer kubectl shows; afterwards (a reset by
      // the pod) the connection just ends, as it would for any TCP client.
      if (!connected) this.fail(pair, this.explain(err, pair.port));
    });
    socket.on("close", () => this.finish(pair));
  }

  private explain(err: Error, port: number): string {
    const why = this.options.explain?.(err, port) ?? err.message;
    return `error forwarding port ${port} to pod ${this.options.pod}, uid ${this.options.uid}: ${why}`;
  }

  private onData(streamId: number, data: Uint8Array, fin: boolean): void {
    const pair = this.streams.get(streamId);
    // kubectl writes nothing on the error stream, only closes its half.
    if (!pair || streamId !== pair.dataStream || !pair.socket) return;
    if (data.length > 0) pair.socket.write(data);
    if (fin) pair.socket.end();
  }

  private onReset(streamId: number): void {
    const pair = this.streams.get(streamId);
    if (!pair) return;
    // kubectl resets the data stream once the pod's side is done, then waits for the error
    // stream to close: close it now rather than when the socket finally goes.
    pair.reset = true;
    pair.socket?.destroy();
    this.finish(pair);
  }

  /** The pod closed its side: end the data stream (kubectl then resets it). */
  private finishData(pair: Pair): void {
    if (pair.dataFinSent || pair.reset || pair.dataStream === undefined) return;
    pair.dataFinSent = true;
    this.emit(encodeData(pair.dataStream, new Uint8Array(0), true));
  }

  /** Both streams end; the pair is forgotten. */
  private finish(pair: Pair): void {
    if (this.pairs.get(pair.requestId) !== pair) return;
    this.finishData(pair);
    if (!pair.errorFinSent && pair.errorStream !== undefined) {
      pair.errorFinSent = true;
      this.emit(encodeData(pair.errorStream, new Uint8Array(0), true));
    }
    pair.cancelTimer?.();
    this.pairs.delete(pair.requestId);
    if (pair.errorStream !== undefined) this.streams.delete(pair.errorStream);
    if (pair.dataStream !== undefined) this.streams.delete(pair.dataStream);
  }

  /** Reports `message` on the error stream (kubectl prints it) and ends the pair. */
  private fail(pair: Pair, message: string): void {
    if (this.pairs.get(pair.requestId) !== pair) return;
    if (pair.errorStream !== undefined && !pair.errorFinSent)
      this.emit(encodeData(pair.errorStream, new TextEncoder().encode(message)));
    pair.socket?.destroy();
    this.finish(pair);
  }
}
