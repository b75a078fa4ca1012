// NodeTunnel: one per (cluster, node). Holds the node daemon's outbound WebSocket and
// multiplexes `kubectl logs` (a streamed HTTP response), `kubectl exec|attach` (a WebSocket
// speaking v5.channel.k8s.io) and `kubectl port-forward` (a WebSocket whose bytes are relayed
// unread: the node speaks its protocol) over it. See api/tunnel/protocol.ts.
import { DurableObject } from "cloudflare:workers";
import { badRequest, serviceUnavailable, StatusError, toStatusError } from "../api/errors.ts";
import {
  decodeData,
  encodeData,
  type ExecRequest,
  type FromNode,
  type LogRequest,
  type PortForwardRequest,
  type ToNode,
} from "../api/tunnel/protocol.ts";
import { errorResponse } from "./api-server/respond.ts";
import type { Env } from "./env.ts";
import {
  execStatus,
  parseTerminalSize,
  selectChannelProtocol,
  STDIN,
  RESIZE,
  CLOSE_SIGNAL,
  STATUS,
} from "./tunnel/channels.ts";

const NODE_TAG = "node";
/** How long a stream waits for the node to answer (e.g. a slow container runtime). */
const OPEN_TIMEOUT_MS = 30_000;
/** `kubectl top` should not hang on one slow node. */
const METRICS_TIMEOUT_MS = 5_000;

interface Stream {
  onMessage(message: FromNode): void;
  onNodeGone(): void;
}

export class NodeTunnel extends DurableObject<Env> {
  /** Log streams in flight (an open HTTP response keeps this object in memory). */
  private readonly streams = new Map<number, Stream>();

  async fetch(request: Request): Promise<Response> {
    try {
      const url = new URL(request.url);
      switch (url.pathname) {
        case "/connect":
          return this.connectNode(request);
        case "/log": {
          const log = JSON.parse(request.headers.get("x-flotilla-stream") ?? "{}") as LogRequest;
          return await this.openStream((stream) => ({ type: "open-log", stream, request: log }), "text/plain");
        }
        case "/metrics":
          return await this.openStream(
            (stream) => ({ type: "get-metrics", stream }),
            "application/json",
            METRICS_TIMEOUT_MS,
          );
        case "/exec":
          return this.openExec(request, JSON.parse(request.headers.get("x-flotilla-stream") ?? "{}") as ExecRequest);
        case "/portforward":
          return this.openPortForward(
            JSON.parse(request.headers.get("x-flotilla-stream") ?? "{}") as PortForwardRequest,
            request.headers.get("x-flotilla-subprotocol") ?? undefined,
          );
        default:
          throw badRequest("unknown tunnel path");
      }
    } catch (err) {
      return errorResponse(err);
    }
  }

  private nodeSocket(): WebSocket | undefined {
    return this.ctx.getWebSockets(NODE_TAG)[0];
  }

  private send(message: ToNode): void {
    const socket = this.nodeSocket();
    if (!socket) throw serviceUnavailable("the node is not connected to the control plane");
    socket.send(JSON.stringify(message));
  }

  /** The daemon's connection; a new one replaces the old (the daemon restarted or reconnected). */
  private connectNode(request: Request): Response {
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") throw badRequest("expected a WebSocket upgrade");
    for (const old of this.ctx.getWebSockets(NODE_TAG)) old.close(1012, "replaced by a new connection");
    const pair = new WebSocketPair();
    this.ctx.acceptWebSocket(pair[1], [NODE_TAG]);
    return new Response(null, { status: 101, webSocket: pair[0] });
  }

  async webSocketMessage(socket: WebSocket, raw: string | ArrayBuffer): Promise<void> {
    const tags = this.ctx.getTags(socket);
    if (tags.includes(NODE_TAG)) {
      if (typeof raw !== "string") return;
      const message = JSON.parse(raw) as FromNode;
      if (message.type !== "hello") this.fromNode(message);
      return;
    }
    const attachment = socket.deserializeAttachment() as ClientAttachment | null;
    if (attachment?.kind === "port") this.fromPortClient(socket, attachment, raw);
    else if (attachment) this.fromExecClient(socket, attachment, raw);
  }

  async webSocketClose(socket: WebSocket): Promise<void> {
    if (this.ctx.getTags(socket).includes(NODE_TAG)) {
      for (const stream of [...this.streams.values()]) stream.onNodeGone();
      this.streams.clear();
      for (const client of this.ctx.getWebSockets(EXEC_TAG)) {
        closeExecClient(client, {
          metadata: {},
          status: "Failure",
          message: "the node disconnected",
          reason: "InternalError",
          code: 500,
        });
      }
      for (const client of this.ctx.getWebSockets(PORT_TAG)) closeQuietly(client, 1011, "the node disconnected");
      return;
    }
    // kubectl went away: the node ends the session (an exec's process, an attach's stdinOnce,
    // a port-forward's connections).
    const attachment = socket.deserializeAttachment() as ClientAttachment | null;
    if (attachment) this.sendQuietly({ type: "cancel", stream: attachment.stream });
  }

  async webSocketError(socket: WebSocket): Promise<void> {
    await this.webSocketClose(socket);
  }

  /** Node output: exec streams are found by their socket's tag (they survive hibernation), logs in memory. */
  private fromNode(message: Exclude<FromNode, { type: "hello" }>): void {
    const client = this.ctx.getWebSockets(streamTag(message.stream))[0];
    if (!client) {
      this.streams.get(message.stream)?.onMessage(message);
      return;
    }
    const attachment = client.deserializeAttachment() as ClientAttachment;
    if (attachment.kind === "port") {
      toPortClient(client, message);
      return;
    }
    const exec = attachment;
    if (message.type === "data") client.send(new Uint8Array([message.channel, ...decodeData(message.data)]));
    else if (message.type === "exit")
      closeExecClient(client, execStatus(message.exitCode, exec.command, message.message));
    else if (message.type === "end") closeExecClient(client, execStatus(0, exec.command));
    else if (message.type === "error") {
      closeExecClient(client, {
        metadata: {},
        status: "Failure",
        message: message.message,
        reason: message.reason,
        code: message.status,
      });
    }
  }

  /** kubectl input: stdin (channel 0), terminal resizes (4), and v5's close of stdin. */
  private fromExecClient(client: WebSocket, exec: ExecAttachment, raw: string | ArrayBuffer): void {
    const bytes = typeof raw === "string" ? new TextEncoder().encode(raw) : new Uint8Array(raw);
    if (bytes.length === 0) return;
    const payload = bytes.subarray(1);
    try {
      if (bytes[0] === STDIN)
        this.send({ type: "data", stream: exec.stream, channel: STDIN, data: encodeData(payload) });
      else if (bytes[0] === RESIZE) {
        const size = parseTerminalSize(payload);
        if (size) this.send({ type: "resize", stream: exec.stream, ...size });
      } else if (bytes[0] === CLOSE_SIGNAL && payload[0] === STDIN)
        this.send({ type: "close-stdin", stream: exec.stream });
    } catch (err) {
      closeExecClient(client, {
        metadata: {},
        status: "Failure",
        message: toStatusError(err).message,
        reason: "InternalError",
        code: 500,
      });
    }
  }

  /**
   * A streamed answer from the node (`kubectl logs`, metrics): waits for the node's first message
   * (data or an error status), then streams the rest as the response body.
   */
  private async openStream(
    open: (id: number) => ToNode,
    contentType: string,
    timeoutMs = OPEN_TIMEOUT_MS,
  ): Promise<Response> {
    const id = newStreamId();
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    // kubectl going away (e.g. `logs -f` interrupted) cancels the body: stop the node's stream.
    const readable = new ReadableStream<Uint8Array>({
      start: (c) => {
        controller = c;
      },
      cancel: () => this.cancel(id),
    });
    let settle!: (response: Response) => void;
    const first = new Promise<Response>((resolve) => (settle = resolve));
    let responded = false;
    const respond = () => {
      if (responded) return;
      responded = true;
      settle(
        new Response(readable, {
          headers: { "content-type": contentType, "content-encoding": "identity", "cache-control": "no-cache" },
        }),
      );
    };
    const finish = () => {
      this.streams.delete(id);
      try {
        controller.close();
      } catch {
        // Already cancelled by the client.
      }
    };
    const timer = setTimeout(() => {
      this.streams.delete(id);
      settle(errorResponse(serviceUnavailable("the node did not answer in time")));
    }, timeoutMs);
    this.streams.set(id, {
      onMessage: (message) => {
        clearTimeout(timer);
        if (message.type === "error") {
          this.streams.delete(id);
          settle(errorResponse(new StatusError(message.status, message.reason, message.message)));
          return;
        }
        respond();
        if (message.type === "data") {
          controller.enqueue(decodeData(message.data));
        } else if (message.type === "end") finish();
      },
      onNodeGone: () => {
        clearTimeout(timer);
        respond();
        finish();
      },
    });
    this.send(open(id));
    return first;
  }

  private cancel(id: number): void {
    if (this.streams.delete(id)) this.sendQuietly({ type: "cancel", stream: id });
  }

  private sendQuietly(message: ToNode): void {
    try {
      this.send(message);
    } catch {
      // The node is gone already.
    }
  }

  /**
   * `kubectl port-forward` over WebSocket, hibernatable: kubectl's binary messages go to the
   * node as they are (the Worker already chose the protocol and checked the request).
   */
  private openPortForward(request: PortForwardRequest, subprotocol: string | undefined): Response {
    const id = newStreamId();
    const pair = new WebSocketPair();
    const client = pair[1];
    this.ctx.acceptWebSocket(client, [PORT_TAG, streamTag(id)]);
    client.serializeAttachment({ kind: "port", stream: id } satisfies PortAttachment);
    try {
      this.send({ type: "open-port", stream: id, request });
    } catch (err) {
      closeQuietly(client, 1011, toStatusError(err).message);
    }
    const headers: HeadersInit = subprotocol ? { "sec-websocket-protocol": subprotocol } : {};
    return new Response(null, { status: 101, webSocket: pair[0], headers });
  }

  /** kubectl's bytes (SPDY frames, or one channel message each), unread. */
  private fromPortClient(client: WebSocket, port: PortAttachment, raw: string | ArrayBuffer): void {
    const bytes = typeof raw === "string" ? new TextEncoder().encode(raw) : new Uint8Array(raw);
    try {
      this.send({ type: "data", stream: port.stream, channel: 0, data: encodeData(bytes) });
    } catch (err) {
      closeQuietly(client, 1011, toStatusError(err).message);
    }
  }

  /** `kubectl exec|attach` over WebSocket (v5.channel.k8s.io, v4 as fallback), hibernatable. */
  private openExec(request: Request, exec: ExecRequest): Response {
    const protocol = selectChannelProtocol(request.headers.get("sec-websocket-protocol"));
    if (!protocol) throw badRequest("exec needs the v5.channel.k8s.io (or v4) WebSocket subprotocol");
    const id = newStreamId();
    const pair = new WebSocketPair();
    const client = pair[1];
    this.ctx.acceptWebSocket(client, [EXEC_TAG, streamTag(id)]);
    client.serializeAttachment({ stream: id, command: exec.command } satisfies ExecAttachment);
    try {
      this.send({ type: "open-exec", stream: id, request: exec });
    } catch (err) {
      closeExecClient(client, {
        metadata: {},
        status: "Failure",
        message: toStatusError(err).message,
        reason: "ServiceUnavailable",
        code: 503,
      });
    }
    return new Response(null, { status: 101, webSocket: pair[0], headers: { "sec-websocket-protocol": protocol } });
  }
}

interface ExecAttachment {
  kind?: "exec";
  stream: number;
  command: string[];
}

interface PortAttachment {
  kind: "port";
  stream: number;
}

type ClientAttachment = ExecAttachment | PortAttachment;

const EXEC_TAG = "exec";
const PORT_TAG = "port";
const streamTag = (id: number) => `stream:${id}`;

/** Stream ids must stay unique across hibernation (no in-memory counter survives it). */
const newStreamId = () => crypto.getRandomValues(new Uint32Array(1))[0] & 0x7fffffff;

/** Sends the final Status on channel 3 and closes: kubectl exits with the command's code. */
function closeExecClient(client: WebSocket, status: object): void {
  try {
    client.send(new Uint8Array([STATUS, ...new TextEncoder().encode(JSON.stringify(status))]));
    client.close(1000, "done");
  } catch {
    // kubectl already went away.
  }
}

/** The node's side of a port-forward: its bytes as binary messages; its end or refusal closes. */
function toPortClient(client: WebSocket, message: Exclude<FromNode, { type: "hello" }>): void {
  if (message.type === "data") {
    try {
      client.send(decodeData(message.data));
    } catch {
      // kubectl already went away.
    }
  } else if (message.type === "error") closeQuietly(client, 1011, message.message);
  else closeQuietly(client, 1000, "done");
}

/** Close reasons are limited to 123 bytes. */
function closeQuietly(client: WebSocket, code: number, reason: string): void {
  try {
    client.close(code, reason.length > 120 ? `${reason.slice(0, 117)}...` : reason);
  } catch {
    // Already closed.
  }
}
