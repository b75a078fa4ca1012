// The server side around a lookup (what it refuses, what it copies from the query, EDNS, cache
// lifetime), DoH's base64url and size rules, and the JSON flavour's query and answer shapes.
import { describe, expect, it } from "vitest";
import { StatusError } from "../../api/errors.ts";
import { decodeBase64Url, encodeBase64Url, parseQuery } from "../../api/dns/doh.ts";
import { messageToJson, queryFromParams } from "../../api/dns/json.ts";
import { CLASS_IN, Rcode, RecordType, type DnsMessage, type ResourceRecord } from "../../api/dns/message.ts";
import { cacheSeconds, reply, type Lookup } from "../../api/dns/reply.ts";
import { encodeMessage } from "../../api/dns/wire.ts";

const A: ResourceRecord = { name: "a.test", class: CLASS_IN, ttl: 30, data: { kind: "A", address: "192.0.2.1" } };
const SOA: ResourceRecord = {
  name: "test",
  class: CLASS_IN,
  ttl: 60,
  data: { kind: "SOA", mname: "ns.test", rname: "h.test", serial: 1, refresh: 1, retry: 1, expire: 1, minimum: 10 },
};

function query(overrides: Partial<DnsMessage> = {}, header: Partial<DnsMessage["header"]> = {}): DnsMessage {
  return {
    header: {
      id: 99,
      qr: false,
      opcode: 0,
      aa: false,
      tc: false,
      rd: true,
      ra: false,
      ad: false,
      cd: true,
      rcode: 0,
      ...header,
    },
    questions: [{ name: "a.test", type: RecordType.A, class: CLASS_IN }],
    answers: [],
    authorities: [],
    additionals: [],
    ...overrides,
  };
}

const found: Lookup = { rcode: Rcode.NOERROR, answers: [A], authorities: [], authoritative: true };
const lookupA = () => found;

describe("reply", () => {
  it("copies the id, question, RD and CD; answers authoritatively; offers no recursion", () => {
    const answer = reply(query(), lookupA);
    expect(answer.header).toEqual({
      id: 99,
      qr: true,
      opcode: 0,
      aa: true,
      tc: false,
      rd: true,
      ra: false,
      ad: false,
      cd: true,
      rcode: Rcode.NOERROR,
    });
    expect(answer.questions).toEqual(query().questions);
    expect(answer.answers).toEqual([A]);
    expect(answer.edns).toBeUndefined();
  });

  it("answers EDNS with EDNS, echoing DO and none of the query's options", () => {
    const edns = { udpPayloadSize: 4096, version: 0, dnssecOk: true, options: [{ code: 10, data: new Uint8Array(8) }] };
    expect(reply(query({ edns }), lookupA).edns).toEqual({
      udpPayloadSize: 1232,
      version: 0,
      dnssecOk: true,
      options: [],
    });
  });

  it("refuses what it does not serve without looking anything up", () => {
    const never = (): Lookup => {
      throw new Error("looked up");
    };
    const rcode = (message: DnsMessage) => reply(message, never).header.rcode;
    expect(rcode(query({}, { qr: true }))).toBe(Rcode.FORMERR);
    expect(rcode(query({}, { opcode: 2 }))).toBe(Rcode.NOTIMP);
    expect(rcode(query({ questions: [] }))).toBe(Rcode.FORMERR);
    expect(rcode(query({ questions: [...query().questions, ...query().questions] }))).toBe(Rcode.FORMERR);
    expect(rcode(query({ questions: [{ name: "a.test", type: 252, class: CLASS_IN }] }))).toBe(Rcode.NOTIMP);
    expect(rcode(query({ questions: [{ name: "a.test", type: RecordType.A, class: 3 }] }))).toBe(Rcode.REFUSED);
    const edns = { udpPayloadSize: 512, version: 1, dnssecOk: false, options: [] };
    const badVersion = reply(query({ edns }), never);
    expect(badVersion.header.rcode).toBe(Rcode.BADVERS);
    // BADVERS needs the OPT record's extended bits: the encoded message carries them.
    expect(() => encodeMessage(badVersion)).not.toThrow();
  });

  it("caches for the smallest TTL; a negative answer by its SOA; nothing without records", () => {
    expect(cacheSeconds(reply(query(), () => ({ ...found, answers: [A, { ...A, ttl: 7 }] })))).toBe(7);
    expect(cacheSeconds(reply(query(), () => ({ ...found, answers: [], authorities: [SOA] })))).toBe(10);
    expect(cacheSeconds(reply(query({}, { opcode: 5 }), lookupA))).toBe(0);
  });
});

describe("DNS over HTTPS", () => {
  it("base64url without padding, both ways; anything else is a 400", () => {
    const bytes = Uint8Array.from([0xfb, 0xff, 0x00, 0x01]);
    expect(encodeBase64Url(bytes)).toBe("-_8AAQ");
    expect(decodeBase64Url("-_8AAQ")).toEqual(bytes);
    expect(decodeBase64Url("-_8AAQ==")).toEqual(bytes);
    expect(() => decodeBase64Url("+/8AAQ")).toThrow(StatusError);
    expect(() => decodeBase64Url("abcde")).toThrow(StatusError);
  });

  it("a malformed message is a 400 and an oversized one a 413", () => {
    const status = (bytes: Uint8Array) => {
      try {
        parseQuery(bytes);
        return 200;
      } catch (err) {
        return (err as StatusError).code;
      }
    };
    expect(status(encodeMessage(query()))).toBe(200);
    expect(status(new Uint8Array(5))).toBe(400);
    expect(status(new Uint8Array(70_000))).toBe(413);
  });
});

describe("the JSON flavour", () => {
  it("builds a query from name and type (A by default, mnemonic or number)", () => {
    const q = (params: string) => queryFromParams(new URLSearchParams(params)).questions[0];
    expect(q("name=web.example.")).toEqual({ name: "web.example", type: RecordType.A, class: CLASS_IN });
    expect(q("name=web.example&type=aaaa")?.type).toBe(RecordType.AAAA);
    expect(q("name=web.example&type=5")?.type).toBe(RecordType.CNAME);
    expect(queryFromParams(new URLSearchParams("name=x&cd=1")).header.cd).toBe(true);
    for (const bad of ["", "name=", "name=a..b", "name=x&type=NOPE"]) {
      expect(() => queryFromParams(new URLSearchParams(bad))).toThrow(StatusError);
    }
  });

  it("answers in Google's and Cloudflare's shape, names absolute", () => {
    const answer = reply(query(), () => ({
      rcode: Rcode.NXDOMAIN,
      answers: [{ name: "x.test", class: CLASS_IN, ttl: 5, data: { kind: "CNAME", target: "a.test" } }, A],
      authorities: [SOA],
      authoritative: true,
    }));
    expect(messageToJson(answer)).toEqual({
      Status: 3,
      TC: false,
      RD: true,
      RA: false,
      AD: false,
      CD: true,
      Question: [{ name: "a.test.", type: 1 }],
      Answer: [
        { name: "x.test.", type: 5, TTL: 5, data: "a.test." },
        { name: "a.test.", type: 1, TTL: 30, data: "192.0.2.1" },
      ],
      Authority: [{ name: "test.", type: 6, TTL: 60, data: "ns.test. h.test. 1 1 1 1 10" }],
    });
  });
});
