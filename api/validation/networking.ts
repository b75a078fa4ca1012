// networking.k8s.io/v1: Ingresses, IngressClasses and NetworkPolicies, with Kubernetes' field
// paths and messages (pkg/apis/networking/validation).
import type { FieldError } from "../errors.ts";
import type { KubeObject } from "../types.ts";
import { isStrictSubset, parseCIDR } from "./cidr.ts";
import { forbidden, invalidEach, invalidValue, notSupported, required, tooLong } from "./field.ts";
import { CIDR_ERROR, IP_ERROR, isIP } from "./ip.ts";
import {
  dns1035Label,
  dns1123Label,
  dns1123Subdomain,
  httpPath,
  pathSegmentName,
  portName,
  portNumber,
  wildcardDNS1123Subdomain,
} from "./names.ts";
import { validateLabelSelector } from "./selectors.ts";
import { asArray, asNumber, asString, isRecord, type JsonObject } from "./shape.ts";
import { immutable } from "./template.ts";

const specOf = (obj: KubeObject): JsonObject => (isRecord(obj.spec) ? obj.spec : {});
const isSet = (value: unknown) => value !== undefined && value !== null;

/**
 * An Invalid error whose bad value is a Go slice, printed as Kubernetes prints it
 * (`[]networking.IngressRule(nil)`, `[]networking.PolicyType{"Ingress"}`).
 */
function invalidGoSlice(field: string, type: string, value: unknown, detail: string): FieldError {
  const shown = Array.isArray(value) ? `${type}{${value.map((v) => JSON.stringify(v)).join(", ")}}` : `${type}(nil)`;
  return { field, type: "FieldValueInvalid", message: `Invalid value: ${shown}: ${detail}` };
}

/** Go's sloppy IP parser also reads IPv4 parts with leading zeros ("010.1.1.1"). */
const looksLikeIP = (text: string): boolean =>
  isIP(text) || (/^\d+(\.\d+){3}$/.test(text) && text.split(".").every((part) => Number(part) <= 255));

// ---- Ingress ----

const INGRESS_CLASS_ANNOTATION = "kubernetes.io/ingress.class";
const PATH_TYPES = ["Exact", "ImplementationSpecific", "Prefix"];
const INVALID_PATH_SEQUENCES = ["//", "/./", "/../", "%2f", "%2F"];
const INVALID_PATH_SUFFIXES = ["/..", "/."];

export function validateIngress(ingress: KubeObject): FieldError[] {
  const spec = specOf(ingress);
  const errors: FieldError[] = [];
  const rules = asArray(spec.rules);
  if (rules.length === 0 && !isSet(spec.defaultBackend)) {
    errors.push(
      invalidGoSlice(
        "spec",
        "[]networking.IngressRule",
        spec.rules,
        "either `defaultBackend` or `rules` must be specified",
      ),
    );
  }
  if (isSet(spec.defaultBackend)) errors.push(...validateBackend(spec.defaultBackend, "spec.defaultBackend"));
  for (const [i, rule] of rules.entries()) errors.push(...validateRule(rule, `spec.rules[${i}]`));
  for (const [i, tls] of asArray(spec.tls).entries()) errors.push(...validateTLS(tls, `spec.tls[${i}]`));
  if (typeof spec.ingressClassName === "string") {
    errors.push(
      ...invalidEach("spec.ingressClassName", spec.ingressClassName, dns1123Subdomain(spec.ingressClassName)),
    );
  }
  // Kubernetes checks this on create only; our validate also runs on update, where the two rarely diverge.
  const annotation = ingress.metadata.annotations?.[INGRESS_CLASS_ANNOTATION];
  if (annotation !== undefined && typeof spec.ingressClassName === "string" && annotation !== spec.ingressClassName) {
    errors.push(
      invalidValue(
        `annotations.${INGRESS_CLASS_ANNOTATION}`,
        annotation,
        "must match `ingressClassName` when both are specified",
      ),
    );
  }
  return errors;
}

/** Hosts of rules and TLS entries: a DNS subdomain, or one with a leading "*." wildcard. */
const hostErrors = (host: string): string[] =>
  host.includes("*") ? wildcardDNS1123Subdomain(host) : dns1123Subdomain(host);

function validateRule(rule: unknown, path: string): FieldError[] {
  if (!isRecord(rule)) return [invalidValue(path, rule, "must be an object")];
  const errors: FieldError[] = [];
  const host = asString(rule.host);
  if (host !== "") {
    if (looksLikeIP(host)) errors.push(invalidValue(`${path}.host`, host, "must be a DNS name, not an IP address"));
    errors.push(...invalidEach(`${path}.host`, host, hostErrors(host)));
  }
  if (isRecord(rule.http)) {
    const paths = asArray(rule.http.paths);
    if (paths.length === 0) errors.push(required(`${path}.http.paths`));
    for (const [i, p] of paths.entries()) errors.push(...validateHTTPPath(p, `${path}.http.paths[${i}]`));
  }
  return errors;
}

function validateHTTPPath(httpPath: unknown, path: string): FieldError[] {
  if (!isRecord(httpPath)) return [invalidValue(path, httpPath, "must be an object")];
  const pathType = httpPath.pathType;
  // Without a pathType Kubernetes stops here: the backend is not looked at.
  if (!isSet(pathType)) return [required(`${path}.pathType`, "pathType must be specified")];
  const errors: FieldError[] = [];
  const value = asString(httpPath.path);
  const at = `${path}.path`;
  if (pathType === "Exact" || pathType === "Prefix") {
    if (!value.startsWith("/")) errors.push(invalidValue(at, value, "must be an absolute path"));
    for (const sequence of INVALID_PATH_SEQUENCES)
      if (value.includes(sequence)) errors.push(invalidValue(at, value, `must not contain '${sequence}'`));
    for (const suffix of INVALID_PATH_SUFFIXES)
      if (value.endsWith(suffix)) errors.push(invalidValue(at, value, `cannot end with '${suffix}'`));
  } else if (pathType === "ImplementationSpecific") {
    if (value !== "" && !value.startsWith("/")) errors.push(invalidValue(at, value, "must be an absolute path"));
  } else {
    errors.push(notSupported(`${path}.pathType`, pathType, PATH_TYPES));
  }
  errors.push(...validateBackend(httpPath.backend, `${path}.backend`));
  return errors;
}

function validateBackend(backend: unknown, path: string): FieldError[] {
  const b = isRecord(backend) ? backend : {};
  const hasResource = isSet(b.resource);
  const hasService = isSet(b.service);
  if (hasResource && hasService) return [invalidValue(path, "", "cannot set both resource and service backends")];
  if (hasResource) return validateResourceBackend(b.resource, `${path}.resource`);
  if (!hasService) return [invalidValue(path, "", "resource or service backend is required")];

  const service = isRecord(b.service) ? b.service : {};
  const errors: FieldError[] = [];
  const name = asString(service.name);
  if (name === "") errors.push(required(`${path}.service.name`));
  else errors.push(...invalidEach(`${path}.service.name`, name, dns1035Label(name)));
  // As in Kubernetes, "" and 0 mean "not set" (the Go fields are plain values).
  const port = isRecord(service.port) ? service.port : {};
  const portByName = asString(port.name);
  const portByNumber = asNumber(port.number) ?? 0;
  if (portByName !== "" && portByNumber !== 0) {
    errors.push(invalidValue(path, "", "cannot set both port name & port number"));
  } else if (portByName !== "") {
    errors.push(...invalidEach(`${path}.service.port.name`, portByName, portName(portByName)));
  } else if (portByNumber !== 0) {
    errors.push(...invalidEach(`${path}.service.port.number`, portByNumber, portNumber(portByNumber)));
  } else {
    errors.push(required(path, "port name or number is required"));
  }
  return errors;
}

/** A TypedLocalObjectReference, or an IngressClass's parameters (which add scope and namespace). */
function validateObjectReference(ref: JsonObject, path: string): FieldError[] {
  const errors: FieldError[] = [];
  // Set but empty is invalid: "" is not a DNS subdomain (the core group is written by leaving it out).
  if (typeof ref.apiGroup === "string")
    errors.push(...invalidEach(`${path}.apiGroup`, ref.apiGroup, dns1123Subdomain(ref.apiGroup)));
  for (const key of ["kind", "name"]) {
    const value = asString(ref[key]);
    if (value === "") errors.push(required(`${path}.${key}`));
    else errors.push(...invalidEach(`${path}.${key}`, value, pathSegmentName(value)));
  }
  return errors;
}

const validateResourceBackend = (resource: unknown, path: string): FieldError[] =>
  isRecord(resource) ? validateObjectReference(resource, path) : [invalidValue(path, resource, "must be an object")];

function validateTLS(tls: unknown, path: string): FieldError[] {
  if (!isRecord(tls)) return [invalidValue(path, tls, "must be an object")];
  const errors: FieldError[] = [];
  for (const [i, host] of asArray(tls.hosts).entries()) {
    const text = asString(host);
    errors.push(...invalidEach(`${path}.hosts[${i}]`, text, hostErrors(text)));
  }
  const secretName = asString(tls.secretName);
  if (secretName !== "") errors.push(...invalidEach(`${path}.secretName`, secretName, dns1123Subdomain(secretName)));
  return errors;
}

/** /status: load-balancer points must be IPs and DNS names. */
export function validateIngressStatusUpdate(ingress: KubeObject): FieldError[] {
  const status = isRecord(ingress.status) ? ingress.status : {};
  const loadBalancer = isRecord(status.loadBalancer) ? status.loadBalancer : {};
  const errors: FieldError[] = [];
  for (const [i, point] of asArray(loadBalancer.ingress).entries()) {
    const path = `status.loadBalancer.ingress[${i}]`;
    const entry = isRecord(point) ? point : {};
    const ip = asString(entry.ip);
    if (ip !== "" && !looksLikeIP(ip)) errors.push(invalidValue(`${path}.ip`, ip, IP_ERROR));
    const hostname = asString(entry.hostname);
    if (hostname === "") continue;
    errors.push(...invalidEach(`${path}.hostname`, hostname, dns1123Subdomain(hostname)));
    if (looksLikeIP(hostname))
      errors.push(invalidValue(`${path}.hostname`, hostname, "must be a DNS name, not an IP address"));
  }
  return errors;
}

// ---- IngressClass ----

const MAX_CONTROLLER_LENGTH = 250;
const PARAMETER_SCOPES = ["Cluster", "Namespace"];

export function validateIngressClass(ingressClass: KubeObject): FieldError[] {
  const spec = specOf(ingressClass);
  const errors: FieldError[] = [];
  const controller = asString(spec.controller);
  if (controller === "") errors.push(required("spec.controller"));
  else {
    if (controller.length > MAX_CONTROLLER_LENGTH) errors.push(tooLong("spec.controller", MAX_CONTROLLER_LENGTH));
    errors.push(...domainPrefixedPath("spec.controller", controller));
  }
  if (isSet(spec.parameters)) errors.push(...validateParameters(spec.parameters, "spec.parameters"));
  return errors;
}

/** The controller cannot change: ingresses of the class would move to another implementation. */
export const validateIngressClassUpdate = (ingressClass: KubeObject, old: KubeObject): FieldError[] =>
  immutable(specOf(ingressClass).controller, specOf(old).controller, "spec.controller");

/** "example.com/ingress-controller": a DNS subdomain, "/", then HTTP path characters. */
function domainPrefixedPath(field: string, value: string): FieldError[] {
  const slash = value.indexOf("/");
  const host = slash < 0 ? "" : value.slice(0, slash);
  const rest = slash < 0 ? "" : value.slice(slash + 1);
  if (host === "" || rest === "") {
    return [invalidValue(field, value, 'must be a domain-prefixed path (such as "acme.io/foo")')];
  }
  return [...invalidEach(field, host, dns1123Subdomain(host)), ...invalidEach(field, rest, httpPath(rest))];
}

function validateParameters(parameters: unknown, path: string): FieldError[] {
  if (!isRecord(parameters)) return [invalidValue(path, parameters, "must be an object")];
  const errors = validateObjectReference(parameters, path);
  if (!isSet(parameters.scope)) return [...errors, required(`${path}.scope`)];
  const scope = parameters.scope;
  if (typeof scope !== "string" || !PARAMETER_SCOPES.includes(scope)) {
    return [...errors, notSupported(`${path}.scope`, scope, PARAMETER_SCOPES)];
  }
  const namespace = parameters.namespace;
  if (scope === "Namespace") {
    if (!isSet(namespace)) errors.push(required(`${path}.namespace`, "`parameters.scope` is set to 'Namespace'"));
    else errors.push(...invalidEach(`${path}.namespace`, namespace, dns1123Label(asString(namespace))));
  } else if (isSet(namespace)) {
    errors.push(forbidden(`${path}.namespace`, "`parameters.scope` is set to 'Cluster'"));
  }
  return errors;
}

// ---- NetworkPolicy ----

const POLICY_TYPES = ["Ingress", "Egress"];
const PROTOCOLS = ["TCP", "UDP", "SCTP"];

export function validateNetworkPolicy(policy: KubeObject): FieldError[] {
  const spec = specOf(policy);
  const errors = validateLabelSelector(spec.podSelector, "spec.podSelector");
  const directions = [
    ["ingress", "from"],
    ["egress", "to"],
  ] as const;
  for (const [direction, peers] of directions) {
    for (const [i, rule] of asArray(spec[direction]).entries()) {
      const path = `spec.${direction}[${i}]`;
      const r = isRecord(rule) ? rule : {};
      for (const [j, port] of asArray(r.ports).entries()) errors.push(...validatePort(port, `${path}.ports[${j}]`));
      for (const [j, peer] of asArray(r[peers]).entries()) errors.push(...validatePeer(peer, `${path}.${peers}[${j}]`));
    }
  }
  const types = asArray(spec.policyTypes);
  if (types.length > POLICY_TYPES.length) {
    errors.push(
      invalidGoSlice("spec.policyTypes", "[]networking.PolicyType", types, "may not specify more than two policyTypes"),
    );
    return errors;
  }
  // Kubernetes accepts a type listed twice (["Ingress", "Ingress"]), so duplicates are not errors here either.
  for (const [i, type] of types.entries()) {
    if (typeof type !== "string" || !POLICY_TYPES.includes(type))
      errors.push(notSupported(`spec.policyTypes[${i}]`, type, POLICY_TYPES));
  }
  return errors;
}

function validatePort(port: unknown, path: string): FieldError[] {
  if (!isRecord(port)) return [invalidValue(path, port, "must be an object")];
  const errors: FieldError[] = [];
  if (isSet(port.protocol) && !PROTOCOLS.includes(port.protocol as string)) {
    errors.push(notSupported(`${path}.protocol`, port.protocol, PROTOCOLS));
  }
  const endPort = port.endPort;
  const hasEnd = isSet(endPort);
  if (typeof port.port === "number") {
    errors.push(...invalidEach(`${path}.port`, port.port, portNumber(port.port)));
    if (hasEnd) {
      const end = asNumber(endPort) ?? 0;
      if (end < port.port)
        errors.push(invalidValue(`${path}.endPort`, endPort, "must be greater than or equal to `port`"));
      errors.push(...invalidEach(`${path}.endPort`, endPort, portNumber(end)));
    }
  } else if (isSet(port.port)) {
    if (hasEnd)
      errors.push(invalidValue(`${path}.endPort`, endPort, "may not be specified when `port` is non-numeric"));
    const name = asString(port.port);
    errors.push(...invalidEach(`${path}.port`, name, portName(name)));
  } else if (hasEnd) {
    errors.push(invalidValue(`${path}.endPort`, endPort, "may not be specified when `port` is not specified"));
  }
  return errors;
}

function validatePeer(peer: unknown, path: string): FieldError[] {
  const p = isRecord(peer) ? peer : {};
  const errors: FieldError[] = [];
  let kinds = 0;
  for (const selector of ["podSelector", "namespaceSelector"]) {
    if (!isSet(p[selector])) continue;
    kinds += 1;
    errors.push(...validateLabelSelector(p[selector], `${path}.${selector}`));
  }
  if (isSet(p.ipBlock)) {
    kinds += 1;
    errors.push(...validateIPBlock(p.ipBlock, `${path}.ipBlock`));
  }
  if (kinds === 0) errors.push(required(path, "must specify a peer"));
  else if (kinds > 1 && isSet(p.ipBlock)) errors.push(forbidden(path, "may not specify both ipBlock and another peer"));
  return errors;
}

function validateIPBlock(ipBlock: unknown, path: string): FieldError[] {
  const block = isRecord(ipBlock) ? ipBlock : {};
  const cidr = asString(block.cidr);
  if (cidr === "") return [required(`${path}.cidr`)];
  const outer = parseCIDR(cidr);
  if (!outer) return [invalidValue(`${path}.cidr`, cidr, CIDR_ERROR)];
  const errors: FieldError[] = [];
  for (const [i, except] of asArray(block.except).entries()) {
    const at = `${path}.except[${i}]`;
    const text = asString(except);
    const inner = parseCIDR(text);
    if (!inner) errors.push(invalidValue(at, text, CIDR_ERROR));
    else if (!isStrictSubset(inner, outer)) errors.push(invalidValue(at, text, "must be a strict subset of `cidr`"));
  }
  return errors;
}
