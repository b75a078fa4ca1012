// A Service port's target on one Pod: a number, or a container port looked up by name.
import type { EndpointPort } from "kubernetes-types/core/v1";
import type { ServicePort } from "kubernetes-types/core/v1";
import type { KubeObject } from "../../types.ts";
import { podView } from "./pods.ts";

export function findTargetPort(pod: KubeObject, servicePort: ServicePort): number | undefined {
  const target = servicePort.targetPort ?? servicePort.port;
  if (typeof target === "number") return target;
  const protocol = servicePort.protocol ?? "TCP";
  const spec = podView(pod).spec;
  // Sidecars (init containers that keep running) serve ports too.
  const sidecars = (spec?.initContainers ?? []).filter((c) => c.restartPolicy === "Always");
  for (const container of [...(spec?.containers ?? []), ...sidecars]) {
    for (const port of container.ports ?? []) {
      if (port.name === target && (port.protocol ?? "TCP") === protocol) return port.containerPort;
    }
  }
  return undefined;
}

/** The endpoint ports of a Pod for the Service's ports (ports the Pod cannot serve are left out). */
export function endpointPorts(pod: KubeObject, servicePorts: ServicePort[]): EndpointPort[] {
  const result: EndpointPort[] = [];
  for (const sp of servicePorts) {
    const port = findTargetPort(pod, sp);
    if (port === undefined) continue;
    const ep: EndpointPort = { port, protocol: sp.protocol ?? "TCP" };
    if (sp.name) ep.name = sp.name;
    if (sp.appProtocol) ep.appProtocol = sp.appProtocol;
    result.push(ep);
  }
  return result;
}

export const portsKey = (ports: Array<Omit<EndpointPort, "port"> & { port?: number }>): string =>
  JSON.stringify(ports.map((p) => [p.name ?? "", p.port, p.protocol ?? "TCP", p.appProtocol ?? ""]));
