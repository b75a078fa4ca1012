// PrepareForUpdate as the generic registry runs it, for the main resource, /status and
// pods/ephemeralcontainers.
import { badRequest, conflict, invalid, staleResourceVersion, type FieldError } from "../errors.ts";
import type { ResourceDef } from "../registry/types.ts";
import { isObject, type KubeObject } from "../types.ts";
import { deepEqual, hasStatusSubresource, requireKindOf, specOf, tracksGeneration } from "./object-meta.ts";

export type UpdateTarget = "main" | "status" | "ephemeralcontainers";

/** The update rules a request's subresource selects (/scale writes through the main resource). */
export const updateTargetOf = (subresource: string | undefined): UpdateTarget =>
  subresource === "status" || subresource === "ephemeralcontainers" ? subresource : "main";

export interface PreparedUpdate {
  object: KubeObject;
  /** False when the update changes nothing: no write, no new resourceVersion (as Kubernetes). */
  changed: boolean;
}

export function prepareUpdate(
  def: ResourceDef,
  body: unknown,
  old: KubeObject,
  target: UpdateTarget = "main",
): PreparedUpdate {
  const incoming = requireKindOf(def, body);
  const name = old.metadata.name ?? "";
  const who = { group: def.group, resource: def.resource, name };
  const meta = incoming.metadata;
  if (meta.name !== undefined && meta.name !== name) {
    throw badRequest(`the name of the object (${String(meta.name)}) does not match the name on the URL (${name})`);
  }
  if (
    def.namespaced &&
    meta.namespace !== undefined &&
    meta.namespace !== "" &&
    meta.namespace !== old.metadata.namespace
  ) {
    throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
  }
  if (
    meta.resourceVersion !== undefined &&
    meta.resourceVersion !== "" &&
    meta.resourceVersion !== old.metadata.resourceVersion
  ) {
    throw staleResourceVersion(who);
  }
  if (meta.uid !== undefined && meta.uid !== "" && meta.uid !== old.metadata.uid) {
    throw conflict(
      who,
      `Precondition failed: UID in precondition: ${String(meta.uid)}, UID in object meta: ${old.metadata.uid}`,
    );
  }

  const object: KubeObject =
    target === "status"
      ? statusOnly(incoming, old)
      : target === "ephemeralcontainers"
        ? ephemeralContainersOnly(incoming, old)
        : mainOnly(def, incoming, old);
  object.metadata.name = name;
  if (def.namespaced) object.metadata.namespace = old.metadata.namespace;
  else delete object.metadata.namespace;
  object.metadata.uid = old.metadata.uid;
  object.metadata.creationTimestamp = old.metadata.creationTimestamp;
  object.metadata.resourceVersion = old.metadata.resourceVersion;
  restoreDeletionMeta(object, old);
  keepManagedFields(object, old);

  const errors: FieldError[] = [];
  if (target === "main") {
    def.strategy.prepareForUpdate?.(object, old);
    // After defaulting: a replace that omits defaulted fields is not a spec change.
    if (tracksGeneration(def)) {
      object.metadata.generation = (old.metadata.generation ?? 1) + (deepEqual(specOf(object), specOf(old)) ? 0 : 1);
    } else if (old.metadata.generation === undefined) delete object.metadata.generation;
    else object.metadata.generation = old.metadata.generation;
    errors.push(...(def.strategy.validate?.(object) ?? []), ...(def.strategy.validateUpdate?.(object, old) ?? []));
    errors.push(...finalizerErrors(object, old));
  } else if (target === "ephemeralcontainers") {
    keepGeneration(object, old);
    // Defaulting fills the new containers' fields; the rest of the spec is the stored one.
    def.strategy.prepareForUpdate?.(object, old);
    errors.push(
      ...(def.strategy.validate?.(object) ?? []),
      ...(def.strategy.validateEphemeralContainersUpdate?.(object, old) ?? []),
    );
  } else {
    keepGeneration(object, old);
    errors.push(...(def.strategy.validateStatusUpdate?.(object, old) ?? []));
  }
  if (errors.length > 0) throw invalid(def.kind, def.group, name, errors);
  return { object, changed: !deepEqual(object, old) };
}

/** A main-resource update keeps the stored status when the kind has a status subresource. */
function mainOnly(def: ResourceDef, incoming: KubeObject, old: KubeObject): KubeObject {
  if (!hasStatusSubresource(def)) return incoming;
  const object = { ...incoming };
  if (old.status === undefined) delete object.status;
  else object.status = old.status;
  return object;
}

/** A /status update takes only the status; spec and metadata stay as stored. */
function statusOnly(incoming: KubeObject, old: KubeObject): KubeObject {
  const object: KubeObject = { ...structuredClone(old), metadata: structuredClone(old.metadata) };
  if (incoming.status === undefined) delete object.status;
  else object.status = incoming.status;
  return object;
}

/**
 * A pods/ephemeralcontainers update takes only spec.ephemeralContainers; everything else in the
 * body (metadata, the rest of spec, status) is ignored, as Kubernetes does.
 */
function ephemeralContainersOnly(incoming: KubeObject, old: KubeObject): KubeObject {
  const object: KubeObject = { ...structuredClone(old), metadata: structuredClone(old.metadata) };
  const spec = isObject(object.spec) ? object.spec : {};
  const sent = isObject(incoming.spec) ? incoming.spec.ephemeralContainers : undefined;
  if (sent === undefined || sent === null) delete spec.ephemeralContainers;
  else spec.ephemeralContainers = sent;
  object.spec = spec;
  return object;
}

function keepGeneration(object: KubeObject, old: KubeObject): void {
  if (old.metadata.generation === undefined) delete object.metadata.generation;
  else object.metadata.generation = old.metadata.generation;
}

function restoreDeletionMeta(object: KubeObject, old: KubeObject): void {
  if (old.metadata.deletionTimestamp !== undefined) {
    object.metadata.deletionTimestamp = old.metadata.deletionTimestamp;
    object.metadata.deletionGracePeriodSeconds = old.metadata.deletionGracePeriodSeconds;
  } else {
    delete object.metadata.deletionTimestamp;
    delete object.metadata.deletionGracePeriodSeconds;
  }
}

/** A body without managedFields (or with an empty list) keeps the stored ones: clients unaware of them never drop them. */
function keepManagedFields(object: KubeObject, old: KubeObject): void {
  const sent = object.metadata.managedFields;
  if (Array.isArray(sent) && sent.length > 0) return;
  if (old.metadata.managedFields === undefined) delete object.metadata.managedFields;
  else object.metadata.managedFields = old.metadata.managedFields;
}

function finalizerErrors(object: KubeObject, old: KubeObject): FieldError[] {
  if (old.metadata.deletionTimestamp === undefined) return [];
  const before = new Set(old.metadata.finalizers ?? []);
  const added = (object.metadata.finalizers ?? []).filter((f) => !before.has(f));
  return added.length === 0
    ? []
    : [
        {
          field: "metadata.finalizers",
          type: "FieldValueForbidden",
          message: "Forbidden: no new finalizers can be added if the object is being deleted",
        },
      ];
}
