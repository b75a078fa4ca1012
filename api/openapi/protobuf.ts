// A minimal protobuf (proto3) writer: just enough wire format to encode documents.
const encoder = new TextEncoder();

export class ProtoWriter {
  private chunks: Uint8Array[] = [];
  private length = 0;

  private push(bytes: Uint8Array) {
    this.chunks.push(bytes);
    this.length += bytes.length;
  }

  private varint(value: number) {
    const bytes: number[] = [];
    let v = value;
    while (v > 0x7f) {
      bytes.push((v & 0x7f) | 0x80);
      v = Math.floor(v / 128);
    }
    bytes.push(v);
    this.push(Uint8Array.from(bytes));
  }

  private tag(field: number, wireType: 0 | 2) {
    this.varint(field * 8 + wireType);
  }

  /** Length-delimited bytes (strings, embedded messages). */
  bytes(field: number, value: Uint8Array): this {
    this.tag(field, 2);
    this.varint(value.length);
    this.push(value);
    return this;
  }

  /** A string field; empty strings are the proto3 default and are left out. */
  string(field: number, value: string | undefined): this {
    if (value) this.bytes(field, encoder.encode(value));
    return this;
  }

  strings(field: number, values: readonly string[] | undefined): this {
    for (const v of values ?? []) this.bytes(field, encoder.encode(v));
    return this;
  }

  /** A bool field; false is the default and is left out. */
  bool(field: number, value: boolean | undefined): this {
    if (value) {
      this.tag(field, 0);
      this.varint(1);
    }
    return this;
  }

  /** An embedded message, written by `write`. */
  message(field: number, write: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    write(inner);
    return this.bytes(field, inner.finish());
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let offset = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }
}
