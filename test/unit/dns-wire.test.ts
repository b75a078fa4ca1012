// RFC 1035 messages, decoded from and encoded to hand-made packets: the header's flags, name
// compression both ways, A/AAAA/CNAME/SOA data, EDNS(0), and refusal of every malformed shape.
import { describe, expect, it } from "vitest";
import { classifyAddress, ipv6Bytes, ipv6Text } from "../../api/dns/addresses.ts";
import { CLASS_IN, Rcode, RecordType, parseRecordType, type DnsMessage } from "../../api/dns/message.ts";
import { DnsFormatError, decodeMessage, encodeMessage, nameLabels } from "../../api/dns/wire.ts";

/** Bytes from spaced hex, with `|` allowed as a visual separator. */
const hex = (text: string) => Uint8Array.from(text.replace(/[|\s]+/g, "").match(/../g) ?? [], (b) => parseInt(b, 16));
const toHex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

// www.example.com, A, IN; id 0x1234, RD.
const QUERY = hex(`
  1234 0100 0001 0000 0000 0000
  03 777777 07 6578616d706c65 03 636f6d 00 | 0001 0001
`);

// The answer to QUERY: www.example.com CNAME web.example.com (target compressed to "web" + pointer
// to example.com at 0x10), web.example.com A 192.0.2.7 (owner is a pointer to the CNAME's target),
// and an AAAA for the same name; an SOA for example.com in authority.
const RESPONSE = hex(`
  1234 8580 0001 0003 0001 0000
  03 777777 07 6578616d706c65 03 636f6d 00 | 0001 0001
  c00c | 0005 0001 0000003c 0006 | 03 776562 c010
  c02d | 0001 0001 0000001e 0004 | c0000207
  c02d | 001c 0001 0000001e 0010 | 20010db8000000000000000000000001
  c010 | 0006 0001 00000258 0026 | 02 6e73 c010 | 0a 686f73746d6173746572 c010
       | 00000007 00000e10 00000258 00015180 0000001e
`);

function expectFormatError(bytes: Uint8Array, message: RegExp) {
  let thrown: unknown;
  try {
    decodeMessage(bytes);
  } catch (err) {
    thrown = err;
  }
  expect(thrown).toBeInstanceOf(DnsFormatError);
  expect((thrown as Error).message).toMatch(message);
}

describe("decoding", () => {
  it("reads a query's header and question", () => {
    const message = decodeMessage(QUERY);
    expect(message.header).toEqual({
      id: 0x1234,
      qr: false,
      opcode: 0,
      aa: false,
      tc: false,
      rd: true,
      ra: false,
      ad: false,
      cd: false,
      rcode: 0,
    });
    expect(message.questions).toEqual([{ name: "www.example.com", type: RecordType.A, class: CLASS_IN }]);
    expect(message.answers).toEqual([]);
    expect(message.edns).toBeUndefined();
  });

  it("follows compression pointers in owner names and in CNAME and SOA data", () => {
    const message = decodeMessage(RESPONSE);
    expect(message.header).toMatchObject({ qr: true, aa: true, rd: true, ra: true, rcode: Rcode.NOERROR });
    expect(message.answers).toEqual([
      { name: "www.example.com", class: CLASS_IN, ttl: 60, data: { kind: "CNAME", target: "web.example.com" } },
      { name: "web.example.com", class: CLASS_IN, ttl: 30, data: { kind: "A", address: "192.0.2.7" } },
      { name: "web.example.com", class: CLASS_IN, ttl: 30, data: { kind: "AAAA", address: "2001:db8::1" } },
    ]);
    expect(message.authorities).toEqual([
      {
        name: "example.com",
        class: CLASS_IN,
        ttl: 600,
        data: {
          kind: "SOA",
          mname: "ns.example.com",
          rname: "hostmaster.example.com",
          serial: 7,
          refresh: 3600,
          retry: 600,
          expire: 86400,
          minimum: 30,
        },
      },
    ]);
  });

  it("lifts EDNS(0) out of the additional section, keeping unknown options and the extended rcode", () => {
    // A response with rcode BADVERS (16): header rcode 0, OPT's extended rcode 1.
    const bytes = hex(`
      0000 8000 0001 0000 0000 0002
      00 | 0001 0001
      00 | 0010 0001 00000005 0003 | 02 6869
      00 | 0029 1000 01 00 8000 000c | 000a 0008 0102030405060708
    `);
    const message = decodeMessage(bytes);
    expect(message.header.rcode).toBe(Rcode.BADVERS);
    expect(message.questions).toEqual([{ name: "", type: 1, class: 1 }]);
    expect(message.edns).toEqual({
      udpPayloadSize: 4096,
      version: 0,
      dnssecOk: true,
      options: [{ code: 10, data: hex("0102030405060708") }],
    });
    // A TXT record is kept as raw data, not refused.
    expect(message.additionals).toEqual([
      { name: "", class: 1, ttl: 5, data: { kind: "raw", type: RecordType.TXT, bytes: hex("026869") } },
    ]);
  });

  it("escapes label bytes that are dots, backslashes or unprintable", () => {
    const bytes = hex(`0000 0000 0001 0000 0000 0000 | 03 612e62 02 5c00 00 | 0001 0001`);
    const name = decodeMessage(bytes).questions[0]!.name;
    expect(name).toBe("a\\.b.\\\\\\000");
    expect(nameLabels(name).map(toHex)).toEqual(["612e62", "5c00"]);
  });
});

describe("refusing malformed packets", () => {
  it("a header shorter than 12 bytes", () => expectFormatError(QUERY.slice(0, 11), /no complete header/));

  it("a question cut short", () => {
    expectFormatError(QUERY.slice(0, QUERY.length - 1), /truncated/);
    expectFormatError(QUERY.slice(0, 20), /truncated/);
  });

  it("record data cut short", () => expectFormatError(RESPONSE.slice(0, RESPONSE.length - 3), /truncated/));

  it("a record count larger than the records present", () => {
    const bytes = QUERY.slice();
    bytes[7] = 1; // ancount 1, no answer
    expectFormatError(bytes, /truncated/);
  });

  it("bytes after the last record", () => expectFormatError(hex(`${toHex(QUERY)} 00`), /after the last record/));

  it("a pointer to itself, forward, or into a loop", () => {
    expectFormatError(hex(`0000 0000 0001 0000 0000 0000 | c00c | 0001 0001`), /does not point backwards/);
    expectFormatError(hex(`0000 0000 0001 0000 0000 0000 | c010 | 0001 0001 00`), /does not point backwards/);
    // "a" then a pointer back to the "a": each hop lands no earlier than the last.
    expectFormatError(hex(`0000 0000 0001 0000 0000 0000 | 01 61 c00c | 0001 0001`), /does not point backwards/);
  });

  it("a pointer cut in half, and the reserved label types", () => {
    expectFormatError(hex(`0000 0000 0001 0000 0000 0000 | c0`), /truncated pointer/);
    expectFormatError(hex(`0000 0000 0001 0000 0000 0000 | 41 00 | 0001 0001`), /unsupported label type/);
  });

  it("a name longer than 255 bytes", () => {
    const label = `3f${"61".repeat(63)}`;
    expectFormatError(hex(`0000 0000 0001 0000 0000 0000 ${label.repeat(4)} 00 0001 0001`), /longer than 255/);
  });

  it("an A record that is not 4 bytes, and record data longer than its content", () => {
    expectFormatError(hex(`0000 8000 0000 0001 0000 0000 | 00 0001 0001 00000000 0003 | 010203`), /A record of 3/);
    expectFormatError(
      hex(`0000 8000 0000 0001 0000 0000 | 00 0005 0001 00000000 0003 | 00 0000`),
      /its content is not/,
    );
  });

  it("OPT outside the additional section, not owned by the root, or twice", () => {
    const opt = `00 0029 0200 00000000 0000`;
    expectFormatError(hex(`0000 0000 0000 0001 0000 0000 ${opt}`), /OPT record in the answer/);
    expectFormatError(hex(`0000 0000 0000 0000 0000 0001 | 01 61 00 | 0029 0200 00000000 0000`), /root/);
    expectFormatError(hex(`0000 0000 0000 0000 0000 0002 ${opt} ${opt}`), /more than one OPT/);
    expectFormatError(hex(`0000 0000 0000 0000 0000 0001 00 0029 0200 00000000 0003 000a00`), /truncated|overruns/);
  });
});

describe("encoding", () => {
  it("writes a response byte for byte, compressing every repeated name", () => {
    const message = decodeMessage(RESPONSE);
    expect(toHex(encodeMessage(message))).toBe(toHex(RESPONSE));
  });

  it("compresses names case-insensitively, keeping each name's own spelling", () => {
    const message: DnsMessage = {
      header: { id: 7, qr: true, opcode: 0, aa: true, tc: false, rd: false, ra: false, ad: false, cd: false, rcode: 0 },
      questions: [{ name: "Web.Example", type: RecordType.A, class: CLASS_IN }],
      answers: [{ name: "web.example", class: CLASS_IN, ttl: 30, data: { kind: "A", address: "10.0.0.1" } }],
      authorities: [],
      additionals: [],
    };
    const bytes = encodeMessage(message);
    expect(toHex(bytes)).toBe(
      "0007 8400 0001 0001 0000 0000 03576562 074578616d706c65 00 0001 0001 c00c 0001 0001 0000001e 0004 0a000001".replace(
        / /g,
        "",
      ),
    );
    expect(decodeMessage(bytes).answers[0]!.name).toBe("Web.Example");
  });

  it("round-trips EDNS and an extended rcode, and refuses an extended rcode without EDNS", () => {
    const message: DnsMessage = {
      header: { id: 0, qr: true, opcode: 0, aa: false, tc: false, rd: true, ra: false, ad: false, cd: true, rcode: 16 },
      questions: [{ name: "a.b", type: RecordType.AAAA, class: CLASS_IN }],
      answers: [],
      authorities: [],
      additionals: [],
      edns: { udpPayloadSize: 1232, version: 0, dnssecOk: false, options: [{ code: 65001, data: hex("ff") }] },
    };
    expect(decodeMessage(encodeMessage(message))).toEqual(message);
    const { edns: _edns, ...withoutEdns } = message;
    expect(() => encodeMessage(withoutEdns)).toThrow(DnsFormatError);
  });

  it("refuses names and addresses that cannot be written", () => {
    const base: DnsMessage = {
      header: {
        id: 0,
        qr: true,
        opcode: 0,
        aa: false,
        tc: false,
        rd: false,
        ra: false,
        ad: false,
        cd: false,
        rcode: 0,
      },
      questions: [],
      answers: [],
      authorities: [],
      additionals: [],
    };
    const record = (name: string, address: string) => ({
      ...base,
      answers: [{ name, class: CLASS_IN, ttl: 1, data: { kind: "A" as const, address } }],
    });
    expect(() => encodeMessage(record("a..b", "10.0.0.1"))).toThrow(/empty label/);
    expect(() => encodeMessage(record(`${"x".repeat(64)}.b`, "10.0.0.1"))).toThrow(/63 bytes/);
    expect(() => encodeMessage(record("a.b", "10.0.0.256"))).toThrow(/address/);
  });
});

describe("addresses and types", () => {
  it("writes IPv6 the RFC 5952 way", () => {
    const canonical = (text: string) => ipv6Text(ipv6Bytes(text)!);
    expect(canonical("2001:0DB8:0:0:0:0:0:1")).toBe("2001:db8::1");
    expect(canonical("::")).toBe("::");
    expect(canonical("2001:db8:0:0:1:0:0:1")).toBe("2001:db8::1:0:0:1");
    expect(canonical("2001:db8:0:1:1:1:1:1")).toBe("2001:db8:0:1:1:1:1:1");
    expect(canonical("::ffff:192.0.2.1")).toBe("::ffff:c000:201");
    expect(classifyAddress("192.0.2.1")).toEqual({ kind: "A", address: "192.0.2.1" });
    expect(classifyAddress("2001:DB8::5")).toEqual({ kind: "AAAA", address: "2001:db8::5" });
    expect(classifyAddress("example.com")).toBeUndefined();
  });

  it("parses type mnemonics, numbers and RFC 3597 names", () => {
    expect(parseRecordType("aaaa")).toBe(28);
    expect(parseRecordType("TYPE65")).toBe(65);
    expect(parseRecordType("16")).toBe(16);
    expect(parseRecordType("70000")).toBeUndefined();
    expect(parseRecordType("BOGUS")).toBeUndefined();
  });
});
