// A federation's DNS over HTTPS at /clusters/<federation>/dns-query: RFC 8484 (GET ?dns=, POST
// application/dns-message) and the JSON flavour (GET ?name=&type=). Public, like any DNS server,
// so it is mounted ahead of the cluster API's authentication; it answers only for Federation
// clusters, and says nothing else about which clusters exist. external-dns DNSEndpoints of the
// same records are served to the cluster's administrators at /clusters/<federation>/dns-endpoints.
import { Hono, type Context } from "hono";
import { badRequest, forbidden, methodNotAllowed, pathNotFound, StatusError } from "../../api/errors.ts";
import { dnsCacheHeaders, decodeBase64Url, DNS_MESSAGE, parseQuery } from "../../api/dns/doh.ts";
import { DNS_JSON, messageToJson, queryFromParams } from "../../api/dns/json.ts";
import type { DnsMessage } from "../../api/dns/message.ts";
import { cacheSeconds, reply } from "../../api/dns/reply.ts";
import { encodeMessage } from "../../api/dns/wire.ts";
import { dnsEndpoints } from "../../api/federation/dns-endpoints.ts";
import { dnsSettings } from "../../api/federation/dns-names.ts";
import { resolve, type ClientLocation } from "../../api/federation/dns-resolve.ts";
import type { FederationDnsView } from "../../api/federation/dns-view.ts";
import { bufferedBody } from "../../durable-objects/api-server/body.ts";
import { clusterStore, rootStore, type Env } from "../../durable-objects/env.ts";
import type { WorkerEnv } from "../context.ts";

type Ctx = Context<WorkerEnv>;

/** Federations known to exist, per isolate: a burst of queries asks the registry once. */
const knownFederations = new Map<string, number>();
const KNOWN_FOR_MS = 10_000;

/**
 * The federation's DNS data, or a plain 404 for any other name. The registry is asked first so
 * that a stranger's made-up names never bring a ClusterStore into being.
 */
async function federationView(env: Env, federation: string): Promise<FederationDnsView> {
  const seen = knownFederations.get(federation);
  if (seen === undefined || Date.now() - seen > KNOWN_FOR_MS) {
    if (!(await rootStore(env).clusterExists(federation))) throw pathNotFound();
  }
  const view = await clusterStore(env, federation).federationDnsView();
  if (!view) {
    knownFederations.delete(federation);
    throw pathNotFound();
  }
  knownFederations.set(federation, Date.now());
  return view;
}

/**
 * Where the client is: an explicit hint (`?region=`, `x-flotilla-client-region`; for tests and
 * local use, where there is no geography) or what Cloudflare's edge tells (`request.cf`).
 */
function clientLocation(c: Ctx): ClientLocation {
  const hint = c.req.query("region") ?? c.req.header("x-flotilla-client-region");
  const zone = c.req.query("zone") ?? c.req.header("x-flotilla-client-zone");
  if (hint) return { regions: [hint], ...(zone ? { zone } : {}) };
  const cf = c.req.raw.cf as { region?: unknown; regionCode?: unknown } | undefined;
  const regions = [cf?.region, cf?.regionCode].filter((r): r is string => typeof r === "string" && r !== "");
  return { regions, ...(zone ? { zone } : {}) };
}

/** The query, and whether it came in the JSON flavour. */
async function readQuery(c: Ctx): Promise<{ query: DnsMessage; json: boolean }> {
  if (c.req.method === "POST") {
    const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    if (type !== DNS_MESSAGE) {
      await c.req.raw.body?.cancel();
      throw new StatusError(
        415,
        "UnsupportedMediaType",
        `a DNS query is sent as ${DNS_MESSAGE}, not ${JSON.stringify(type)}`,
      );
    }
    return { query: parseQuery((await bufferedBody(c.req.raw)) ?? new Uint8Array()), json: false };
  }
  const dns = c.req.query("dns");
  if (dns !== undefined) return { query: parseQuery(decodeBase64Url(dns)), json: false };
  if (c.req.query("name") !== undefined) return { query: queryFromParams(new URL(c.req.url).searchParams), json: true };
  throw badRequest("a DNS query needs the dns parameter (RFC 8484) or the name parameter (JSON)");
}

async function dnsQuery(c: Ctx): Promise<Response> {
  const federation = c.req.param("cluster") ?? "";
  const view = await federationView(c.env, federation);
  const { query, json } = await readQuery(c);
  const context = { federation, settings: dnsSettings(c.env), client: clientLocation(c) };
  const answer = reply(query, (question) => resolve(question, view, context));
  const seconds = cacheSeconds(answer);
  // DNS errors (NXDOMAIN, REFUSED) are answers: HTTP 200 either way (RFC 8484 §4.2.1).
  if (json) return new Response(JSON.stringify(messageToJson(answer)), { headers: dnsCacheHeaders(DNS_JSON, seconds) });
  return new Response(encodeMessage(answer), { headers: dnsCacheHeaders(DNS_MESSAGE, seconds) });
}

export const dnsQueryRoutes = new Hono<WorkerEnv>()
  .on(["GET", "POST"], "/dns-query", dnsQuery)
  .all("/dns-query", (c) => {
    throw methodNotAllowed(`${c.req.method} is not supported for DNS queries: use GET or POST`);
  });

/** Behind the cluster API's authentication: for the cluster's administrators only. */
export const dnsEndpointRoutes = new Hono<WorkerEnv>().get("/dns-endpoints", async (c) => {
  if (c.get("credential").role !== "admin")
    throw forbidden("only the cluster's administrators may list its DNS endpoints");
  const federation = c.get("cluster");
  const view = await federationView(c.env, federation);
  return c.json(dnsEndpoints(view, { federation, settings: dnsSettings(c.env) }));
});
