// A protobuf message → the JSON object Go's encoding/json would write for the same Kubernetes type.
import type { Field, ScalarType, ValueType } from "./descriptor.ts";
import { messageFields } from "./schema.ts";
import { base64, decodeSpecial, decodeString } from "./special.ts";
import {
  chunksOf,
  doublesOf,
  malformed,
  readFields,
  toBool,
  toInt32,
  toInt64,
  varintsOf,
  type WireValue,
} from "./wire.ts";

type JsonObject = Record<string, unknown>;

function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let pos = 0;
  for (const chunk of chunks) {
    out.set(chunk, pos);
    pos += chunk.length;
  }
  return out;
}

/** Every value of a scalar field, in wire order. */
function scalars(type: ScalarType, values: WireValue[]): unknown[] {
  switch (type) {
    case "string":
      return chunksOf(values).map(decodeString);
    case "bytes":
      return chunksOf(values).map(base64);
    case "int32":
      return varintsOf(values).map(toInt32);
    case "int64":
      return varintsOf(values).map(toInt64);
    case "bool":
      return varintsOf(values).map(toBool);
    case "double":
      return doublesOf(values);
  }
}

const isZero = (value: unknown): boolean => value === "" || value === 0 || value === false;

/** One value of a non-scalar type from its bytes. */
function composite(type: ValueType, bytes: Uint8Array): unknown {
  if (type.kind === "special") return decodeSpecial(type.name, bytes);
  if (type.kind === "message") return decodeMessage(type.name, bytes);
  throw malformed("a scalar where a message was expected");
}

/** A map field: each record is an entry message {1: key, 2: value}. */
function mapValue(type: ValueType, values: WireValue[]): JsonObject {
  const out: JsonObject = {};
  for (const entry of chunksOf(values)) {
    const fields = readFields(entry);
    const key = scalars("string", fields.get(1) ?? []).at(-1) ?? "";
    const value = fields.get(2) ?? [];
    const decoded =
      type.kind === "scalar"
        ? (scalars(type.name, value).at(-1) ?? (type.name === "string" || type.name === "bytes" ? "" : 0))
        : composite(type, concat(chunksOf(value)));
    out[key as string] = decoded ?? null;
  }
  return out;
}

function fieldValue(field: Field, values: WireValue[]): unknown {
  const type = field.value;
  if (field.map) return mapValue(type, values);
  if (type.kind === "scalar") {
    const all = scalars(type.name, values);
    if (field.repeated) return all;
    const last = all.at(-1);
    return !field.keepZero && isZero(last) ? undefined : last;
  }
  if (field.repeated) return chunksOf(values).map((bytes) => composite(type, bytes) ?? null);
  // A message sent in several records is their concatenation, merged.
  return composite(type, concat(chunksOf(values)));
}

/** Decodes message `name` (e.g. "apps.v1.Deployment"); unknown field numbers are skipped. */
export function decodeMessage(name: string, bytes: Uint8Array): JsonObject {
  const fields = messageFields(name);
  if (fields === undefined) throw malformed(`no descriptor for ${name}`);
  const wire = readFields(bytes);
  const out: JsonObject = {};
  for (const field of fields) {
    const values = wire.get(field.number);
    if (values === undefined) continue;
    if (field.inline) {
      if (field.value.kind !== "message") throw malformed(`inline field ${field.json} of ${name} is not a message`);
      Object.assign(out, decodeMessage(field.value.name, concat(chunksOf(values))));
      continue;
    }
    const value = fieldValue(field, values);
    if (value !== undefined) out[field.json] = value;
  }
  return out;
}
