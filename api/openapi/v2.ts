// Swagger 2.0 (GET /openapi/v2). Note that kubectl asks for it as protobuf
// (application/com.github.proto-openapi.spec.v2@v1.0+protobuf) and cannot read JSON; it only
// needs v2 when v3 is missing, so this JSON form is for other clients and people.
import type { ResourceDef } from "../registry/types.ts";
import { API_VERSION_LABEL, assemble, byPath, TITLE } from "./documents.ts";
import type { SchemaOptions } from "./kinds.ts";
import type { Operation } from "./operations.ts";
import type { ParamSpec } from "./parameters.ts";
import { refTo, renderSchema } from "./render.ts";

export interface SwaggerDocument {
  swagger: "2.0";
  info: { title: string; version: string };
  paths: Record<string, Record<string, unknown>>;
  definitions: Record<string, unknown>;
}

const RESPONSE_TEXT: Record<string, string> = { "200": "OK", "201": "Created", "202": "Accepted" };

const renderParam = (p: ParamSpec) => ({
  name: p.name,
  in: p.in,
  description: p.description,
  ...(p.required ? { required: true } : {}),
  type: p.type,
  ...(p.uniqueItems ? { uniqueItems: true } : {}),
});

const renderOperation = (op: Operation) => ({
  description: op.description,
  ...(op.body ? { consumes: op.body.mediaTypes } : {}),
  produces: op.responses.some((r) => r.text) ? ["text/plain"] : ["application/json", "application/yaml"],
  schemes: ["https"],
  tags: [op.tag],
  operationId: op.operationId,
  parameters: [
    ...op.params.map(renderParam),
    ...(op.body ? [{ name: "body", in: "body", required: true, schema: refTo(op.body.schema, "v2") }] : []),
  ],
  responses: Object.fromEntries(
    op.responses.map((r) => [
      r.code,
      { description: RESPONSE_TEXT[r.code] ?? r.code, schema: r.text ? { type: "string" } : refTo(r.schema!, "v2") },
    ]),
  ),
  "x-kubernetes-action": op.action,
  "x-kubernetes-group-version-kind": { ...op.gvk },
});

const build = (defs: readonly ResourceDef[], options: SchemaOptions): SwaggerDocument => {
  const { operations, schemas } = assemble(defs, options);
  const paths: SwaggerDocument["paths"] = {};
  for (const [path, ops] of byPath(operations))
    paths[path] = Object.fromEntries(ops.map((op) => [op.method, renderOperation(op)]));
  return {
    swagger: "2.0",
    info: { title: TITLE, version: API_VERSION_LABEL },
    paths,
    definitions: Object.fromEntries(schemas.map(([n, s]) => [n, renderSchema(s, "v2")])),
  };
};

const cache = new WeakMap<readonly ResourceDef[], Map<SchemaOptions["schemaFor"], SwaggerDocument>>();

/**
 * GET /openapi/v2 as JSON: every served resource in one document. Built once per `defs` array (and
 * `schemaFor`); the returned object is shared, do not mutate it.
 */
export const openApiV2 = (defs: readonly ResourceDef[], options: SchemaOptions = {}): SwaggerDocument => {
  const perDefs = cache.get(defs) ?? new Map<SchemaOptions["schemaFor"], SwaggerDocument>();
  cache.set(defs, perDefs);
  let doc = perDefs.get(options.schemaFor);
  if (!doc) perDefs.set(options.schemaFor, (doc = build(defs, options)));
  return doc;
};
