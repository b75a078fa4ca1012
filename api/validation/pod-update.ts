// What may change in a running Pod: container images, a shorter active deadline,
// added tolerations, a negative grace period raised to 1, removed scheduling gates.
// Everything else in spec is fixed once the Pod exists.
import type { FieldError } from "../errors.ts";
import type { KubeObject } from "../types.ts";
import { differingPaths, deepEqual } from "./equal.ts";
import { forbidden, invalidValue, notSupported } from "./field.ts";
import { IP_ERROR, isIP } from "./ip.ts";
import { asArray, asString, isRecord, type JsonObject } from "./shape.ts";

const UPDATABLE_FIELDS =
  "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`," +
  "`spec.tolerations` (only additions to existing tolerations)," +
  "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

export function validatePodUpdate(pod: KubeObject, oldPod: KubeObject): FieldError[] {
  const spec = isRecord(pod.spec) ? pod.spec : {};
  const oldSpec = isRecord(oldPod.spec) ? oldPod.spec : {};
  const errors: FieldError[] = [];

  errors.push(...activeDeadlineErrors(spec.activeDeadlineSeconds, oldSpec.activeDeadlineSeconds));
  errors.push(...tolerationUpdateErrors(spec.tolerations, oldSpec.tolerations));

  // Compare the specs with every updatable field taken from the new one.
  const munged: JsonObject = structuredClone(oldSpec);
  copyImages(munged, spec, "containers");
  copyImages(munged, spec, "initContainers");
  munged.activeDeadlineSeconds = spec.activeDeadlineSeconds;
  munged.tolerations = spec.tolerations;
  const oldGrace = oldSpec.terminationGracePeriodSeconds;
  if (typeof oldGrace === "number" && oldGrace < 0 && spec.terminationGracePeriodSeconds === 1) {
    munged.terminationGracePeriodSeconds = 1;
  }
  if (isSubsetOf(spec.schedulingGates, oldSpec.schedulingGates)) munged.schedulingGates = spec.schedulingGates;
  if (!deepEqual(munged, spec)) {
    const changed = differingPaths(munged, spec, "spec");
    errors.push(
      forbidden(
        "spec",
        `pod updates may not change fields other than ${UPDATABLE_FIELDS}\n  changed: ${changed.join(", ")}`,
      ),
    );
  }
  return errors;
}

/** Images may change; the containers themselves (count, names, everything else) may not. */
function copyImages(target: JsonObject, source: JsonObject, field: "containers" | "initContainers"): void {
  const from = asArray(source[field]);
  const to = asArray(target[field]);
  if (from.length !== to.length) return;
  to.forEach((container, i) => {
    const image = isRecord(from[i]) ? from[i].image : undefined;
    if (isRecord(container)) container.image = image;
  });
}

function activeDeadlineErrors(value: unknown, old: unknown): FieldError[] {
  const path = "spec.activeDeadlineSeconds";
  if (old === undefined || old === null) return [];
  if (value === undefined || value === null) {
    return [invalidValue(path, null, "must not update from a positive integer to nil value")];
  }
  if (typeof value === "number" && typeof old === "number" && value > old) {
    return [invalidValue(path, value, "must be less than or equal to previous value")];
  }
  return [];
}

const tolerationIdentity = (t: unknown) =>
  isRecord(t)
    ? JSON.stringify([asString(t.key), asString(t.operator) || "Equal", asString(t.value), asString(t.effect)])
    : "";

/** Every old toleration must still be there; only its tolerationSeconds may change. */
function tolerationUpdateErrors(tolerations: unknown, old: unknown): FieldError[] {
  const present = new Set(asArray(tolerations).map(tolerationIdentity));
  const missing = asArray(old).some((t) => !present.has(tolerationIdentity(t)));
  return missing
    ? [forbidden("spec.tolerations", "existing toleration can not be modified except its tolerationSeconds")]
    : [];
}

function isSubsetOf(next: unknown, old: unknown): boolean {
  const before = asArray(old).map((g) => JSON.stringify(g));
  return asArray(next).every((g) => before.includes(JSON.stringify(g)));
}

/** Status writes (node daemon, scheduler): addresses must be IPs; phase must be a known one. */
export function validatePodStatusUpdate(pod: KubeObject): FieldError[] {
  const status = isRecord(pod.status) ? pod.status : {};
  const errors: FieldError[] = [];
  const phase = status.phase;
  const phases = ["Pending", "Running", "Succeeded", "Failed", "Unknown"];
  if (phase !== undefined && phase !== "" && !phases.includes(String(phase))) {
    errors.push(notSupported("status.phase", phase, phases));
  }
  for (const field of ["podIP", "hostIP"] as const) {
    const ip = asString(status[field]);
    if (ip !== "" && !isIP(ip)) errors.push(invalidValue(`status.${field}`, ip, IP_ERROR));
  }
  for (const field of ["podIPs", "hostIPs"] as const) {
    for (const [i, entry] of asArray(status[field]).entries()) {
      const ip = isRecord(entry) ? asString(entry.ip) : "";
      if (!isIP(ip)) errors.push(invalidValue(`status.${field}[${i}].ip`, ip, IP_ERROR));
    }
  }
  return errors;
}
