import { notFound } from "../../../api/errors.ts";
import { settled } from "../runtime.ts";
import { negotiateShape } from "../../../api/request/accept.ts";
import { buildTable, includeObjectParam, partialObjectMetadata } from "../../../api/table/build.ts";
import type { ObjectRow } from "../../storage/schema.ts";
import { json, jsonText } from "../respond.ts";
import { parseObject, targetOf, type VerbRequest } from "../verb-request.ts";
import { scaleOf } from "./scale.ts";

/** Reads the stored row after every pending change has its revision. */
export async function readExisting(v: VerbRequest): Promise<ObjectRow> {
  await settled(v.rt);
  const row = v.rt.objects.get(v.key, v.namespace ?? "", v.name ?? "");
  if (!row) throw notFound(targetOf(v));
  return row;
}

export async function getObject(v: VerbRequest): Promise<Response> {
  const row = await readExisting(v);
  if (v.subresource === "scale") return json(scaleOf(v.def, parseObject(row.value)));
  const shape = negotiateShape(v.request.headers.get("accept"));
  if (shape === "object") return jsonText(row.value);
  const obj = parseObject(row.value);
  if (shape === "PartialObjectMetadata") return json(partialObjectMetadata(obj));
  return json(
    buildTable(v.def, [obj], v.rt.now(), {
      include: includeObjectParam(v.query),
      resourceVersion: row.rv === null ? undefined : String(row.rv),
    }),
  );
}
