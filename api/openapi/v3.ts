// OpenAPI v3: GET /openapi/v3 (the index) and GET /openapi/v3/<api/v1 | apis/g/v> (one document
// per group-version). kubectl uses these for --validate (it checks that PATCH operations accept
// fieldValidation, then leaves validation to the server) and for `kubectl explain`.
import { fnv1a64Hex } from "../discovery/hash.ts";
import { defsIn } from "../discovery/resources.ts";
import { groupVersions } from "../discovery/groups.ts";
import type { ResourceDef } from "../registry/types.ts";
import { API_VERSION_LABEL, assemble, byPath, TITLE } from "./documents.ts";
import type { SchemaOptions } from "./kinds.ts";
import type { Operation } from "./operations.ts";
import type { ParamSpec } from "./parameters.ts";
import { refTo, renderSchema } from "./render.ts";

export interface OpenAPIV3Root {
  paths: Record<string, { serverRelativeURL: string }>;
}

export type OpenAPIV3Document = {
  openapi: "3.0.0";
  info: { title: string; version: string };
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, unknown> };
};

export interface V3Entry {
  document: OpenAPIV3Document;
  /** The document serialized once; hash is computed over exactly this text. */
  json: string;
  hash: string;
}

export interface V3Bundle {
  root: OpenAPIV3Root;
  /** Keyed like the root: "api/v1", "apis/apps/v1". */
  documents: Map<string, V3Entry>;
}

const RESPONSE_TEXT: Record<string, string> = { "200": "OK", "201": "Created", "202": "Accepted" };

const renderParam = (p: ParamSpec) => ({
  name: p.name,
  in: p.in,
  description: p.description,
  ...(p.required ? { required: true } : {}),
  schema: { type: p.type, ...(p.uniqueItems ? { uniqueItems: true } : {}) },
});

const renderOperation = (op: Operation) => ({
  tags: [op.tag],
  description: op.description,
  operationId: op.operationId,
  parameters: op.params.map(renderParam),
  ...(op.body
    ? {
        requestBody: {
          required: true,
          content: Object.fromEntries(op.body.mediaTypes.map((t) => [t, { schema: refTo(op.body!.schema, "v3") }])),
        },
      }
    : {}),
  responses: Object.fromEntries(
    op.responses.map((r) => [
      r.code,
      {
        description: RESPONSE_TEXT[r.code] ?? r.code,
        content: r.text
          ? { "text/plain": { schema: { type: "string" } } }
          : {
              "application/json": { schema: refTo(r.schema!, "v3") },
              "application/yaml": { schema: refTo(r.schema!, "v3") },
            },
      },
    ]),
  ),
  "x-kubernetes-action": op.action,
  "x-kubernetes-group-version-kind": { ...op.gvk },
});

export const gvPath = (group: string, version: string) => (group ? `apis/${group}/${version}` : `api/${version}`);

const buildDocument = (defs: readonly ResourceDef[], options: SchemaOptions): OpenAPIV3Document => {
  const { operations, schemas } = assemble(defs, options);
  const paths: OpenAPIV3Document["paths"] = {};
  for (const [path, ops] of byPath(operations))
    paths[path] = Object.fromEntries(ops.map((op) => [op.method, renderOperation(op)]));
  return {
    openapi: "3.0.0",
    info: { title: TITLE, version: API_VERSION_LABEL },
    paths,
    components: { schemas: Object.fromEntries(schemas.map(([n, s]) => [n, renderSchema(s, "v3")])) },
  };
};

const buildBundle = (defs: readonly ResourceDef[], options: SchemaOptions): V3Bundle => {
  const documents = new Map<string, V3Entry>();
  const root: OpenAPIV3Root = { paths: {} };
  for (const { group, versions } of groupVersions(defs)) {
    for (const version of versions) {
      const document = buildDocument(defsIn(defs, group, version), options);
      const json = JSON.stringify(document);
      const hash = fnv1a64Hex(json).toUpperCase();
      const key = gvPath(group, version);
      documents.set(key, { document, json, hash });
      root.paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${hash}` };
    }
  }
  return { root, documents };
};

const cache = new WeakMap<readonly ResourceDef[], Map<SchemaOptions["schemaFor"], V3Bundle>>();

/**
 * Every v3 document for `defs`, built once per `defs` array (and `schemaFor`): pass a new array
 * when the served resources change. Returned objects are shared; do not mutate them.
 */
export const openApiV3Bundle = (defs: readonly ResourceDef[], options: SchemaOptions = {}): V3Bundle => {
  const perDefs = cache.get(defs) ?? new Map<SchemaOptions["schemaFor"], V3Bundle>();
  cache.set(defs, perDefs);
  let bundle = perDefs.get(options.schemaFor);
  if (!bundle) perDefs.set(options.schemaFor, (bundle = buildBundle(defs, options)));
  return bundle;
};

/** GET /openapi/v3. */
export const openApiV3Root = (defs: readonly ResourceDef[], options: SchemaOptions = {}): OpenAPIV3Root =>
  openApiV3Bundle(defs, options).root;

/** GET /openapi/v3/api/v1, /openapi/v3/apis/<group>/<version>; undefined for a group-version not served. */
export const openApiV3GroupVersion = (
  defs: readonly ResourceDef[],
  group: string,
  version: string,
  options: SchemaOptions = {},
): OpenAPIV3Document | undefined => openApiV3Bundle(defs, options).documents.get(gvPath(group, version))?.document;
