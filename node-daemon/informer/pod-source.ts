// The per-node pod feed: `GET /api/v1/pods?fieldSelector=spec.nodeName=<node>` to list, and the
// same with `watch=true&resourceVersion=…` to watch, over a WebSocket when the server offers one
// and a chunked HTTP response otherwise.
import { Agent, WebSocket } from "undici";
import type { Pod } from "kubernetes-types/core/v1";
import { isLoopbackServer, type ApiClient } from "../api/client.ts";
import { ApiError } from "../api/errors.ts";
import type { Clock } from "../clock.ts";
import type { Logger } from "../log.ts";
import type { ListWatchSource, WatchEvent } from "./informer.ts";

export type WatchTransport = "auto" | "websocket" | "http";

/** After a failed WebSocket upgrade, use chunked HTTP this long before trying again. */
const WEBSOCKET_RETRY_MS = 10 * 60_000;

export class NodePodSource implements ListWatchSource<Pod> {
  private readonly api: ApiClient;
  private readonly selector: string;
  private readonly transport: WatchTransport;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private websocketRefusedAt: number | undefined;
  private agent: Agent | undefined;

  constructor(api: ApiClient, nodeName: string, options: { transport?: WatchTransport; clock: Clock; logger: Logger }) {
    this.api = api;
    this.selector = encodeURIComponent(`spec.nodeName=${nodeName}`);
    this.transport = options.transport ?? "auto";
    this.clock = options.clock;
    this.logger = options.logger;
  }

  async list(signal: AbortSignal): Promise<{ items: Pod[]; resourceVersion: string }> {
    const list = await this.api.get(`/api/v1/pods?fieldSelector=${this.selector}`, { signal });
    return { items: list.items ?? [], resourceVersion: list.metadata?.resourceVersion ?? "" };
  }

  private watchPath(resourceVersion: string): string {
    // The server closes a watch after timeoutSeconds; spreading it keeps reconnects apart.
    const timeout = 240 + Math.floor(Math.random() * 120);
    return (
      `/api/v1/pods?fieldSelector=${this.selector}&watch=true&allowWatchBookmarks=true` +
      `&resourceVersion=${encodeURIComponent(resourceVersion)}&timeoutSeconds=${timeout}`
    );
  }

  async watch(resourceVersion: string, signal: AbortSignal): Promise<AsyncIterable<WatchEvent<Pod>>> {
    const path = this.watchPath(resourceVersion);
    const tryWebSocket =
      this.transport === "websocket" ||
      (this.transport === "auto" &&
        (this.websocketRefusedAt === undefined || this.clock.now() - this.websocketRefusedAt > WEBSOCKET_RETRY_MS));
    if (tryWebSocket) {
      try {
        return await this.watchWebSocket(path, signal);
      } catch (err) {
        if (this.transport === "websocket" || signal.aborted) throw err;
        if (this.websocketRefusedAt === undefined) this.logger.debug("WebSocket watch unavailable; using chunked HTTP");
        this.websocketRefusedAt = this.clock.now();
      }
    }
    const lines = await this.api.lines(path, { signal });
    return parseEvents(lines);
  }

  private watchWebSocket(path: string, signal: AbortSignal): Promise<AsyncIterable<WatchEvent<Pod>>> {
    this.agent ??= new Agent({ connect: { rejectUnauthorized: !isLoopbackServer(this.api.server) } });
    const url = this.api.url(path).replace(/^http/, "ws");
    const socket = new WebSocket(url, { dispatcher: this.agent, headers: { authorization: this.api.authorization } });
    socket.binaryType = "arraybuffer";
    const queue = new AsyncQueue<WatchEvent<Pod>>();
    return new Promise((resolve, reject) => {
      let opened = false;
      const abort = () => socket.close();
      signal.addEventListener("abort", abort, { once: true });
      socket.addEventListener("open", () => {
        opened = true;
        resolve(queue);
      });
      socket.addEventListener("message", (event) => {
        try {
          const text =
            typeof event.data === "string" ? event.data : new TextDecoder().decode(event.data as ArrayBuffer);
          if (text.trim() !== "") queue.push(JSON.parse(text));
        } catch (err) {
          queue.fail(err);
          socket.close();
        }
      });
      socket.addEventListener("close", () => {
        signal.removeEventListener("abort", abort);
        if (!opened) reject(new ApiError(0, "WebSocket watch refused"));
        else if (signal.aborted) queue.fail(new Error("aborted"));
        else queue.end();
      });
      socket.addEventListener("error", () => {
        if (opened) queue.fail(new Error("WebSocket watch failed"));
      });
    });
  }
}

async function* parseEvents(lines: AsyncIterable<string>): AsyncGenerator<WatchEvent<Pod>> {
  for await (const line of lines) yield JSON.parse(line) as WatchEvent<Pod>;
}

/** Pushes from callbacks, pulled with `for await`. */
class AsyncQueue<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private waiting: { resolve: (r: IteratorResult<T>) => void; reject: (e: unknown) => void } | undefined;
  private done = false;
  private error: unknown;

  push(item: T): void {
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = undefined;
      w.resolve({ value: item, done: false });
    } else this.items.push(item);
  }

  end(): void {
    this.done = true;
    this.waiting?.resolve({ value: undefined, done: true });
    this.waiting = undefined;
  }

  fail(error: unknown): void {
    this.error ??= error;
    this.done = true;
    this.waiting?.reject(error);
    this.waiting = undefined;
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        if (this.items.length > 0) return Promise.resolve({ value: this.items.shift() as T, done: false });
        if (this.error !== undefined) return Promise.reject(this.error);
        if (this.done) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
      },
    };
  }
}
