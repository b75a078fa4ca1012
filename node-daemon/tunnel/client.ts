// The node's end of the tunnel: one outbound WebSocket to the control plane, reconnected with
// jittered backoff, carrying `kubectl logs|exec|attach|port-forward` streams (api/tunnel/protocol.ts).
import WebSocket from "ws";
import {
  type NodeMetricsReport,
  decodeData,
  encodeData,
  type ExecRequest,
  type FromNode,
  type LogRequest,
  type PortForwardRequest,
  type ToNode,
} from "../../api/tunnel/protocol.ts";
import type { TerminalSize } from "../runtime/exec-process.ts";

/** Bytes waiting in the tunnel's send buffer above which log streaming pauses. */
const CONGESTED_BYTES = 1024 * 1024;

/** A refusal before any data: becomes the HTTP status kubectl prints. */
export class TunnelError extends Error {
  readonly status: number;
  readonly reason: string;
  constructor(status: number, reason: string, message: string) {
    super(message);
    this.status = status;
    this.reason = reason;
  }
}

/** What kubectl sends during an exec or attach session. */
export interface ExecInput {
  stdin(bytes: Uint8Array): void;
  stdinEnd(): void;
  resize(size: TerminalSize): void;
}

export interface ExecIO {
  /** Output to kubectl: channel 1 stdout, 2 stderr. */
  write(channel: 1 | 2, bytes: Uint8Array): void;
  /**
   * Where kubectl's input goes. Input that came before (the host may still have been asking its
   * runtime about the container) is replayed first, in order.
   */
  onInput(input: ExecInput): void;
  /** The first terminal size kubectl sends (at once, when it has a terminal; never without). */
  readonly firstSize: Promise<TerminalSize>;
  readonly signal: AbortSignal;
}

/** A port-forward session: opaque bytes each way (the host speaks the client's protocol). */
export interface PortForwardIO {
  /** Bytes (one client message in the channel protocol) for the client. */
  write(bytes: Uint8Array): void;
  /** Where the client's bytes go; any that came before are replayed first, in order. */
  onInput(receive: (bytes: Uint8Array) => void): void;
  readonly signal: AbortSignal;
}

/** What the daemon provides behind the tunnel. */
export interface TunnelHost {
  /** Streams log text via `write`; throws TunnelError for a refusal (e.g. container not started). */
  /** `write` answers a promise while the tunnel is congested: wait for it before reading more. */
  streamLog(request: LogRequest, write: (text: string) => Promise<void>, signal: AbortSignal): Promise<void>;
  /** Runs (or attaches to) a process; resolves with its exit code. */
  exec(request: ExecRequest, io: ExecIO): Promise<number>;
  /** Current CPU and memory usage of the node and its pods (`kubectl top`). */
  metrics?(): Promise<NodeMetricsReport>;
  /** Serves a port-forward session until it ends (the client leaves, or says goodbye). */
  portForward?(request: PortForwardRequest, io: PortForwardIO): Promise<void>;
}

export interface TunnelOptions {
  url: string; // wss://host/clusters/<c>/apis/tunnel.flotilla.dev/v1alpha1/nodes/<node>/connect
  token: string;
  node: string;
  host: TunnelHost;
  insecure: boolean;
  log: (message: string) => void;
}

type InputMessage = Extract<ToNode, { type: "data" | "close-stdin" | "resize" }>;

interface ActiveStream {
  abort: AbortController;
  input?: ExecInput;
  /** Input that came before `input` was set, in order. */
  early: InputMessage[];
  sized?: (size: TerminalSize) => void;
}

function deliver(input: ExecInput, message: InputMessage): void {
  if (message.type === "data") input.stdin(decodeData(message.data));
  else if (message.type === "close-stdin") input.stdinEnd();
  else input.resize({ width: message.width, height: message.height });
}

export class TunnelClient {
  private readonly options: TunnelOptions;
  private socket: WebSocket | undefined;
  private readonly streams = new Map<number, ActiveStream>();
  private stopped = false;
  private attempt = 0;

  constructor(options: TunnelOptions) {
    this.options = options;
  }

  start(): void {
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    for (const stream of this.streams.values()) stream.abort.abort();
    this.socket?.close(1000, "node stopping");
  }

  private connect(): void {
    if (this.stopped) return;
    const socket = new WebSocket(this.options.url, {
      headers: { authorization: `Bearer ${this.options.token}` },
      rejectUnauthorized: !this.options.insecure,
    });
    this.socket = socket;
    socket.on("open", () => {
      this.attempt = 0;
      this.send({ type: "hello", node: this.options.node });
      this.options.log("tunnel connected");
    });
    socket.on("message", (data) => this.receive(JSON.parse(data.toString()) as ToNode));
    socket.on("close", () => this.reconnect());
    socket.on("error", (err) => this.options.log(`tunnel error: ${err.message}`));
  }

  private reconnect(): void {
    for (const stream of this.streams.values()) stream.abort.abort();
    this.streams.clear();
    if (this.stopped) return;
    this.attempt += 1;
    const base = Math.min(30_000, 500 * 2 ** Math.min(this.attempt, 6));
    setTimeout(() => this.connect(), base / 2 + Math.random() * (base / 2)).unref();
  }

  /**
   * Resolves once the tunnel's send buffer is below CONGESTED_BYTES (or the stream was cancelled,
   * or the socket went away): a fast producer (a chatty log) waits instead of queueing megabytes.
   */
  private async drained(signal: AbortSignal): Promise<void> {
    while (
      this.socket?.readyState === WebSocket.OPEN &&
      this.socket.bufferedAmount > CONGESTED_BYTES &&
      !signal.aborted
    ) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  private send(message: FromNode): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  private receive(message: ToNode): void {
    const stream = this.streams.get(message.stream);
    switch (message.type) {
      case "open-log":
        return this.openLog(message.stream, message.request);
      case "open-exec":
        return this.openExec(message.stream, message.request);
      case "data":
      case "close-stdin":
      case "resize":
        if (!stream) return;
        if (message.type === "resize") stream.sized?.({ width: message.width, height: message.height });
        if (stream.input) deliver(stream.input, message);
        else stream.early.push(message);
        return;
      case "cancel":
        stream?.abort.abort();
        this.streams.delete(message.stream);
        return;
      case "get-metrics":
        return this.answerMetrics(message.stream);
      case "open-port":
        return this.openPort(message.stream, message.request);
    }
  }

  private fail(id: number, err: unknown): void {
    if (err instanceof TunnelError)
      this.send({ type: "error", stream: id, status: err.status, reason: err.reason, message: err.message });
    else
      this.send({
        type: "error",
        stream: id,
        status: 500,
        reason: "InternalError",
        message: err instanceof Error ? err.message : String(err),
      });
  }

  private openLog(id: number, request: LogRequest): void {
    const abort = new AbortController();
    this.streams.set(id, { abort, early: [] });
    let started = false;
    const encoder = new TextEncoder();
    this.options.host
      .streamLog(
        request,
        (text) => {
          started = true;
          this.send({ type: "data", stream: id, channel: 1, data: encodeData(encoder.encode(text)) });
          return this.drained(abort.signal);
        },
        abort.signal,
      )
      .then(() => this.send({ type: "end", stream: id }))
      .catch((err) => (started ? this.send({ type: "end", stream: id }) : this.fail(id, err)))
      .finally(() => this.streams.delete(id));
  }

  private answerMetrics(id: number): void {
    const metrics = this.options.host.metrics;
    if (!metrics) {
      this.send({
        type: "error",
        stream: id,
        status: 501,
        reason: "NotImplemented",
        message: "this node reports no metrics",
      });
      return;
    }
    metrics
      .call(this.options.host)
      .then((report) => {
        this.send({
          type: "data",
          stream: id,
          channel: 1,
          data: encodeData(new TextEncoder().encode(JSON.stringify(report))),
        });
        this.send({ type: "end", stream: id });
      })
      .catch((err) => this.fail(id, err));
  }

  private openPort(id: number, request: PortForwardRequest): void {
    const portForward = this.options.host.portForward;
    if (!portForward) {
      this.send({
        type: "error",
        stream: id,
        status: 501,
        reason: "NotImplemented",
        message: "this node cannot forward ports",
      });
      return;
    }
    const abort = new AbortController();
    const stream: ActiveStream = { abort, early: [] };
    this.streams.set(id, stream);
    const io: PortForwardIO = {
      write: (bytes) => this.send({ type: "data", stream: id, channel: 0, data: encodeData(bytes) }),
      // Client bytes arrive as "data" messages, the same path as exec's stdin.
      onInput: (receive) => {
        stream.input = { stdin: receive, stdinEnd: () => {}, resize: () => {} };
        for (const message of stream.early.splice(0)) deliver(stream.input, message);
      },
      signal: abort.signal,
    };
    portForward
      .call(this.options.host, request, io)
      .then(() => this.send({ type: "end", stream: id }))
      .catch((err) => this.fail(id, err))
      .finally(() => this.streams.delete(id));
  }

  private openExec(id: number, request: ExecRequest): void {
    const abort = new AbortController();
    const stream: ActiveStream = { abort, early: [] };
    this.streams.set(id, stream);
    const io: ExecIO = {
      write: (channel, bytes) => this.send({ type: "data", stream: id, channel, data: encodeData(bytes) }),
      onInput: (input) => {
        stream.input = input;
        for (const message of stream.early.splice(0)) deliver(input, message);
      },
      firstSize: new Promise((resolve) => (stream.sized = resolve)),
      signal: abort.signal,
    };
    this.options.host
      .exec(request, io)
      .then((exitCode) => this.send({ type: "exit", stream: id, exitCode }))
      .catch((err) => this.fail(id, err))
      .finally(() => this.streams.delete(id));
  }
}
