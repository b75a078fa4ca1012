// Port-forward over the WebSocket channel protocol (v4.channel.k8s.io with `?ports=`, what
// client libraries such as @kubernetes/client-node speak): one connection per listed port for
// the whole session. Port i has data channel 2i and error channel 2i+1; the first message on
// each carries the port as 2 little-endian bytes. Every message starts with its channel byte.
import type { Socket } from "node:net";

export interface ChannelSessionOptions {
  /** One WebSocket message for the client. */
  send(message: Uint8Array): void;
  dial(port: number): Socket;
  ports: number[];
  pod: string;
  uid: string;
  explain?(err: Error, port: number): string;
  /** Every port's connection is over: the session ends (the WebSocket closes). */
  onEnd(): void;
}

const message = (channel: number, payload: Uint8Array) => {
  const bytes = new Uint8Array(1 + payload.length);
  bytes[0] = channel;
  bytes.set(payload, 1);
  return bytes;
};

export class ChannelPortForwardSession {
  private readonly options: ChannelSessionOptions;
  private readonly sockets: Socket[];
  private open: number;
  private ended = false;

  constructor(options: ChannelSessionOptions) {
    this.options = options;
    this.open = options.ports.length;
    this.sockets = options.ports.map((port, i) => this.forward(port, i));
    if (this.open === 0) this.end();
  }

  private forward(port: number, index: number): Socket {
    const data = index * 2;
    const error = data + 1;
    const portBytes = new Uint8Array([port & 0xff, port >> 8]);
    this.options.send(message(data, portBytes));
    this.options.send(message(error, portBytes));
    const socket = this.options.dial(port);
    let connected = false;
    socket.on("connect", () => (connected = true));
    socket.on("data", (chunk: Buffer) => this.options.send(message(data, chunk)));
    socket.on("error", (err) => {
      if (connected) return;
      const why = this.options.explain?.(err, port) ?? err.message;
      const text = `error forwarding port ${port} to pod ${this.options.pod}, uid ${this.options.uid}: ${why}`;
      this.options.send(message(error, new TextEncoder().encode(text)));
    });
    socket.on("close", () => {
      this.open -= 1;
      if (this.open === 0) this.end();
    });
    return socket;
  }

  /** A client message: bytes for one port's data channel (the error channels are write-only). */
  receive(bytes: Uint8Array): void {
    if (this.ended || bytes.length === 0) return;
    const channel = bytes[0];
    if (channel % 2 !== 0) return;
    const socket = this.sockets[channel / 2];
    if (socket && bytes.length > 1 && !socket.destroyed) socket.write(bytes.subarray(1));
  }

  close(): void {
    if (this.ended) return;
    this.ended = true;
    for (const socket of this.sockets) socket.destroy();
  }

  private end(): void {
    if (this.ended) return;
    this.close();
    this.options.onEnd();
  }
}
