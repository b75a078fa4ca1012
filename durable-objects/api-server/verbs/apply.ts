// Server-side apply (PATCH with `application/apply-patch+yaml`): merges the applied configuration
// into the stored object under the update rules, or creates the object (201) when it is missing.
import { settled } from "../runtime.ts";
import { notFound, unsupportedMediaType } from "../../../api/errors.ts";
import { prepareCreate } from "../../../api/lifecycle/create.ts";
import { deepEqual } from "../../../api/lifecycle/object-meta.ts";
import { prepareUpdate } from "../../../api/lifecycle/update.ts";
import { fieldValidationOf, validateFields } from "../../../api/request/field-validation.ts";
import { applyConfiguration, applyOptions } from "../../../api/ssa/index.ts";
import type { KubeObject } from "../../../api/types.ts";
import { json, jsonText, withWarnings } from "../respond.ts";
import { parseObject, targetOf, type VerbRequest } from "../verb-request.ts";
import { commitUpdate, committedValue } from "./commit.ts";
import { writeScope } from "./field-manager.ts";

const setManagedFields = (object: KubeObject, managedFields: unknown[] | undefined) => {
  if (managedFields === undefined) delete object.metadata.managedFields;
  else object.metadata.managedFields = managedFields;
};

export async function applyObject(v: VerbRequest, dryRun: boolean, config: unknown): Promise<Response> {
  const { manager, force } = applyOptions(v.query);
  // Server-side apply is not offered on /scale nor on pods/ephemeralcontainers (kubectl debug patches).
  if (v.subresource === "scale" || v.subresource === "ephemeralcontainers") {
    throw unsupportedMediaType("application/apply-patch+yaml");
  }
  const warnings = validateFields(v.def, config, fieldValidationOf(v.query));
  const rt = v.rt;
  const namespace = v.namespace ?? "";
  const name = v.name ?? "";
  const request = {
    ...writeScope(v),
    config,
    name,
    namespace: v.def.namespaced ? namespace : undefined,
    manager,
    force,
  };
  await settled(rt);
  let row = rt.objects.get(v.key, namespace, name);

  if (!row) {
    if (v.subresource !== undefined) throw notFound(targetOf(v));
    await rt.admitCreate(v.def, v.namespace, name);
    const applied = applyConfiguration({ ...request, live: undefined });
    const obj = prepareCreate(v.def, applied.object, v.def.namespaced ? v.namespace : undefined, {
      now: rt.now(),
      newUid: () => rt.newUid(),
    });
    setManagedFields(obj, applied.managedFields);
    await rt.admitFromCluster?.(v.def, obj);
    if (!dryRun && rt.assignAddresses) {
      // As a create does: a Service made by apply gets its cluster IP and node ports.
      rt.admit?.(v.def, obj);
      await rt.assignAddresses(v.def, obj);
    }
    rt.admit?.(v.def, obj);
    row = rt.objects.get(v.key, namespace, name);
    if (!row) {
      if (dryRun) return withWarnings(json(obj, 201), warnings);
      const event = rt.commit({ type: "ADDED", resource: v.key, namespace, name, object: obj });
      return withWarnings(jsonText(await committedValue(rt, event), 201), warnings);
    }
    // Created meanwhile: apply to what is there now.
  }

  const old = parseObject(row.value);
  const applied = applyConfiguration({ ...request, live: old });
  const { object } = prepareUpdate(v.def, applied.object, old, v.subresource === "status" ? "status" : "main");
  setManagedFields(object, applied.managedFields);
  if (v.subresource !== "status") rt.admit?.(v.def, object, old);
  if (deepEqual(object, old)) return withWarnings(jsonText(row.value), warnings);
  if (dryRun) return withWarnings(json(object), warnings);
  const event = commitUpdate(v, object, old);
  return withWarnings(jsonText(await committedValue(rt, event)), warnings);
}
