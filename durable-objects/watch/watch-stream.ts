// One watch connection: newline-delimited JSON events over a chunked HTTP response,
// with keepalives, optional bookmarks, a server-side timeout and backpressure.
//
// Lines written in one turn of the event loop leave as one chunk. In workerd nearly all the
// CPU a delivered event costs is per chunk, not per byte: the runtime re-enters the isolate to
// pump each chunk of a JS stream, then frames and writes it to the socket (about 30 µs per
// chunk on the benchmark machine, against a few µs for the JSON itself). A publish of many
// events, an initial state or a replay therefore costs about one chunk per watcher. A lone
// event is not held back: the flush runs as a microtask, before the runtime could have
// pumped the chunk anyway.
import type { WatchEventType } from "../../api/types.ts";

export interface WatchStreamOptions {
  keepaliveMs: number;
  timeoutMs?: number;
  /** Called when the stream ends, for whatever reason, exactly once. */
  onClose: () => void;
  /** Periodic bookmark text (only when the client allowed bookmarks). */
  bookmark?: () => string;
  bookmarkMs?: number;
}

/** A watcher that falls this far behind is cut off; the client re-watches from its last resourceVersion. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

/** Pending text beyond this many UTF-16 units is flushed at once, so a long replay leaves in bounded chunks. */
const MAX_CHUNK_CHARS = 64 * 1024;

const encoder = new TextEncoder();

export const watchLine = (type: WatchEventType, objectJson: string) => `{"type":"${type}","object":${objectJson}}\n`;

export class WatchStream {
  readonly readable: ReadableStream<Uint8Array>;
  private controller!: ReadableStreamDefaultController<Uint8Array>;
  private closed = false;
  /** Lines written since the last flush, and whether a flush is queued. */
  private pending: string[] = [];
  private pendingChars = 0;
  private flushQueued = false;
  private readonly timers: Array<ReturnType<typeof setInterval>> = [];
  private readonly options: WatchStreamOptions;

  constructor(options: WatchStreamOptions) {
    this.options = options;
    this.readable = new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          this.controller = controller;
        },
        // The client went away: nothing more can be sent.
        cancel: () => this.finish(false),
      },
      { highWaterMark: MAX_BUFFERED_BYTES, size: (chunk) => chunk.byteLength },
    );
    this.timers.push(setInterval(() => this.write("\n"), options.keepaliveMs));
    if (options.bookmark && options.bookmarkMs) {
      const bookmark = options.bookmark;
      this.timers.push(setInterval(() => this.write(bookmark()), options.bookmarkMs));
    }
    if (options.timeoutMs !== undefined) this.timers.push(setTimeout(() => this.close(), options.timeoutMs));
  }

  get isClosed() {
    return this.closed;
  }

  write(text: string): void {
    if (this.closed) return;
    this.pending.push(text);
    this.pendingChars += text.length;
    if (this.pendingChars >= MAX_CHUNK_CHARS) this.flush();
    else if (!this.flushQueued) {
      this.flushQueued = true;
      queueMicrotask(this.flush);
    }
  }

  /** Enqueues the pending lines as one chunk, or cuts the watcher off if its client has fallen too far behind. */
  private readonly flush = (): void => {
    this.flushQueued = false;
    if (this.closed || this.pending.length === 0) return;
    if ((this.controller.desiredSize ?? 0) <= 0) {
      this.finish(false);
      return;
    }
    const text = this.pending.length === 1 ? this.pending[0] : this.pending.join("");
    this.pending = [];
    this.pendingChars = 0;
    this.controller.enqueue(encoder.encode(text));
  };

  send(type: WatchEventType, objectJson: string): void {
    this.write(watchLine(type, objectJson));
  }

  /** Sends an ERROR event carrying a Status and ends the stream (e.g. 410 Expired). */
  fail(statusJson: string): void {
    this.write(watchLine("ERROR", statusJson));
    this.close();
  }

  /** Ends the stream; what was written before (an ERROR event, the last events before a timeout) still goes out. */
  close(): void {
    this.finish(true);
  }

  private finish(sendPending: boolean): void {
    if (this.closed) return;
    if (sendPending) this.flush(); // may itself cut the watcher off
    if (this.closed) return;
    this.closed = true;
    this.pending = [];
    for (const timer of this.timers) clearInterval(timer);
    try {
      this.controller.close();
    } catch {
      // Already closed or errored by the consumer going away.
    }
    this.options.onClose();
  }
}
