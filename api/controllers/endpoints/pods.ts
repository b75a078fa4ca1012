// Which Pods back a Service, at which address, and how ready they are.
import type { Pod, Service } from "kubernetes-types/core/v1";
import type { KubeObject } from "../../types.ts";
import { isIPv6 } from "../../validation/ip.ts";

export const podView = (pod: KubeObject): Pod => pod as unknown as Pod;
export const serviceView = (service: KubeObject): Service => service as unknown as Service;

export const isPodReady = (pod: KubeObject): boolean =>
  (podView(pod).status?.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True");

const isTerminal = (pod: KubeObject) => {
  const phase = podView(pod).status?.phase;
  return phase === "Succeeded" || phase === "Failed";
};

/** Finished pods and pods without an address never back a Service; terminating ones only when asked. */
export function shouldPodBeInEndpoints(pod: KubeObject, includeTerminating: boolean): boolean {
  if (isTerminal(pod)) return false;
  if (podIPs(pod).length === 0) return false;
  if (!includeTerminating && pod.metadata.deletionTimestamp) return false;
  return true;
}

export function podIPs(pod: KubeObject): string[] {
  const status = podView(pod).status;
  const ips = (status?.podIPs ?? []).map((p) => p.ip).filter((ip): ip is string => !!ip);
  if (ips.length === 0 && status?.podIP) ips.push(status.podIP);
  return ips;
}

export type AddressType = "IPv4" | "IPv6";
export const familyOf = (ip: string): AddressType => (isIPv6(ip) ? "IPv6" : "IPv4");

/** The Pod's address in the given family, if it has one. */
export const podIPOfFamily = (pod: KubeObject, family: AddressType): string | undefined =>
  podIPs(pod).find((ip) => familyOf(ip) === family);

/** The address families a Service serves (ipFamilies, else from its cluster IP, else IPv4). */
export function serviceFamilies(service: KubeObject): AddressType[] {
  const spec = serviceView(service).spec;
  const families = (spec?.ipFamilies ?? []).filter((f): f is AddressType => f === "IPv4" || f === "IPv6");
  if (families.length > 0) return families;
  const clusterIP = spec?.clusterIP;
  if (clusterIP && clusterIP !== "None") return [familyOf(clusterIP)];
  return ["IPv4"];
}

/** A Pod with `hostname` in the Service's subdomain gets a DNS name under the Service. */
export function hostnameFor(pod: KubeObject, service: KubeObject): string | undefined {
  const spec = podView(pod).spec;
  if (!spec?.hostname || spec.subdomain !== service.metadata.name) return undefined;
  return pod.metadata.namespace === service.metadata.namespace ? spec.hostname : undefined;
}

/** A Service's equality selector; undefined when it has none (its endpoints are managed by hand). */
export function serviceSelector(service: KubeObject): Record<string, string> | undefined {
  const spec = serviceView(service).spec;
  if (spec?.type === "ExternalName") return undefined;
  const selector = spec?.selector;
  return selector && Object.keys(selector).length > 0 ? selector : undefined;
}

export function selectedBy(selector: Record<string, string>, pod: KubeObject): boolean {
  const labels = pod.metadata.labels ?? {};
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

export const isHeadless = (service: KubeObject) => serviceView(service).spec?.clusterIP === "None";
export const HEADLESS_LABEL = "service.kubernetes.io/headless";
