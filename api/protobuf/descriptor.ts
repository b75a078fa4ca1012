// How message descriptors are written as data (messages-*.ts) and their compiled form.
//
// A message is a list of fields `[number, jsonName, type, flags?]`:
// * type: a scalar (string, int32, int64, bool, bytes, double), a special type (see SPECIAL_TYPES), a message
//   ("PodSpec" in the same package as the message, or qualified: "meta.v1.ObjectMeta"), or "map:<value type>"
//   (string keys; entries are messages {1: key, 2: value}).
// * flags: "r" repeated; "i" inlined (a Go embedded struct: its fields land in the parent's JSON);
//   "k" keep the zero value (a Go pointer, or a field without omitempty). Other scalars equal to their zero
//   value are dropped, as Go's encoding/json would.

export type FieldSpec = readonly [number: number, json: string, type: string, flags?: string];
export type MessageTable = Readonly<Record<string, readonly FieldSpec[]>>;

export const SCALAR_TYPES = ["string", "int32", "int64", "bool", "bytes", "double"] as const;

/** Well-known apimachinery types with their own JSON form. */
export const SPECIAL_TYPES = [
  "time", // meta/v1 Time {1: seconds, 2: nanos} → RFC 3339, seconds
  "microtime", // meta/v1 MicroTime → RFC 3339 with microseconds
  "duration", // meta/v1 Duration {1: nanoseconds} → Go duration string
  "fieldsv1", // meta/v1 FieldsV1 {1: raw JSON}
  "quantity", // api/resource Quantity {1: string}
  "intorstring", // util/intstr IntOrString {1: type, 2: intVal, 3: strVal}
  "rawextension", // runtime RawExtension {1: raw}
] as const;

export type ScalarType = (typeof SCALAR_TYPES)[number];
export type SpecialType = (typeof SPECIAL_TYPES)[number];

export type ValueType =
  { kind: "scalar"; name: ScalarType } | { kind: "special"; name: SpecialType } | { kind: "message"; name: string };

export interface Field {
  number: number;
  json: string;
  value: ValueType;
  map: boolean;
  repeated: boolean;
  inline: boolean;
  keepZero: boolean;
}

const isScalar = (t: string): t is ScalarType => (SCALAR_TYPES as readonly string[]).includes(t);
const isSpecial = (t: string): t is SpecialType => (SPECIAL_TYPES as readonly string[]).includes(t);

/** "core.v1.Container" → "core.v1". */
const packageOf = (message: string): string => message.split(".").slice(0, 2).join(".");

function valueType(type: string, pkg: string): ValueType {
  if (isScalar(type)) return { kind: "scalar", name: type };
  if (isSpecial(type)) return { kind: "special", name: type };
  return { kind: "message", name: type.includes(".") ? type : `${pkg}.${type}` };
}

export function compileMessage(name: string, fields: readonly FieldSpec[]): Field[] {
  const pkg = packageOf(name);
  return fields.map(([number, json, type, flags = ""]) => {
    const map = type.startsWith("map:");
    return {
      number,
      json,
      value: valueType(map ? type.slice(4) : type, pkg),
      map,
      repeated: flags.includes("r"),
      inline: flags.includes("i"),
      keepZero: flags.includes("k"),
    };
  });
}
