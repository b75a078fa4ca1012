// Pod quality-of-service class, from the cpu and memory requests and limits of
// all its containers (init containers included).
import { tryParseQuantity } from "../../validation/quantity.ts";
import { asArray, isRecord, type JsonObject } from "../../validation/shape.ts";

export type QOSClass = "Guaranteed" | "Burstable" | "BestEffort";

const COMPUTE = ["cpu", "memory"] as const;

export function podQOSClass(spec: unknown): QOSClass {
  if (!isRecord(spec)) return "BestEffort";
  const requests = new Map<string, number>();
  const limits = new Map<string, number>();
  let guaranteed = true;
  for (const container of [...asArray(spec.initContainers), ...asArray(spec.containers)]) {
    const resources = isRecord(container) && isRecord(container.resources) ? container.resources : {};
    addPositive(requests, resources.requests);
    const own = addPositive(limits, resources.limits);
    // Guaranteed needs every container to limit both cpu and memory.
    if (!COMPUTE.every((r) => own.has(r))) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return "BestEffort";
  if (guaranteed && requests.size === limits.size && [...requests].every(([r, v]) => limits.get(r) === v))
    return "Guaranteed";
  return "Burstable";
}

/** Adds the container's non-zero cpu/memory quantities into `totals`; returns which it had. */
function addPositive(totals: Map<string, number>, list: unknown): Set<string> {
  const found = new Set<string>();
  const values: JsonObject = isRecord(list) ? list : {};
  for (const resource of COMPUTE) {
    const quantity = tryParseQuantity(values[resource]);
    if (quantity === undefined || quantity <= 0) continue;
    totals.set(resource, (totals.get(resource) ?? 0) + quantity);
    found.add(resource);
  }
  return found;
}
