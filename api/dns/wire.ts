// RFC 1035 wire format: decoding what a client sends (name compression included) and encoding
// answers (compressing names). Anything malformed — a truncated packet, a pointer loop, an
// over-long name, bytes left over — is a DnsFormatError, never a partial message.
import { ipv4Bytes, ipv4Text, ipv6Bytes, ipv6Text } from "./addresses.ts";
import {
  RecordType,
  recordTypeOf,
  type DnsMessage,
  type Edns,
  type EdnsOption,
  type Header,
  type Question,
  type RecordData,
  type ResourceRecord,
} from "./message.ts";

/** The largest message DNS can carry (its TCP length prefix is 16 bits; DoH keeps the limit). */
export const MAX_MESSAGE_BYTES = 65_535;
const HEADER_BYTES = 12;
const MAX_NAME_BYTES = 255;
const MAX_LABEL_BYTES = 63;

export class DnsFormatError extends Error {
  /** Where in the packet decoding stopped (for encoding, -1). */
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(message);
    this.name = "DnsFormatError";
    this.offset = offset;
  }
}

// ---------------------------------------------------------------------------
// Names in presentation form: `.` separates labels; `\.`, `\\` and `\DDD` stand for bytes that
// would otherwise be ambiguous or unprintable (RFC 1035 §5.1), so any label survives a round trip.

function labelText(bytes: Uint8Array): string {
  let text = "";
  for (const byte of bytes) {
    if (byte === 0x2e || byte === 0x5c) text += `\\${String.fromCharCode(byte)}`;
    else if (byte > 0x20 && byte < 0x7f) text += String.fromCharCode(byte);
    else text += `\\${String(byte).padStart(3, "0")}`;
  }
  return text;
}

/** A name's labels as bytes; "" and "." are the root (no labels). */
export function nameLabels(name: string): Uint8Array[] {
  const labels: Uint8Array[] = [];
  let current: number[] = [];
  let i = 0;
  const finish = () => {
    if (current.length === 0) throw new DnsFormatError(`empty label in ${JSON.stringify(name)}`, -1);
    if (current.length > MAX_LABEL_BYTES) throw new DnsFormatError(`label longer than 63 bytes in ${name}`, -1);
    labels.push(Uint8Array.from(current));
    current = [];
  };
  if (name === "" || name === ".") return labels;
  while (i < name.length) {
    const char = name[i]!;
    if (char === ".") {
      finish();
      i += 1;
      continue;
    }
    if (char === "\\") {
      const digits = /^\d{3}/.exec(name.slice(i + 1))?.[0];
      if (digits !== undefined && Number(digits) <= 255) {
        current.push(Number(digits));
        i += 4;
      } else if (i + 1 < name.length) {
        current.push(name.charCodeAt(i + 1) & 0xff);
        i += 2;
      } else {
        throw new DnsFormatError(`dangling escape in ${JSON.stringify(name)}`, -1);
      }
      continue;
    }
    const code = name.charCodeAt(i);
    if (code > 0x7e) throw new DnsFormatError(`non-ASCII character in ${JSON.stringify(name)}`, -1);
    current.push(code);
    i += 1;
  }
  // A trailing dot (an absolute name) adds no label.
  if (current.length > 0) finish();
  const wireLength = labels.reduce((sum, label) => sum + label.length + 1, 1);
  if (wireLength > MAX_NAME_BYTES) throw new DnsFormatError(`name longer than 255 bytes: ${name}`, -1);
  return labels;
}

// ---------------------------------------------------------------------------
// Decoding.

class Reader {
  readonly bytes: Uint8Array;
  private readonly view: DataView;
  offset = 0;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  need(count: number, what: string): void {
    if (this.offset + count > this.bytes.length)
      throw new DnsFormatError(`truncated message: ${what} needs ${count} bytes at offset ${this.offset}`, this.offset);
  }

  u8(what: string): number {
    this.need(1, what);
    return this.view.getUint8(this.offset++);
  }

  u16(what: string): number {
    this.need(2, what);
    const value = this.view.getUint16(this.offset);
    this.offset += 2;
    return value;
  }

  u32(what: string): number {
    this.need(4, what);
    const value = this.view.getUint32(this.offset);
    this.offset += 4;
    return value;
  }

  take(count: number, what: string): Uint8Array {
    this.need(count, what);
    const slice = this.bytes.slice(this.offset, this.offset + count);
    this.offset += count;
    return slice;
  }

  /**
   * A name at the current offset, following compression pointers. Each pointer must point before
   * every byte of the name read so far (a compressor only refers to what it wrote earlier), which
   * rules out loops without counting hops.
   */
  name(): string {
    const labels: string[] = [];
    let wireLength = 1;
    let at = this.offset;
    let lowest = at;
    let resumeAt: number | undefined;
    for (;;) {
      if (at >= this.bytes.length) throw new DnsFormatError(`truncated name at offset ${at}`, at);
      const length = this.bytes[at]!;
      if ((length & 0xc0) === 0xc0) {
        if (at + 1 >= this.bytes.length) throw new DnsFormatError(`truncated pointer at offset ${at}`, at);
        const target = ((length & 0x3f) << 8) | this.bytes[at + 1]!;
        if (target >= lowest) throw new DnsFormatError(`compression pointer at ${at} does not point backwards`, at);
        resumeAt ??= at + 2;
        at = lowest = target;
        continue;
      }
      if ((length & 0xc0) !== 0) throw new DnsFormatError(`unsupported label type at offset ${at}`, at);
      if (length === 0) {
        this.offset = resumeAt ?? at + 1;
        return labels.join(".");
      }
      if (at + 1 + length > this.bytes.length) throw new DnsFormatError(`truncated label at offset ${at}`, at);
      wireLength += length + 1;
      if (wireLength > MAX_NAME_BYTES) throw new DnsFormatError(`name longer than 255 bytes at offset ${at}`, at);
      labels.push(labelText(this.bytes.subarray(at + 1, at + 1 + length)));
      at += 1 + length;
    }
  }
}

function decodeHeaderFlags(id: number, flags: number): Header {
  return {
    id,
    qr: (flags & 0x8000) !== 0,
    opcode: (flags >> 11) & 0xf,
    aa: (flags & 0x0400) !== 0,
    tc: (flags & 0x0200) !== 0,
    rd: (flags & 0x0100) !== 0,
    ra: (flags & 0x0080) !== 0,
    ad: (flags & 0x0020) !== 0,
    cd: (flags & 0x0010) !== 0,
    rcode: flags & 0xf,
  };
}

function decodeData(reader: Reader, type: number, length: number): RecordData {
  const end = reader.offset + length;
  reader.need(length, "record data");
  let data: RecordData;
  if (type === RecordType.A && length === 4) data = { kind: "A", address: ipv4Text(reader.take(4, "A")) };
  else if (type === RecordType.AAAA && length === 16)
    data = { kind: "AAAA", address: ipv6Text(reader.take(16, "AAAA")) };
  else if (type === RecordType.A || type === RecordType.AAAA)
    throw new DnsFormatError(`${type === RecordType.A ? "A" : "AAAA"} record of ${length} bytes`, reader.offset);
  else if (type === RecordType.CNAME) data = { kind: "CNAME", target: reader.name() };
  else if (type === RecordType.SOA) {
    const mname = reader.name();
    const rname = reader.name();
    data = {
      kind: "SOA",
      mname,
      rname,
      serial: reader.u32("SOA serial"),
      refresh: reader.u32("SOA refresh"),
      retry: reader.u32("SOA retry"),
      expire: reader.u32("SOA expire"),
      minimum: reader.u32("SOA minimum"),
    };
  } else data = { kind: "raw", type, bytes: reader.take(length, "record data") };
  if (reader.offset !== end)
    throw new DnsFormatError(`record data is ${length} bytes but its content is not`, reader.offset);
  return data;
}

function decodeOptions(reader: Reader, length: number): EdnsOption[] {
  const end = reader.offset + length;
  reader.need(length, "OPT data");
  const options: EdnsOption[] = [];
  while (reader.offset < end) {
    const code = reader.u16("option code");
    const size = reader.u16("option length");
    if (reader.offset + size > end) throw new DnsFormatError("EDNS option overruns its record", reader.offset);
    options.push({ code, data: reader.take(size, "option data") });
  }
  return options;
}

type Section = "answer" | "authority" | "additional";

/** One record; OPT (only legal in the additional section) comes back as `edns`. */
function decodeRecord(reader: Reader, section: Section): ResourceRecord | { edns: Edns; extendedRcode: number } {
  const start = reader.offset;
  const name = reader.name();
  const type = reader.u16("record type");
  const klass = reader.u16("record class");
  const ttl = reader.u32("record TTL");
  const length = reader.u16("record length");
  if (type === RecordType.OPT) {
    if (section !== "additional") throw new DnsFormatError(`OPT record in the ${section} section`, start);
    if (name !== "") throw new DnsFormatError("OPT record not owned by the root", start);
    const edns: Edns = {
      udpPayloadSize: klass,
      version: (ttl >>> 16) & 0xff,
      dnssecOk: (ttl & 0x8000) !== 0,
      options: decodeOptions(reader, length),
    };
    return { edns, extendedRcode: ttl >>> 24 };
  }
  return { name, class: klass, ttl, data: decodeData(reader, type, length) };
}

export function decodeMessage(bytes: Uint8Array): DnsMessage {
  if (bytes.length > MAX_MESSAGE_BYTES) throw new DnsFormatError("message longer than 65535 bytes", 0);
  if (bytes.length < HEADER_BYTES) throw new DnsFormatError("truncated message: no complete header", 0);
  const reader = new Reader(bytes);
  const header = decodeHeaderFlags(reader.u16("id"), reader.u16("flags"));
  const counts = [reader.u16("qdcount"), reader.u16("ancount"), reader.u16("nscount"), reader.u16("arcount")];
  const questions: Question[] = [];
  for (let i = 0; i < counts[0]!; i++) {
    questions.push({ name: reader.name(), type: reader.u16("question type"), class: reader.u16("question class") });
  }
  const sections: Record<Section, ResourceRecord[]> = { answer: [], authority: [], additional: [] };
  let edns: Edns | undefined;
  (["answer", "authority", "additional"] as const).forEach((section, index) => {
    for (let i = 0; i < counts[index + 1]!; i++) {
      const at = reader.offset;
      const record = decodeRecord(reader, section);
      if (!("edns" in record)) {
        sections[section].push(record);
        continue;
      }
      if (edns) throw new DnsFormatError("more than one OPT record", at);
      edns = record.edns;
      header.rcode |= record.extendedRcode << 4;
    }
  });
  if (reader.offset !== bytes.length)
    throw new DnsFormatError(`${bytes.length - reader.offset} bytes after the last record`, reader.offset);
  return {
    header,
    questions,
    answers: sections.answer,
    authorities: sections.authority,
    additionals: sections.additional,
    ...(edns ? { edns } : {}),
  };
}

// ---------------------------------------------------------------------------
// Encoding.

class Writer {
  private bytes = new Uint8Array(512);
  length = 0;
  /** Where each name suffix already written starts, by its lower-cased text. */
  private readonly suffixes = new Map<string, number>();

  private reserve(count: number): void {
    if (this.length + count > MAX_MESSAGE_BYTES) throw new DnsFormatError("message longer than 65535 bytes", -1);
    if (this.length + count <= this.bytes.length) return;
    const grown = new Uint8Array(Math.min(MAX_MESSAGE_BYTES, Math.max(this.bytes.length * 2, this.length + count)));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  u8(value: number): void {
    this.reserve(1);
    this.bytes[this.length++] = value & 0xff;
  }

  u16(value: number): void {
    this.u8(value >> 8);
    this.u8(value);
  }

  u32(value: number): void {
    this.u16(Math.floor(value / 0x10000) & 0xffff);
    this.u16(value & 0xffff);
  }

  raw(data: Uint8Array): void {
    this.reserve(data.length);
    this.bytes.set(data, this.length);
    this.length += data.length;
  }

  setU16(at: number, value: number): void {
    this.bytes[at] = (value >> 8) & 0xff;
    this.bytes[at + 1] = value & 0xff;
  }

  /** Writes a name, ending in a pointer to the longest suffix already in the message. */
  name(name: string): void {
    const labels = nameLabels(name);
    for (let i = 0; i < labels.length; i++) {
      const key = labels
        .slice(i)
        .map((label) => labelText(label).toLowerCase())
        .join(".");
      const earlier = this.suffixes.get(key);
      if (earlier !== undefined) {
        this.u16(0xc000 | earlier);
        return;
      }
      // Pointers have 14 bits: later suffixes can still be pointed at, just not these.
      if (this.length < 0x4000) this.suffixes.set(key, this.length);
      this.u8(labels[i]!.length);
      this.raw(labels[i]!);
    }
    this.u8(0);
  }

  result(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}

function encodeFlags(header: Header): number {
  if (header.opcode < 0 || header.opcode > 15) throw new DnsFormatError(`opcode ${header.opcode} out of range`, -1);
  return (
    (header.qr ? 0x8000 : 0) |
    (header.opcode << 11) |
    (header.aa ? 0x0400 : 0) |
    (header.tc ? 0x0200 : 0) |
    (header.rd ? 0x0100 : 0) |
    (header.ra ? 0x0080 : 0) |
    (header.ad ? 0x0020 : 0) |
    (header.cd ? 0x0010 : 0) |
    (header.rcode & 0xf)
  );
}

function addressBytes(kind: "A" | "AAAA", address: string): Uint8Array {
  const bytes = kind === "A" ? ipv4Bytes(address) : ipv6Bytes(address);
  if (!bytes) throw new DnsFormatError(`${kind} record with address ${JSON.stringify(address)}`, -1);
  return bytes;
}

function encodeData(writer: Writer, data: RecordData): void {
  switch (data.kind) {
    case "A":
    case "AAAA":
      return writer.raw(addressBytes(data.kind, data.address));
    case "CNAME":
      return writer.name(data.target);
    case "SOA":
      writer.name(data.mname);
      writer.name(data.rname);
      for (const value of [data.serial, data.refresh, data.retry, data.expire, data.minimum]) writer.u32(value);
      return;
    case "raw":
      return writer.raw(data.bytes);
  }
}

/** Type, class and TTL are written by the caller; this adds the length-prefixed data. */
function withLength(writer: Writer, write: () => void): void {
  const at = writer.length;
  writer.u16(0);
  write();
  writer.setU16(at, writer.length - at - 2);
}

function encodeRecord(writer: Writer, record: ResourceRecord): void {
  writer.name(record.name);
  writer.u16(recordTypeOf(record.data));
  writer.u16(record.class);
  writer.u32(record.ttl);
  withLength(writer, () => encodeData(writer, record.data));
}

function encodeOpt(writer: Writer, edns: Edns, rcode: number): void {
  writer.u8(0); // the root
  writer.u16(RecordType.OPT);
  writer.u16(edns.udpPayloadSize);
  writer.u8(rcode >> 4);
  writer.u8(edns.version);
  writer.u16(edns.dnssecOk ? 0x8000 : 0);
  withLength(writer, () => {
    for (const option of edns.options) {
      writer.u16(option.code);
      writer.u16(option.data.length);
      writer.raw(option.data);
    }
  });
}

export function encodeMessage(message: DnsMessage): Uint8Array {
  const { header, edns } = message;
  if (header.rcode > 0xf && !edns) throw new DnsFormatError(`rcode ${header.rcode} needs an OPT record`, -1);
  const writer = new Writer();
  writer.u16(header.id);
  writer.u16(encodeFlags(header));
  writer.u16(message.questions.length);
  writer.u16(message.answers.length);
  writer.u16(message.authorities.length);
  writer.u16(message.additionals.length + (edns ? 1 : 0));
  for (const question of message.questions) {
    writer.name(question.name);
    writer.u16(question.type);
    writer.u16(question.class);
  }
  for (const record of [...message.answers, ...message.authorities, ...message.additionals])
    encodeRecord(writer, record);
  if (edns) encodeOpt(writer, edns, header.rcode);
  return writer.result();
}
