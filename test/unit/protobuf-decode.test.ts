import { describe, expect, it } from "vitest";
import { StatusError } from "../../api/errors.ts";
import { decodeMessage } from "../../api/protobuf/decode.ts";
import { decodeKubernetesProtobuf } from "../../api/protobuf/envelope.ts";
import { goDuration } from "../../api/protobuf/special.ts";
import { readFields, readVarint, toInt32, toInt64 } from "../../api/protobuf/wire.ts";

// A minimal protobuf writer, enough to build test messages.
function varint(n: number | bigint): number[] {
  let v = BigInt.asUintN(64, BigInt(n));
  const out: number[] = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) byte |= 0x80;
    out.push(byte);
  } while (v !== 0n);
  return out;
}
const tag = (field: number, wire: number) => varint(field * 8 + wire);
const int = (field: number, n: number | bigint) => [...tag(field, 0), ...varint(n)];
const bytes = (field: number, data: number[]) => [...tag(field, 2), ...varint(data.length), ...data];
const str = (field: number, s: string) => bytes(field, [...new TextEncoder().encode(s)]);
const msg = (field: number, ...parts: number[][]) => bytes(field, parts.flat());
const entry = (field: number, key: string, ...value: number[][]) => msg(field, str(1, key), ...value);
const envelope = (apiVersion: string, kind: string, ...parts: number[][]) =>
  new Uint8Array([0x6b, 0x38, 0x73, 0, ...msg(1, str(1, apiVersion), str(2, kind)), ...msg(2, ...parts)]);
const decode = (name: string, ...parts: number[][]) => decodeMessage(name, new Uint8Array(parts.flat()));

function thrown(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (err) {
    if (err instanceof StatusError) return err;
    throw err;
  }
  throw new Error("expected a StatusError");
}

describe("wire format", () => {
  it("reads varints of every length", () => {
    expect(readVarint(new Uint8Array([0xac, 0x02]), 0)).toEqual({ value: { lo: 300, hi: 0 }, next: 2 });
    const minusOne = readVarint(new Uint8Array(varint(-1)), 0);
    expect(minusOne.next).toBe(10);
    expect(toInt32(minusOne.value)).toBe(-1);
    expect(toInt64(minusOne.value)).toBe(-1);
    expect(toInt64(readVarint(new Uint8Array(varint(2 ** 40 + 5)), 0).value)).toBe(2 ** 40 + 5);
    expect(toInt64(readVarint(new Uint8Array(varint(-(2 ** 40))), 0).value)).toBe(-(2 ** 40));
    expect(toInt32(readVarint(new Uint8Array(varint(-2147483648)), 0).value)).toBe(-2147483648);
  });

  it("rejects malformed input with 400", () => {
    expect(thrown(() => readVarint(new Uint8Array([0x80, 0x80]), 0)).code).toBe(400);
    expect(thrown(() => readVarint(new Uint8Array(11).fill(0x80), 0)).message).toMatch(/longer than 10 bytes/);
    expect(thrown(() => readFields(new Uint8Array([0x0a, 0x05, 0x61]))).message).toMatch(/truncated field/);
    expect(thrown(() => readFields(new Uint8Array([0x0b]))).message).toMatch(/wire type 3/);
    expect(thrown(() => readFields(new Uint8Array([0x00, 0x01]))).message).toMatch(/field number 0/);
  });

  it("groups fields by number", () => {
    const fields = readFields(new Uint8Array([...int(1, 5), ...str(2, "x"), ...int(1, 6)]));
    expect(fields.get(1)?.length).toBe(2);
    expect(fields.get(2)?.[0]).toMatchObject({ wire: 2 });
  });
});

describe("special types", () => {
  it("formats Go durations", () => {
    expect(goDuration(0n)).toBe("0s");
    expect(goDuration(1500n)).toBe("1.5µs");
    expect(goDuration(2_000_000n)).toBe("2ms");
    expect(goDuration(1_500_000_000n)).toBe("1.5s");
    expect(goDuration(-5_000_000_000n)).toBe("-5s");
    expect(goDuration(90n * 60n * 1_000_000_000n)).toBe("1h30m0s");
    expect(goDuration(3661_500_000_000n)).toBe("1h1m1.5s");
    expect(goDuration(100n * 3600n * 1_000_000_000n)).toBe("100h0m0s");
    expect(goDuration(61n * 1_000_000_000n)).toBe("1m1s");
  });

  it("decodes Time, MicroTime and the zero Time", () => {
    const event = decode(
      "events.v1.Event",
      msg(1, str(1, "e"), msg(8), msg(9, int(1, 1700000000))),
      msg(2, int(1, 1700000000), int(2, 123456789)),
      msg(13, int(1, 0)),
    );
    expect(event).toEqual({
      metadata: { name: "e", deletionTimestamp: "2023-11-14T22:13:20Z" },
      eventTime: "2023-11-14T22:13:20.123456Z",
      deprecatedFirstTimestamp: "1970-01-01T00:00:00Z",
    });
  });

  it("decodes IntOrString and Quantity", () => {
    const container = decode(
      "core.v1.Container",
      str(1, "c"),
      msg(8, entry(1, "cpu", msg(2, str(1, "500m"))), entry(2, "memory", msg(2, str(1, "64Mi")))),
      msg(10, msg(1, msg(2, str(1, "/healthz"), msg(2, int(1, 1), str(3, "http")))), int(2, 3)),
      msg(11, msg(1, msg(3, msg(1, int(2, 8080))))),
    );
    expect(container).toEqual({
      name: "c",
      resources: { limits: { cpu: "500m" }, requests: { memory: "64Mi" } },
      livenessProbe: { httpGet: { path: "/healthz", port: "http" }, initialDelaySeconds: 3 },
      readinessProbe: { tcpSocket: { port: 8080 } },
    });
  });

  it("parses RawExtension JSON and rejects anything else", () => {
    const raw = [...new TextEncoder().encode('{"spec":{"a":1}}')];
    expect(decode("apps.v1.ControllerRevision", msg(1, str(1, "r")), msg(2, bytes(1, raw)), int(3, 2))).toEqual({
      metadata: { name: "r" },
      data: { spec: { a: 1 } },
      revision: 2,
    });
    expect(thrown(() => decode("apps.v1.ControllerRevision", msg(2, bytes(1, [1, 2])))).code).toBe(400);
  });
});

describe("messages", () => {
  it("inlines embedded structs (Volume, Probe handler, LocalObjectReference)", () => {
    const volume = decode("core.v1.Volume", str(1, "cfg"), msg(2, msg(19, msg(1, str(1, "settings")), int(3, 420))));
    expect(volume).toEqual({ name: "cfg", configMap: { name: "settings", defaultMode: 420 } });
  });

  it("drops zero scalars Go would omit, keeps pointers and non-omitempty fields", () => {
    const port = decode("core.v1.ServicePort", str(1, ""), int(3, 0), int(5, 0), str(6, ""));
    expect(port).toEqual({ port: 0, appProtocol: "" });
    const spec = decode("apps.v1.DeploymentSpec", int(1, 0), int(5, 0), int(7, 0), int(6, -1));
    expect(spec).toEqual({ replicas: 0, revisionHistoryLimit: -1 });
  });

  it("reads repeated scalars packed or not, and skips unknown fields", () => {
    const unpacked = decode("core.v1.PodSecurityContext", int(4, 1000), int(4, 2000), int(99, 1), str(98, "x"));
    const packed = decode("core.v1.PodSecurityContext", bytes(4, [...varint(1000), ...varint(2000)]));
    expect(unpacked).toEqual({ supplementalGroups: [1000, 2000] });
    expect(packed).toEqual(unpacked);
  });

  it("merges a message sent in several records, last scalar wins", () => {
    const meta = decode("core.v1.Pod", msg(1, str(1, "a"), str(3, "ns")), msg(1, str(1, "b")));
    expect(meta).toEqual({ metadata: { name: "b", namespace: "ns" } });
  });

  it("rejects a field of the wrong wire type", () => {
    expect(thrown(() => decode("core.v1.Container", int(1, 5))).code).toBe(400);
  });
});

describe("decodeKubernetesProtobuf", () => {
  it("decodes the envelope and sets apiVersion/kind", () => {
    const body = envelope("apps/v1", "Deployment", msg(1, str(1, "web"), entry(11, "app", str(2, "web"))));
    expect(decodeKubernetesProtobuf(body)).toEqual({
      apiVersion: "apps/v1",
      kind: "Deployment",
      object: { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", labels: { app: "web" } } },
    });
  });

  it("decodes DeleteOptions under any served group version", () => {
    const options = [int(1, 0), msg(2, str(1, "uid-1")), str(4, "Foreground"), str(5, "All")];
    for (const apiVersion of ["v1", "apps/v1", "meta.k8s.io/v1"]) {
      expect(decodeKubernetesProtobuf(envelope(apiVersion, "DeleteOptions", ...options)).object).toEqual({
        apiVersion,
        kind: "DeleteOptions",
        gracePeriodSeconds: 0,
        preconditions: { uid: "uid-1" },
        propagationPolicy: "Foreground",
        dryRun: ["All"],
      });
    }
  });

  it("rejects bodies it cannot decode with 400", () => {
    const unknownKind = thrown(() => decodeKubernetesProtobuf(envelope("v1", "Widget")));
    expect(unknownKind.code).toBe(400);
    expect(unknownKind.message).toBe("no protobuf decoder for v1/Widget");
    expect(thrown(() => decodeKubernetesProtobuf(envelope("example.com/v1", "Namespace"))).message).toBe(
      "no protobuf decoder for example.com/v1/Namespace",
    );
    expect(thrown(() => decodeKubernetesProtobuf(new TextEncoder().encode('{"kind":"Namespace"}'))).code).toBe(400);
    const gzip = new Uint8Array([...envelope("v1", "Namespace"), ...str(3, "gzip")]);
    expect(thrown(() => decodeKubernetesProtobuf(gzip)).message).toMatch(/content encoding "gzip"/);
    const truncated = envelope("v1", "Namespace", msg(1, str(1, "x"))).slice(0, -2);
    expect(thrown(() => decodeKubernetesProtobuf(truncated)).code).toBe(400);
  });
});
