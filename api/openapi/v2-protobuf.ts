// Swagger 2.0 in the protobuf form kubectl asks for on GET /openapi/v2
// (Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf): the gnostic
// openapi.v2.Document message. kubectl 1.27 and 1.28 need it for `create -f` and `apply`
// (they fail when it cannot be parsed); later versions only fall back to it.
// Field numbers follow gnostic's OpenAPIv2.proto. Vendor extensions and enum values are carried
// as YAML text, for which JSON is used.
import type { ResourceDef } from "../registry/types.ts";
import type { SchemaOptions } from "./kinds.ts";
import { ProtoWriter } from "./protobuf.ts";
import { openApiV2, type SwaggerDocument } from "./v2.ts";

/** What kubectl puts in Accept to get this form. */
export const OPENAPI_V2_PROTOBUF = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";
/**
 * The Content-Type to answer it with. Not OPENAPI_V2_PROTOBUF itself: "@" is not allowed in a media
 * type, and kubectl 1.27 fails to parse such a response ("mime: unexpected content after media subtype").
 */
export const OPENAPI_V2_PROTOBUF_RESPONSE_TYPE = "application/octet-stream";

/** True when an Accept header asks for the protobuf form (kubectl always does). */
export const wantsOpenApiV2Protobuf = (accept: string | null | undefined): boolean =>
  (accept ?? "").toLowerCase().includes("com.github.proto-openapi.spec.v2");

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown) => (typeof v === "string" ? v : undefined);

/** NamedAny entries (message NamedAny { name = 1; Any value = 2 { yaml = 2 } }). */
const vendorExtensions = (w: ProtoWriter, field: number, obj: Json) => {
  for (const [key, value] of Object.entries(obj))
    if (key.startsWith("x-"))
      w.message(field, (n) => n.string(1, key).message(2, (a) => a.string(2, JSON.stringify(value))));
};

const schema = (w: ProtoWriter, s: Json) => {
  w.string(1, str(s.$ref)).string(2, str(s.format)).string(4, str(s.description));
  if (Array.isArray(s.required)) w.strings(19, s.required as string[]);
  if (Array.isArray(s.enum)) for (const e of s.enum) w.message(20, (a) => a.string(2, JSON.stringify(e)));
  if (isObject(s.additionalProperties)) {
    const ap = s.additionalProperties;
    w.message(21, (item) => item.message(1, (x) => schema(x, ap)));
  } else if (typeof s.additionalProperties === "boolean") {
    const ap = s.additionalProperties;
    w.message(21, (item) => item.bool(2, ap));
  }
  if (typeof s.type === "string") w.message(22, (t) => t.string(1, s.type as string));
  if (isObject(s.items)) {
    const items = s.items;
    w.message(23, (i) => i.message(1, (x) => schema(x, items)));
  }
  if (Array.isArray(s.allOf)) for (const sub of s.allOf as Json[]) w.message(24, (x) => schema(x, sub));
  if (isObject(s.properties)) {
    const props = s.properties;
    w.message(25, (p) => {
      for (const [name, sub] of Object.entries(props))
        p.message(1, (n) => n.string(1, name).message(2, (x) => schema(x, sub as Json)));
    });
  }
  vendorExtensions(w, 31, s);
};

const parameter = (w: ProtoWriter, p: Json) =>
  w.message(1, (param) => {
    if (p.in === "body") {
      param.message(1, (b) => {
        b.string(1, str(p.description))
          .string(2, str(p.name))
          .string(3, "body")
          .bool(4, p.required === true);
        if (isObject(p.schema)) b.message(5, (x) => schema(x, p.schema as Json));
      });
      return;
    }
    // NonBodyParameter: query = 3, path = 4. The two sub-schemas number their fields differently.
    const query = p.in === "query";
    param.message(2, (nb) =>
      nb.message(query ? 3 : 4, (q) => {
        q.bool(1, p.required === true)
          .string(2, str(p.in))
          .string(3, str(p.description))
          .string(4, str(p.name));
        q.string(query ? 6 : 5, str(p.type)).bool(query ? 20 : 19, p.uniqueItems === true);
      }),
    );
  });

const OPERATION_FIELDS: Record<string, number> = { get: 2, put: 3, post: 4, delete: 5, patch: 8 };

const operation = (w: ProtoWriter, op: Json) => {
  w.strings(1, op.tags as string[])
    .string(3, str(op.description))
    .string(5, str(op.operationId));
  w.strings(6, op.produces as string[]).strings(7, op.consumes as string[]);
  for (const p of (op.parameters as Json[] | undefined) ?? []) w.message(8, (item) => parameter(item, p));
  if (isObject(op.responses)) {
    const responses = op.responses;
    w.message(9, (rs) => {
      for (const [code, r] of Object.entries(responses)) {
        const resp = r as Json;
        rs.message(1, (n) =>
          n.string(1, code).message(2, (rv) =>
            rv.message(1, (x) => {
              x.string(1, str(resp.description));
              if (isObject(resp.schema)) x.message(2, (si) => si.message(1, (s) => schema(s, resp.schema as Json)));
            }),
          ),
        );
      }
    });
  }
  w.strings(10, op.schemes as string[]);
  vendorExtensions(w, 13, op);
};

export const encodeSwagger = (doc: SwaggerDocument): Uint8Array => {
  const w = new ProtoWriter();
  w.string(1, doc.swagger);
  w.message(2, (info) => info.string(1, doc.info.title).string(2, doc.info.version));
  w.message(8, (paths) => {
    for (const [path, item] of Object.entries(doc.paths))
      paths.message(2, (n) =>
        n.string(1, path).message(2, (pi) => {
          for (const [method, op] of Object.entries(item)) {
            const field = OPERATION_FIELDS[method];
            if (field && isObject(op)) pi.message(field, (o) => operation(o, op));
          }
        }),
      );
  });
  w.message(9, (defs) => {
    for (const [name, s] of Object.entries(doc.definitions))
      defs.message(1, (n) => n.string(1, name).message(2, (x) => schema(x, s as Json)));
  });
  return w.finish();
};

const cache = new WeakMap<object, Uint8Array>();

/** GET /openapi/v2 when protobuf is asked for (encoded once per document). */
export const openApiV2Protobuf = (defs: readonly ResourceDef[], options: SchemaOptions = {}): Uint8Array => {
  const doc = openApiV2(defs, options);
  let bytes = cache.get(doc);
  if (!bytes) cache.set(doc, (bytes = encodeSwagger(doc)));
  return bytes;
};
