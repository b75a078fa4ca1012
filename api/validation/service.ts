// core/v1 Services.
import type { FieldError } from "../errors.ts";
import type { KubeObject } from "../types.ts";
import { enumField, PROTOCOLS, portNumberErrors } from "./container.ts";
import { deepEqual } from "./equal.ts";
import { duplicate, forbidden, invalidEach, invalidValue, notSupported, required } from "./field.ts";
import { IP_ERROR, isIP } from "./ip.ts";
import { validateLabels } from "./meta.ts";
import { dns1123Label, dns1123Subdomain, portName, portNumber } from "./names.ts";
import { asArray, asString, isRecord, type JsonObject } from "./shape.ts";

const SERVICE_TYPES = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];
const specOf = (obj: KubeObject): JsonObject => (isRecord(obj.spec) ? obj.spec : {});

export function validateService(svc: KubeObject): FieldError[] {
  const spec = specOf(svc);
  const errors: FieldError[] = [];
  const type = spec.type ?? "ClusterIP";
  if (typeof type !== "string" || !SERVICE_TYPES.includes(type))
    errors.push(notSupported("spec.type", type, SERVICE_TYPES));
  const clusterIP = asString(spec.clusterIP);
  const headless = clusterIP === "None";
  const externalName = type === "ExternalName";

  if (externalName) {
    const target = asString(spec.externalName);
    if (target === "") errors.push(required("spec.externalName"));
    else errors.push(...invalidEach("spec.externalName", target, dns1123Subdomain(target.replace(/\.$/, ""))));
    if (clusterIP !== "") errors.push(forbidden("spec.clusterIP", "may not be set for ExternalName services"));
  } else if (clusterIP !== "" && !headless && !isIP(clusterIP)) {
    errors.push(invalidValue("spec.clusterIP", clusterIP, IP_ERROR));
  }
  if (headless && (type === "NodePort" || type === "LoadBalancer")) {
    errors.push(invalidValue("spec.clusterIP", clusterIP, `may not be set to 'None' for ${type} services`));
  }

  const ports = asArray(spec.ports);
  if (ports.length === 0 && !externalName && !headless) errors.push(required("spec.ports"));
  errors.push(...validateServicePorts(ports, type === "NodePort" || type === "LoadBalancer", String(type)));

  errors.push(...validateLabels(spec.selector, "spec.selector"));
  errors.push(...enumField(spec.sessionAffinity, "spec.sessionAffinity", ["None", "ClientIP"]));
  if (spec.sessionAffinity === "ClientIP" && isRecord(spec.sessionAffinityConfig)) {
    const clientIP = spec.sessionAffinityConfig.clientIP;
    const timeout = isRecord(clientIP) ? clientIP.timeoutSeconds : undefined;
    if (timeout !== undefined && (typeof timeout !== "number" || timeout <= 0 || timeout > 86400)) {
      errors.push(
        invalidValue(
          "spec.sessionAffinityConfig.clientIP.timeoutSeconds",
          timeout,
          "must be greater than 0 and less than 86400",
        ),
      );
    }
  }
  const external = spec.externalTrafficPolicy;
  if (external !== undefined && external !== null && external !== "") {
    if (type !== "NodePort" && type !== "LoadBalancer") {
      errors.push(
        invalidValue(
          "spec.externalTrafficPolicy",
          external,
          "may only be set when `type` is 'NodePort' or 'LoadBalancer'",
        ),
      );
    } else errors.push(...enumField(external, "spec.externalTrafficPolicy", ["Cluster", "Local"]));
  }
  errors.push(...enumField(spec.internalTrafficPolicy, "spec.internalTrafficPolicy", ["Cluster", "Local"]));
  errors.push(
    ...enumField(spec.ipFamilyPolicy, "spec.ipFamilyPolicy", ["SingleStack", "PreferDualStack", "RequireDualStack"]),
  );
  for (const [i, family] of asArray(spec.ipFamilies).entries()) {
    if (family !== "IPv4" && family !== "IPv6")
      errors.push(notSupported(`spec.ipFamilies[${i}]`, family, ["IPv4", "IPv6"]));
  }
  for (const [i, ip] of asArray(spec.externalIPs).entries()) {
    if (typeof ip !== "string" || !isIP(ip)) errors.push(invalidValue(`spec.externalIPs[${i}]`, ip, IP_ERROR));
  }
  return errors;
}

function validateServicePorts(ports: unknown[], nodePortsAllowed: boolean, type: string): FieldError[] {
  const errors: FieldError[] = [];
  const names = new Set<string>();
  const seen = new Set<string>();
  for (const [i, port] of ports.entries()) {
    const at = `spec.ports[${i}]`;
    if (!isRecord(port)) {
      errors.push(invalidValue(at, port, "must be an object"));
      continue;
    }
    const name = asString(port.name);
    // With several ports, names tell them apart (Endpoints and SRV records need them).
    if (ports.length > 1 && name === "") errors.push(required(`${at}.name`));
    if (name !== "") {
      errors.push(...invalidEach(`${at}.name`, name, dns1123Label(name)));
      if (names.has(name)) errors.push(duplicate(`${at}.name`, name));
      names.add(name);
    }
    errors.push(...portNumberErrors(port.port, `${at}.port`));
    errors.push(...enumField(port.protocol, `${at}.protocol`, PROTOCOLS));
    const key = `${String(port.port)}/${asString(port.protocol) || "TCP"}`;
    if (seen.has(key)) errors.push(duplicate(at, { port: port.port, protocol: asString(port.protocol) || "TCP" }));
    seen.add(key);
    const target = port.targetPort;
    if (typeof target === "number") errors.push(...invalidEach(`${at}.targetPort`, target, portNumber(target)));
    else if (typeof target === "string" && target !== "")
      errors.push(...invalidEach(`${at}.targetPort`, target, portName(target)));
    const nodePort = port.nodePort;
    if (nodePort !== undefined && nodePort !== null && nodePort !== 0) {
      if (!nodePortsAllowed) errors.push(forbidden(`${at}.nodePort`, `may not be used when \`type\` is '${type}'`));
      else errors.push(...portNumberErrors(nodePort, `${at}.nodePort`));
    }
  }
  return errors;
}

/** An allocated cluster IP stays until the Service becomes (or stops being) ExternalName. */
export function validateServiceUpdate(svc: KubeObject, old: KubeObject): FieldError[] {
  const spec = specOf(svc);
  const oldSpec = specOf(old);
  const oldIP = asString(oldSpec.clusterIP);
  if (oldIP === "" || spec.type === "ExternalName" || oldSpec.type === "ExternalName") return [];
  if (asString(spec.clusterIP) !== oldIP)
    return [invalidValue("spec.clusterIP", asString(spec.clusterIP), "field is immutable")];
  if (
    spec.clusterIPs !== undefined &&
    oldSpec.clusterIPs !== undefined &&
    !deepEqual(asArray(spec.clusterIPs)[0], asArray(oldSpec.clusterIPs)[0])
  ) {
    return [invalidValue("spec.clusterIPs[0]", spec.clusterIPs, "may not change once set")];
  }
  return [];
}
