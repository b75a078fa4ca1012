// What any authoritative server does around the lookup itself: refuse what it does not serve
// (other opcodes, several questions, EDNS versions above 0, other classes), copy the query's id,
// question and flags into the response, answer EDNS with EDNS, and say how long it may be cached.
import { CLASS_IN, OPCODE_QUERY, Rcode, RecordType } from "./message.ts";
import type { DnsMessage, Edns, Question, ResourceRecord } from "./message.ts";

export interface Lookup {
  rcode: number;
  answers: ResourceRecord[];
  authorities: ResourceRecord[];
  /** The server holds the zone the name is in (AA); false for what it refuses. */
  authoritative: boolean;
}

/** The UDP payload size an EDNS response advertises (DNS flag day 2020); DoH itself has no limit. */
const PAYLOAD_SIZE = 1232;
const CLASS_ANY = 255;
const ZONE_TRANSFERS: ReadonlySet<number> = new Set([251, 252]);

const refusal = (rcode: number): Lookup => ({ rcode, answers: [], authorities: [], authoritative: false });

function screen(query: DnsMessage): Lookup | undefined {
  if (query.header.qr) return refusal(Rcode.FORMERR);
  if (query.header.opcode !== OPCODE_QUERY) return refusal(Rcode.NOTIMP);
  if (query.edns && query.edns.version > 0) return refusal(Rcode.BADVERS);
  const question = query.questions[0];
  if (query.questions.length !== 1 || !question || question.type === RecordType.OPT) return refusal(Rcode.FORMERR);
  if (ZONE_TRANSFERS.has(question.type)) return refusal(Rcode.NOTIMP);
  if (question.class !== CLASS_IN && question.class !== CLASS_ANY) return refusal(Rcode.REFUSED);
  return undefined;
}

export function reply(query: DnsMessage, lookup: (question: Question) => Lookup): DnsMessage {
  const result = screen(query) ?? lookup(query.questions[0]!);
  // Unknown options are ignored (RFC 6891 §6.1.2): none is echoed back.
  const edns: Edns | undefined = query.edns
    ? { udpPayloadSize: PAYLOAD_SIZE, version: 0, dnssecOk: query.edns.dnssecOk, options: [] }
    : undefined;
  return {
    header: {
      id: query.header.id,
      qr: true,
      opcode: query.header.opcode,
      aa: result.authoritative,
      tc: false,
      rd: query.header.rd,
      ra: false,
      ad: false,
      cd: query.header.cd,
      // Without EDNS the extended code cannot be said: FORMERR is the closest old one.
      rcode: result.rcode > 0xf && !edns ? Rcode.FORMERR : result.rcode,
    },
    questions: query.questions.slice(0, 1),
    answers: result.answers,
    authorities: result.authorities,
    additionals: [],
    ...(edns ? { edns } : {}),
  };
}

/**
 * Seconds a response may be cached: its smallest TTL. A negative answer lives as long as its SOA
 * says (the lesser of the SOA's TTL and its minimum, RFC 2308); a response with no records, not at all.
 */
export function cacheSeconds(message: DnsMessage): number {
  const ttls = [...message.answers, ...message.authorities, ...message.additionals].map((record) =>
    record.data.kind === "SOA" ? Math.min(record.ttl, record.data.minimum) : record.ttl,
  );
  return ttls.length > 0 ? Math.min(...ttls) : 0;
}
