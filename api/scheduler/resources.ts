// Resource arithmetic of the scheduler: a pod's effective requests (containers, init
// containers, sidecars, overhead) and a node's allocatable, in base units.
import { tryParseQuantity } from "../validation/quantity.ts";
import { asArray, isRecord, type JsonObject } from "../validation/shape.ts";
import type { Resources } from "./types.ts";

/** Defaults kube's scoring assumes for a container that requests nothing. */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

export const emptyResources = (): Resources => ({ milliCPU: 0, memory: 0, ephemeralStorage: 0 });

/** Adds one ResourceList (`{cpu: "500m", memory: "1Gi", …}`) into `into`. */
function addList(into: Resources, list: unknown, sign = 1): void {
  if (!isRecord(list)) return;
  for (const [name, raw] of Object.entries(list)) {
    const value = tryParseQuantity(raw);
    if (value === undefined) continue;
    addOne(into, name, value * sign);
  }
}

function addOne(into: Resources, name: string, value: number): void {
  if (name === "cpu") into.milliCPU += Math.round(value * 1000);
  else if (name === "memory") into.memory += value;
  else if (name === "ephemeral-storage") into.ephemeralStorage += value;
  else if (name !== "pods") {
    into.scalar ??= {};
    into.scalar[name] = (into.scalar[name] ?? 0) + value;
  }
}

function maxInto(into: Resources, other: Resources): void {
  into.milliCPU = Math.max(into.milliCPU, other.milliCPU);
  into.memory = Math.max(into.memory, other.memory);
  into.ephemeralStorage = Math.max(into.ephemeralStorage, other.ephemeralStorage);
  for (const [name, value] of Object.entries(other.scalar ?? {})) {
    into.scalar ??= {};
    into.scalar[name] = Math.max(into.scalar[name] ?? 0, value);
  }
}

export function addResources(into: Resources, other: Resources, sign = 1): void {
  into.milliCPU += other.milliCPU * sign;
  into.memory += other.memory * sign;
  into.ephemeralStorage += other.ephemeralStorage * sign;
  if (other.scalar) {
    into.scalar ??= {};
    for (const [name, value] of Object.entries(other.scalar))
      into.scalar[name] = (into.scalar[name] ?? 0) + value * sign;
  }
}

export const cloneResources = (r: Resources): Resources => ({ ...r, ...(r.scalar ? { scalar: { ...r.scalar } } : {}) });

const requestsOf = (container: unknown): Resources => {
  const out = emptyResources();
  const resources = isRecord(container) && isRecord(container.resources) ? container.resources : {};
  addList(out, resources.requests);
  return out;
};

const isSidecar = (container: unknown) => isRecord(container) && container.restartPolicy === "Always";

/**
 * The pod's effective request: the larger of (regular containers + sidecars) and the peak an
 * init container reaches (itself plus the sidecars started before it), plus the pod overhead.
 */
export function podRequests(spec: JsonObject): Resources {
  const total = emptyResources();
  for (const container of asArray(spec.containers)) addResources(total, requestsOf(container));
  const sidecars = emptyResources();
  const initPeak = emptyResources();
  for (const container of asArray(spec.initContainers)) {
    const own = requestsOf(container);
    if (isSidecar(container)) {
      addResources(sidecars, own);
      maxInto(initPeak, sidecars);
    } else {
      const peak = cloneResources(sidecars);
      addResources(peak, own);
      maxInto(initPeak, peak);
    }
  }
  addResources(total, sidecars);
  maxInto(total, initPeak);
  addList(total, spec.overhead);
  return total;
}

/** cpu and memory for scoring, where a container without a request counts as 100m / 200Mi. */
export function nonZeroRequests(spec: JsonObject): { milliCPU: number; memory: number } {
  let milliCPU = 0;
  let memory = 0;
  for (const container of asArray(spec.containers)) {
    const own = requestsOf(container);
    milliCPU += own.milliCPU === 0 && !hasRequest(container, "cpu") ? DEFAULT_MILLI_CPU_REQUEST : own.milliCPU;
    memory += own.memory === 0 && !hasRequest(container, "memory") ? DEFAULT_MEMORY_REQUEST : own.memory;
  }
  return { milliCPU, memory };
}

function hasRequest(container: unknown, name: string): boolean {
  const resources = isRecord(container) && isRecord(container.resources) ? container.resources : {};
  return isRecord(resources.requests) && resources.requests[name] !== undefined;
}

/** A node's allocatable (falling back to capacity, as kube does when allocatable is unset). */
export function nodeAllocatable(status: unknown): Resources & { pods: number } {
  const s = isRecord(status) ? status : {};
  const list = isRecord(s.allocatable) && Object.keys(s.allocatable).length > 0 ? s.allocatable : s.capacity;
  const out = emptyResources();
  addList(out, list);
  const pods = isRecord(list) ? tryParseQuantity(list.pods) : undefined;
  return { ...out, pods: pods ?? 0 };
}
