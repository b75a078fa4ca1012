// Service defaulting. Cluster IPs are allocated elsewhere; this only fills the
// fields Kubernetes defaults and keeps allocated values across updates.
import type { KubeObject } from "../../types.ts";
import { asArray, asString, isRecord, type JsonObject } from "../../validation/shape.ts";
import { child, objectsIn, setDefault, setDefaultString } from "./set.ts";

const CLIENT_IP_TIMEOUT_SECONDS = 10800;

export function defaultService(svc: KubeObject): void {
  const spec = isRecord(svc.spec) ? svc.spec : undefined;
  if (!spec) return;
  setDefaultString(spec, "type", "ClusterIP");
  setDefaultString(spec, "sessionAffinity", "None");
  const type = spec.type;
  for (const port of objectsIn(spec, "ports")) {
    setDefaultString(port, "protocol", "TCP");
    if (port.targetPort === undefined || port.targetPort === null || port.targetPort === 0 || port.targetPort === "") {
      port.targetPort = port.port;
    }
  }
  if (spec.sessionAffinity === "ClientIP") {
    const config = child(spec, "sessionAffinityConfig");
    const clientIP = config && child(config, "clientIP");
    if (clientIP) setDefault(clientIP, "timeoutSeconds", CLIENT_IP_TIMEOUT_SECONDS);
  }
  if (type === "NodePort" || type === "LoadBalancer") setDefaultString(spec, "externalTrafficPolicy", "Cluster");
  if (type === "LoadBalancer") setDefault(spec, "allocateLoadBalancerNodePorts", true);
  if (type === "ExternalName") return; // a DNS alias: no IPs, no traffic policy
  setDefaultString(spec, "internalTrafficPolicy", "Cluster");
  mirrorClusterIPs(spec);
  // Headless without a selector: endpoints are managed by hand and may be of either family.
  const headless = spec.clusterIP === "None";
  const hasSelector = isRecord(spec.selector) && Object.keys(spec.selector).length > 0;
  setDefaultString(spec, "ipFamilyPolicy", headless && !hasSelector ? "RequireDualStack" : "SingleStack");
  if (asArray(spec.ipFamilies).length === 0) spec.ipFamilies = [familyOf(asString(spec.clusterIP))];
}

/** clusterIP and clusterIPs[0] always agree. */
function mirrorClusterIPs(spec: JsonObject): void {
  const ip = asString(spec.clusterIP);
  const ips = asArray(spec.clusterIPs);
  if (ip !== "" && ips.length === 0) spec.clusterIPs = [ip];
  else if (ip === "" && typeof ips[0] === "string") spec.clusterIP = ips[0];
}

const familyOf = (ip: string) => (ip.includes(":") ? "IPv6" : "IPv4");

/** Status starts empty but present, as Kubernetes returns it. */
export function initialServiceStatus(svc: KubeObject): void {
  svc.status = { loadBalancer: {} };
}

/**
 * A replace (PUT) often omits what the server allocated: keep the old cluster IPs,
 * node ports and health-check port unless the type change makes them meaningless.
 */
export function keepAllocatedServiceFields(svc: KubeObject, old: KubeObject): void {
  const spec = isRecord(svc.spec) ? svc.spec : undefined;
  const oldSpec = isRecord(old.spec) ? old.spec : undefined;
  if (!spec || !oldSpec) return;
  if (spec.type !== "ExternalName" && oldSpec.type !== "ExternalName") {
    if (asString(spec.clusterIP) === "" && asArray(spec.clusterIPs).length === 0) {
      if (oldSpec.clusterIP !== undefined) spec.clusterIP = oldSpec.clusterIP;
      if (oldSpec.clusterIPs !== undefined) spec.clusterIPs = structuredClone(oldSpec.clusterIPs);
    }
    if (asArray(spec.ipFamilies).length === 0 && oldSpec.ipFamilies !== undefined)
      spec.ipFamilies = structuredClone(oldSpec.ipFamilies);
  }
  const nodePorts = spec.type === "NodePort" || spec.type === "LoadBalancer";
  if (!nodePorts) return;
  for (const port of objectsIn(spec, "ports")) {
    if (port.nodePort !== undefined && port.nodePort !== null && port.nodePort !== 0) continue;
    const match = objectsIn(oldSpec, "ports").find(
      (p) => p.port === port.port && (asString(p.protocol) || "TCP") === (asString(port.protocol) || "TCP"),
    );
    if (match?.nodePort !== undefined) port.nodePort = match.nodePort;
  }
  if (
    spec.healthCheckNodePort === undefined &&
    oldSpec.healthCheckNodePort !== undefined &&
    spec.externalTrafficPolicy === "Local"
  ) {
    spec.healthCheckNodePort = oldSpec.healthCheckNodePort;
  }
}
