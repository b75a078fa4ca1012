// SPDY/3.1 framing and header compression for port-forward (node-daemon/portforward).
import { describe, expect, it } from "vitest";
import {
  encodeData,
  encodeGoAway,
  encodePing,
  encodeRstStream,
  encodeSynReply,
  encodeSynStream,
  FrameReader,
  SpdyProtocolError,
  type Frame,
} from "../../node-daemon/portforward/spdy-frames.ts";
import { SPDY3_DICTIONARY } from "../../node-daemon/portforward/spdy-dictionary.ts";
import {
  decodeHeaderBlock,
  encodeHeaderBlock,
  HeaderCompressor,
  HeaderDecompressor,
} from "../../node-daemon/portforward/spdy-headers.ts";

const bytes = (text: string) => new TextEncoder().encode(text);
const readAll = (...chunks: Uint8Array[]) => {
  const reader = new FrameReader();
  return chunks.flatMap((chunk) => reader.push(chunk));
};

describe("SPDY frames", () => {
  it("round-trips every frame kubectl and the kubelet exchange", () => {
    const frames = readAll(
      encodeSynStream(1, bytes("hdr"), { priority: 2 }),
      encodeSynReply(1, bytes("r")),
      encodeData(3, bytes("hello"), true),
      encodeData(5, new Uint8Array(0)),
      encodeRstStream(3, 5),
      encodePing(7),
      encodeGoAway(3),
    );
    expect(frames).toEqual<Frame[]>([
      {
        kind: "syn-stream",
        streamId: 1,
        associatedTo: 0,
        priority: 2,
        fin: false,
        unidirectional: false,
        headerBlock: bytes("hdr"),
      },
      { kind: "syn-reply", streamId: 1, fin: false, headerBlock: bytes("r") },
      { kind: "data", streamId: 3, fin: true, data: bytes("hello") },
      { kind: "data", streamId: 5, fin: false, data: new Uint8Array(0) },
      { kind: "rst-stream", streamId: 3, status: 5 },
      { kind: "ping", id: 7 },
      { kind: "goaway", lastGoodStreamId: 3, status: 0 },
    ]);
  });

  it("has SPDY/3's wire layout", () => {
    // Control bit, version 3, type 2; flags 0, length 4 + block; stream id.
    expect([...encodeSynReply(1, bytes("x"))]).toEqual([0x80, 3, 0, 2, 0, 0, 0, 5, 0, 0, 0, 1, 0x78]);
    // Data: stream id with the control bit clear, FIN flag, 24-bit length.
    expect([...encodeData(9, bytes("ab"), true)]).toEqual([0, 0, 0, 9, 1, 0, 0, 2, 0x61, 0x62]);
  });

  it("reassembles frames cut anywhere (kubectl writes a frame in several WebSocket messages)", () => {
    const wire = new Uint8Array([...encodeSynStream(1, bytes("abc")), ...encodeData(1, bytes("payload"))]);
    const reader = new FrameReader();
    const frames = [...wire].flatMap((byte) => reader.push(new Uint8Array([byte])));
    expect(frames.map((f) => f.kind)).toEqual(["syn-stream", "data"]);
    expect(frames[1]).toMatchObject({ data: bytes("payload") });
    expect(reader.pending).toBe(0);
  });

  it("parses SETTINGS and WINDOW_UPDATE, passes over unknown control frames, rejects other versions", () => {
    const settings = new Uint8Array([0x80, 3, 0, 4, 0, 0, 0, 12, 0, 0, 0, 1, 1, 0, 0, 7, 0, 0, 0x10, 0]);
    const update = new Uint8Array([0x80, 3, 0, 9, 0, 0, 0, 8, 0, 0, 0, 1, 0, 0, 1, 0]);
    const unknown = new Uint8Array([0x80, 3, 0, 42, 0, 0, 0, 1, 9]);
    expect(readAll(settings, update, unknown)).toEqual([
      { kind: "settings", entries: [{ flags: 1, id: 7, value: 4096 }] },
      { kind: "window-update", streamId: 1, delta: 256 },
      { kind: "unknown", type: 42 },
    ]);
    expect(() => readAll(new Uint8Array([0x80, 2, 0, 6, 0, 0, 0, 4, 0, 0, 0, 1]))).toThrow(SpdyProtocolError);
    expect(() => readAll(new Uint8Array([0x80, 3, 0, 6, 0, 0, 0, 2, 0, 1]))).toThrow(SpdyProtocolError);
  });
});

describe("SPDY header blocks", () => {
  const kubectlHeaders = () =>
    new Map([
      ["streamtype", ["error"]],
      ["port", ["8080"]],
      ["requestid", ["0"]],
    ]);

  it("encodes counts and lengths, lower-cases names, joins several values with NUL", () => {
    const block = encodeHeaderBlock(new Map([["Port", ["80", "81"]]]));
    expect([...block]).toEqual([0, 0, 0, 1, 0, 0, 0, 4, ...bytes("port"), 0, 0, 0, 5, ...bytes("80\u000081")]);
    expect(decodeHeaderBlock(block)).toEqual(new Map([["port", ["80", "81"]]]));
    expect(() => decodeHeaderBlock(block.subarray(0, 10))).toThrow(SpdyProtocolError);
  });

  it("uses SPDY/3's dictionary (the zlib stream names its Adler-32)", async () => {
    let a = 1;
    let b = 0;
    for (const byte of SPDY3_DICTIONARY) {
      a = (a + byte) % 65521;
      b = (b + a) % 65521;
    }
    expect(SPDY3_DICTIONARY.length).toBe(1423);
    expect((((b << 16) | a) >>> 0).toString(16)).toBe("e3c6a7c2");
    const compressor = new HeaderCompressor();
    const first = await compressor.compress(kubectlHeaders());
    // CMF/FLG with FDICT set, then DICTID.
    expect(first[1] & 0x20).toBe(0x20);
    expect([...first.subarray(2, 6)]).toEqual([0xe3, 0xc6, 0xa7, 0xc2]);
    compressor.close();
  });

  it("round-trips blocks in order through one shared zlib context per direction", async () => {
    const compressor = new HeaderCompressor();
    const decompressor = new HeaderDecompressor();
    const blocks: Uint8Array[] = [];
    for (let i = 0; i < 5; i++) {
      const headers = kubectlHeaders();
      headers.set("requestid", [String(i)]);
      blocks.push(await compressor.compress(headers));
    }
    // Later blocks refer back to earlier ones: they only decode after them, in order.
    expect(blocks[4].length).toBeLessThan(blocks[0].length);
    const decoded = await Promise.all(blocks.map((block) => decompressor.decompress(block)));
    expect(decoded.map((h) => h.get("requestid")?.[0])).toEqual(["0", "1", "2", "3", "4"]);
    expect(decoded[0].get("streamtype")).toEqual(["error"]);
    // An empty block (the kubelet's SYN_REPLY) too.
    expect(await decompressor.decompress(await compressor.compress(new Map()))).toEqual(new Map());
    compressor.close();
    decompressor.close();
  });

  it("rejects a block that is not zlib data", async () => {
    const decompressor = new HeaderDecompressor();
    await expect(decompressor.decompress(bytes("not zlib at all"))).rejects.toThrow(SpdyProtocolError);
    decompressor.close();
  });
});
