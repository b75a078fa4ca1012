// Renders the in-memory schema model as OpenAPI v3 or Swagger 2.0 JSON.
import type { Schema } from "./schema.ts";

export type Dialect = "v3" | "v2";

const refTarget = (dialect: Dialect, name: string) =>
  dialect === "v3" ? `#/components/schemas/${name}` : `#/definitions/${name}`;

export const renderSchema = (schema: Schema, dialect: Dialect): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  const { ref, ...rest } = schema;
  if (ref !== undefined) {
    const target = { $ref: refTarget(dialect, ref) };
    if (Object.keys(rest).length === 0) return target;
    // v3 ignores siblings of $ref, so a described reference is wrapped in allOf (as kube does).
    if (dialect === "v3") out.allOf = [target];
    else Object.assign(out, target);
  }
  for (const [key, value] of Object.entries(rest)) {
    if (value === undefined) continue;
    if (key === "properties") {
      const props = value as Record<string, Schema>;
      out.properties = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, renderSchema(v, dialect)]));
    } else if (key === "items" || (key === "additionalProperties" && typeof value === "object")) {
      out[key] = renderSchema(value as Schema, dialect);
    } else if (key === "nullable" && dialect === "v2") {
      out["x-nullable"] = value;
    } else out[key] = value;
  }
  return out;
};

export const refTo = (name: string, dialect: Dialect) => ({ $ref: refTarget(dialect, name) });
