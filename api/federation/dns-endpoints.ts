// The same records as external-dns `DNSEndpoint`s (KubeFed's ServiceDNSRecord output), one per
// federated Service, so `external-dns --source=crd` can publish them in a public zone. With no
// client to be near, targets are in member-name order.
import type { FederationDnsView } from "./dns-view.ts";
import { nameContent, scopesOf, type ResolveContext } from "./dns-resolve.ts";
import { serviceDnsName } from "./dns-names.ts";

export interface DnsEndpointRecord {
  dnsName: string;
  recordType: "A" | "AAAA" | "CNAME";
  targets: string[];
  recordTTL: number;
}

export interface DnsEndpoint {
  apiVersion: "externaldns.k8s.io/v1alpha1";
  kind: "DNSEndpoint";
  metadata: { name: string; namespace: string };
  spec: { endpoints: DnsEndpointRecord[] };
}

export interface DnsEndpointList {
  apiVersion: "externaldns.k8s.io/v1alpha1";
  kind: "DNSEndpointList";
  metadata: Record<string, never>;
  items: DnsEndpoint[];
}

export function dnsEndpoints(view: FederationDnsView, context: Omit<ResolveContext, "client">): DnsEndpointList {
  const ttl = context.settings.ttl;
  const items = view.services.map((service): DnsEndpoint => {
    const endpoints: DnsEndpointRecord[] = [];
    for (const scope of scopesOf(view)) {
      const dnsName = serviceDnsName(
        { service: service.name, namespace: service.namespace, federation: context.federation, scope },
        context.settings.domain,
      );
      const content = nameContent(view, service, scope, context);
      if (content.kind === "alias")
        endpoints.push({ dnsName, recordType: "CNAME", targets: [content.target], recordTTL: ttl });
      if (content.kind !== "addresses") continue;
      if (content.a.length > 0) endpoints.push({ dnsName, recordType: "A", targets: content.a, recordTTL: ttl });
      if (content.aaaa.length > 0)
        endpoints.push({ dnsName, recordType: "AAAA", targets: content.aaaa, recordTTL: ttl });
    }
    return {
      apiVersion: "externaldns.k8s.io/v1alpha1",
      kind: "DNSEndpoint",
      metadata: { name: service.name, namespace: service.namespace },
      spec: { endpoints },
    };
  });
  return { apiVersion: "externaldns.k8s.io/v1alpha1", kind: "DNSEndpointList", metadata: {}, items };
}
