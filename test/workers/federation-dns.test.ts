// A federation's DNS over HTTPS, end to end inside workerd: a Service propagated to two members
// (us-east, us-west), each given its own external IP by an OverridePolicy, answered over RFC 8484
// (GET and POST with real wire packets) and the JSON flavour, without credentials. A member whose
// copy stops serving (an override gives it a selector with no ready endpoints) drops out of the
// global name, and its region falls back to a CNAME.
import { describe, expect, it } from "vitest";
import { decodeBase64Url, encodeBase64Url } from "../../api/dns/doh.ts";
import { CLASS_IN, Rcode, RecordType, type DnsMessage } from "../../api/dns/message.ts";
import { decodeMessage, encodeMessage } from "../../api/dns/wire.ts";
import type { KubeObject } from "../../api/types.ts";
import { OP, PP, RB, federationWithTwoMembers } from "./federation-fixtures.ts";
import { call, callJson, expectStatus, type Status } from "./helpers.ts";
import { eventually } from "./scheduler-fixtures.ts";

const DNS_MESSAGE = "application/dns-message";
const EAST_IP = "192.0.2.10";
const WEST_IP = "192.0.2.20";
const WEST_IPV6 = "2001:db8::20";

function query(name: string, type: number, id = 0): Uint8Array {
  return encodeMessage({
    header: { id, qr: false, opcode: 0, aa: false, tc: false, rd: true, ra: false, ad: false, cd: false, rcode: 0 },
    questions: [{ name, type, class: CLASS_IN }],
    answers: [],
    authorities: [],
    additionals: [],
    edns: { udpPayloadSize: 4096, version: 0, dnssecOk: false, options: [{ code: 12, data: new Uint8Array(4) }] },
  });
}

interface DohAnswer {
  response: Response;
  message: DnsMessage;
}

async function answerOf(response: Response): Promise<DohAnswer> {
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe(DNS_MESSAGE);
  return { response, message: decodeMessage(new Uint8Array(await response.arrayBuffer())) };
}

const get = async (fed: string, name: string, type: number = RecordType.A, extra = "") =>
  answerOf(await call(`/clusters/${fed}/dns-query?dns=${encodeBase64Url(query(name, type))}${extra}`, { token: null }));

const post = async (fed: string, name: string, type: number = RecordType.A, headers: Record<string, string> = {}) =>
  answerOf(
    await call(`/clusters/${fed}/dns-query`, {
      method: "POST",
      token: null,
      body: query(name, type, 0x4242),
      contentType: DNS_MESSAGE,
      headers,
    }),
  );

/** Each answer as "<name> <A|AAAA|CNAME> <value>". */
const records = ({ message }: DohAnswer) =>
  message.answers.map((r) => {
    const d = r.data;
    return `${r.name} ${d.kind} ${d.kind === "A" || d.kind === "AAAA" ? d.address : d.kind === "CNAME" ? d.target : ""}`;
  });

type Binding = KubeObject & { status?: { aggregatedStatus?: { clusterName: string; health?: string }[] } };

function ipsPolicy(east: string, west: string, westExtra: Record<string, unknown>[] = []) {
  return {
    apiVersion: "policy.karmada.io/v1alpha1",
    kind: "OverridePolicy",
    metadata: { name: "external-ips" },
    spec: {
      resourceSelectors: [{ apiVersion: "v1", kind: "Service", name: "web" }],
      overrideRules: [
        {
          targetCluster: { clusterNames: [east] },
          overriders: { plaintext: [{ path: "/spec/externalIPs", operator: "add", value: [EAST_IP] }] },
        },
        {
          targetCluster: { clusterNames: [west] },
          overriders: {
            plaintext: [{ path: "/spec/externalIPs", operator: "add", value: [WEST_IP, WEST_IPV6] }, ...westExtra],
          },
        },
      ],
    },
  };
}

async function setUp() {
  const members = await federationWithTwoMembers({ east: { zones: ["us-east-1a"] } });
  const { fed, east, west } = members;
  await fed.createNamespace("shop");
  await fed.mustCreate(PP("shop"), {
    apiVersion: "policy.karmada.io/v1alpha1",
    kind: "PropagationPolicy",
    metadata: { name: "web" },
    spec: {
      resourceSelectors: [{ apiVersion: "v1", kind: "Service", name: "web" }],
      placement: { clusterAffinity: { clusterNames: [east.cluster, west.cluster] } },
    },
  });
  await fed.mustCreate(OP("shop"), ipsPolicy(east.cluster, west.cluster));
  // No selector: the copies serve whatever their members route to the external IPs (healthy once applied).
  await fed.mustCreate("/api/v1/namespaces/shop/services", {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "web" },
    spec: { ports: [{ port: 80, targetPort: 8080 }] },
  });
  await eventually(async () => {
    const binding = await fed.mustGet<Binding>(`${RB("shop")}/web-service`);
    const items = binding.status?.aggregatedStatus ?? [];
    return items.length === 2 && items.every((i) => i.health === "Healthy");
  }, "both copies healthy");
  return { ...members, global: `web.shop.${fed.cluster}.svc.flotilla.local` };
}

describe("federation DNS over HTTPS", { timeout: 60_000 }, () => {
  it("answers global, region and zone names with the healthy members' addresses, nearest first", async () => {
    const { fed, east, west, global } = await setUp();
    const region = (r: string) => `web.shop.${fed.cluster}.svc.${r}.flotilla.local`;

    // The view follows the binding's status into the federation's store: wait for both addresses.
    const both = await eventually(async () => {
      const answer = await get(fed.cluster, global);
      return answer.message.answers.length === 2 ? answer : undefined;
    }, "both members in the global name");
    expect(both.message.header).toMatchObject({ id: 0, qr: true, aa: true, rd: true, rcode: Rcode.NOERROR });
    expect(both.message.edns).toMatchObject({ version: 0, options: [] });
    expect(both.response.headers.get("cache-control")).toBe("max-age=30");
    // Member names start with "east-" and "west-": without a hint, that order.
    expect(east.cluster < west.cluster).toBe(true);
    expect(records(both)).toEqual([`${global} A ${EAST_IP}`, `${global} A ${WEST_IP}`]);

    // Proximity: the region hint as a query parameter (GET) or a header (POST).
    expect(records(await get(fed.cluster, global, RecordType.A, "&region=us-west"))).toEqual([
      `${global} A ${WEST_IP}`,
      `${global} A ${EAST_IP}`,
    ]);
    const hinted = await post(fed.cluster, global, RecordType.A, { "x-flotilla-client-region": "us-west" });
    expect(hinted.message.header.id).toBe(0x4242);
    expect(records(hinted)).toEqual([`${global} A ${WEST_IP}`, `${global} A ${EAST_IP}`]);

    expect(records(await post(fed.cluster, region("us-east")))).toEqual([`${region("us-east")} A ${EAST_IP}`]);
    expect(records(await post(fed.cluster, region("us-west"), RecordType.AAAA))).toEqual([
      `${region("us-west")} AAAA ${WEST_IPV6}`,
    ]);
    const zone = `web.shop.${fed.cluster}.svc.us-east-1a.us-east.flotilla.local`;
    expect(records(await get(fed.cluster, zone))).toEqual([`${zone} A ${EAST_IP}`]);

    // The JSON flavour, for curl.
    const json = expectStatus(
      await callJson<{ Status: number; Answer: { name: string; type: number; TTL: number; data: string }[] }>(
        `/clusters/${fed.cluster}/dns-query?name=${region("us-west")}&type=A`,
        { token: null, accept: "application/dns-json" },
      ),
      200,
    );
    expect(json.Status).toBe(0);
    expect(json.Answer).toEqual([{ name: `${region("us-west")}.`, type: 1, TTL: 30, data: WEST_IP }]);

    // Names that do not exist, and names that are not the federation's.
    const missing = await get(fed.cluster, `nope.shop.${fed.cluster}.svc.flotilla.local`);
    expect(missing.message.header.rcode).toBe(Rcode.NXDOMAIN);
    expect(missing.message.authorities.map((r) => r.data.kind)).toEqual(["SOA"]);
    expect(missing.response.headers.get("cache-control")).toBe("max-age=30");
    const outside = await post(fed.cluster, "example.com");
    expect([outside.message.header.rcode, outside.message.header.aa]).toEqual([Rcode.REFUSED, false]);
    expect(outside.response.headers.get("cache-control")).toBe("max-age=0");
  });

  it("a member whose copy stops serving leaves the answers; its region becomes a CNAME to the global name", async () => {
    const { fed, east, west, global } = await setUp();
    const westRegion = `web.shop.${fed.cluster}.svc.us-west.flotilla.local`;
    await eventually(async () => (await get(fed.cluster, global)).message.answers.length === 2, "both answered");

    // West's copy gets a selector that matches no pod: no ready endpoint, so Unhealthy.
    const policy = await fed.mustGet<KubeObject>(`${OP("shop")}/external-ips`);
    const selector = { path: "/spec/selector", operator: "add", value: { app: "nothing-here" } };
    await fed.mustUpdate(`${OP("shop")}/external-ips`, {
      ...ipsPolicy(east.cluster, west.cluster, [selector]),
      metadata: policy.metadata,
    });
    const fallback = await eventually(async () => {
      const answer = await get(fed.cluster, westRegion);
      return answer.message.answers[0]?.data.kind === "CNAME" ? answer : undefined;
    }, "west's region aliased upwards");
    expect(records(fallback)).toEqual([`${westRegion} CNAME ${global}`, `${global} A ${EAST_IP}`]);
    expect(records(await get(fed.cluster, global, RecordType.A, "&region=us-west"))).toEqual([
      `${global} A ${EAST_IP}`,
    ]);
  });

  it("is public but only for federations, and refuses malformed queries with a Status", async () => {
    const { fed, east, global } = await setUp();
    const status = async (path: string, init: Parameters<typeof call>[1] = {}) => {
      const response = await call(path, { token: null, ...init });
      return { code: response.status, body: (await response.json()) as Status };
    };
    const dns = encodeBase64Url(query(global, RecordType.A));
    // A Standard cluster, and one that does not exist: the same plain 404.
    for (const cluster of [east.cluster, "no-such-cluster"]) {
      const result = await status(`/clusters/${cluster}/dns-query?dns=${dns}`);
      expect([result.code, result.body.kind, result.body.reason]).toEqual([404, "Status", "NotFound"]);
    }
    const path = `/clusters/${fed.cluster}/dns-query`;
    expect((await status(`${path}?dns=${dns.slice(0, 10)}`)).body).toMatchObject({ code: 400, reason: "BadRequest" });
    expect((await status(`${path}?dns=not*base64`)).code).toBe(400);
    expect((await status(path)).code).toBe(400);
    expect(
      (await status(path, { method: "POST", body: query(global, 1), contentType: "application/json" })).body,
    ).toMatchObject({ code: 415, reason: "UnsupportedMediaType" });
    expect((await status(path, { method: "PUT", body: query(global, 1), contentType: DNS_MESSAGE })).code).toBe(405);
    // The base64url in the GET is exactly the wire packet.
    expect(decodeBase64Url(dns)).toEqual(query(global, RecordType.A));

    // The DNSEndpoints are for the federation's administrators.
    expect((await call(`/clusters/${fed.cluster}/dns-endpoints`, { token: null })).status).toBe(401);
    const list = await eventually(async () => {
      const result = await fed.json<{
        kind: string;
        items: { metadata: { name: string }; spec: { endpoints: unknown[] } }[];
      }>("/dns-endpoints");
      return result.status === 200 && result.body.items[0]?.spec.endpoints.length ? result.body : undefined;
    }, "DNSEndpoints");
    expect(list.kind).toBe("DNSEndpointList");
    expect(list.items.map((i) => i.metadata.name)).toEqual(["web"]);
    expect(list.items[0]!.spec.endpoints).toContainEqual({
      dnsName: global,
      recordType: "A",
      targets: [EAST_IP, WEST_IP],
      recordTTL: 30,
    });
  });
});
