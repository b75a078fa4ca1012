// The protobuf wire format, read only: a message is a run of (tag, value) records, where the tag's low
// three bits give the wire type (0 varint, 1 fixed 64-bit, 2 length-delimited, 5 fixed 32-bit).
import { badRequest } from "../errors.ts";

/** A varint as two unsigned 32-bit halves, so 64-bit values survive intact until converted. */
export interface Varint {
  lo: number;
  hi: number;
}

export type WireValue = { wire: 0; varint: Varint } | { wire: 1 | 2 | 5; bytes: Uint8Array };

export const malformed = (why: string) => badRequest(`the protobuf request body is malformed: ${why}`);

/** Reads the varint at `pos`; returns it and the position after it. */
export function readVarint(buf: Uint8Array, pos: number): { value: Varint; next: number } {
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < 10; i++) {
    if (pos + i >= buf.length) throw malformed("truncated varint");
    const byte = buf[pos + i];
    const bits = byte & 0x7f;
    const shift = 7 * i;
    if (shift < 28) lo |= bits << shift;
    else if (shift === 28) {
      lo |= (bits & 0x0f) << 28;
      hi |= bits >>> 4;
    } else hi |= bits << (shift - 32);
    if ((byte & 0x80) === 0) return { value: { lo: lo >>> 0, hi: hi >>> 0 }, next: pos + i + 1 };
  }
  throw malformed("varint longer than 10 bytes");
}

/** Signed 64-bit value as a Number (exact up to 2^53). */
export const toInt64 = (v: Varint): number => (v.hi | 0) * 0x100000000 + v.lo;

/** Signed 32-bit value: negative int32 fields are sign-extended to 64 bits on the wire. */
export const toInt32 = (v: Varint): number => v.lo | 0;

export const toBool = (v: Varint): boolean => v.lo !== 0 || v.hi !== 0;

function take(buf: Uint8Array, pos: number, length: number): Uint8Array {
  if (length < 0 || pos + length > buf.length) throw malformed("truncated field");
  return buf.subarray(pos, pos + length);
}

/** Splits a message into its fields, grouped by field number in wire order. */
export function readFields(buf: Uint8Array): Map<number, WireValue[]> {
  const fields = new Map<number, WireValue[]>();
  let pos = 0;
  while (pos < buf.length) {
    const tag = readVarint(buf, pos);
    pos = tag.next;
    const wire = tag.value.lo & 7;
    const number = (tag.value.lo >>> 3) + tag.value.hi * 0x20000000;
    if (number === 0) throw malformed("field number 0");
    let value: WireValue;
    if (wire === 0) {
      const v = readVarint(buf, pos);
      pos = v.next;
      value = { wire, varint: v.value };
    } else if (wire === 2) {
      const length = readVarint(buf, pos);
      if (length.value.hi !== 0) throw malformed("field too long");
      value = { wire, bytes: take(buf, length.next, length.value.lo) };
      pos = length.next + length.value.lo;
    } else if (wire === 1 || wire === 5) {
      value = { wire, bytes: take(buf, pos, wire === 1 ? 8 : 4) };
      pos += value.bytes.length;
    } else {
      throw malformed(`unsupported wire type ${wire}`);
    }
    const list = fields.get(number);
    if (list) list.push(value);
    else fields.set(number, [value]);
  }
  return fields;
}

/** Every varint of a field, whether sent one per record or packed into one length-delimited record. */
export function varintsOf(values: WireValue[]): Varint[] {
  const out: Varint[] = [];
  for (const value of values) {
    if (value.wire === 0) out.push(value.varint);
    else if (value.wire === 2) {
      for (let pos = 0; pos < value.bytes.length;) {
        const v = readVarint(value.bytes, pos);
        out.push(v.value);
        pos = v.next;
      }
    } else throw malformed("expected a varint");
  }
  return out;
}

/** Little-endian IEEE 754 doubles, one per record or packed. */
export function doublesOf(values: WireValue[]): number[] {
  const out: number[] = [];
  for (const value of values) {
    if (value.wire === 0 || value.wire === 5 || value.bytes.length % 8 !== 0) throw malformed("expected a double");
    const view = new DataView(value.bytes.buffer, value.bytes.byteOffset, value.bytes.byteLength);
    for (let pos = 0; pos < value.bytes.length; pos += 8) out.push(view.getFloat64(pos, true));
  }
  return out;
}

/** The bytes of every length-delimited record of a field. */
export function chunksOf(values: WireValue[]): Uint8Array[] {
  return values.map((value) => {
    if (value.wire !== 2) throw malformed("expected a length-delimited field");
    return value.bytes;
  });
}
