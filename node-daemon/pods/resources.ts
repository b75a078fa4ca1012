// Container resource quantities as numbers: what runtimes enforce and the downward API shows.
import type { Container } from "kubernetes-types/core/v1";
import { tryParseQuantity } from "../../api/validation/quantity.ts";

export interface NodeAllocatable {
  cpuCores: number;
  memoryBytes: number;
  ephemeralStorageBytes: number;
}

const quantity = (value: unknown) => tryParseQuantity(value);

export function runtimeResources(container: Container): {
  memoryLimitBytes?: number;
  cpuLimitMillis?: number;
  cpuRequestMillis?: number;
} {
  const limits = container.resources?.limits ?? {};
  const requests = container.resources?.requests ?? {};
  const memory = quantity(limits.memory);
  const cpuLimit = quantity(limits.cpu);
  const cpuRequest = quantity(requests.cpu) ?? cpuLimit;
  return {
    memoryLimitBytes: memory !== undefined ? Math.floor(memory) : undefined,
    cpuLimitMillis: cpuLimit !== undefined ? Math.ceil(cpuLimit * 1000) : undefined,
    cpuRequestMillis: cpuRequest !== undefined ? Math.ceil(cpuRequest * 1000) : undefined,
  };
}

/**
 * A resourceFieldRef's value: `limits.cpu`, `requests.memory`, … divided by the divisor and
 * rounded up. Unset limits report the node's allocatable amount, unset requests 0.
 */
export function resourceFieldValue(
  container: Container,
  resource: string,
  divisor: unknown,
  node: NodeAllocatable,
): string {
  const [kind, name] = resource.split(/\.(.*)/s);
  const set = kind === "limits" ? container.resources?.limits : container.resources?.requests;
  let value = quantity(set?.[name]);
  if (value === undefined && kind === "requests") value = quantity(container.resources?.limits?.[name]);
  if (value === undefined) {
    if (kind === "limits") {
      value =
        name === "cpu"
          ? node.cpuCores
          : name === "memory"
            ? node.memoryBytes
            : name === "ephemeral-storage"
              ? node.ephemeralStorageBytes
              : 0;
    } else value = 0;
  }
  const by = quantity(divisor ?? "1") || 1;
  return String(Math.ceil(value / by - 1e-9));
}
