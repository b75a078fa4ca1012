// PodSpec rules, used for Pods and for every pod template (Deployments, Jobs...).
import type { FieldError } from "../errors.ts";
import { validateContainers, enumField } from "./container.ts";
import { validateEphemeralContainers } from "./ephemeral-containers.ts";
import { invalidEach, invalidValue, notSupported, required } from "./field.ts";
import { IP_ERROR, isIP } from "./ip.ts";
import { validateAnnotations, validateLabels } from "./meta.ts";
import { dns1123Label, dns1123Subdomain } from "./names.ts";
import { GE_ZERO, integerAtLeast } from "./numbers.ts";
import { validateLabelSelector } from "./selectors.ts";
import { asArray, asString, isRecord, type JsonObject } from "./shape.ts";
import { validateTolerations } from "./tolerations.ts";
import { validateVolumes } from "./volume.ts";
import type { KubeObject } from "../types.ts";

export const RESTART_POLICIES = ["Always", "OnFailure", "Never"];
const DNS_POLICIES = ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"];
const MAX_INT32 = 2147483647;

export function validatePod(pod: KubeObject): FieldError[] {
  return validatePodSpec(pod.spec, "spec");
}

export function validatePodSpec(spec: unknown, path: string): FieldError[] {
  if (!isRecord(spec)) return [required(path)];
  const errors: FieldError[] = [];
  const volumes = validateVolumes(spec.volumes, `${path}.volumes`);
  errors.push(...volumes.errors);

  const ctx = { names: new Set<string>(), volumes: volumes.names, hostNetwork: spec.hostNetwork === true };
  if (asArray(spec.containers).length === 0) errors.push(required(`${path}.containers`));
  errors.push(...validateContainers(spec.initContainers, `${path}.initContainers`, { ...ctx, init: true }));
  errors.push(...validateContainers(spec.containers, `${path}.containers`, { ...ctx, init: false }));
  errors.push(
    ...validateEphemeralContainers(spec.ephemeralContainers, `${path}.ephemeralContainers`, { ...ctx, init: false }),
  );

  errors.push(...restartPolicyErrors(spec.restartPolicy, `${path}.restartPolicy`));
  errors.push(...enumField(spec.dnsPolicy, `${path}.dnsPolicy`, DNS_POLICIES));
  if (spec.dnsPolicy === "None" && !isRecord(spec.dnsConfig)) {
    errors.push(required(`${path}.dnsConfig`, "must provide `dnsConfig` when `dnsPolicy` is None"));
  }
  errors.push(...validateDnsConfig(spec.dnsConfig, `${path}.dnsConfig`));
  errors.push(...validateLabels(spec.nodeSelector, `${path}.nodeSelector`));
  errors.push(...validateTolerations(spec.tolerations, `${path}.tolerations`));
  errors.push(...validateAffinity(spec.affinity, `${path}.affinity`));
  errors.push(...validateTopologySpread(spec.topologySpreadConstraints, `${path}.topologySpreadConstraints`));

  for (const field of ["serviceAccountName", "nodeName", "priorityClassName", "schedulerName"] as const) {
    const value = asString(spec[field]);
    if (value !== "") errors.push(...invalidEach(`${path}.${field}`, value, dns1123Subdomain(value)));
  }
  for (const field of ["hostname", "subdomain"] as const) {
    const value = asString(spec[field]);
    if (value !== "") errors.push(...invalidEach(`${path}.${field}`, value, dns1123Label(value)));
  }
  errors.push(
    ...integerAtLeast(spec.terminationGracePeriodSeconds, 0, `${path}.terminationGracePeriodSeconds`, GE_ZERO),
  );
  const deadline = spec.activeDeadlineSeconds;
  if (deadline !== undefined && deadline !== null) {
    if (typeof deadline !== "number" || !Number.isInteger(deadline) || deadline < 1 || deadline > MAX_INT32) {
      errors.push(
        invalidValue(`${path}.activeDeadlineSeconds`, deadline, `must be between 1 and ${MAX_INT32}, inclusive`),
      );
    }
  }
  errors.push(...enumField(spec.preemptionPolicy, `${path}.preemptionPolicy`, ["PreemptLowerPriority", "Never"]));
  return errors;
}

export function restartPolicyErrors(
  value: unknown,
  path: string,
  allowed: readonly string[] = RESTART_POLICIES,
): FieldError[] {
  if (value === undefined || value === null || value === "") return [required(path)];
  return typeof value === "string" && allowed.includes(value) ? [] : [notSupported(path, value, allowed)];
}

/** Labels and annotations of a pod template (its name is never used). */
export function validateTemplateMeta(meta: unknown, path: string): FieldError[] {
  if (meta === undefined || meta === null) return [];
  if (!isRecord(meta)) return [invalidValue(path, meta, "must be an object")];
  return [
    ...validateLabels(meta.labels, `${path}.labels`),
    ...validateAnnotations(meta.annotations, `${path}.annotations`),
  ];
}

function validateDnsConfig(config: unknown, path: string): FieldError[] {
  if (!isRecord(config)) return [];
  const errors: FieldError[] = [];
  const servers = asArray(config.nameservers);
  if (servers.length > 3)
    errors.push(invalidValue(`${path}.nameservers`, servers, "must not have more than 3 nameservers"));
  for (const [i, server] of servers.entries()) {
    if (typeof server !== "string" || !isIP(server))
      errors.push(invalidValue(`${path}.nameservers[${i}]`, server, IP_ERROR));
  }
  return errors;
}

function validateAffinity(affinity: unknown, path: string): FieldError[] {
  if (!isRecord(affinity)) return [];
  const errors: FieldError[] = [];
  const node = affinity.nodeAffinity;
  if (isRecord(node) && isRecord(node.requiredDuringSchedulingIgnoredDuringExecution)) {
    const at = `${path}.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution`;
    const terms = asArray(node.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms);
    if (terms.length === 0)
      errors.push(required(`${at}.nodeSelectorTerms`, "must have at least one node selector term"));
    for (const [i, term] of terms.entries())
      errors.push(...validateNodeSelectorTerm(term, `${at}.nodeSelectorTerms[${i}]`));
  }
  for (const kind of ["podAffinity", "podAntiAffinity"] as const) {
    const section = affinity[kind];
    if (!isRecord(section)) continue;
    for (const [i, term] of asArray(section.requiredDuringSchedulingIgnoredDuringExecution).entries()) {
      errors.push(
        ...validatePodAffinityTerm(term, `${path}.${kind}.requiredDuringSchedulingIgnoredDuringExecution[${i}]`),
      );
    }
  }
  return errors;
}

const NODE_SELECTOR_OPERATORS = ["In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"];

function validateNodeSelectorTerm(term: unknown, path: string): FieldError[] {
  if (!isRecord(term)) return [invalidValue(path, term, "must be an object")];
  const errors: FieldError[] = [];
  for (const [i, req] of asArray(term.matchExpressions).entries()) {
    const at = `${path}.matchExpressions[${i}]`;
    if (!isRecord(req)) continue;
    const operator = asString(req.operator);
    const values = asArray(req.values);
    if (!NODE_SELECTOR_OPERATORS.includes(operator))
      errors.push(invalidValue(`${at}.operator`, operator, "not a valid selector operator"));
    else if ((operator === "In" || operator === "NotIn") && values.length === 0) {
      errors.push(required(`${at}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
    } else if ((operator === "Exists" || operator === "DoesNotExist") && values.length > 0) {
      errors.push(
        invalidValue(`${at}.values`, values, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"),
      );
    } else if ((operator === "Gt" || operator === "Lt") && values.length !== 1) {
      errors.push(required(`${at}.values`, "must be specified single value when `operator` is 'Lt' or 'Gt'"));
    }
  }
  return errors;
}

function validatePodAffinityTerm(term: unknown, path: string): FieldError[] {
  if (!isRecord(term)) return [invalidValue(path, term, "must be an object")];
  const errors = validateLabelSelector(term.labelSelector, `${path}.labelSelector`);
  if (asString(term.topologyKey) === "") errors.push(required(`${path}.topologyKey`, "can not be empty"));
  return errors;
}

function validateTopologySpread(constraints: unknown, path: string): FieldError[] {
  const errors: FieldError[] = [];
  for (const [i, constraint] of asArray(constraints).entries()) {
    const at = `${path}[${i}]`;
    if (!isRecord(constraint)) continue;
    const c: JsonObject = constraint;
    if (typeof c.maxSkew !== "number" || c.maxSkew <= 0)
      errors.push(invalidValue(`${at}.maxSkew`, c.maxSkew ?? 0, "must be greater than zero"));
    if (asString(c.topologyKey) === "") errors.push(required(`${at}.topologyKey`, "can not be empty"));
    const when = asString(c.whenUnsatisfiable);
    if (!["DoNotSchedule", "ScheduleAnyway"].includes(when)) {
      errors.push(notSupported(`${at}.whenUnsatisfiable`, when, ["DoNotSchedule", "ScheduleAnyway"]));
    }
    errors.push(...validateLabelSelector(c.labelSelector, `${at}.labelSelector`));
  }
  return errors;
}
