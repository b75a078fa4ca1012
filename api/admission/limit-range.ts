// LimitRange admission (Kubernetes' LimitRanger plugin): containers of a new Pod get the
// default requests and limits of the namespace's `type: Container` limits, then every limit
// (Container, Pod, PersistentVolumeClaim) is checked: min, max and maxLimitRequestRatio.
// Violations are worded as Kubernetes words them; the caller turns them into 403 Forbidden.
import type { KubeObject } from "../types.ts";
import { asArray, asString, isRecord, type JsonObject } from "../validation/shape.ts";
import { compare, formatAmount, toNumber, type Amount } from "./amount.ts";
import {
  amountsOf,
  claimRequests,
  containersOf,
  podLimits,
  podRequests,
  podSpecOf,
  type ResourceAmounts,
} from "./resources.ts";

export const LIMIT_RANGER_ANNOTATION = "kubernetes.io/limit-ranger";

interface LimitItem {
  type: string;
  min: ResourceAmounts;
  max: ResourceAmounts;
  ratio: ResourceAmounts;
  /** Raw values, copied into containers as written. */
  default: JsonObject;
  defaultRequest: JsonObject;
}

const byName = (a: KubeObject, b: KubeObject) => (a.metadata.name ?? "").localeCompare(b.metadata.name ?? "");

function itemsOf(range: KubeObject): LimitItem[] {
  const spec = isRecord(range.spec) ? range.spec : {};
  return asArray(spec.limits)
    .filter(isRecord)
    .map((item) => ({
      type: asString(item.type),
      min: amountsOf(item.min),
      max: amountsOf(item.max),
      ratio: amountsOf(item.maxLimitRequestRatio),
      default: isRecord(item.default) ? item.default : {},
      defaultRequest: isRecord(item.defaultRequest) ? item.defaultRequest : {},
    }));
}

const sortedKeys = (map: ResourceAmounts) => [...map.keys()].sort();

// ---- defaults ----

/**
 * Fills in the containers' missing requests and limits from the LimitRanges' `type: Container`
 * defaults (the first LimitRange, by name, that has one wins). Answers the text of the
 * `kubernetes.io/limit-ranger` annotation it set, or undefined when nothing changed.
 */
export function applyContainerDefaults(pod: KubeObject, ranges: KubeObject[]): string | undefined {
  const notes: string[] = [];
  const spec = podSpecOf(pod);
  const lists = [
    { list: spec.containers, what: "container" },
    { list: spec.initContainers, what: "init container" },
  ];
  const perRange = [...ranges].sort(byName).map((range) => {
    const requests: JsonObject = {};
    const limits: JsonObject = {};
    for (const item of itemsOf(range)) {
      if (item.type !== "Container") continue;
      Object.assign(requests, item.defaultRequest);
      Object.assign(limits, item.default);
    }
    return { requests, limits };
  });
  for (const { list, what } of lists) {
    for (const container of asArray(list).filter(isRecord)) {
      const setRequests = new Set<string>();
      const setLimits = new Set<string>();
      for (const defaults of perRange) {
        if (Object.keys(defaults.requests).length === 0 && Object.keys(defaults.limits).length === 0) continue;
        const resources = ensureRecord(container, "resources");
        const limits = ensureRecord(resources, "limits");
        const requests = ensureRecord(resources, "requests");
        for (const [name, value] of Object.entries(defaults.limits)) {
          if (limits[name] === undefined) {
            limits[name] = value;
            setLimits.add(name);
          }
        }
        for (const [name, value] of Object.entries(defaults.requests)) {
          if (requests[name] === undefined) {
            requests[name] = value;
            setRequests.add(name);
          }
        }
        if (Object.keys(limits).length === 0) delete resources.limits;
        if (Object.keys(requests).length === 0) delete resources.requests;
      }
      const name = asString(container.name);
      if (setRequests.size > 0) notes.push(`${[...setRequests].sort().join(", ")} request for ${what} ${name}`);
      if (setLimits.size > 0) notes.push(`${[...setLimits].sort().join(", ")} limit for ${what} ${name}`);
    }
  }
  if (notes.length === 0) return undefined;
  const text = `LimitRanger plugin set: ${notes.join("; ")}`;
  pod.metadata.annotations = { ...(pod.metadata.annotations ?? {}), [LIMIT_RANGER_ANNOTATION]: text };
  return text;
}

function ensureRecord(obj: JsonObject, key: string): JsonObject {
  if (!isRecord(obj[key])) obj[key] = {};
  return obj[key] as JsonObject;
}

// ---- constraints ----

function minConstraint(
  type: string,
  resource: string,
  enforced: Amount,
  requests: ResourceAmounts,
  limits: ResourceAmounts,
): string | undefined {
  const request = requests.get(resource);
  const limit = limits.get(resource);
  const min = formatAmount(enforced);
  if (!request) return `minimum ${resource} usage per ${type} is ${min}.  No request is specified`;
  if (compare(request, enforced) < 0)
    return `minimum ${resource} usage per ${type} is ${min}, but request is ${formatAmount(request)}`;
  if (limit && compare(limit, enforced) < 0)
    return `minimum ${resource} usage per ${type} is ${min}, but limit is ${formatAmount(limit)}`;
  return undefined;
}

function maxConstraint(
  type: string,
  resource: string,
  enforced: Amount,
  requests: ResourceAmounts,
  limits: ResourceAmounts,
): string | undefined {
  const request = requests.get(resource);
  const limit = limits.get(resource);
  const max = formatAmount(enforced);
  if (!limit) return `maximum ${resource} usage per ${type} is ${max}.  No limit is specified`;
  if (compare(limit, enforced) > 0)
    return `maximum ${resource} usage per ${type} is ${max}, but limit is ${formatAmount(limit)}`;
  if (request && compare(request, enforced) > 0)
    return `maximum ${resource} usage per ${type} is ${max}, but request is ${formatAmount(request)}`;
  return undefined;
}

/** Claims have no limits: only their request is bounded. */
function maxRequestConstraint(
  type: string,
  resource: string,
  enforced: Amount,
  requests: ResourceAmounts,
): string | undefined {
  const request = requests.get(resource);
  const max = formatAmount(enforced);
  if (!request) return `maximum ${resource} usage per ${type} is ${max}.  No request is specified`;
  if (compare(request, enforced) > 0)
    return `maximum ${resource} usage per ${type} is ${max}, but request is ${formatAmount(request)}`;
  return undefined;
}

function ratioConstraint(
  type: string,
  resource: string,
  enforced: Amount,
  requests: ResourceAmounts,
  limits: ResourceAmounts,
): string | undefined {
  const request = requests.get(resource);
  const limit = limits.get(resource);
  const prefix = `${resource} max limit to request ratio per ${type} is ${formatAmount(enforced)}`;
  if (!request || request.nanos === 0n) return `${prefix}, but no request is specified or request is 0`;
  if (!limit || limit.nanos === 0n) return `${prefix}, but no limit is specified or limit is 0`;
  const ratio = toNumber(limit) / toNumber(request);
  if (ratio > toNumber(enforced)) return `${prefix}, but provided ratio is ${ratio.toFixed(6)}`;
  return undefined;
}

function checkBounds(
  item: LimitItem,
  type: string,
  requests: ResourceAmounts,
  limits: ResourceAmounts,
  out: string[],
): void {
  const push = (message: string | undefined) => {
    if (message !== undefined) out.push(message);
  };
  for (const r of sortedKeys(item.min)) push(minConstraint(type, r, item.min.get(r)!, requests, limits));
  for (const r of sortedKeys(item.max)) push(maxConstraint(type, r, item.max.get(r)!, requests, limits));
  for (const r of sortedKeys(item.ratio)) push(ratioConstraint(type, r, item.ratio.get(r)!, requests, limits));
}

/** The violations of the first LimitRange (by name) that a Pod violates; empty when it fits them all. */
export function podLimitViolations(pod: KubeObject, ranges: KubeObject[]): string[] {
  for (const range of [...ranges].sort(byName)) {
    const errors: string[] = [];
    for (const item of itemsOf(range)) {
      if (item.type === "Container") {
        for (const container of containersOf(pod)) {
          checkBounds(item, "Container", container.requests, container.limits, errors);
        }
      } else if (item.type === "Pod") {
        checkBounds(item, "Pod", podRequests(pod), podLimits(pod), errors);
      }
    }
    if (errors.length > 0) return errors;
  }
  return [];
}

/** The violations of the first LimitRange (by name) that a PersistentVolumeClaim violates. */
export function claimLimitViolations(claim: KubeObject, ranges: KubeObject[]): string[] {
  const requests = claimRequests(claim);
  for (const range of [...ranges].sort(byName)) {
    const errors: string[] = [];
    for (const item of itemsOf(range)) {
      if (item.type !== "PersistentVolumeClaim") continue;
      for (const r of sortedKeys(item.min)) {
        const message = minConstraint("PersistentVolumeClaim", r, item.min.get(r)!, requests, new Map());
        if (message !== undefined) errors.push(message);
      }
      for (const r of sortedKeys(item.max)) {
        const message = maxRequestConstraint("PersistentVolumeClaim", r, item.max.get(r)!, requests);
        if (message !== undefined) errors.push(message);
      }
    }
    if (errors.length > 0) return errors;
  }
  return [];
}

/** Kubernetes' aggregate: one message bare, several in brackets. */
export const aggregateMessage = (messages: string[]): string =>
  messages.length === 1 ? messages[0]! : `[${messages.join(", ")}]`;
