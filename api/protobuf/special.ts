// apimachinery's well-known messages and the JSON each one stands for.
import type { SpecialType } from "./descriptor.ts";
import { malformed, readFields, toInt32, toInt64, varintsOf, type Varint, type WireValue } from "./wire.ts";

const utf8 = new TextDecoder();

export const decodeString = (bytes: Uint8Array): string => utf8.decode(bytes);

export function base64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** The last varint of field `n`, as proto2 takes the last of a repeated scalar. */
function lastVarint(fields: Map<number, WireValue[]>, n: number): Varint | undefined {
  const values = fields.get(n);
  return values ? varintsOf(values).at(-1) : undefined;
}

function lastBytes(fields: Map<number, WireValue[]>, n: number): Uint8Array | undefined {
  const value = fields.get(n)?.at(-1);
  if (value === undefined) return undefined;
  if (value.wire !== 2) throw malformed("expected a length-delimited field");
  return value.bytes;
}

/** Seconds since the epoch → "2006-01-02T15:04:05" (UTC), the part RFC 3339 times share. */
function isoSeconds(seconds: number): string {
  const date = new Date(seconds * 1000);
  const year = date.getUTCFullYear();
  if (Number.isNaN(date.getTime()) || year < 0 || year > 9999) throw malformed(`time out of range: ${seconds}s`);
  return date.toISOString().slice(0, 19);
}

/** Time drops sub-second precision; an empty message is the zero time, which JSON writes as null (omitted). */
function time(bytes: Uint8Array, micro: boolean): string | undefined {
  if (bytes.length === 0) return undefined;
  const fields = readFields(bytes);
  const seconds = toInt64(lastVarint(fields, 1) ?? { lo: 0, hi: 0 });
  if (!micro) return `${isoSeconds(seconds)}Z`;
  const nanos = toInt32(lastVarint(fields, 2) ?? { lo: 0, hi: 0 });
  if (nanos < 0 || nanos > 999_999_999) throw malformed(`nanos out of range: ${nanos}`);
  return `${isoSeconds(seconds)}.${String(Math.floor(nanos / 1000)).padStart(6, "0")}Z`;
}

/** Digits of `value / 10^precision` after the point, trailing zeros dropped, as Go prints durations. */
function fraction(value: bigint, precision: number): { whole: bigint; text: string } {
  const scale = 10n ** BigInt(precision);
  const digits = (value % scale).toString().padStart(precision, "0").replace(/0+$/, "");
  return { whole: value / scale, text: digits === "" ? "" : `.${digits}` };
}

/** A Go time.Duration (nanoseconds) as Go's Duration.String writes it: "1h2m3.5s", "1.5ms", "0s". */
export function goDuration(nanoseconds: bigint): string {
  if (nanoseconds === 0n) return "0s";
  const sign = nanoseconds < 0n ? "-" : "";
  const u = nanoseconds < 0n ? -nanoseconds : nanoseconds;
  if (u < 1000n) return `${sign}${u}ns`;
  if (u < 1_000_000n) {
    const f = fraction(u, 3);
    return `${sign}${f.whole}${f.text}µs`;
  }
  if (u < 1_000_000_000n) {
    const f = fraction(u, 6);
    return `${sign}${f.whole}${f.text}ms`;
  }
  const f = fraction(u, 9);
  const totalSeconds = f.whole;
  const seconds = `${totalSeconds % 60n}${f.text}s`;
  const totalMinutes = totalSeconds / 60n;
  if (totalMinutes === 0n) return `${sign}${seconds}`;
  const hours = totalMinutes / 60n;
  const minutes = `${totalMinutes % 60n}m${seconds}`;
  return hours === 0n ? `${sign}${minutes}` : `${sign}${hours}h${minutes}`;
}

function json(bytes: Uint8Array | undefined, what: string): unknown {
  if (bytes === undefined || bytes.length === 0) return undefined;
  try {
    return JSON.parse(decodeString(bytes));
  } catch {
    throw malformed(`${what} is not JSON`);
  }
}

function intOrString(bytes: Uint8Array): number | string {
  const fields = readFields(bytes);
  const type = lastVarint(fields, 1);
  if (type !== undefined && toInt64(type) === 1) return decodeString(lastBytes(fields, 3) ?? new Uint8Array());
  const intVal = lastVarint(fields, 2);
  return intVal === undefined ? 0 : toInt32(intVal);
}

/** The JSON value of a special message; undefined leaves the field out. */
export function decodeSpecial(type: SpecialType, bytes: Uint8Array): unknown {
  switch (type) {
    case "time":
      return time(bytes, false);
    case "microtime":
      return time(bytes, true);
    case "duration": {
      const v = lastVarint(readFields(bytes), 1) ?? { lo: 0, hi: 0 };
      return goDuration(BigInt.asIntN(64, (BigInt(v.hi) << 32n) | BigInt(v.lo)));
    }
    case "quantity": {
      const text = lastBytes(readFields(bytes), 1);
      return text === undefined || text.length === 0 ? "0" : decodeString(text);
    }
    case "intorstring":
      return intOrString(bytes);
    case "fieldsv1":
      return json(lastBytes(readFields(bytes), 1), "a managedFields entry");
    case "rawextension":
      return json(lastBytes(readFields(bytes), 1), "an embedded object");
  }
}
