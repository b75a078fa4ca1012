// OpenAPI documents (v3 per group-version, v2 as one document) generated from the served resources.
export {
  openApiV3Root,
  openApiV3GroupVersion,
  openApiV3Bundle,
  gvPath,
  type OpenAPIV3Root,
  type OpenAPIV3Document,
  type V3Bundle,
  type V3Entry,
} from "./v3.ts";
export { openApiV2, type SwaggerDocument } from "./v2.ts";
export { buildSchemaSet, kindSchemaName, listSchemaName, schemaLibrary, type SchemaOptions } from "./kinds.ts";
export { schemaName, groupPackage } from "./names.ts";
export type { Schema, SchemaSet, GVK } from "./schema.ts";
export { unknownFields, unknownFieldsIn } from "./unknown-fields.ts";
export {
  openApiV2Protobuf,
  encodeSwagger,
  wantsOpenApiV2Protobuf,
  OPENAPI_V2_PROTOBUF,
  OPENAPI_V2_PROTOBUF_RESPONSE_TYPE,
} from "./v2-protobuf.ts";
