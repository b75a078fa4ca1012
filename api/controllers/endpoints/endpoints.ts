// The core/v1 Endpoints of a Service with a selector: its Pods' addresses, ready ones in
// `addresses`, the others in `notReadyAddresses`, grouped into subsets by the ports they serve.
import type { EndpointAddress, EndpointPort, EndpointSubset } from "kubernetes-types/core/v1";
import type { KubeObject } from "../../types.ts";
import { endpointPorts, portsKey } from "./ports.ts";
import {
  HEADLESS_LABEL,
  hostnameFor,
  isHeadless,
  isPodReady,
  podIPOfFamily,
  podIPs,
  podView,
  selectedBy,
  serviceFamilies,
  serviceSelector,
  serviceView,
  shouldPodBeInEndpoints,
} from "./pods.ts";

/** The endpoints controller marks its Endpoints so they are not mirrored back into EndpointSlices. */
export const SKIP_MIRROR_LABEL = "endpointslice.kubernetes.io/skip-mirror";

function addressOf(pod: KubeObject, service: KubeObject, ip: string): EndpointAddress {
  const address: EndpointAddress = {
    ip,
    targetRef: {
      kind: "Pod",
      namespace: pod.metadata.namespace,
      name: pod.metadata.name,
      uid: pod.metadata.uid,
    },
  };
  const hostname = hostnameFor(pod, service);
  if (hostname) address.hostname = hostname;
  const nodeName = podView(pod).spec?.nodeName;
  if (nodeName) address.nodeName = nodeName;
  return address;
}

const byAddress = (a: EndpointAddress, b: EndpointAddress) =>
  a.ip === b.ip ? (a.targetRef?.name ?? "").localeCompare(b.targetRef?.name ?? "") : a.ip < b.ip ? -1 : 1;

/** Labels of a Service's Endpoints (and slices): the Service's own, plus the headless marker. */
export function endpointLabels(service: KubeObject): Record<string, string> {
  const labels: Record<string, string> = { ...(service.metadata.labels ?? {}) };
  if (isHeadless(service)) labels[HEADLESS_LABEL] = "";
  return labels;
}

export function buildSubsets(service: KubeObject, pods: KubeObject[]): EndpointSubset[] {
  const selector = serviceSelector(service);
  if (!selector) return [];
  const spec = serviceView(service).spec ?? {};
  const publishNotReady = spec.publishNotReadyAddresses === true;
  const family = serviceFamilies(service)[0]!;
  const groups = new Map<string, { ports: EndpointPort[]; ready: EndpointAddress[]; notReady: EndpointAddress[] }>();
  for (const pod of pods) {
    if (pod.metadata.namespace !== service.metadata.namespace || !selectedBy(selector, pod)) continue;
    if (!shouldPodBeInEndpoints(pod, publishNotReady)) continue;
    const ip = podIPOfFamily(pod, family) ?? podIPs(pod)[0]!;
    const servicePorts = spec.ports ?? [];
    const ports = endpointPorts(pod, servicePorts);
    // A Pod serving none of the Service's ports is left out (a headless Service without ports takes every Pod).
    if (servicePorts.length > 0 && ports.length === 0) continue;
    if (servicePorts.length === 0 && !isHeadless(service)) continue;
    const key = portsKey(ports);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { ports, ready: [], notReady: [] }));
    const address = addressOf(pod, service, ip);
    if (publishNotReady || isPodReady(pod)) group.ready.push(address);
    else group.notReady.push(address);
  }
  const subsets: EndpointSubset[] = [];
  for (const key of [...groups.keys()].sort()) {
    const group = groups.get(key)!;
    const subset: EndpointSubset = {};
    if (group.ready.length > 0) subset.addresses = group.ready.sort(byAddress);
    if (group.notReady.length > 0) subset.notReadyAddresses = group.notReady.sort(byAddress);
    if (group.ports.length > 0) subset.ports = group.ports;
    subsets.push(subset);
  }
  return subsets;
}

/** The Endpoints object the Service should have. */
export function desiredEndpoints(service: KubeObject, pods: KubeObject[]): KubeObject {
  const subsets = buildSubsets(service, pods);
  const endpoints: KubeObject = {
    apiVersion: "v1",
    kind: "Endpoints",
    metadata: {
      name: service.metadata.name,
      namespace: service.metadata.namespace,
      labels: { ...endpointLabels(service), [SKIP_MIRROR_LABEL]: "true" },
    },
  };
  if (subsets.length > 0) endpoints.subsets = subsets;
  return endpoints;
}
