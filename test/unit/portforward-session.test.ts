// The node's port-forward sessions against a real TCP server on loopback, the test playing
// kubectl's part (SPDY streams, or channel messages), and the Worker's choice of protocol.
import { connect, createServer, type Server } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { choosePortForwardProtocol, parsePorts } from "../../api/tunnel/port-forward.ts";
import { StatusError } from "../../api/errors.ts";
import { ManualClock } from "../../node-daemon/clock.ts";
import { ChannelPortForwardSession } from "../../node-daemon/portforward/channel-session.ts";
import { dialAddress, explainDialError } from "../../node-daemon/portforward/dial.ts";
import { SpdyPortForwardSession, STREAM_PAIR_TIMEOUT_MS } from "../../node-daemon/portforward/session.ts";
import {
  encodeData,
  encodeGoAway,
  encodePing,
  encodeRstStream,
  encodeSynStream,
  FrameReader,
  type Frame,
} from "../../node-daemon/portforward/spdy-frames.ts";
import { HeaderCompressor, HeaderDecompressor } from "../../node-daemon/portforward/spdy-headers.ts";

const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const bytes = (s: string) => new TextEncoder().encode(s);

/** An echo server that answers "echo:" + what it read, then closes when the client does. */
let server: Server;
let port: number;
/** A port nothing listens on. */
let closedPort: number;

beforeAll(async () => {
  server = createServer((socket) => {
    socket.on("data", (chunk) => socket.write(`echo:${chunk.toString()}`));
    socket.on("end", () => socket.end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as { port: number }).port;
  const spare = createServer();
  await new Promise<void>((resolve) => spare.listen(0, "127.0.0.1", resolve));
  closedPort = (spare.address() as { port: number }).port;
  await new Promise((resolve) => spare.close(resolve));
});

afterAll(() => new Promise((resolve) => server.close(resolve)));

/** kubectl's side of a SPDY session: its own header compression, frames it received. */
function kubectl(clock = new ManualClock()) {
  const reader = new FrameReader();
  const compressor = new HeaderCompressor();
  const replies = new HeaderDecompressor();
  const frames: Frame[] = [];
  let ended: string | undefined | null = null;
  const session = new SpdyPortForwardSession({
    send: (b) => {
      for (const frame of reader.push(b)) {
        frames.push(frame);
        // Keep the reply context in step, as kubectl's framer does.
        if (frame.kind === "syn-reply") void replies.decompress(frame.headerBlock);
      }
    },
    dial: (p) => connect({ host: "127.0.0.1", port: p }),
    pod: "web_default",
    uid: "uid-1",
    explain: (err, p) => explainDialError(err, "127.0.0.1", p),
    onEnd: (reason) => (ended = reason),
    clock,
  });
  const open = async (id: number, type: "error" | "data", target: number, requestId: string) => {
    const block = await compressor.compress(
      new Map([
        ["streamtype", [type]],
        ["port", [String(target)]],
        ["requestid", [requestId]],
      ]),
    );
    session.receive(encodeSynStream(id, block));
  };
  const dataOn = (id: number) =>
    frames
      .filter((f): f is Extract<Frame, { kind: "data" }> => f.kind === "data" && f.streamId === id)
      .map((f) => text(f.data))
      .join("");
  const finished = (id: number) => frames.some((f) => f.kind === "data" && f.streamId === id && f.fin);
  return { session, frames, open, dataOn, finished, clock, ended: () => ended };
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe("SPDY port-forward session", () => {
  it("answers each stream, pipes the data stream to the port, closes both when the port does", async () => {
    const k = kubectl();
    await k.open(1, "error", port, "0");
    await k.open(3, "data", port, "0");
    k.session.receive(encodeData(3, bytes("hi")));
    await until(() => k.dataOn(3) === "echo:hi", "the echo");
    expect(k.frames.filter((f) => f.kind === "syn-reply").map((f) => (f as { streamId: number }).streamId)).toEqual([
      1, 3,
    ]);
    // kubectl closes its half; the server ends; the data stream, then the error stream, finish.
    k.session.receive(encodeData(3, new Uint8Array(0), true));
    await until(() => k.finished(3) && k.finished(1), "both streams closed");
    expect(k.dataOn(1)).toBe("");
    k.session.close();
  });

  it("keeps concurrent connections apart by request id, whatever order their streams come in", async () => {
    const k = kubectl();
    await k.open(1, "error", port, "0");
    await k.open(3, "error", port, "1");
    await k.open(5, "data", port, "1");
    await k.open(7, "data", port, "0");
    k.session.receive(encodeData(5, bytes("one")));
    k.session.receive(encodeData(7, bytes("zero")));
    await until(() => k.dataOn(5) === "echo:one" && k.dataOn(7) === "echo:zero", "both echoes");
    k.session.close();
  });

  it("writes a refused connection on the error stream in the kubelet's words", async () => {
    const k = kubectl();
    await k.open(1, "error", closedPort, "0");
    await k.open(3, "data", closedPort, "0");
    await until(() => k.finished(1) && k.finished(3), "both streams closed");
    expect(k.dataOn(1)).toBe(
      `error forwarding port ${closedPort} to pod web_default, uid uid-1: dial tcp4 127.0.0.1:${closedPort}: connect: connection refused`,
    );
    // The session itself stays up for the next connection.
    expect(k.ended()).toBeNull();
    await k.open(5, "error", port, "1");
    await k.open(7, "data", port, "1");
    k.session.receive(encodeData(7, bytes("again")));
    await until(() => k.dataOn(7) === "echo:again", "the echo");
    k.session.close();
  });

  it("closes the error stream at once when kubectl resets the data stream", async () => {
    const k = kubectl();
    await k.open(1, "error", port, "0");
    await k.open(3, "data", port, "0");
    k.session.receive(encodeRstStream(3, 5));
    await until(() => k.finished(1), "the error stream closed");
    expect(k.finished(3)).toBe(false);
    k.session.close();
  });

  it("resets a stream with a bad port or type; times out a pair whose second stream never comes", async () => {
    const k = kubectl();
    await k.open(1, "error", 0, "0");
    await until(() => k.frames.some((f) => f.kind === "rst-stream"), "the reset");
    expect(k.frames).toContainEqual({ kind: "rst-stream", streamId: 1, status: 5 });
    await k.open(3, "error", port, "1");
    await until(() => k.frames.some((f) => f.kind === "syn-reply"), "the reply");
    await k.clock.advance(STREAM_PAIR_TIMEOUT_MS);
    await until(() => k.finished(3), "the error stream closed");
    expect(k.dataOn(3)).toBe("timed out waiting for streams of request 1");
    k.session.close();
  });

  it("answers kubectl's pings and ends on GOAWAY", async () => {
    const k = kubectl();
    k.session.receive(encodePing(1));
    await until(() => k.frames.length > 0, "the pong");
    expect(k.frames).toEqual([{ kind: "ping", id: 1 }]);
    k.session.receive(encodeGoAway(0));
    await until(() => k.ended() !== null, "the end");
    expect(k.ended()).toBeUndefined();
  });

  it("ends on bytes that are not SPDY", async () => {
    const k = kubectl();
    k.session.receive(new Uint8Array([0x80, 2, 0, 1, 0, 0, 0, 0]));
    await until(() => k.ended() !== null, "the end");
    expect(k.ended()).toContain("protocol error");
  });
});

describe("channel port-forward session (v4.channel.k8s.io)", () => {
  it("sends each port on its channels first, then relays data channel messages", async () => {
    const sent: Uint8Array[] = [];
    let ended = false;
    const session = new ChannelPortForwardSession({
      send: (m) => sent.push(m),
      dial: (p) => connect({ host: "127.0.0.1", port: p }),
      ports: [port],
      pod: "web_default",
      uid: "uid-1",
      onEnd: () => (ended = true),
    });
    expect(sent.map((m) => [...m])).toEqual([
      [0, port & 0xff, port >> 8],
      [1, port & 0xff, port >> 8],
    ]);
    session.receive(new Uint8Array([0, ...bytes("hey")]));
    await until(() => sent.length > 2, "the echo");
    expect(sent[2][0]).toBe(0);
    expect(text(sent[2].subarray(1))).toBe("echo:hey");
    session.close();
    expect(ended).toBe(false);
  });

  it("reports a refused port on its error channel and ends", async () => {
    const sent: Uint8Array[] = [];
    let ended = false;
    new ChannelPortForwardSession({
      send: (m) => sent.push(m),
      dial: (p) => connect({ host: "127.0.0.1", port: p }),
      ports: [closedPort],
      pod: "web_default",
      uid: "uid-1",
      onEnd: () => (ended = true),
    });
    await until(() => ended, "the end");
    expect(sent[2][0]).toBe(1);
    expect(text(sent[2].subarray(1))).toContain(`error forwarding port ${closedPort} to pod web_default, uid uid-1`);
  });
});

describe("port-forward protocol choice and dialing", () => {
  const headers = (h: Record<string, string>) => new Headers(h);

  it("takes SPDY over WebSocket, then the channel protocol with ports", () => {
    expect(
      choosePortForwardProtocol(
        headers({ upgrade: "websocket", "sec-websocket-protocol": "SPDY/3.1+portforward.k8s.io" }),
        new URLSearchParams(),
      ),
    ).toEqual({ protocol: "spdy", subprotocol: "SPDY/3.1+portforward.k8s.io", ports: [] });
    expect(
      choosePortForwardProtocol(
        headers({ upgrade: "websocket", "sec-websocket-protocol": "v5.channel.k8s.io, v4.channel.k8s.io" }),
        new URLSearchParams("ports=8080,9090&ports=7070"),
      ),
    ).toEqual({ protocol: "channel", subprotocol: "v4.channel.k8s.io", ports: [8080, 9090, 7070] });
  });

  it("refuses plain SPDY (kubectl 1.30), unknown subprotocols and bad ports with 400", () => {
    const spdy = choosePortForwardProtocol(headers({ upgrade: "SPDY/3.1" }), new URLSearchParams());
    expect(spdy).toBeInstanceOf(StatusError);
    expect((spdy as StatusError).code).toBe(400);
    expect((spdy as StatusError).message).toContain("kubectl 1.31 or newer");
    const unknown = choosePortForwardProtocol(
      headers({ upgrade: "websocket", "sec-websocket-protocol": "v5.channel.k8s.io" }),
      new URLSearchParams("ports=80"),
    );
    expect(unknown).toBeInstanceOf(StatusError);
    expect((parsePorts([]) as StatusError).message).toBe(`query parameter "port" is required`);
    expect((parsePorts(["0"]) as StatusError).message).toBe(`port "0" must be > 0`);
    expect((parsePorts(["80,x"]) as StatusError).message).toBe(`unable to parse "80,x" as a port`);
    expect(parsePorts(["65535"])).toEqual([65535]);
    expect(parsePorts(["65536"])).toBeInstanceOf(StatusError);
  });

  it("dials a pod on the host's network at loopback, others at their IP", () => {
    expect(dialAddress("10.88.0.5", ["127.0.0.1", "192.168.1.4"])).toBe("10.88.0.5");
    expect(dialAddress("192.168.1.4", ["127.0.0.1", "192.168.1.4"])).toBe("127.0.0.1");
    expect(dialAddress("", [])).toBe("127.0.0.1");
  });
});
