// POST pods/<name>/eviction (policy/v1 Eviction): a graceful delete that honours the
// PodDisruptionBudget selecting the pod; 429 TooManyRequests when the budget forbids it.
import { settled } from "../runtime.ts";
import { badRequest, forbidden, internalError, notFound, StatusError } from "../../../api/errors.ts";
import { decideDelete, parseDeleteOptions } from "../../../api/lifecycle/delete.ts";
import { decideEviction } from "../../../api/nodes/disruption.ts";
import { isObject, type KubeObject } from "../../../api/types.ts";
import { ObjectWriter } from "../../controllers/object-writer.ts";
import { nodeNameOf } from "../../storage/object-store.ts";
import { readBody } from "../body.ts";
import { json, successStatus } from "../respond.ts";
import { isDryRun, parseObject, type VerbRequest } from "../verb-request.ts";

const BUDGETS = "poddisruptionbudgets.policy";

function refusal(code: number, message: string, cause?: string): StatusError {
  if (code === 429) {
    return new StatusError(429, "TooManyRequests", message, {
      causes: cause ? [{ reason: "DisruptionBudget", message: cause }] : undefined,
    });
  }
  if (code === 403) return forbidden(message);
  return internalError(message);
}

export async function createEviction(v: VerbRequest): Promise<Response> {
  const { value } = await readBody(v.request, ["json", "yaml", "protobuf"]);
  if (!isObject(value) || (value.kind !== undefined && value.kind !== "Eviction"))
    throw badRequest("the body must be a policy/v1 Eviction");
  const name = v.name ?? "";
  const meta = isObject(value.metadata) ? value.metadata : {};
  if (meta.name !== undefined && meta.name !== name)
    throw badRequest("name in URL does not match name in Eviction object");
  const rawOptions = isObject(value.deleteOptions) ? value.deleteOptions : undefined;
  const options = parseDeleteOptions(rawOptions, new URLSearchParams());
  const dryRun = isDryRun(v.query) || (Array.isArray(rawOptions?.dryRun) && rawOptions.dryRun.length > 0);
  const namespace = v.namespace ?? "";

  await settled(v.rt);
  const row = v.rt.objects.get(v.key, namespace, name);
  if (!row) throw notFound({ group: "", resource: "pods", name });
  const pod = parseObject(row.value);
  const budgets = v.rt.objects.list(BUDGETS, namespace).map((r) => parseObject(r.value));
  const pods: KubeObject[] =
    budgets.length === 0 ? [] : v.rt.objects.list(v.key, namespace).map((r) => parseObject(r.value));
  const now = v.rt.now();
  const verdict = decideEviction(pod, budgets, pods, now);
  if (verdict.action === "refuse") throw refusal(verdict.code, verdict.message, verdict.cause);
  const decision = decideDelete(v.def, pod, options, now);
  if (!dryRun) {
    if (verdict.action === "delete-and-record") new ObjectWriter(v.rt, namespace).updateStatus(BUDGETS, verdict.budget);
    if (decision.action === "delete") {
      v.rt.commit({ type: "DELETED", resource: v.key, namespace, name, object: pod });
    } else if (decision.action === "update") {
      v.rt.commit({
        type: "MODIFIED",
        resource: v.key,
        namespace,
        name,
        object: decision.object,
        prevNodeName: nodeNameOf(v.key, pod),
      });
    }
    await settled(v.rt);
  }
  return json({ ...successStatus(), code: 201 }, 201);
}
