// Field management for the writing verbs: the scope of a write, and the managedFields a create,
// update or non-apply patch leaves on the object (see api/ssa).
import { invalid } from "../../../api/errors.ts";
import { hasStatusSubresource } from "../../../api/lifecycle/object-meta.ts";
import { apiVersionOf } from "../../../api/registry/types.ts";
import { recordUpdate, writeManager, type OptionsKind, type Target, type WriteScope } from "../../../api/ssa/index.ts";
import type { KubeObject } from "../../../api/types.ts";
import type { VerbRequest } from "../verb-request.ts";

export function writeScope(v: VerbRequest): WriteScope {
  return {
    apiVersion: apiVersionOf(v.def),
    kind: v.def.kind,
    target: (v.subresource === "status" || v.subresource === "scale" || v.subresource === "ephemeralcontainers"
      ? v.subresource
      : "main") satisfies Target,
    statusSubresource: hasStatusSubresource(v.def),
    now: v.rt.now(),
  };
}

const optionsKindOf = (v: VerbRequest): OptionsKind => {
  const method = v.request.method.toUpperCase();
  return method === "POST" ? "CreateOptions" : method === "PUT" ? "UpdateOptions" : "PatchOptions";
};

/**
 * Sets the managedFields of `after`, the object a create (`before` undefined) or an update is
 * about to store: the request's manager (`fieldManager`, else the User-Agent's program name)
 * records the fields it set.
 */
export function recordWrite(v: VerbRequest, before: KubeObject | undefined, after: KubeObject): void {
  const manager = writeManager(v.query, v.request.headers.get("user-agent"), optionsKindOf(v));
  const { managedFields, errors } = recordUpdate({
    ...writeScope(v),
    before,
    after,
    manager,
    sent: after.metadata.managedFields,
  });
  if (errors.length > 0) throw invalid(v.def.kind, v.def.group, after.metadata.name ?? "", errors);
  if (managedFields === undefined) delete after.metadata.managedFields;
  else after.metadata.managedFields = managedFields;
}
