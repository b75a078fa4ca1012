// Reading the resource requirements of pods and claims as amounts: each container's requests and
// limits, and a pod's total (containers summed, the largest init container if it needs more,
// plus the pod overhead), as the quota and LimitRange admission count them.
import type { KubeObject } from "../types.ts";
import { asArray, isRecord, type JsonObject } from "../validation/shape.ts";
import { add, compare, parseAmount, type Amount } from "./amount.ts";

export type ResourceAmounts = Map<string, Amount>;

export interface ContainerResources {
  name: string;
  init: boolean;
  requests: ResourceAmounts;
  limits: ResourceAmounts;
}

/** Parses a ResourceList; malformed entries (refused by validation) are left out. */
export function amountsOf(list: unknown): ResourceAmounts {
  const result: ResourceAmounts = new Map();
  if (!isRecord(list)) return result;
  for (const [name, value] of Object.entries(list)) {
    const amount = parseAmount(value);
    if (amount) result.set(name, amount);
  }
  return result;
}

export const podSpecOf = (pod: KubeObject): JsonObject => (isRecord(pod.spec) ? pod.spec : {});

/** The containers of a pod (regular first, then init containers), with their parsed resources. */
export function containersOf(pod: KubeObject): ContainerResources[] {
  const spec = podSpecOf(pod);
  const read = (list: unknown, init: boolean) =>
    asArray(list)
      .filter(isRecord)
      .map((container) => {
        const resources = isRecord(container.resources) ? container.resources : {};
        return {
          name: typeof container.name === "string" ? container.name : "",
          init,
          requests: amountsOf(resources.requests),
          limits: amountsOf(resources.limits),
        };
      });
  return [...read(spec.containers, false), ...read(spec.initContainers, true)];
}

/** Sum of the regular containers, raised to any init container that needs more, plus overhead. */
function podTotal(pod: KubeObject, pick: (c: ContainerResources) => ResourceAmounts): ResourceAmounts {
  const containers = containersOf(pod);
  const total: ResourceAmounts = new Map();
  for (const container of containers.filter((c) => !c.init)) {
    for (const [name, amount] of pick(container)) total.set(name, add(total.get(name) ?? amount0(amount), amount));
  }
  for (const container of containers.filter((c) => c.init)) {
    for (const [name, amount] of pick(container)) {
      const current = total.get(name);
      if (!current || compare(amount, current) > 0) total.set(name, amount);
    }
  }
  for (const [name, amount] of amountsOf(podSpecOf(pod).overhead)) {
    const current = total.get(name);
    total.set(name, current ? add(current, amount) : amount);
  }
  return total;
}

const amount0 = (like: Amount): Amount => ({ nanos: 0n, binary: like.binary });

export const podRequests = (pod: KubeObject): ResourceAmounts => podTotal(pod, (c) => c.requests);
export const podLimits = (pod: KubeObject): ResourceAmounts => podTotal(pod, (c) => c.limits);

/** A PersistentVolumeClaim's requested resources (spec.resources.requests). */
export function claimRequests(claim: KubeObject): ResourceAmounts {
  const spec = isRecord(claim.spec) ? claim.spec : {};
  const resources = isRecord(spec.resources) ? spec.resources : {};
  return amountsOf(resources.requests);
}
