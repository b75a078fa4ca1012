// The JSON flavour of DNS over HTTPS that Google and Cloudflare serve (`?name=&type=` with
// `accept: application/dns-json`): a query built from the URL, an answer as their JSON object.
import { badRequest } from "../errors.ts";
import { CLASS_IN, OPCODE_QUERY, parseRecordType, recordTypeOf } from "./message.ts";
import type { DnsMessage, RecordData, ResourceRecord } from "./message.ts";
import { nameLabels } from "./wire.ts";

export const DNS_JSON = "application/dns-json";

export interface JsonRecord {
  name: string;
  type: number;
  TTL: number;
  data: string;
}

export interface JsonAnswer {
  Status: number;
  TC: boolean;
  RD: boolean;
  RA: boolean;
  AD: boolean;
  CD: boolean;
  Question: Array<{ name: string; type: number }>;
  Answer?: JsonRecord[];
  Authority?: JsonRecord[];
}

const absolute = (name: string) => (name === "" ? "." : `${name}.`);
const flag = (value: string | null) => value !== null && value !== "" && value !== "0" && value !== "false";

/** A query message from `?name=…&type=…&cd=…`; 400 for a missing or malformed name or type. */
export function queryFromParams(params: URLSearchParams): DnsMessage {
  const name = params.get("name");
  if (name === null || name === "") throw badRequest("the name parameter is required");
  try {
    nameLabels(name);
  } catch (err) {
    throw badRequest(`invalid name ${JSON.stringify(name)}: ${(err as Error).message}`);
  }
  const typeText = params.get("type") ?? "A";
  const type = parseRecordType(typeText);
  if (type === undefined) throw badRequest(`invalid type ${JSON.stringify(typeText)}`);
  return {
    header: {
      id: 0,
      qr: false,
      opcode: OPCODE_QUERY,
      aa: false,
      tc: false,
      rd: true,
      ra: false,
      ad: false,
      cd: flag(params.get("cd")),
      rcode: 0,
    },
    questions: [{ name: name.replace(/\.$/, ""), type, class: CLASS_IN }],
    answers: [],
    authorities: [],
    additionals: [],
  };
}

/** Record data in master-file text, as the JSON API carries it (RFC 3597's `\#` form for the rest). */
export function dataText(data: RecordData): string {
  switch (data.kind) {
    case "A":
    case "AAAA":
      return data.address;
    case "CNAME":
      return absolute(data.target);
    case "SOA":
      return [
        absolute(data.mname),
        absolute(data.rname),
        data.serial,
        data.refresh,
        data.retry,
        data.expire,
        data.minimum,
      ].join(" ");
    case "raw":
      return `\\# ${data.bytes.length} ${Array.from(data.bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
  }
}

const jsonRecord = (record: ResourceRecord): JsonRecord => ({
  name: absolute(record.name),
  type: recordTypeOf(record.data),
  TTL: record.ttl,
  data: dataText(record.data),
});

export function messageToJson(message: DnsMessage): JsonAnswer {
  const { header } = message;
  return {
    Status: header.rcode,
    TC: header.tc,
    RD: header.rd,
    RA: header.ra,
    AD: header.ad,
    CD: header.cd,
    Question: message.questions.map((q) => ({ name: absolute(q.name), type: q.type })),
    ...(message.answers.length > 0 ? { Answer: message.answers.map(jsonRecord) } : {}),
    ...(message.authorities.length > 0 ? { Authority: message.authorities.map(jsonRecord) } : {}),
  };
}
