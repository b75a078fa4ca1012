// discovery.k8s.io/v1 EndpointSlices of a Service with a selector: one group per address
// family and port set, at most 100 endpoints a slice, and a placeholder slice when no Pod
// backs the Service. Existing slices are reused (updated in place) before new ones are made.
import type { Endpoint, EndpointPort } from "kubernetes-types/discovery/v1";
import type { KubeObject } from "../../types.ts";
import { deepEqual } from "../../lifecycle/object-meta.ts";
import { controllerRefTo } from "../gc/owner-refs.ts";
import { endpointLabels } from "./endpoints.ts";
import { endpointPorts, portsKey } from "./ports.ts";
import {
  hostnameFor,
  isPodReady,
  podIPOfFamily,
  podView,
  selectedBy,
  serviceFamilies,
  serviceSelector,
  serviceView,
  shouldPodBeInEndpoints,
  type AddressType,
} from "./pods.ts";

export const SERVICE_NAME_LABEL = "kubernetes.io/service-name";
export const MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by";
export const MANAGED_BY = "endpointslice-controller.k8s.io";
export const MAX_ENDPOINTS_PER_SLICE = 100;

export interface DesiredSlice {
  addressType: AddressType;
  ports: EndpointPort[];
  endpoints: Endpoint[];
}

function endpointOf(pod: KubeObject, service: KubeObject, ip: string): Endpoint {
  const publishNotReady = serviceView(service).spec?.publishNotReadyAddresses === true;
  const serving = publishNotReady || isPodReady(pod);
  const terminating = pod.metadata.deletionTimestamp !== undefined;
  // A terminating Pod is never "ready" (unless the Service publishes unready addresses).
  const ready = publishNotReady || (serving && !terminating);
  const endpoint: Endpoint = {
    addresses: [ip],
    conditions: { ready, serving, terminating },
    targetRef: { kind: "Pod", namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid },
  };
  const hostname = hostnameFor(pod, service);
  if (hostname) endpoint.hostname = hostname;
  const nodeName = podView(pod).spec?.nodeName;
  if (nodeName) endpoint.nodeName = nodeName;
  return endpoint;
}

const endpointOrder = (a: Endpoint, b: Endpoint) => {
  const [x, y] = [a.addresses[0] ?? "", b.addresses[0] ?? ""];
  return x === y ? (a.targetRef?.name ?? "").localeCompare(b.targetRef?.name ?? "") : x < y ? -1 : 1;
};

export function desiredSlices(service: KubeObject, pods: KubeObject[]): DesiredSlice[] {
  const selector = serviceSelector(service);
  if (!selector) return [];
  const families = serviceFamilies(service);
  const servicePorts = serviceView(service).spec?.ports ?? [];
  const groups = new Map<string, DesiredSlice>();
  for (const pod of pods) {
    if (pod.metadata.namespace !== service.metadata.namespace || !selectedBy(selector, pod)) continue;
    if (!shouldPodBeInEndpoints(pod, true)) continue;
    const ports = endpointPorts(pod, servicePorts);
    if (servicePorts.length > 0 && ports.length === 0) continue;
    for (const family of families) {
      const ip = podIPOfFamily(pod, family);
      if (!ip) continue;
      const key = `${family} ${portsKey(ports)}`;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { addressType: family, ports, endpoints: [] }));
      group.endpoints.push(endpointOf(pod, service, ip));
    }
  }
  const result: DesiredSlice[] = [];
  for (const key of [...groups.keys()].sort()) {
    const group = groups.get(key)!;
    const endpoints = group.endpoints.sort(endpointOrder);
    for (let i = 0; i < endpoints.length; i += MAX_ENDPOINTS_PER_SLICE) {
      result.push({ ...group, endpoints: endpoints.slice(i, i + MAX_ENDPOINTS_PER_SLICE) });
    }
  }
  // No Pod backs the Service: one empty slice says so.
  if (result.length === 0) result.push({ addressType: families[0]!, ports: [], endpoints: [] });
  return result;
}

/** The slices this controller made for a Service (by label). */
export const isManagedSliceOf = (slice: KubeObject, serviceName: string): boolean =>
  slice.metadata.labels?.[SERVICE_NAME_LABEL] === serviceName &&
  slice.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY;

function sliceBody(service: KubeObject, desired: DesiredSlice, existing?: KubeObject): KubeObject {
  const metadata: KubeObject["metadata"] = existing
    ? structuredClone(existing.metadata)
    : { generateName: `${(service.metadata.name ?? "").slice(0, 57)}-` };
  metadata.labels = {
    ...endpointLabels(service),
    [SERVICE_NAME_LABEL]: service.metadata.name ?? "",
    [MANAGED_BY_LABEL]: MANAGED_BY,
  };
  metadata.ownerReferences = [controllerRefTo(service)];
  const slice: KubeObject = {
    apiVersion: "discovery.k8s.io/v1",
    kind: "EndpointSlice",
    metadata,
    addressType: desired.addressType,
    endpoints: desired.endpoints,
  };
  // Unnamed ports carry name "" in slices (as Kubernetes writes them).
  if (desired.ports.length > 0) slice.ports = desired.ports.map((p) => ({ ...p, name: p.name ?? "" }));
  return slice;
}

export interface SlicePlan {
  create: KubeObject[];
  update: KubeObject[];
  delete: string[];
}

const sameContent = (a: KubeObject, b: KubeObject) =>
  a.addressType === b.addressType &&
  deepEqual(a.endpoints ?? [], b.endpoints ?? []) &&
  deepEqual(a.ports ?? [], b.ports ?? []) &&
  deepEqual(a.metadata.labels ?? {}, b.metadata.labels ?? {}) &&
  deepEqual(a.metadata.ownerReferences ?? [], b.metadata.ownerReferences ?? []);

/** Reuses existing slices of the same address type and ports, updates what differs, deletes the rest. */
export function planSlices(service: KubeObject, desired: DesiredSlice[], existing: KubeObject[]): SlicePlan {
  const plan: SlicePlan = { create: [], update: [], delete: [] };
  const pool = [...existing].sort((a, b) => (a.metadata.name ?? "").localeCompare(b.metadata.name ?? ""));
  const take = (d: DesiredSlice): KubeObject | undefined => {
    const key = portsKey(d.ports);
    // Prefer a slice with the same ports, else any slice of the family (address types cannot change).
    const exact = pool.findIndex((s) => s.addressType === d.addressType && portsKey(sortedPorts(s)) === key);
    const index = exact >= 0 ? exact : pool.findIndex((s) => s.addressType === d.addressType);
    return index >= 0 ? pool.splice(index, 1)[0] : undefined;
  };
  for (const d of desired) {
    const current = take(d);
    const body = sliceBody(service, d, current);
    if (!current) plan.create.push(body);
    else if (!sameContent(body, current)) plan.update.push(body);
  }
  plan.delete = pool.map((s) => s.metadata.name ?? "");
  return plan;
}

const sortedPorts = (slice: KubeObject): EndpointPort[] => (slice.ports as EndpointPort[] | undefined) ?? [];
