// POST pods/<name>/binding: assigns a pending pod to a node (what the scheduler does; any
// client with the right may do it too, e.g. a custom scheduler).
import { settled } from "../runtime.ts";
import { badRequest, conflict, notFound } from "../../../api/errors.ts";
import { isObject } from "../../../api/types.ts";
import { bindPod } from "../../scheduler/pod-ops.ts";
import { readBody } from "../body.ts";
import { json, successStatus } from "../respond.ts";
import { isDryRun, parseObject, type VerbRequest } from "../verb-request.ts";

export async function createBinding(v: VerbRequest): Promise<Response> {
  const dryRun = isDryRun(v.query);
  const { value } = await readBody(v.request, ["json", "yaml", "protobuf"]);
  if (!isObject(value) || (value.kind !== undefined && value.kind !== "Binding"))
    throw badRequest("the body must be a v1 Binding");
  const meta = isObject(value.metadata) ? value.metadata : {};
  const name = v.name ?? "";
  if (meta.name !== undefined && meta.name !== name)
    throw badRequest("name in URL does not match name in Binding object");
  const target = isObject(value.target) ? value.target : {};
  if (target.kind !== undefined && target.kind !== "" && target.kind !== "Node")
    throw badRequest(`target.kind: Unsupported value: ${JSON.stringify(target.kind)}: supported values: "Node"`);
  if (typeof target.name !== "string" || target.name === "") throw badRequest("target.name: Required value");
  const uid = typeof meta.uid === "string" && meta.uid !== "" ? meta.uid : undefined;
  const namespace = v.namespace ?? "";
  await settled(v.rt);
  if (dryRun) {
    const row = v.rt.objects.get(v.key, namespace, name);
    if (!row) throw notFound({ group: "", resource: "pods", name });
    const spec = parseObject(row.value).spec as { nodeName?: string } | undefined;
    if (spec?.nodeName)
      throw conflict(
        { group: "", resource: "pods/binding", name },
        `pod ${name} is already assigned to node "${spec.nodeName}"`,
      );
  } else {
    bindPod(v.rt, namespace, name, uid, target.name);
    await settled(v.rt);
  }
  return json({ ...successStatus(), code: 201 }, 201);
}
