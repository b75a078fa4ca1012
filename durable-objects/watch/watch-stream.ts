// One watch connection: newline-delimited JSON events over a chunked HTTP response,
// with keepalives, optional bookmarks, a server-side timeout and backpressure.
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

const encoder = new TextEncoder();

export const watchLine = (type: WatchEventType, objectJson: string) => `{"type":"${type}","object":${objectJson}}\n`;

export class WatchStream {
  readonly readable: ReadableStream<Uint8Array>;
  private controller!: ReadableStreamDefaultController<Uint8Array>;
  private closed = false;
  private readonly timers: Array<ReturnType<typeof setInterval>> = [];
  private readonly options: WatchStreamOptions;

  constructor(options: WatchStreamOptions) {
    this.options = options;
    this.readable = new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          this.controller = controller;
        },
        cancel: () => this.close(),
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
    if ((this.controller.desiredSize ?? 0) <= 0) {
      this.close();
      return;
    }
    this.controller.enqueue(encoder.encode(text));
  }

  send(type: WatchEventType, objectJson: string): void {
    this.write(watchLine(type, objectJson));
  }

  /** Sends an ERROR event carrying a Status and ends the stream (e.g. 410 Expired). */
  fail(statusJson: string): void {
    this.write(watchLine("ERROR", statusJson));
    this.close();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) clearInterval(timer);
    try {
      this.controller.close();
    } catch {
      // Already closed or errored by the consumer going away.
    }
    this.options.onClose();
  }
}
