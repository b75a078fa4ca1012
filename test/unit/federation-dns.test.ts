// A federation's DNS: Federation v1 names under the configured domain, the view built from
// Clusters, Service templates, bindings and override policies, and every answering rule —
// addresses of Ready members with healthy copies, nearest first; CNAMEs up the hierarchy;
// NODATA, NXDOMAIN and REFUSED — plus the external-dns DNSEndpoints of the same records.
import { describe, expect, it } from "vitest";
import { CLASS_IN, Rcode, RecordType, type ResourceRecord } from "../../api/dns/message.ts";
import { dnsEndpoints } from "../../api/federation/dns-endpoints.ts";
import {
  DEFAULT_DNS_DOMAIN,
  dnsSettings,
  parseDnsName,
  serviceDnsName,
  type DnsSettings,
} from "../../api/federation/dns-names.ts";
import { resolve, type ClientLocation } from "../../api/federation/dns-resolve.ts";
import { buildDnsView, type DnsViewSources, type FederationDnsView } from "../../api/federation/dns-view.ts";
import type {
  AggregatedStatusItem,
  MemberCluster,
  OverridePolicy,
  ResourceBinding,
} from "../../api/federation/types.ts";
import type { KubeObject } from "../../api/types.ts";

const SETTINGS: DnsSettings = { domain: "flotilla.local", ttl: 30 };
const FED = "fed";

function member(name: string, region: string | undefined, zones: string[], ready = true): MemberCluster {
  return {
    apiVersion: "cluster.karmada.io/v1alpha1",
    kind: "Cluster",
    metadata: { name },
    spec: { ...(region ? { region } : {}), zones },
    status: { conditions: [{ type: "Ready", status: ready ? "True" : "False" }] },
  };
}

function service(name: string, namespace = "shop", spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name, namespace, generation: 1 },
    spec: { type: "LoadBalancer", ports: [{ port: 80 }], ...spec },
  };
}

function binding(template: KubeObject, items: AggregatedStatusItem[]): ResourceBinding {
  return {
    apiVersion: "work.karmada.io/v1alpha2",
    kind: "ResourceBinding",
    metadata: { name: `${template.metadata.name}-service`, namespace: template.metadata.namespace },
    spec: {
      resource: {
        apiVersion: "v1",
        kind: "Service",
        namespace: template.metadata.namespace,
        name: template.metadata.name ?? "",
      },
      clusters: items.map((item) => ({ name: item.clusterName })),
    },
    status: { aggregatedStatus: items },
  };
}

const healthy = (clusterName: string, ips: string[] = []): AggregatedStatusItem => ({
  clusterName,
  applied: true,
  health: "Healthy",
  status: { loadBalancer: ips.length > 0 ? { ingress: ips.map((ip) => ({ ip })) } : {} },
});

/** Gives each named member its own externalIPs, as an OverridePolicy in the template's namespace. */
function externalIPsPolicy(name: string, perCluster: Record<string, string[]>, namespace = "shop"): OverridePolicy {
  return {
    apiVersion: "policy.karmada.io/v1alpha1",
    kind: "OverridePolicy",
    metadata: { name, namespace },
    spec: {
      resourceSelectors: [{ apiVersion: "v1", kind: "Service" }],
      overrideRules: Object.entries(perCluster).map(([cluster, ips]) => ({
        targetCluster: { clusterNames: [cluster] },
        overriders: { plaintext: [{ path: "/spec/externalIPs", operator: "add" as const, value: ips }] },
      })),
    },
  };
}

const MEMBERS = [
  member("east", "us-east", ["us-east-1a"]),
  member("east2", "us-east", ["us-east-1b"]),
  member("west", "us-west", ["us-west-2a"]),
  member("eu", "eu-central", ["eu-central-1a"]),
];

/** web: east and west serve through externalIPs, east2 through its load balancer; eu is unhealthy. */
function view(overrides: Partial<DnsViewSources> = {}): FederationDnsView {
  const web = service("web");
  return buildDnsView({
    federation: FED,
    serial: 42,
    clusters: MEMBERS,
    services: [web],
    bindings: [
      binding(web, [
        healthy("east"),
        healthy("east2", ["198.51.100.2"]),
        healthy("west"),
        { ...healthy("eu"), health: "Unhealthy" },
      ]),
    ],
    overridePolicies: [
      externalIPsPolicy("ips", { east: ["203.0.113.1"], west: ["203.0.113.3", "2001:db8::3"], eu: ["203.0.113.4"] }),
    ],
    clusterOverridePolicies: [],
    ...overrides,
  });
}

const ask = (
  name: string,
  type: number = RecordType.A,
  v: FederationDnsView = view(),
  client?: ClientLocation,
  settings = SETTINGS,
) => resolve({ name, type, class: CLASS_IN }, v, { federation: FED, settings, client });

const data = (records: ResourceRecord[]) =>
  records.map((r) => {
    const d = r.data;
    const value = d.kind === "A" || d.kind === "AAAA" ? d.address : d.kind === "CNAME" ? d.target : d.kind;
    return `${r.name} ${d.kind} ${value}`;
  });

const GLOBAL_NAME = "web.shop.fed.svc.flotilla.local";

describe("names", () => {
  it("builds and parses the global, region and zone names", () => {
    const name = { service: "web", namespace: "shop", federation: FED };
    expect(serviceDnsName({ ...name, scope: { level: "global" } }, "flotilla.local")).toBe(GLOBAL_NAME);
    expect(serviceDnsName({ ...name, scope: { level: "region", region: "us-east" } }, "flotilla.local")).toBe(
      "web.shop.fed.svc.us-east.flotilla.local",
    );
    expect(
      serviceDnsName({ ...name, scope: { level: "zone", zone: "us-east-1a", region: "us-east" } }, "flotilla.local"),
    ).toBe("web.shop.fed.svc.us-east-1a.us-east.flotilla.local");

    expect(parseDnsName("WEB.shop.fed.svc.us-east-1a.us-east.flotilla.local.", "flotilla.local")).toEqual({
      kind: "service",
      name: { ...name, scope: { level: "zone", zone: "us-east-1a", region: "us-east" } },
    });
    expect(parseDnsName("flotilla.local", "flotilla.local")).toEqual({ kind: "apex" });
    expect(parseDnsName("example.com", "flotilla.local")).toEqual({ kind: "outside" });
    expect(parseDnsName("notflotilla.local", "flotilla.local")).toEqual({ kind: "outside" });
    expect(parseDnsName("web.shop.fed.pods.flotilla.local", "flotilla.local")).toEqual({ kind: "other" });
    expect(parseDnsName("a.b.c.svc.d.e.f.flotilla.local", "flotilla.local")).toEqual({ kind: "other" });
  });

  it("takes the domain and TTL from the deployment's variables", () => {
    expect(dnsSettings({})).toEqual({ domain: DEFAULT_DNS_DOMAIN, ttl: 30 });
    expect(dnsSettings({ FEDERATION_DNS_DOMAIN: " Fed.Example.COM. ", FEDERATION_DNS_TTL: "5" })).toEqual({
      domain: "fed.example.com",
      ttl: 5,
    });
    expect(dnsSettings({ FEDERATION_DNS_TTL: "soon" }).ttl).toBe(30);
    expect(dnsSettings({ FEDERATION_DNS_TTL: "-1" }).ttl).toBe(30);
  });
});

describe("the view", () => {
  it("gives each copy its load-balancer IPs and the externalIPs its overrides give it", () => {
    const copies = view().services[0]!.copies;
    expect(copies).toEqual([
      { cluster: "east", healthy: true, addresses: ["203.0.113.1"] },
      { cluster: "east2", healthy: true, addresses: ["198.51.100.2"] },
      { cluster: "west", healthy: true, addresses: ["203.0.113.3", "2001:db8::3"] },
      { cluster: "eu", healthy: false, addresses: ["203.0.113.4"] },
    ]);
  });

  it("applies ClusterOverridePolicies, keeps the template's own externalIPs, and drops what is not an IP", () => {
    const web = service("web", "shop", { externalIPs: ["192.0.2.9", "not-an-ip"] });
    const clusterPolicy = {
      ...externalIPsPolicy("everywhere", { west: ["192.0.2.10"] }),
      kind: "ClusterOverridePolicy",
    };
    delete clusterPolicy.metadata.namespace;
    const v = view({
      services: [web],
      bindings: [binding(web, [healthy("east"), healthy("west", ["192.0.2.9", "2001:DB8:0::1"])])],
      overridePolicies: [],
      clusterOverridePolicies: [clusterPolicy],
    });
    expect(v.services[0]!.copies).toEqual([
      { cluster: "east", healthy: true, addresses: ["192.0.2.9"] },
      // Each address once, in canonical form: ingress first, then the overridden externalIPs.
      { cluster: "west", healthy: true, addresses: ["192.0.2.9", "2001:db8::1", "192.0.2.10"] },
    ]);
  });

  it("a copy the overrides cannot be made for has no externalIPs; an unregistered member none either", () => {
    const broken: OverridePolicy = {
      ...externalIPsPolicy("broken", {}),
      spec: {
        overrideRules: [
          {
            targetCluster: { clusterNames: ["east"] },
            overriders: { plaintext: [{ path: "/spec/nothing/here", operator: "replace", value: 1 }] },
          },
        ],
      },
    };
    const web = service("web", "shop", { externalIPs: ["192.0.2.9"] });
    const v = view({
      services: [web],
      bindings: [binding(web, [healthy("east"), healthy("gone")])],
      overridePolicies: [broken],
    });
    expect(v.services[0]!.copies.map((c) => c.addresses)).toEqual([[], []]);
  });

  it("lists only Services with a binding, not being deleted; bindings of other kinds are ignored", () => {
    const web = service("web");
    const lone = service("lone");
    const leaving = { ...service("leaving"), metadata: { ...service("leaving").metadata, deletionTimestamp: "x" } };
    const deploymentBinding = binding(service("web"), [healthy("east")]);
    deploymentBinding.spec.resource = { apiVersion: "apps/v1", kind: "Deployment", namespace: "shop", name: "lone" };
    const v = view({
      services: [web, lone, leaving],
      bindings: [binding(web, [healthy("east")]), binding(leaving, [healthy("east")]), deploymentBinding],
    });
    expect(v.services.map((s) => s.name)).toEqual(["web"]);
  });

  it("keeps members' places in lower case, and leaves out regions and zones that are no DNS label", () => {
    const v = view({
      clusters: [
        member("a", "US-East", ["Zone-A", "zone.b"]),
        member("b", "not a label", ["z"]),
        { ...member("c", "x", []), metadata: { name: "c", deletionTimestamp: "now" } },
      ],
    });
    expect(v.members).toEqual([
      { name: "a", region: "us-east", zones: ["zone-a"], ready: true },
      { name: "b", zones: ["z"], ready: true },
      { name: "c", region: "x", zones: [], ready: false },
    ]);
  });
});

describe("answers", () => {
  it("a global name holds every Ready member's healthy addresses, in member order without a client", () => {
    const result = ask(GLOBAL_NAME);
    expect(result.rcode).toBe(Rcode.NOERROR);
    expect(result.authoritative).toBe(true);
    expect(data(result.answers)).toEqual([
      `${GLOBAL_NAME} A 203.0.113.1`,
      `${GLOBAL_NAME} A 198.51.100.2`,
      `${GLOBAL_NAME} A 203.0.113.3`,
    ]);
    expect(result.answers.every((r) => r.ttl === 30 && r.class === CLASS_IN)).toBe(true);
    expect(result.authorities).toEqual([]);
  });

  it("orders by proximity: the client's zone, then its region, then the rest", () => {
    const addresses = (client: ClientLocation) =>
      ask(GLOBAL_NAME, RecordType.A, view(), client).answers.map((r) => (r.data as { address: string }).address);
    expect(addresses({ regions: ["us-west"] })).toEqual(["203.0.113.3", "203.0.113.1", "198.51.100.2"]);
    expect(addresses({ regions: ["us-east"], zone: "us-east-1b" })).toEqual([
      "198.51.100.2",
      "203.0.113.1",
      "203.0.113.3",
    ]);
    // Cloudflare gives a region's name and its code: either may be what members are labelled with.
    expect(addresses({ regions: ["Oregon", "US-WEST"] })[0]).toBe("203.0.113.3");
    expect(addresses({ regions: ["antarctica"] })).toEqual(["203.0.113.1", "198.51.100.2", "203.0.113.3"]);
  });

  it("a region or zone name holds only its own members", () => {
    expect(data(ask("web.shop.fed.svc.us-east.flotilla.local").answers)).toEqual([
      "web.shop.fed.svc.us-east.flotilla.local A 203.0.113.1",
      "web.shop.fed.svc.us-east.flotilla.local A 198.51.100.2",
    ]);
    expect(data(ask("web.shop.fed.svc.us-east-1b.us-east.flotilla.local").answers)).toEqual([
      "web.shop.fed.svc.us-east-1b.us-east.flotilla.local A 198.51.100.2",
    ]);
  });

  it("a region with no healthy member is a CNAME to the global name, followed to its addresses", () => {
    const result = ask("web.shop.fed.svc.eu-central.flotilla.local");
    expect(result.rcode).toBe(Rcode.NOERROR);
    expect(data(result.answers)).toEqual([
      `web.shop.fed.svc.eu-central.flotilla.local CNAME ${GLOBAL_NAME}`,
      `${GLOBAL_NAME} A 203.0.113.1`,
      `${GLOBAL_NAME} A 198.51.100.2`,
      `${GLOBAL_NAME} A 203.0.113.3`,
    ]);
  });

  it("a zone with none is a CNAME to its region, and on up when the region has none either", () => {
    const served = ask("web.shop.fed.svc.us-east-1a.us-east.flotilla.local");
    expect(data(served.answers)).toEqual(["web.shop.fed.svc.us-east-1a.us-east.flotilla.local A 203.0.113.1"]);
    const noEast = view({
      clusters: [
        member("east", "us-east", ["us-east-1a"], false),
        member("east2", "us-east", ["us-east-1b"]),
        MEMBERS[2]!,
      ],
    });
    expect(data(ask("web.shop.fed.svc.us-east-1a.us-east.flotilla.local", RecordType.A, noEast).answers)).toEqual([
      "web.shop.fed.svc.us-east-1a.us-east.flotilla.local CNAME web.shop.fed.svc.us-east.flotilla.local",
      "web.shop.fed.svc.us-east.flotilla.local A 198.51.100.2",
    ]);
    const onlyWest = view({
      clusters: [
        member("east", "us-east", ["us-east-1a"], false),
        member("east2", "us-east", ["us-east-1b"], false),
        MEMBERS[2]!,
      ],
    });
    expect(data(ask("web.shop.fed.svc.us-east-1a.us-east.flotilla.local", RecordType.A, onlyWest).answers)).toEqual([
      "web.shop.fed.svc.us-east-1a.us-east.flotilla.local CNAME web.shop.fed.svc.us-east.flotilla.local",
      `web.shop.fed.svc.us-east.flotilla.local CNAME ${GLOBAL_NAME}`,
      `${GLOBAL_NAME} A 203.0.113.3`,
    ]);
  });

  it("a member that is not Ready, a copy that is not healthy, or one without addresses does not count", () => {
    const web = service("web");
    const v = view({
      clusters: [member("east", "us-east", [], false), member("west", "us-west", []), member("eu", "eu-central", [])],
      services: [web],
      bindings: [
        binding(web, [
          healthy("east", ["192.0.2.1"]),
          { ...healthy("west", ["192.0.2.2"]), health: "Unknown" },
          healthy("eu"),
        ]),
      ],
      overridePolicies: [],
    });
    const result = ask(GLOBAL_NAME, RecordType.A, v);
    // NODATA: the name exists, with nothing in it; the SOA says how long to remember that.
    expect(result.rcode).toBe(Rcode.NOERROR);
    expect(result.answers).toEqual([]);
    expect(result.authorities).toEqual([
      {
        name: "flotilla.local",
        class: CLASS_IN,
        ttl: 30,
        data: {
          kind: "SOA",
          mname: "ns.flotilla.local",
          rname: "hostmaster.flotilla.local",
          serial: 42,
          refresh: 3600,
          retry: 600,
          expire: 86400,
          minimum: 30,
        },
      },
    ]);
    // The regions fall back to the (empty) global name.
    expect(data(ask("web.shop.fed.svc.us-west.flotilla.local", RecordType.A, v).answers)).toEqual([
      `web.shop.fed.svc.us-west.flotilla.local CNAME ${GLOBAL_NAME}`,
    ]);
  });

  it("answers AAAA with IPv6 addresses, ANY with both, and other types with NODATA", () => {
    expect(data(ask(GLOBAL_NAME, RecordType.AAAA).answers)).toEqual([`${GLOBAL_NAME} AAAA 2001:db8::3`]);
    expect(data(ask("web.shop.fed.svc.us-west.flotilla.local", RecordType.ANY).answers)).toEqual([
      "web.shop.fed.svc.us-west.flotilla.local A 203.0.113.3",
      "web.shop.fed.svc.us-west.flotilla.local AAAA 2001:db8::3",
    ]);
    const noV6 = ask("web.shop.fed.svc.us-east.flotilla.local", RecordType.AAAA);
    expect([noV6.rcode, noV6.answers, noV6.authorities.map((r) => r.data.kind)]).toEqual([Rcode.NOERROR, [], ["SOA"]]);
    const txt = ask(GLOBAL_NAME, RecordType.TXT);
    expect([txt.rcode, txt.answers, txt.authorities.length]).toEqual([Rcode.NOERROR, [], 1]);
  });

  it("a CNAME question about an aliased name gets the CNAME alone", () => {
    const result = ask("web.shop.fed.svc.eu-central.flotilla.local", RecordType.CNAME);
    expect(data(result.answers)).toEqual([`web.shop.fed.svc.eu-central.flotilla.local CNAME ${GLOBAL_NAME}`]);
    expect(result.authorities).toEqual([]);
    // With a type the alias does not end in, the chain comes with the SOA.
    const txt = ask("web.shop.fed.svc.eu-central.flotilla.local", RecordType.TXT);
    expect(txt.answers.map((r) => r.data.kind)).toEqual(["CNAME"]);
    expect(txt.authorities.map((r) => r.data.kind)).toEqual(["SOA"]);
  });

  it("names without regard to case, answering with the asker's spelling", () => {
    const result = ask("WEB.Shop.FED.svc.US-West.Flotilla.Local.");
    expect(data(result.answers)).toEqual(["WEB.Shop.FED.svc.US-West.Flotilla.Local A 203.0.113.3"]);
  });

  it("NXDOMAIN for names under the domain that do not exist, with the SOA", () => {
    for (const name of [
      "nope.shop.fed.svc.flotilla.local",
      "web.other.fed.svc.flotilla.local",
      "web.shop.otherfed.svc.flotilla.local",
      "web.shop.fed.svc.mars.flotilla.local",
      "web.shop.fed.svc.us-west-2a.us-east.flotilla.local",
      "www.flotilla.local",
    ]) {
      const result = ask(name);
      expect([name, result.rcode, result.answers, result.authoritative]).toEqual([name, Rcode.NXDOMAIN, [], true]);
      expect(result.authorities.map((r) => r.data.kind)).toEqual(["SOA"]);
    }
  });

  it("NODATA for the names between the domain and a Service's (empty non-terminals), and the apex's SOA", () => {
    for (const name of [
      "shop.fed.svc.flotilla.local",
      "svc.us-east.flotilla.local",
      "us-east-1a.us-east.flotilla.local",
    ]) {
      const result = ask(name);
      expect([name, result.rcode, result.answers.length]).toEqual([name, Rcode.NOERROR, 0]);
    }
    const apex = ask("flotilla.local", RecordType.SOA);
    expect(apex.answers.map((r) => r.data.kind)).toEqual(["SOA"]);
    expect(apex.authorities).toEqual([]);
  });

  it("REFUSED outside the domain, without claiming authority", () => {
    for (const name of ["example.com", "flotilla.localhost", "local"]) {
      expect(ask(name)).toEqual({ rcode: Rcode.REFUSED, answers: [], authorities: [], authoritative: false });
    }
  });

  it("uses the configured domain and TTL", () => {
    const settings = { domain: "fed.example.com", ttl: 5 };
    const result = ask("web.shop.fed.svc.us-west.fed.example.com", RecordType.A, view(), undefined, settings);
    expect(result.answers.map((r) => r.ttl)).toEqual([5]);
    expect(ask(GLOBAL_NAME, RecordType.A, view(), undefined, settings).rcode).toBe(Rcode.REFUSED);
  });
});

describe("DNSEndpoints for external-dns", () => {
  it("one per Service, with A/AAAA records where members serve and CNAMEs where none do", () => {
    const list = dnsEndpoints(view(), { federation: FED, settings: SETTINGS });
    expect(list).toMatchObject({ apiVersion: "externaldns.k8s.io/v1alpha1", kind: "DNSEndpointList" });
    expect(list.items).toHaveLength(1);
    expect(list.items[0]!.metadata).toEqual({ name: "web", namespace: "shop" });
    expect(list.items[0]!.spec.endpoints).toEqual([
      { dnsName: GLOBAL_NAME, recordType: "A", targets: ["203.0.113.1", "198.51.100.2", "203.0.113.3"], recordTTL: 30 },
      { dnsName: GLOBAL_NAME, recordType: "AAAA", targets: ["2001:db8::3"], recordTTL: 30 },
      {
        dnsName: "web.shop.fed.svc.eu-central.flotilla.local",
        recordType: "CNAME",
        targets: [GLOBAL_NAME],
        recordTTL: 30,
      },
      {
        dnsName: "web.shop.fed.svc.eu-central-1a.eu-central.flotilla.local",
        recordType: "CNAME",
        targets: ["web.shop.fed.svc.eu-central.flotilla.local"],
        recordTTL: 30,
      },
      {
        dnsName: "web.shop.fed.svc.us-east.flotilla.local",
        recordType: "A",
        targets: ["203.0.113.1", "198.51.100.2"],
        recordTTL: 30,
      },
      {
        dnsName: "web.shop.fed.svc.us-east-1a.us-east.flotilla.local",
        recordType: "A",
        targets: ["203.0.113.1"],
        recordTTL: 30,
      },
      {
        dnsName: "web.shop.fed.svc.us-east-1b.us-east.flotilla.local",
        recordType: "A",
        targets: ["198.51.100.2"],
        recordTTL: 30,
      },
      { dnsName: "web.shop.fed.svc.us-west.flotilla.local", recordType: "A", targets: ["203.0.113.3"], recordTTL: 30 },
      {
        dnsName: "web.shop.fed.svc.us-west.flotilla.local",
        recordType: "AAAA",
        targets: ["2001:db8::3"],
        recordTTL: 30,
      },
      {
        dnsName: "web.shop.fed.svc.us-west-2a.us-west.flotilla.local",
        recordType: "A",
        targets: ["203.0.113.3"],
        recordTTL: 30,
      },
      {
        dnsName: "web.shop.fed.svc.us-west-2a.us-west.flotilla.local",
        recordType: "AAAA",
        targets: ["2001:db8::3"],
        recordTTL: 30,
      },
    ]);
  });
});
