// Tables for networking.k8s.io and discovery.k8s.io kinds.
import type { EndpointSlice } from "kubernetes-types/discovery/v1";
import type { Ingress, IngressClass, NetworkPolicy } from "kubernetes-types/networking/v1";
import type { IPAddress, ServiceCIDR } from "kubernetes-types/networking/v1alpha1";
import type { TableConvertor } from "../registry/types.ts";
import {
  ageColumn,
  ageOf,
  col,
  formatLabelSelector,
  listWithMore,
  loadBalancerAddresses,
  nameColumn,
  view,
} from "./format.ts";

/** Up to three hosts named by the rules, "*" when none name a host. */
export function ingressHosts(ingress: Ingress): string {
  const rules = ingress.spec?.rules ?? [];
  const max = 3;
  const hosts: string[] = [];
  let more = false;
  for (const rule of rules) {
    if (hosts.length === max) more = true;
    if (!more && rule.host) hosts.push(rule.host);
  }
  if (hosts.length === 0) return "*";
  const joined = hosts.join(",");
  return more ? `${joined} + ${rules.length - max} more...` : joined;
}

export const ingressTable: TableConvertor = {
  columns: [
    nameColumn,
    col("Class", "string", "The ingress class."),
    col("Hosts", "string", "Hosts the rules match."),
    col("Address", "string", "Load balancer addresses."),
    col("Ports", "string", "Ports served (443 when TLS is configured)."),
    ageColumn,
  ],
  cells(obj, now) {
    const ing = view<Ingress>(obj);
    return [
      obj.metadata.name,
      ing.spec?.ingressClassName ?? "<none>",
      ingressHosts(ing),
      loadBalancerAddresses(ing.status?.loadBalancer?.ingress),
      (ing.spec?.tls ?? []).length > 0 ? "80, 443" : "80",
      ageOf(obj, now),
    ];
  },
};

export const ingressClassTable: TableConvertor = {
  columns: [
    nameColumn,
    col("Controller", "string", "The controller implementing the class."),
    col("Parameters", "string", "Reference to controller-specific parameters."),
    ageColumn,
  ],
  cells(obj, now) {
    const spec = view<IngressClass>(obj).spec;
    const p = spec?.parameters;
    const parameters = p ? `${p.apiGroup ? `${p.kind}.${p.apiGroup}` : p.kind}/${p.name}` : "<none>";
    return [obj.metadata.name, spec?.controller ?? "", parameters, ageOf(obj, now)];
  },
};

export const networkPolicyTable: TableConvertor = {
  columns: [nameColumn, col("Pod-Selector", "string", "Pods the policy applies to."), ageColumn],
  cells: (obj, now) => [
    obj.metadata.name,
    formatLabelSelector(view<NetworkPolicy>(obj).spec?.podSelector),
    ageOf(obj, now),
  ],
};

export const serviceCIDRTable: TableConvertor = {
  columns: [nameColumn, col("CIDRs", "string", "The IP ranges of the service CIDR."), ageColumn],
  cells: (obj, now) => [obj.metadata.name, (view<ServiceCIDR>(obj).spec?.cidrs ?? []).join(","), ageOf(obj, now)],
};

export const ipAddressTable: TableConvertor = {
  columns: [nameColumn, col("ParentRef", "string", "The object the address is allocated to.")],
  cells(obj) {
    const ref = view<IPAddress>(obj).spec?.parentRef;
    if (!ref) return [obj.metadata.name, "<none>"];
    const resource = (ref.group ? `${ref.resource}.${ref.group}` : ref.resource).toLowerCase();
    return [obj.metadata.name, `${resource}${ref.namespace ? `/${ref.namespace}` : ""}/${ref.name}`];
  },
};

/** First three port numbers (or names, or "*"), then " + N more...". */
export function slicePorts(slice: EndpointSlice): string {
  const ports = slice.ports ?? [];
  const max = 3;
  const list = ports.slice(0, max).map((p) => (p.port != null ? String(p.port) : (p.name ?? "*")));
  return listWithMore(list, ports.length > max, ports.length, max);
}

/** First three endpoint addresses, then " + N more...". */
export function sliceEndpoints(slice: EndpointSlice): string {
  const addresses = (slice.endpoints ?? []).flatMap((e) => e.addresses ?? []);
  const max = 3;
  return listWithMore(addresses.slice(0, max), addresses.length > max, addresses.length, max);
}

export const endpointSliceTable: TableConvertor = {
  columns: [
    nameColumn,
    col("AddressType", "string", "IPv4, IPv6 or FQDN."),
    col("Ports", "string", "Ports of the endpoints."),
    col("Endpoints", "string", "Endpoint addresses."),
    ageColumn,
  ],
  cells(obj, now) {
    const slice = view<EndpointSlice>(obj);
    return [obj.metadata.name, slice.addressType ?? "", slicePorts(slice), sliceEndpoints(slice), ageOf(obj, now)];
  },
};
