// Server-side apply: merges an applied configuration into the live object (or into nothing, to
// create it), makes the configuration's fields the applier's, removes what the applier applied
// last time, stopped applying and nobody else owns, and refuses — unless forced — to change
// fields other managers own.
import { badRequest } from "../errors.ts";
import { deepEqual, formatTimestamp } from "../lifecycle/object-meta.ts";
import { isObject, type KubeObject } from "../types.ts";
import { compare } from "./compare.ts";
import { conflictError, conflictsOf } from "./conflicts.ts";
import { fieldSetOf } from "./field-set-of.ts";
import { difference, emptySet, intersection, isEmpty, members, union, type FieldSet } from "./fieldset.ts";
import { fieldsFromLastApplied, KUBECTL_MANAGER, syncLastApplied } from "./last-applied.ts";
import {
  capUpdateManagers,
  decodeManagedFields,
  encodeManagedFields,
  identityOf,
  type ManagerEntry,
} from "./managed-fields.ts";
import { mergeConfiguration, withoutNulls } from "./merge.ts";
import { ownedPart, scopedConfiguration } from "./owned-part.ts";
import { removePaths } from "./prune.ts";
import { rootShape } from "./schema.ts";
import { subresourceOf, withoutManagedFields, type WriteScope } from "./scope.ts";

/** Manager Kubernetes records for the fields of an object first applied to without managedFields. */
export const BEFORE_FIRST_APPLY = "before-first-apply";

export interface ApplyRequest extends WriteScope {
  /** The stored object; undefined when the apply creates it. */
  live: KubeObject | undefined;
  /** The decoded apply-patch body. */
  config: unknown;
  /** The object's name and namespace from the URL. */
  name: string;
  namespace?: string;
  manager: string;
  force: boolean;
}

export interface ApplyResult {
  /** The merged object, to go through the create or update rules; it carries no managedFields. */
  object: KubeObject;
  /** The managedFields to store with it. */
  managedFields: unknown[] | undefined;
}

function checkConfiguration(request: ApplyRequest): Record<string, unknown> {
  const config = request.config;
  if (!isObject(config)) throw badRequest("error decoding YAML: the apply configuration must be an object");
  if (config.apiVersion !== request.apiVersion) {
    throw badRequest(
      `Incorrect version specified in apply patch. Specified patch version: ${String(config.apiVersion ?? "")}, expected: ${request.apiVersion}`,
    );
  }
  if (typeof config.kind !== "string" || config.kind === "") {
    throw badRequest(`Object 'Kind' is missing in apply patch for ${request.apiVersion}`);
  }
  const meta = config.metadata;
  if (meta !== undefined && meta !== null && !isObject(meta)) throw badRequest("metadata must be an object");
  if (isObject(meta) && meta.managedFields !== undefined && meta.managedFields !== null) {
    throw badRequest("metadata.managedFields must be nil");
  }
  if (
    !request.live &&
    isObject(meta) &&
    typeof meta.name === "string" &&
    meta.name !== "" &&
    meta.name !== request.name
  ) {
    throw badRequest(`the name of the object (${meta.name}) does not match the name on the URL (${request.name})`);
  }
  return withoutNulls(config) as Record<string, unknown>;
}

function startingEntries(
  request: ApplyRequest,
  live: KubeObject | undefined,
  everything: () => FieldSet,
): ManagerEntry[] {
  let entries: ManagerEntry[];
  try {
    entries = decodeManagedFields(request.live?.metadata.managedFields);
  } catch {
    entries = [];
  }
  // An object nobody has recorded fields of yet: its fields are somebody's, so applies conflict with them.
  const fields = live && entries.length === 0 ? everything() : emptySet();
  if (!isEmpty(fields)) {
    entries.push({
      manager: BEFORE_FIRST_APPLY,
      operation: "Update",
      apiVersion: request.apiVersion,
      subresource: subresourceOf(request),
      time: formatTimestamp(request.now),
      fields,
    });
  }
  return entries;
}

export function applyConfiguration(request: ApplyRequest): ApplyResult {
  const config = scopedConfiguration(checkConfiguration(request), request);
  const shape = rootShape(request.apiVersion, request.kind);
  const reference = `${request.namespace ? request.namespace + "/" : ""}${request.name}; ${request.apiVersion}, Kind=${request.kind}`;
  const strict = (problem: string) => {
    throw badRequest(`failed to create typed patch object (${reference}): ${problem}`);
  };
  const live = request.live ? withoutManagedFields(request.live) : undefined;
  const base: Record<string, unknown> = live ?? {};
  const owned = (set: FieldSet) => ownedPart(set, request);

  const entries = startingEntries(request, live, () => owned(compare({}, live, shape).added));
  const applier: ManagerEntry = {
    manager: request.manager,
    operation: "Apply",
    apiVersion: request.apiVersion,
    subresource: subresourceOf(request),
    fields: owned(fieldSetOf(config, shape, strict)),
  };
  const previous = entries.find((entry) => identityOf(entry) === identityOf(applier));
  if (previous?.time !== undefined) applier.time = previous.time;
  const others = entries.filter((entry) => entry !== previous);

  const merged = mergeConfiguration(base, config, shape, strict) as Record<string, unknown>;
  if (previous) {
    const ownedNow = [...others, applier].reduce((all, entry) => union(all, entry.fields), emptySet());
    removePaths(merged, shape, members(difference(previous.fields, ownedNow)), ownedNow);
  }

  const diff = compare(base, merged, shape);
  const changed = owned(union(diff.modified, diff.added));
  const removed = owned(diff.removed);
  const conflicts = others
    .map((manager) => ({ manager, fields: intersection(manager.fields, changed) }))
    .filter((c) => !isEmpty(c.fields));
  if (conflicts.length > 0 && !request.force) {
    // kubectl's own manager may take over what its client-side applies set.
    const allowed = request.manager === KUBECTL_MANAGER ? owned(fieldsFromLastApplied(live, shape)) : emptySet();
    const remaining = conflicts
      .map((c) => ({ manager: c.manager, fields: difference(c.fields, allowed) }))
      .filter((c) => !isEmpty(c.fields));
    if (remaining.length > 0) throw conflictError(conflictsOf(remaining));
  }
  for (const entry of others) {
    const lost = conflicts.find((c) => c.manager === entry)?.fields ?? emptySet();
    entry.fields = difference(difference(entry.fields, lost), removed);
  }
  if (!live || !deepEqual(base, merged)) applier.time = formatTimestamp(request.now);

  const object = merged as KubeObject;
  if (!isObject(object.metadata)) object.metadata = {};
  if (!live && (typeof object.metadata.name !== "string" || object.metadata.name === "")) {
    object.metadata.name = request.name;
  }
  if (request.manager === KUBECTL_MANAGER) syncLastApplied(object, live, config);
  return { object, managedFields: encodeManagedFields(capUpdateManagers([...others, applier])) };
}
