// core/v1 Endpoints and discovery.k8s.io/v1 EndpointSlices.
import type { FieldError } from "../errors.ts";
import type { KubeObject } from "../types.ts";
import { enumField, PROTOCOLS, portNumberErrors } from "./container.ts";
import { invalidEach, invalidValue, notSupported, required } from "./field.ts";
import { IP_ERROR, isIP, isIPv4, isIPv6 } from "./ip.ts";
import { dns1123Label, dns1123Subdomain } from "./names.ts";
import { asArray, asString, isRecord } from "./shape.ts";
import { immutable } from "./template.ts";

export function validateEndpoints(ep: KubeObject): FieldError[] {
  const errors: FieldError[] = [];
  for (const [i, subset] of asArray(ep.subsets).entries()) {
    const at = `subsets[${i}]`;
    if (!isRecord(subset)) continue;
    const addresses = asArray(subset.addresses);
    const notReady = asArray(subset.notReadyAddresses);
    if (addresses.length === 0 && notReady.length === 0) {
      errors.push(required(at, "must specify `addresses` or `notReadyAddresses`"));
    }
    for (const [field, list] of [
      ["addresses", addresses],
      ["notReadyAddresses", notReady],
    ] as const) {
      for (const [j, address] of list.entries()) {
        const ip = isRecord(address) ? asString(address.ip) : "";
        if (!isIP(ip)) errors.push(invalidValue(`${at}.${field}[${j}].ip`, ip, IP_ERROR));
      }
    }
    const ports = asArray(subset.ports);
    for (const [j, port] of ports.entries()) {
      if (!isRecord(port)) continue;
      const name = asString(port.name);
      if (ports.length > 1 && name === "") errors.push(required(`${at}.ports[${j}].name`));
      if (name !== "") errors.push(...invalidEach(`${at}.ports[${j}].name`, name, dns1123Label(name)));
      errors.push(...portNumberErrors(port.port, `${at}.ports[${j}].port`));
      errors.push(...enumField(port.protocol, `${at}.ports[${j}].protocol`, PROTOCOLS));
    }
  }
  return errors;
}

const ADDRESS_TYPES = ["IPv4", "IPv6", "FQDN"];
const MAX_ENDPOINTS = 1000;

export function validateEndpointSlice(slice: KubeObject): FieldError[] {
  const errors: FieldError[] = [];
  const addressType = slice.addressType;
  if (addressType === undefined || addressType === "") errors.push(required("addressType"));
  else if (typeof addressType !== "string" || !ADDRESS_TYPES.includes(addressType)) {
    errors.push(notSupported("addressType", addressType, ADDRESS_TYPES));
  }
  const endpoints = asArray(slice.endpoints);
  if (endpoints.length > MAX_ENDPOINTS)
    errors.push(invalidValue("endpoints", endpoints.length, `must have at most ${MAX_ENDPOINTS} items`));
  for (const [i, endpoint] of endpoints.entries()) {
    const at = `endpoints[${i}]`;
    if (!isRecord(endpoint)) continue;
    const addresses = asArray(endpoint.addresses);
    if (addresses.length === 0) errors.push(required(`${at}.addresses`, "must contain at least 1 address"));
    if (addresses.length > 100)
      errors.push(invalidValue(`${at}.addresses`, addresses.length, "must have at most 100 items"));
    for (const [j, address] of addresses.entries())
      errors.push(...addressErrors(String(addressType), address, `${at}.addresses[${j}]`));
  }
  for (const [i, port] of asArray(slice.ports).entries()) {
    const at = `ports[${i}]`;
    if (!isRecord(port)) continue;
    const name = asString(port.name);
    if (name !== "") errors.push(...invalidEach(`${at}.name`, name, dns1123Label(name)));
    if (port.port !== undefined && port.port !== null) errors.push(...portNumberErrors(port.port, `${at}.port`));
    errors.push(...enumField(port.protocol, `${at}.protocol`, PROTOCOLS));
  }
  return errors;
}

function addressErrors(type: string, address: unknown, path: string): FieldError[] {
  const text = typeof address === "string" ? address : "";
  if (type === "IPv4" && !isIPv4(text)) return [invalidValue(path, address, "must be a valid IPv4 address")];
  if (type === "IPv6" && !isIPv6(text)) return [invalidValue(path, address, "must be a valid IPv6 address")];
  if (type === "FQDN") return invalidEach(path, text, dns1123Subdomain(text));
  return [];
}

export const validateEndpointSliceUpdate = (slice: KubeObject, old: KubeObject) =>
  immutable(slice.addressType, old.addressType, "addressType");
