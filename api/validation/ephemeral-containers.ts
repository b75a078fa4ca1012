// Ephemeral (debug) containers: added to a running pod through pods/ephemeralcontainers, never
// on create, never changed or removed once there. They share the container rules, but may not
// carry anything the pod's own workload would rely on (ports, probes, lifecycle, resources).
import type { FieldError } from "../errors.ts";
import type { KubeObject } from "../types.ts";
import { validateContainerCommon, type ContainerContext } from "./container.ts";
import { differingPaths, deepEqual } from "./equal.ts";
import { forbidden, invalidValue, notFound } from "./field.ts";
import { asArray, asString, isRecord } from "./shape.ts";

const PATH = "spec.ephemeralContainers";
const NOT_FOR_EPHEMERAL = "cannot be set for an Ephemeral Container";
const MIRROR_POD_ANNOTATION = "kubernetes.io/config.mirror";

/** Container fields an ephemeral container may not set (kube lists the allowed ones; these are the rest). */
const DISALLOWED_FIELDS = [
  "ports",
  "resources",
  "resizePolicy",
  "restartPolicy",
  "restartPolicyRules",
  "livenessProbe",
  "readinessProbe",
  "startupProbe",
  "lifecycle",
] as const;

/**
 * Whether a field holds something. Empty lists and objects count as unset: defaulting writes
 * `resources: {}` on every container, and kubectl debug sends it too.
 */
function isSet(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (Array.isArray(value)) return value.length > 0;
  if (isRecord(value)) return Object.values(value).some(isSet);
  return true;
}

/**
 * The spec's ephemeral containers. `ctx.names` already holds every regular and init container
 * name (names are unique across all three lists); a target must be one of those.
 */
export function validateEphemeralContainers(list: unknown, path: string, ctx: ContainerContext): FieldError[] {
  const targets = new Set(ctx.names);
  const errors: FieldError[] = [];
  for (const [i, container] of asArray(list).entries()) {
    const at = `${path}[${i}]`;
    if (!isRecord(container)) {
      errors.push(invalidValue(at, container, "must be an object"));
      continue;
    }
    errors.push(...validateContainerCommon(container, at, { ...ctx, init: false }));
    const target = asString(container.targetContainerName);
    if (target !== "" && !targets.has(target)) errors.push(notFound(`${at}.targetContainerName`, target));
    for (const field of DISALLOWED_FIELDS) {
      if (isSet(container[field])) errors.push(forbidden(`${at}.${field}`, NOT_FOR_EPHEMERAL));
    }
    // Sub-path mounts are bind mounts that outlive the container until the pod ends.
    for (const [j, mount] of asArray(container.volumeMounts).entries()) {
      if (!isRecord(mount)) continue;
      for (const field of ["subPath", "subPathExpr"] as const) {
        if (asString(mount[field]) !== "")
          errors.push(forbidden(`${at}.volumeMounts[${j}].${field}`, NOT_FOR_EPHEMERAL));
      }
    }
  }
  return errors;
}

/** A new Pod starts without ephemeral containers: they exist only to debug a running one. */
export function validateEphemeralContainersOnCreate(pod: KubeObject): FieldError[] {
  const spec = isRecord(pod.spec) ? pod.spec : {};
  return asArray(spec.ephemeralContainers).length > 0 ? [forbidden(PATH, "cannot be set on create")] : [];
}

/**
 * What pods/ephemeralcontainers may change: it may only add. Every stored ephemeral container
 * must come back unchanged (matched by name: patches do not keep the order).
 */
export function validateEphemeralContainersUpdate(pod: KubeObject, oldPod: KubeObject): FieldError[] {
  if (oldPod.metadata.annotations?.[MIRROR_POD_ANNOTATION] !== undefined) {
    return [forbidden("", "static pods do not support ephemeral containers")];
  }
  const byName = new Map<string, unknown>();
  for (const container of asArray(isRecord(pod.spec) ? pod.spec.ephemeralContainers : undefined)) {
    if (isRecord(container)) byName.set(asString(container.name), container);
  }
  const errors: FieldError[] = [];
  for (const old of asArray(isRecord(oldPod.spec) ? oldPod.spec.ephemeralContainers : undefined)) {
    if (!isRecord(old)) continue;
    const name = asString(old.name);
    const current = byName.get(name);
    if (current === undefined) {
      errors.push(forbidden(PATH, `existing ephemeral containers ${JSON.stringify(name)} may not be removed`));
    } else if (!deepEqual(old, current)) {
      const changed = differingPaths(old, current, name);
      errors.push(
        forbidden(
          PATH,
          `existing ephemeral containers ${JSON.stringify(name)} may not be changed\n  changed: ${changed.join(", ")}`,
        ),
      );
    }
  }
  return errors;
}
