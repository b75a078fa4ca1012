// What a federation's DNS needs to know, distilled from its objects: each member's place and
// readiness, and for each federated Service, each member copy's health and addresses. The
// ClusterStore builds it (it holds every object involved); resolving a name needs nothing else.
import { classifyAddress } from "../dns/addresses.ts";
import { findByKey } from "../registry/index.ts";
import { isObject, type KubeObject } from "../types.ts";
import { isDnsLabel } from "./dns-names.ts";
import { managedByValue, memberManifest } from "./member-manifest.ts";
import { applyOverrides } from "./overrides.ts";
import { matchingOverridePolicies } from "./policy-match.ts";
import { isClusterReady } from "./cluster-filter.ts";
import type { AggregatedStatusItem, MemberCluster, OverridePolicy, ResourceBinding } from "./types.ts";

export interface DnsMember {
  name: string;
  /** Lower case, as DNS names carry them. */
  region?: string;
  zones: string[];
  ready: boolean;
}

export interface DnsServiceCopy {
  cluster: string;
  healthy: boolean;
  /** Canonical IP texts: load-balancer ingress IPs first, then the copy's externalIPs. */
  addresses: string[];
}

export interface DnsService {
  namespace: string;
  name: string;
  copies: DnsServiceCopy[];
}

export interface FederationDnsView {
  /** Changes whenever the federation's data does (the store's revision): the SOA serial. */
  serial: number;
  members: DnsMember[];
  services: DnsService[];
}

export interface DnsViewSources {
  federation: string;
  serial: number;
  clusters: readonly MemberCluster[];
  /** Service templates of every namespace. */
  services: readonly KubeObject[];
  /** ResourceBindings of every namespace (those of other kinds are skipped). */
  bindings: readonly ResourceBinding[];
  overridePolicies: readonly OverridePolicy[];
  clusterOverridePolicies: readonly OverridePolicy[];
}

const isReady = (cluster: MemberCluster): boolean => !cluster.metadata.deletionTimestamp && isClusterReady(cluster);

/** A member's place; a region or zone that cannot be a DNS label is left out (no name could reach it). */
export function dnsMember(cluster: MemberCluster): DnsMember {
  const spec = cluster.spec ?? {};
  const region = spec.region?.toLowerCase();
  const zones = new Set(
    [...(spec.zones ?? []), ...(spec.zone ? [spec.zone] : [])].map((z) => z.toLowerCase()).filter(isDnsLabel),
  );
  return {
    name: cluster.metadata.name ?? "",
    ...(region && isDnsLabel(region) ? { region } : {}),
    zones: [...zones].sort(),
    ready: isReady(cluster),
  };
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];

/** The member's load-balancer IPs, as the binding reflected its status. */
function ingressIPs(item: AggregatedStatusItem): string[] {
  const loadBalancer = isObject(item.status?.loadBalancer) ? item.status.loadBalancer : {};
  const ingress = Array.isArray(loadBalancer.ingress) ? loadBalancer.ingress.filter(isObject) : [];
  return ingress.flatMap((entry) => (typeof entry.ip === "string" ? [entry.ip] : []));
}

/**
 * The externalIPs of the copy applied to `cluster`, made the way the propagation controller makes
 * it (member manifest, then override policies), so an OverridePolicy can give each member its own.
 */
function externalIPs(
  template: KubeObject,
  cluster: MemberCluster | undefined,
  overrides: readonly OverridePolicy[],
  managedBy: string,
): string[] {
  const def = findByKey("services");
  // An unregistered member was never given a copy.
  if (!def || !cluster) return [];
  const copy = applyOverrides(memberManifest(def, template, { managedBy }), cluster, overrides);
  // A copy the overrides cannot be applied to never reached the member: it has no addresses.
  if (!copy.ok) return [];
  return strings((copy.object.spec as { externalIPs?: unknown } | undefined)?.externalIPs);
}

function canonicalAddresses(texts: readonly string[]): string[] {
  const seen = new Set<string>();
  for (const text of texts) {
    const address = classifyAddress(text.trim())?.address;
    if (address) seen.add(address);
  }
  return [...seen];
}

const bindingKey = (namespace: string | undefined, name: string) => `${namespace ?? ""}/${name}`;

export function buildDnsView(sources: DnsViewSources): FederationDnsView {
  const clusters = new Map(sources.clusters.map((cluster) => [cluster.metadata.name ?? "", cluster]));
  const bindings = new Map<string, ResourceBinding>();
  for (const binding of sources.bindings) {
    const resource = binding.spec?.resource;
    if (resource?.apiVersion !== "v1" || resource.kind !== "Service") continue;
    bindings.set(bindingKey(resource.namespace ?? binding.metadata.namespace, resource.name), binding);
  }
  const services: DnsService[] = [];
  const def = findByKey("services");
  for (const template of sources.services) {
    const namespace = template.metadata.namespace ?? "";
    const name = template.metadata.name ?? "";
    const binding = bindings.get(bindingKey(namespace, name));
    if (!binding || template.metadata.deletionTimestamp) continue;
    const overrides = matchingOverridePolicies(template, sources.overridePolicies, sources.clusterOverridePolicies);
    const managedBy = def ? managedByValue(sources.federation, namespace, def, name) : "";
    const copies = (binding.status?.aggregatedStatus ?? []).map((item) => ({
      cluster: item.clusterName,
      healthy: item.health === "Healthy",
      addresses: canonicalAddresses([
        ...ingressIPs(item),
        ...externalIPs(template, clusters.get(item.clusterName), overrides, managedBy),
      ]),
    }));
    services.push({ namespace, name, copies });
  }
  const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  services.sort((a, b) => (a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : byName(a, b)));
  return { serial: sources.serial, members: sources.clusters.map(dnsMember).sort(byName), services };
}
