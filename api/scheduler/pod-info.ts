// PodInfo from a stored Pod: everything the plugins need, parsed once.
import type { KubeObject } from "../types.ts";
import { podClaimNames } from "../volumes/claims.ts";
import { asArray, asString, isRecord, type JsonObject } from "../validation/shape.ts";
import { parseAffinityTerms, parseSelector, parseWeightedTerms } from "./affinity-terms.ts";
import { parseNodeSelectorTerms, parsePreferredTerms } from "./node-selector.ts";
import { nonZeroRequests, podRequests } from "./resources.ts";
import { parseTolerations } from "./taints.ts";
import type { HostPort, PodInfo, TopologySpreadConstraint } from "./types.ts";

export const DEFAULT_SCHEDULER = "default-scheduler";

export const podKey = (namespace: string, name: string) => `${namespace}/${name}`;

/** Shared by every pod without host ports (most of them; the cache keeps tens of thousands). */
const NO_PORTS: HostPort[] = Object.freeze([]) as unknown as HostPort[];

/** One copy of each namespace name and label set shape across the cache. */
const interned = new Map<string, string>();
const intern = (value: string) => {
  const known = interned.get(value);
  if (known !== undefined) return known;
  if (interned.size < 100_000) interned.set(value, value);
  return value;
};

function hostPorts(spec: JsonObject): HostPort[] {
  const ports: HostPort[] = [];
  for (const container of [...asArray(spec.initContainers), ...asArray(spec.containers)]) {
    if (!isRecord(container)) continue;
    for (const port of asArray(container.ports)) {
      if (!isRecord(port) || typeof port.hostPort !== "number" || port.hostPort <= 0) continue;
      ports.push({
        ip: asString(port.hostIP) || "0.0.0.0",
        protocol: asString(port.protocol) || "TCP",
        port: port.hostPort,
      });
    }
  }
  return ports.length === 0 ? NO_PORTS : ports;
}

function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isRecord(value)) for (const [k, v] of Object.entries(value)) if (typeof v === "string") out[k] = v;
  return out;
}

function spreadConstraints(spec: JsonObject, labels: Record<string, string>): TopologySpreadConstraint[] {
  return asArray(spec.topologySpreadConstraints)
    .filter(isRecord)
    .map((c) => {
      let selector = parseSelector(c.labelSelector);
      // matchLabelKeys: the incoming pod's values for these keys narrow the selector.
      const keys = asArray(c.matchLabelKeys).filter((k): k is string => typeof k === "string" && k in labels);
      if (selector !== null && keys.length > 0) {
        selector = [...selector, ...keys.map((key) => ({ key, operator: "In" as const, values: [labels[key]!] }))];
      }
      return {
        maxSkew: typeof c.maxSkew === "number" ? c.maxSkew : 1,
        topologyKey: asString(c.topologyKey),
        whenUnsatisfiable: asString(c.whenUnsatisfiable) || "DoNotSchedule",
        selector,
        ...(typeof c.minDomains === "number" ? { minDomains: c.minDomains } : {}),
        nodeAffinityPolicy: c.nodeAffinityPolicy === "Ignore" ? "Ignore" : "Honor",
        nodeTaintsPolicy: c.nodeTaintsPolicy === "Honor" ? "Honor" : "Ignore",
      };
    });
}

const timeOf = (value: unknown) => (typeof value === "string" ? Date.parse(value) || 0 : 0);

/** The scheduler's record of a pod. `priority` falls back to `resolvePriority` when spec.priority is unset. */
export function podInfoFrom(pod: KubeObject, resolvePriority?: (className: string) => number | undefined): PodInfo {
  const spec: JsonObject = isRecord(pod.spec) ? pod.spec : {};
  const namespace = intern(pod.metadata.namespace ?? "");
  const name = pod.metadata.name ?? "";
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(stringMap(pod.metadata.labels))) labels[k] = intern(v);
  const className = asString(spec.priorityClassName);
  const priority = typeof spec.priority === "number" ? spec.priority : (resolvePriority?.(className) ?? 0);
  const nonZero = nonZeroRequests(spec);
  const info: PodInfo = {
    key: podKey(namespace, name),
    uid: pod.metadata.uid ?? "",
    namespace,
    name,
    labels,
    nodeName: asString(spec.nodeName),
    priority,
    created: timeOf(pod.metadata.creationTimestamp),
    requests: podRequests(spec),
    nonZeroCPU: nonZero.milliCPU,
    nonZeroMemory: nonZero.memory,
    hostPorts: hostPorts(spec),
    terminating: pod.metadata.deletionTimestamp !== undefined,
    schedulerName: asString(spec.schedulerName) || DEFAULT_SCHEDULER,
    preemptionPolicy: asString(spec.preemptionPolicy) || "PreemptLowerPriority",
    priorityClassName: className,
    gated: asArray(spec.schedulingGates).length > 0,
    specNodeName: asString(spec.nodeName),
    tolerations: parseTolerations(spec.tolerations),
    // Only pending pods are compared (bound pods change status often and never need it).
    ...(asString(spec.nodeName) === "" ? { signature: JSON.stringify([labels, spec]) } : {}),
  };
  const status = isRecord(pod.status) ? pod.status : {};
  if (typeof status.nominatedNodeName === "string" && status.nominatedNodeName !== "")
    info.nominatedNodeName = status.nominatedNodeName;
  if (isRecord(spec.nodeSelector)) info.nodeSelector = stringMap(spec.nodeSelector);
  const affinity = isRecord(spec.affinity) ? spec.affinity : {};
  const nodeAffinity = isRecord(affinity.nodeAffinity) ? affinity.nodeAffinity : undefined;
  if (nodeAffinity) {
    const required = nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution;
    if (isRecord(required)) info.requiredNodeAffinity = parseNodeSelectorTerms(required.nodeSelectorTerms);
    const preferred = parsePreferredTerms(nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution);
    if (preferred.length > 0) info.preferredNodeAffinity = preferred;
  }
  for (const [field, target] of [
    ["podAffinity", "Affinity"],
    ["podAntiAffinity", "AntiAffinity"],
  ] as const) {
    const section = isRecord(affinity[field]) ? affinity[field] : undefined;
    if (!section) continue;
    const required = parseAffinityTerms(section.requiredDuringSchedulingIgnoredDuringExecution, namespace);
    const preferred = parseWeightedTerms(section.preferredDuringSchedulingIgnoredDuringExecution, namespace);
    if (required.length > 0) info[`required${target}`] = required;
    if (preferred.length > 0) info[`preferred${target}`] = preferred;
  }
  const spread = spreadConstraints(spec, labels);
  if (spread.length > 0) info.topologySpread = spread;
  const claims = podClaimNames(name, spec);
  if (claims.length > 0) info.claims = claims;
  return info;
}

/** Drops what only matters while a pod waits to be scheduled (bound pods are kept by the thousands). */
export function slimPodInfo(info: PodInfo): PodInfo {
  const { key, uid, namespace, name, labels, nodeName, priority, created, requests, nonZeroCPU, nonZeroMemory } = info;
  const slim: PodInfo = {
    key,
    uid,
    namespace,
    name,
    labels,
    nodeName,
    priority,
    created,
    requests,
    nonZeroCPU,
    nonZeroMemory,
    hostPorts: info.hostPorts,
    terminating: info.terminating,
  };
  if (info.requiredAffinity) slim.requiredAffinity = info.requiredAffinity;
  if (info.requiredAntiAffinity) slim.requiredAntiAffinity = info.requiredAntiAffinity;
  if (info.preferredAffinity) slim.preferredAffinity = info.preferredAffinity;
  if (info.preferredAntiAffinity) slim.preferredAntiAffinity = info.preferredAntiAffinity;
  return slim;
}

/** A pod the scheduler is responsible for: unbound, not terminating, for the default scheduler. */
export function isPendingForScheduler(pod: KubeObject, schedulerName = DEFAULT_SCHEDULER): boolean {
  const spec = isRecord(pod.spec) ? pod.spec : {};
  if (asString(spec.nodeName) !== "") return false;
  if (pod.metadata.deletionTimestamp !== undefined) return false;
  const phase = isRecord(pod.status) ? pod.status.phase : undefined;
  if (phase === "Succeeded" || phase === "Failed") return false;
  return (asString(spec.schedulerName) || DEFAULT_SCHEDULER) === schedulerName;
}

/** A bound pod that still holds its node's resources (terminal pods free them). */
export function holdsResources(pod: KubeObject): boolean {
  const phase = isRecord(pod.status) ? pod.status.phase : undefined;
  return phase !== "Succeeded" && phase !== "Failed";
}
