// ResourceQuota admission: would this create (or update) take a quota of the namespace past
// its hard limits? Usage is what the objects in the store charge right now (not the quota's
// possibly stale status), so the decision is exact when it is taken in the same step as the
// commit. The answer is Kubernetes' message, which the caller wraps as 403 Forbidden.
import type { KubeObject } from "../types.ts";
import { add, compare, formatAmount, parseAmount, subtract, type Amount } from "./amount.ts";
import { containersOf, type ResourceAmounts } from "./resources.ts";
import {
  CLAIMS,
  hardOf,
  PODS,
  quotaCovers,
  quotaItemOf,
  quotaScopes,
  quotaUsed,
  SERVICES,
  sourceOf,
  type QuotaItem,
} from "./quota-usage.ts";

/** Kinds whose updates can change their charge (a Service's type, a claim's size). */
const CHARGED_ON_UPDATE = new Set([SERVICES, CLAIMS]);
/** Quota on these makes every container state its own request or limit (a Kubernetes legacy rule). */
const MUST_SPECIFY = ["cpu", "limits.cpu", "limits.memory", "memory", "requests.cpu", "requests.memory"];

export interface QuotaRequest {
  resource: string; // storage key of the object, e.g. "pods"
  object: KubeObject;
  /** The stored version, for an update. */
  old?: KubeObject;
  quotas: KubeObject[];
  itemsOf: (resource: string) => Iterable<QuotaItem>;
  now: number;
}

const byName = (a: KubeObject, b: KubeObject) => (a.metadata.name ?? "").localeCompare(b.metadata.name ?? "");

/** `a=1,b=2`, keys sorted (Kubernetes' prettyPrint of a ResourceList). */
const pretty = (amounts: Map<string, Amount>) =>
  [...amounts.keys()]
    .sort()
    .map((name) => `${name}=${formatAmount(amounts.get(name)!)}`)
    .join(",");

/** The positive change of charge this write makes. */
function deltaOf(request: QuotaRequest, item: QuotaItem): ResourceAmounts {
  const before = request.old ? quotaItemOf(request.resource, request.old).usage : new Map<string, Amount>();
  const delta: ResourceAmounts = new Map();
  for (const [name, amount] of item.usage) {
    const change = before.has(name) ? subtract(amount, before.get(name)!) : amount;
    if (change.nanos > 0n) delta.set(name, change);
  }
  return delta;
}

/** Which of the required compute resources each container leaves unstated: "limits.cpu for: a,b; ...". */
function missingCompute(pod: KubeObject, required: string[]): string | undefined {
  const missing = new Map<string, string[]>();
  for (const container of containersOf(pod)) {
    const stated = new Set<string>();
    for (const name of container.requests.keys()) stated.add(name).add(`requests.${name}`);
    for (const name of container.limits.keys()) stated.add(`limits.${name}`);
    for (const name of required) {
      if (!stated.has(name)) missing.set(name, [...(missing.get(name) ?? []), container.name]);
    }
  }
  if (missing.size === 0) return undefined;
  return [...missing.keys()]
    .sort()
    .map((name) => `${name} for: ${[...new Set(missing.get(name))].sort().join(",")}`)
    .join("; ");
}

/** The reason a write must be refused ("exceeded quota: ..."), or undefined when every quota allows it. */
export function quotaViolation(request: QuotaRequest): string | undefined {
  const { resource, object } = request;
  if (request.old && !CHARGED_ON_UPDATE.has(resource)) return undefined;
  const item = quotaItemOf(resource, object);
  const quotas = [...request.quotas].sort(byName).filter((quota) => {
    if (!quotaCovers(quotaScopes(quota), item)) return false;
    return Object.keys(hardOf(quota)).some((name) => sourceOf(name) === resource);
  });
  if (quotas.length === 0) return undefined;

  if (resource === PODS && !request.old) {
    for (const quota of quotas) {
      const hard = hardOf(quota);
      const required = MUST_SPECIFY.filter((name) => name in hard);
      const missing = required.length > 0 ? missingCompute(object, required) : undefined;
      if (missing !== undefined) return `failed quota: ${quota.metadata.name}: must specify ${missing}`;
    }
  }

  const delta = deltaOf(request, item);
  if (delta.size === 0) return undefined;
  for (const quota of quotas) {
    const hard = hardOf(quota);
    const requested = [...delta.keys()].filter((name) => name in hard);
    if (requested.length === 0) continue;
    const used = quotaUsed(quota, request.itemsOf, request.now, requested);
    const exceeded = requested.filter((name) => {
      const limit = parseAmount(hard[name]);
      return limit !== undefined && compare(add(used.get(name)!, delta.get(name)!), limit) > 0;
    });
    if (exceeded.length === 0) continue;
    const pick = (from: (name: string) => Amount) => new Map(exceeded.map((name) => [name, from(name)]));
    return (
      `exceeded quota: ${quota.metadata.name}, ` +
      `requested: ${pretty(pick((name) => delta.get(name)!))}, ` +
      `used: ${pretty(pick((name) => used.get(name)!))}, ` +
      `limited: ${pretty(pick((name) => parseAmount(hard[name])!))}`
    );
  }
  return undefined;
}
