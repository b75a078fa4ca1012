// What a Service needs from the cluster's allocators: a ClusterIP from the service CIDR
// (unless headless or ExternalName) and node ports for NodePort/LoadBalancer ports.
import type { KubeObject } from "../types.ts";

export const SERVICE_CIDR = { base: [10, 96, 0, 0] as const, prefix: 12 };
export const NODE_PORT_RANGE = { first: 30000, last: 32767 };

interface ServiceSpec {
  type?: string;
  clusterIP?: string;
  clusterIPs?: string[];
  ports?: Array<{ nodePort?: number }>;
}

const specOf = (svc: KubeObject) => (svc.spec ?? {}) as ServiceSpec;

export function needsClusterIP(svc: KubeObject): boolean {
  const spec = specOf(svc);
  return spec.type !== "ExternalName" && (spec.clusterIP ?? "") === "" && (spec.clusterIPs ?? []).length === 0;
}

/** Requested node ports (already set) and how many more must be picked. */
export function nodePortNeeds(svc: KubeObject): { requested: number[]; missing: number } {
  const spec = specOf(svc);
  if (spec.type !== "NodePort" && spec.type !== "LoadBalancer") return { requested: [], missing: 0 };
  const ports = spec.ports ?? [];
  const requested = ports.map((p) => p.nodePort).filter((p): p is number => typeof p === "number" && p > 0);
  return { requested, missing: ports.filter((p) => !(typeof p.nodePort === "number" && p.nodePort > 0)).length };
}

export interface ServiceAddresses {
  clusterIP?: string;
  nodePorts: number[]; // for the ports that lacked one, in order
}

export function applyAddresses(svc: KubeObject, addresses: ServiceAddresses): void {
  const spec = specOf(svc);
  if (addresses.clusterIP) {
    spec.clusterIP = addresses.clusterIP;
    spec.clusterIPs = [addresses.clusterIP];
  }
  const picked = [...addresses.nodePorts];
  for (const port of spec.ports ?? []) {
    if (!(typeof port.nodePort === "number" && port.nodePort > 0) && picked.length > 0) port.nodePort = picked.shift();
  }
  svc.spec = spec;
}

/** The n-th address of the service CIDR (0 = network address). */
export function serviceIP(offset: number): string {
  const [a, b] = SERVICE_CIDR.base;
  const value = ((a << 24) | (b << 16)) + offset;
  return [(value >>> 24) & 255, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join(".");
}

export const serviceCIDRSize = () => 2 ** (32 - SERVICE_CIDR.prefix);
