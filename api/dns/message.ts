// A DNS message as RFC 1035 lays it out, in the shape the rest of Flotilla works with: names as
// presentation text (no trailing dot, "" for the root), record data typed for the kinds the
// federation's DNS answers with, and EDNS(0) lifted out of the additional section.

/** Record types by their RFC code. Questions may ask for any of them; answers use A, AAAA, CNAME, SOA. */
export const RecordType = {
  A: 1,
  NS: 2,
  CNAME: 5,
  SOA: 6,
  PTR: 12,
  MX: 15,
  TXT: 16,
  AAAA: 28,
  SRV: 33,
  OPT: 41,
  HTTPS: 65,
  ANY: 255,
} as const;

export const CLASS_IN = 1;
export const OPCODE_QUERY = 0;

/** Response codes; BADVERS needs EDNS's extended bits (it does not fit the header's four). */
export const Rcode = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
  REFUSED: 5,
  BADVERS: 16,
} as const;

export interface Header {
  id: number;
  /** A response (true) or a query. */
  qr: boolean;
  opcode: number;
  aa: boolean;
  tc: boolean;
  rd: boolean;
  ra: boolean;
  ad: boolean;
  cd: boolean;
  /** The full response code: the header's four bits, plus EDNS's eight extended bits when present. */
  rcode: number;
}

export interface Question {
  name: string;
  type: number;
  class: number;
}

export interface Soa {
  mname: string;
  rname: string;
  serial: number;
  refresh: number;
  retry: number;
  expire: number;
  minimum: number;
}

/** Typed data for the kinds Flotilla reads and writes; anything else is carried as raw bytes. */
export type RecordData =
  | { kind: "A"; address: string }
  | { kind: "AAAA"; address: string }
  | { kind: "CNAME"; target: string }
  | ({ kind: "SOA" } & Soa)
  | { kind: "raw"; type: number; bytes: Uint8Array };

export interface ResourceRecord {
  name: string;
  class: number;
  ttl: number;
  data: RecordData;
}

export interface EdnsOption {
  code: number;
  data: Uint8Array;
}

/** The OPT pseudo-record (RFC 6891), which is not a record: it describes the sender. */
export interface Edns {
  udpPayloadSize: number;
  version: number;
  dnssecOk: boolean;
  options: EdnsOption[];
}

export interface DnsMessage {
  header: Header;
  questions: Question[];
  answers: ResourceRecord[];
  authorities: ResourceRecord[];
  /** Without the OPT record, which is `edns`. */
  additionals: ResourceRecord[];
  edns?: Edns;
}

export function recordTypeOf(data: RecordData): number {
  switch (data.kind) {
    case "A":
      return RecordType.A;
    case "AAAA":
      return RecordType.AAAA;
    case "CNAME":
      return RecordType.CNAME;
    case "SOA":
      return RecordType.SOA;
    case "raw":
      return data.type;
  }
}

const TYPE_NAMES = new Map<number, string>(Object.entries(RecordType).map(([name, code]) => [code, name]));

/** "A", "AAAA", … or RFC 3597's "TYPE123" for types without a mnemonic here. */
export const typeName = (type: number): string => TYPE_NAMES.get(type) ?? `TYPE${type}`;

/** The code for a mnemonic ("aaaa"), RFC 3597 text ("TYPE28") or a number ("28"); undefined when none. */
export function parseRecordType(text: string): number | undefined {
  const upper = text.trim().toUpperCase();
  const known = (RecordType as Record<string, number>)[upper];
  if (known !== undefined) return known;
  const digits = /^(?:TYPE)?(\d{1,5})$/.exec(upper)?.[1];
  if (digits === undefined) return undefined;
  const code = Number(digits);
  return code <= 0xffff ? code : undefined;
}

/** Names compare without regard to ASCII case (RFC 4343), and with or without a trailing dot. */
export const canonicalName = (name: string): string => name.replace(/\.$/, "").toLowerCase();
