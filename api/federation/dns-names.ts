// Kubernetes Federation v1's DNS names for federated Services, under one configured domain:
//   global  <svc>.<ns>.<federation>.svc.<domain>
//   region  <svc>.<ns>.<federation>.svc.<region>.<domain>
//   zone    <svc>.<ns>.<federation>.svc.<zone>.<region>.<domain>
import { canonicalName } from "../dns/message.ts";

export const DEFAULT_DNS_DOMAIN = "flotilla.local";
/** Federation v1 used 180 s, which keeps clients on a failed cluster for minutes. */
export const DEFAULT_DNS_TTL = 30;

export interface DnsSettings {
  /** Lower case, without a trailing dot. */
  domain: string;
  ttl: number;
}

/** From the deployment's variables: FEDERATION_DNS_DOMAIN and FEDERATION_DNS_TTL (seconds). */
export function dnsSettings(vars: { FEDERATION_DNS_DOMAIN?: string; FEDERATION_DNS_TTL?: string }): DnsSettings {
  const domain = canonicalName(vars.FEDERATION_DNS_DOMAIN?.trim() || DEFAULT_DNS_DOMAIN);
  const ttl = Number(vars.FEDERATION_DNS_TTL);
  return {
    domain: domain || DEFAULT_DNS_DOMAIN,
    ttl: Number.isInteger(ttl) && ttl >= 0 && ttl <= 0x7fffffff ? ttl : DEFAULT_DNS_TTL,
  };
}

export type Scope =
  { level: "global" } | { level: "region"; region: string } | { level: "zone"; zone: string; region: string };

export const GLOBAL: Scope = { level: "global" };

export interface ServiceDnsName {
  service: string;
  namespace: string;
  federation: string;
  scope: Scope;
}

export function serviceDnsName(name: ServiceDnsName, domain: string): string {
  const where = scopeKey(name.scope);
  return `${name.service}.${name.namespace}.${name.federation}.svc${where ? `.${where}` : ""}.${domain}`.toLowerCase();
}

/** The part of a name a scope adds after `svc`: "", "<region>" or "<zone>.<region>". */
export const scopeKey = (scope: Scope): string =>
  scope.level === "zone" ? `${scope.zone}.${scope.region}` : scope.level === "region" ? scope.region : "";

/** Regions and zones name DNS labels: anything else (dots, spaces) cannot be given a name. */
export const isDnsLabel = (text: string): boolean => /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(text);

/** The name one level up: zone → region → global; none above global. */
export function parentScope(scope: Scope): Scope | undefined {
  if (scope.level === "zone") return { level: "region", region: scope.region };
  if (scope.level === "region") return GLOBAL;
  return undefined;
}

export type ParsedName =
  /** Not under the domain: not ours to answer. */
  | { kind: "outside" }
  | { kind: "apex" }
  | { kind: "service"; name: ServiceDnsName }
  /** Under the domain, but not shaped like a Service's name. */
  | { kind: "other" };

export function parseDnsName(name: string, domain: string): ParsedName {
  const canonical = canonicalName(name);
  if (canonical === domain) return { kind: "apex" };
  if (!canonical.endsWith(`.${domain}`)) return { kind: "outside" };
  const labels = canonical.slice(0, -domain.length - 1).split(".");
  if (labels.length < 4 || labels.length > 6 || labels[3] !== "svc") return { kind: "other" };
  const [service = "", namespace = "", federation = "", , first, second] = labels;
  const scope: Scope =
    first === undefined
      ? GLOBAL
      : second === undefined
        ? { level: "region", region: first }
        : { level: "zone", zone: first, region: second };
  return { kind: "service", name: { service, namespace, federation, scope } };
}
