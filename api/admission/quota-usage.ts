// What each object counts against a ResourceQuota, under Kubernetes' resource names
// (pods, count/<resource>, requests.cpu, limits.memory, services.nodeports, requests.storage,
// <class>.storageclass.storage.k8s.io/requests.storage ...), and the usage of one quota summed
// over the objects it covers (its scopes select pods by termination, QoS, priority class).
import { podQOSClass } from "../registry/defaults/qos.ts";
import type { KubeObject } from "../types.ts";
import { asArray, asString, isRecord, type JsonObject } from "../validation/shape.ts";
import { add, formatAmount, units, ZERO, type Amount } from "./amount.ts";
import { claimRequests, podLimits, podRequests, podSpecOf, type ResourceAmounts } from "./resources.ts";

export const PODS = "pods";
export const SERVICES = "services";
export const CLAIMS = "persistentvolumeclaims";
/** Object counts Kubernetes also names without the count/ prefix. */
const LEGACY_COUNTS = new Set([
  PODS,
  SERVICES,
  CLAIMS,
  "configmaps",
  "secrets",
  "replicationcontrollers",
  "resourcequotas",
]);
const COMPUTE = new Set(["cpu", "memory", "ephemeral-storage"]);
const STORAGE_CLASS_SUFFIX = ".storageclass.storage.k8s.io/";
const BETA_CLASS_ANNOTATION = "volume.beta.kubernetes.io/storage-class";

/** The facts of a pod that quota scopes select on. */
export interface PodFacts {
  terminating: boolean;
  bestEffort: boolean;
  priorityClass: string;
  crossNamespaceAffinity: boolean;
}

/** One object's charge: its usage, and for pods the facts scopes need and when it stops counting. */
export interface QuotaItem {
  usage: ResourceAmounts;
  pod?: PodFacts;
  /** A terminating pod stops counting once its grace period is over (ms since the epoch). */
  goneAt?: number;
}

const countName = (resource: string) => `count/${resource}`;

export const isTerminalPod = (pod: KubeObject): boolean => {
  const phase = isRecord(pod.status) ? pod.status.phase : undefined;
  return phase === "Succeeded" || phase === "Failed";
};

function podFacts(pod: KubeObject): PodFacts {
  const spec = podSpecOf(pod);
  const deadline = spec.activeDeadlineSeconds;
  return {
    terminating: typeof deadline === "number" && deadline >= 0,
    bestEffort: podQOSClass(spec) === "BestEffort",
    priorityClass: asString(spec.priorityClassName),
    crossNamespaceAffinity: hasCrossNamespaceAffinity(spec),
  };
}

function hasCrossNamespaceAffinity(spec: JsonObject): boolean {
  const affinity = isRecord(spec.affinity) ? spec.affinity : {};
  const terms: unknown[] = [];
  for (const kind of ["podAffinity", "podAntiAffinity"]) {
    const section = isRecord(affinity[kind]) ? affinity[kind] : {};
    terms.push(...asArray(section.requiredDuringSchedulingIgnoredDuringExecution));
    for (const weighted of asArray(section.preferredDuringSchedulingIgnoredDuringExecution)) {
      if (isRecord(weighted)) terms.push(weighted.podAffinityTerm);
    }
  }
  return terms.some(
    (term) => isRecord(term) && (asArray(term.namespaces).length > 0 || isRecord(term.namespaceSelector)),
  );
}

function podUsage(pod: KubeObject): ResourceAmounts {
  const usage: ResourceAmounts = new Map([
    [PODS, units(1)],
    [countName(PODS), units(1)],
  ]);
  for (const [name, amount] of podRequests(pod)) {
    if (COMPUTE.has(name)) usage.set(name, amount);
    if (COMPUTE.has(name) || name.startsWith("hugepages-") || name.includes("/")) usage.set(`requests.${name}`, amount);
  }
  for (const [name, amount] of podLimits(pod)) {
    if (COMPUTE.has(name)) usage.set(`limits.${name}`, amount);
  }
  return usage;
}

function serviceUsage(service: KubeObject): ResourceAmounts {
  const spec = isRecord(service.spec) ? service.spec : {};
  const usage: ResourceAmounts = new Map([
    [SERVICES, units(1)],
    [countName(SERVICES), units(1)],
  ]);
  const ports = asArray(spec.ports).filter(isRecord);
  if (spec.type === "NodePort") usage.set("services.nodeports", units(ports.length));
  if (spec.type === "LoadBalancer") {
    usage.set("services.loadbalancers", units(1));
    const nodePorts =
      spec.allocateLoadBalancerNodePorts === false
        ? ports.filter((p) => typeof p.nodePort === "number" && p.nodePort > 0).length
        : ports.length;
    usage.set("services.nodeports", units(nodePorts));
  }
  return usage;
}

export function storageClassOf(claim: KubeObject): string {
  const spec = isRecord(claim.spec) ? claim.spec : {};
  if (typeof spec.storageClassName === "string") return spec.storageClassName;
  return claim.metadata.annotations?.[BETA_CLASS_ANNOTATION] ?? "";
}

function claimUsage(claim: KubeObject): ResourceAmounts {
  const usage: ResourceAmounts = new Map([
    [CLAIMS, units(1)],
    [countName(CLAIMS), units(1)],
  ]);
  const storage = claimRequests(claim).get("storage");
  const storageClass = storageClassOf(claim);
  if (storage) usage.set("requests.storage", storage);
  if (storageClass !== "") {
    usage.set(`${storageClass}${STORAGE_CLASS_SUFFIX}${CLAIMS}`, units(1));
    if (storage) usage.set(`${storageClass}${STORAGE_CLASS_SUFFIX}requests.storage`, storage);
  }
  return usage;
}

/** What one object (of the given storage key, e.g. "pods", "deployments.apps") counts against quotas. */
export function quotaItemOf(resource: string, object: KubeObject): QuotaItem {
  if (resource === PODS) {
    const item: QuotaItem = { usage: isTerminalPod(object) ? new Map() : podUsage(object), pod: podFacts(object) };
    const deletion = object.metadata.deletionTimestamp;
    if (deletion !== undefined) {
      const grace = object.metadata.deletionGracePeriodSeconds ?? 0;
      item.goneAt = Date.parse(deletion) + grace * 1000;
    }
    return item;
  }
  if (resource === SERVICES) return { usage: serviceUsage(object) };
  if (resource === CLAIMS) return { usage: claimUsage(object) };
  const usage: ResourceAmounts = new Map([[countName(resource), units(1)]]);
  if (LEGACY_COUNTS.has(resource)) usage.set(resource, units(1));
  return { usage };
}

/** The storage key of the objects a quota resource name counts; undefined for names nothing counts. */
export function sourceOf(name: string): string | undefined {
  if (name.startsWith("count/")) return name.slice("count/".length);
  if (LEGACY_COUNTS.has(name)) return name;
  if (name.startsWith("services.")) return SERVICES;
  if (name === "requests.storage" || name.includes(STORAGE_CLASS_SUFFIX)) return CLAIMS;
  if (COMPUTE.has(name) || name.startsWith("requests.") || name.startsWith("limits.") || name.startsWith("hugepages-"))
    return PODS;
  return undefined;
}

// ---- scopes ----

export interface ScopeRequirement {
  scope: string;
  operator: string;
  values: string[];
}

export function quotaScopes(quota: KubeObject): ScopeRequirement[] {
  const spec = isRecord(quota.spec) ? quota.spec : {};
  const scopes: ScopeRequirement[] = asArray(spec.scopes)
    .filter((s): s is string => typeof s === "string")
    .map((scope) => ({ scope, operator: "Exists", values: [] }));
  const selector = isRecord(spec.scopeSelector) ? spec.scopeSelector : {};
  for (const expression of asArray(selector.matchExpressions).filter(isRecord)) {
    scopes.push({
      scope: asString(expression.scopeName),
      operator: asString(expression.operator),
      values: asArray(expression.values).filter((v): v is string => typeof v === "string"),
    });
  }
  return scopes;
}

function scopeHolds(facts: PodFacts, requirement: ScopeRequirement): boolean {
  const { scope, operator, values } = requirement;
  if (scope === "PriorityClass") {
    const name = facts.priorityClass;
    if (operator === "In") return values.includes(name);
    if (operator === "NotIn") return !values.includes(name);
    if (operator === "DoesNotExist") return name === "";
    return name !== "";
  }
  const flags: Record<string, boolean> = {
    Terminating: facts.terminating,
    NotTerminating: !facts.terminating,
    BestEffort: facts.bestEffort,
    NotBestEffort: !facts.bestEffort,
    CrossNamespacePodAffinity: facts.crossNamespaceAffinity,
  };
  const value = flags[scope] ?? false;
  return operator === "DoesNotExist" ? !value : value;
}

/** Whether a quota covers an item: an unscoped quota covers everything; scopes select pods only. */
export function quotaCovers(scopes: ScopeRequirement[], item: QuotaItem): boolean {
  if (scopes.length === 0) return true;
  const facts = item.pod;
  return facts !== undefined && scopes.every((requirement) => scopeHolds(facts, requirement));
}

/** Whether an item still counts at `now` (a deleted pod's grace period may be over). */
export const counts = (item: QuotaItem, now: number): boolean => item.goneAt === undefined || now <= item.goneAt;

export const hardOf = (quota: KubeObject): JsonObject => {
  const spec = isRecord(quota.spec) ? quota.spec : {};
  return isRecord(spec.hard) ? spec.hard : {};
};

/**
 * The usage of each of `names` (default: every hard resource) over the objects the quota covers.
 * `itemsOf(key)` yields the charges of the namespace's objects of one storage key.
 */
export function quotaUsed(
  quota: KubeObject,
  itemsOf: (resource: string) => Iterable<QuotaItem>,
  now: number,
  names: string[] = Object.keys(hardOf(quota)),
): ResourceAmounts {
  const scopes = quotaScopes(quota);
  const used: ResourceAmounts = new Map(names.map((name) => [name, ZERO]));
  const bySource = new Map<string, string[]>();
  for (const name of names) {
    const source = sourceOf(name);
    if (source === undefined) continue;
    bySource.set(source, [...(bySource.get(source) ?? []), name]);
  }
  for (const [source, sourceNames] of bySource) {
    for (const item of itemsOf(source)) {
      if (!counts(item, now) || !quotaCovers(scopes, item)) continue;
      for (const name of sourceNames) {
        const amount = item.usage.get(name);
        if (amount) used.set(name, add(used.get(name)!, amount));
      }
    }
  }
  return used;
}

/** A ResourceList of canonical quantities, keys sorted. */
export function resourceList(amounts: ResourceAmounts): Record<string, string> {
  return Object.fromEntries([...amounts.keys()].sort().map((name) => [name, formatAmount(amounts.get(name)!)]));
}

/** Compact text of a usage, to notice when an object's charge changed. */
export function usageSignature(item: QuotaItem): string {
  const parts = [...item.usage].map(([name, amount]: [string, Amount]) => `${name}=${amount.nanos}`).sort();
  return `${parts.join(",")}|${item.goneAt ?? ""}|${JSON.stringify(item.pod ?? null)}`;
}
