// DELETE of one object and DELETE of a collection (deletecollection).
import { settled } from "../runtime.ts";
import {
  decideDelete,
  parseDeleteOptions,
  withDefaultPropagation,
  type DeleteOptions,
} from "../../../api/lifecycle/delete.ts";
import { parseListQuery } from "../../../api/list/query.ts";
import { apiVersionOf } from "../../../api/registry/types.ts";
import { readOptionalJson } from "../body.ts";
import { json, jsonText } from "../respond.ts";
import { isDryRun, parseObject, type VerbRequest } from "../verb-request.ts";
import { commitUpdate, committedValue } from "./commit.ts";
import type { EventRow } from "../../storage/schema.ts";
import { readExisting } from "./get.ts";
import { selectObjects } from "./list.ts";

export async function deleteObject(v: VerbRequest): Promise<Response> {
  const dryRun = isDryRun(v.query);
  const options = withDefaultPropagation(v.def, parseDeleteOptions(await readOptionalJson(v.request), v.query));
  const row = await readExisting(v);
  const current = parseObject(row.value);
  const decision = decideDelete(v.def, current, options, v.rt.now());
  // Kubernetes answers 200 even when the object stays (finalizers, graceful deletion), except
  // 202 when the client explicitly asked for cascading with orphanDependents=false.
  const status = options.orphanDependents === false ? 202 : 200;
  if (decision.action === "none") return jsonText(row.value, status);
  if (decision.action === "update") {
    if (dryRun) return json(decision.object, status);
    const event = commitUpdate(v, decision.object, current);
    return jsonText(await committedValue(v.rt, event), status);
  }
  if (dryRun) return jsonText(row.value);
  const event = v.rt.commit({
    type: "DELETED",
    resource: v.key,
    namespace: v.namespace ?? "",
    name: current.metadata.name ?? "",
    object: current,
  });
  return jsonText(await committedValue(v.rt, event));
}

/** Deletes (or starts terminating) every object the selectors match; answers the list of them. */
export async function deleteCollection(v: VerbRequest): Promise<Response> {
  const dryRun = isDryRun(v.query);
  const options: DeleteOptions = withDefaultPropagation(
    v.def,
    parseDeleteOptions(await readOptionalJson(v.request), v.query),
  );
  const query = parseListQuery(v.query);
  await settled(v.rt);
  const { rows } = selectObjects(v, { ...query, limit: undefined, continue: undefined });
  const events: EventRow[] = [];
  const now = v.rt.now();
  for (const row of rows) {
    const current = parseObject(row.value);
    const decision = decideDelete(v.def, current, options, now);
    if (dryRun || decision.action === "none") continue;
    const event =
      decision.action === "update"
        ? commitUpdate({ ...v, name: row.name }, decision.object, current)
        : v.rt.commit({ type: "DELETED", resource: v.key, namespace: row.namespace, name: row.name, object: current });
    events.push(event);
  }
  const items: string[] = [];
  for (const event of events) items.push(await committedValue(v.rt, event));
  const values = dryRun ? rows.map((r) => r.value) : items;
  return jsonText(
    `{"kind":${JSON.stringify(v.def.listKind)},"apiVersion":${JSON.stringify(apiVersionOf(v.def))},"metadata":{"resourceVersion":"${v.rt.listRevision()}"},"items":[${values.join(",")}]}`,
  );
}
