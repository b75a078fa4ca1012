// Managed fields after a write that is not an apply (create, update, a non-apply patch, /status,
// /scale): the writer's Update entry gains every field the write added or changed — taking it
// from whoever owned it before, as an update never conflicts — and fields the write removed
// leave every entry.
import type { FieldError } from "../errors.ts";
import { formatTimestamp } from "../lifecycle/object-meta.ts";
import { isObject, type KubeObject } from "../types.ts";
import { compare } from "./compare.ts";
import { difference, isEmpty, union } from "./fieldset.ts";
import {
  capUpdateManagers,
  decodeManagedFields,
  encodeManagedFields,
  identityOf,
  validateManagedFields,
  type ManagerEntry,
} from "./managed-fields.ts";
import { ownedPart } from "./owned-part.ts";
import { rootShape } from "./schema.ts";
import { subresourceOf, withoutManagedFields, type WriteScope } from "./scope.ts";

export interface UpdateRecord extends WriteScope {
  /** The stored object; undefined for a create. */
  before: KubeObject | undefined;
  /** The object about to be stored (after defaulting). */
  after: KubeObject;
  manager: string;
  /** The managedFields the request body carried (on the main resource a client may rewrite them). */
  sent?: unknown;
}

export interface RecordedFields {
  /** The new metadata.managedFields (undefined: none). */
  managedFields: unknown[] | undefined;
  /** Problems with entries a client sent, as ObjectMeta validation reports them. */
  errors: FieldError[];
}

function startingEntries(record: UpdateRecord): ManagerEntry[] {
  if (record.target === "main" && Array.isArray(record.sent) && record.sent.length > 0) {
    try {
      return decodeManagedFields(record.sent);
    } catch {
      // Unreadable managedFields from a client: keep the stored ones, as Kubernetes does.
    }
  }
  try {
    return decodeManagedFields(record.before?.metadata.managedFields);
  } catch {
    return [];
  }
}

/**
 * What an empty object of the kind already has (its non-optional structs, and the pod containers
 * list), so that a create does not record `.spec`, a pod template's `metadata` / `spec` or
 * `containers` as added containers of their own.
 */
function emptyObjectLike(obj: KubeObject): Record<string, unknown> {
  const out: Record<string, unknown> = { metadata: {} };
  if (!isObject(obj.spec)) return out;
  out.spec = emptyPodSpecLike(obj.spec);
  const template = obj.spec.template;
  if (isObject(template)) {
    (out.spec as Record<string, unknown>).template = {
      ...(isObject(template.metadata) ? { metadata: {} } : {}),
      ...(isObject(template.spec) ? { spec: emptyPodSpecLike(template.spec) } : {}),
    };
  }
  return out;
}

const emptyPodSpecLike = (spec: Record<string, unknown>): Record<string, unknown> =>
  Array.isArray(spec.containers) ? { containers: [] } : {};

export function recordUpdate(record: UpdateRecord): RecordedFields {
  const entries = startingEntries(record);
  const shape = rootShape(record.apiVersion, record.kind);
  const before = record.before ? withoutManagedFields(record.before) : emptyObjectLike(record.after);
  const diff = compare(before, withoutManagedFields(record.after), shape);
  const changed = ownedPart(union(diff.modified, diff.added), record);
  const removed = ownedPart(diff.removed, record);
  for (const entry of entries) entry.fields = difference(difference(entry.fields, changed), removed);

  const self = {
    manager: record.manager,
    operation: "Update",
    apiVersion: record.apiVersion,
    subresource: subresourceOf(record),
  };
  if (!isEmpty(changed)) {
    const existing = entries.find((entry) => identityOf(entry) === identityOf(self));
    const time = formatTimestamp(record.now);
    if (existing) {
      existing.fields = union(existing.fields, changed);
      existing.time = time;
    } else {
      entries.push({ ...self, time, fields: changed });
    }
  }
  const capped = capUpdateManagers(entries);
  return { managedFields: encodeManagedFields(capped), errors: validateManagedFields(capped) };
}
