// Fields nobody owns: the type and identity fields the server sets (Kubernetes strips them from
// every manager's set), and the part of the object the request's target resets — status on the
// main resource of a kind with a status subresource, everything but status on /status.
import { difference, emptySet, insert, onlySubtree, withoutSubtree, type FieldSet } from "./fieldset.ts";
import { fieldElement } from "./path.ts";

export type Target = "main" | "status" | "scale" | "ephemeralcontainers";

export interface OwnershipScope {
  target: Target;
  /** Whether the kind has a status subresource (its main resource then ignores status). */
  statusSubresource: boolean;
}

const STRIPPED = emptySet();
for (const path of [["apiVersion"], ["kind"], ["metadata"]]) insert(STRIPPED, path.map(fieldElement));
for (const name of [
  "name",
  "namespace",
  "creationTimestamp",
  "selfLink",
  "uid",
  "clusterName",
  "generation",
  "managedFields",
  "resourceVersion",
]) {
  insert(STRIPPED, [fieldElement("metadata"), fieldElement(name)]);
}

const STATUS = [fieldElement("status")];

/** The part of `set` that can be owned through `scope`. */
export function ownedPart(set: FieldSet, scope: OwnershipScope): FieldSet {
  let out = difference(set, STRIPPED);
  out = withoutSubtree(out, [fieldElement("metadata"), fieldElement("managedFields")]);
  if (scope.target === "status") return onlySubtree(out, STATUS);
  if (scope.statusSubresource) out = withoutSubtree(out, STATUS);
  return out;
}

/** An applied configuration without the part its target resets (so it cannot change it either). */
export function scopedConfiguration(config: Record<string, unknown>, scope: OwnershipScope): Record<string, unknown> {
  if (scope.target === "status") {
    const out: Record<string, unknown> = {};
    for (const key of ["apiVersion", "kind", "metadata", "status"])
      if (Object.hasOwn(config, key)) out[key] = config[key];
    return out;
  }
  if (!scope.statusSubresource || !Object.hasOwn(config, "status")) return config;
  const { status: _status, ...rest } = config;
  return rest;
}
