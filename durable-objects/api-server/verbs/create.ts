import { alreadyExists } from "../../../api/errors.ts";
import { prepareCreate } from "../../../api/lifecycle/create.ts";
import { readBody } from "../body.ts";
import { fieldValidationOf, validateFields } from "../../../api/request/field-validation.ts";
import { json, jsonText, withWarnings } from "../respond.ts";
import { isDryRun, type VerbRequest } from "../verb-request.ts";
import { committedValue } from "./commit.ts";
import { recordWrite } from "./field-manager.ts";

export async function createObject(v: VerbRequest): Promise<Response> {
  const dryRun = isDryRun(v.query);
  const { value } = await readBody(v.request, ["json", "yaml", "protobuf"]);
  const warnings = validateFields(v.def, value, fieldValidationOf(v.query));
  const rt = v.rt;
  const obj = prepareCreate(v.def, value, v.def.namespaced ? v.namespace : undefined, {
    now: rt.now(),
    newUid: () => rt.newUid(),
  });
  const name = obj.metadata.name ?? "";
  await rt.admitCreate(v.def, v.namespace, name);
  await rt.admitFromCluster?.(v.def, obj);
  recordWrite(v, undefined, obj);
  if (!dryRun && rt.assignAddresses) {
    // Check admission before taking cluster addresses a refused Service would never give back;
    // the check below (after the await) is the exact one.
    rt.admit?.(v.def, obj);
    await rt.assignAddresses(v.def, obj);
  }
  // Creates arriving together commit together: one transaction instead of one each.
  if (!dryRun) await rt.nextTurn?.();
  rt.admit?.(v.def, obj);
  if (rt.objects.get(v.key, v.namespace ?? "", name)) {
    throw alreadyExists({ group: v.def.group, resource: v.def.resource, name });
  }
  if (dryRun) return withWarnings(json(obj, 201), warnings);
  const event = rt.commit({ type: "ADDED", resource: v.key, namespace: v.namespace ?? "", name, object: obj });
  return withWarnings(jsonText(await committedValue(rt, event), 201), warnings);
}
