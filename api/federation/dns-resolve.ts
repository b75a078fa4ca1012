// Answers for a federation's Service names (see dns-names.ts), as Kubernetes Federation v1 gave
// them: a name holds the addresses of every member in its scope that is Ready and whose copy is
// healthy with addresses, nearest to the client first; a zone or region with none is a CNAME to
// the next level up; a global name with none exists but holds nothing (NODATA). Other names
// under the domain do not exist (NXDOMAIN); names outside it are refused.
import {
  CLASS_IN,
  Rcode,
  RecordType,
  canonicalName,
  recordTypeOf,
  type Question,
  type ResourceRecord,
  type Soa,
} from "../dns/message.ts";
import type { Lookup } from "../dns/reply.ts";
import type { DnsMember, DnsService, FederationDnsView } from "./dns-view.ts";
import {
  GLOBAL,
  parentScope,
  parseDnsName,
  scopeKey,
  serviceDnsName,
  type DnsSettings,
  type Scope,
} from "./dns-names.ts";

/** Where the asking client is, as far as the request tells (any of `regions` may match a member's). */
export interface ClientLocation {
  regions: readonly string[];
  zone?: string;
}

export interface ResolveContext {
  federation: string;
  settings: DnsSettings;
  client?: ClientLocation;
}

/** What one Service name holds. */
export type NameContent =
  | { kind: "addresses"; a: string[]; aaaa: string[] }
  /** Nothing in scope: an alias for the name one level up. */
  | { kind: "alias"; target: string }
  /** The global name with nothing anywhere. */
  | { kind: "empty" };

const inScope = (member: DnsMember, scope: Scope): boolean =>
  scope.level === "global" ||
  (member.region === scope.region && (scope.level === "region" || member.zones.includes(scope.zone)));

/** 0: the client's zone, 1: its region, 2: elsewhere. */
function proximity(member: DnsMember, client: ClientLocation | undefined): number {
  if (!client || !member.region || !client.regions.some((r) => r.toLowerCase() === member.region)) return 2;
  return client.zone && member.zones.includes(client.zone.toLowerCase()) ? 0 : 1;
}

export function nameContent(
  view: FederationDnsView,
  service: DnsService,
  scope: Scope,
  context: ResolveContext,
): NameContent {
  const members = new Map(view.members.map((member) => [member.name, member]));
  const serving = service.copies
    .map((copy) => ({ copy, member: members.get(copy.cluster) }))
    .filter(
      (entry): entry is { copy: DnsService["copies"][number]; member: DnsMember } =>
        entry.member !== undefined &&
        entry.member.ready &&
        entry.copy.healthy &&
        entry.copy.addresses.length > 0 &&
        inScope(entry.member, scope),
    )
    // Nearest first; members at the same distance in name order, so answers are stable.
    .sort(
      (x, y) =>
        proximity(x.member, context.client) - proximity(y.member, context.client) ||
        (x.member.name < y.member.name ? -1 : x.member.name > y.member.name ? 1 : 0),
    );
  if (serving.length === 0) {
    const parent = parentScope(scope);
    if (!parent) return { kind: "empty" };
    const target = serviceDnsName(
      { service: service.name, namespace: service.namespace, federation: context.federation, scope: parent },
      context.settings.domain,
    );
    return { kind: "alias", target };
  }
  // One member's addresses may repeat another's (an anycast IP): each is answered once.
  const a = new Set<string>();
  const aaaa = new Set<string>();
  for (const { copy } of serving) {
    for (const address of copy.addresses) (address.includes(":") ? aaaa : a).add(address);
  }
  return { kind: "addresses", a: [...a], aaaa: [...aaaa] };
}

/** Every scope below global that has a name: the regions and zones of the federation's members. */
export function scopesOf(view: FederationDnsView): Scope[] {
  const scopes = new Map<string, Scope>([[scopeKey(GLOBAL), GLOBAL]]);
  for (const member of view.members) {
    if (!member.region) continue;
    const region: Scope = { level: "region", region: member.region };
    scopes.set(scopeKey(region), region);
    for (const zone of member.zones) {
      const scope: Scope = { level: "zone", zone, region: member.region };
      scopes.set(scopeKey(scope), scope);
    }
  }
  // Global first, then each region followed by its zones, alphabetically: a stable order for listings.
  const sortKey = (scope: Scope) =>
    scope.level === "global" ? "" : `${scope.region} ${scope.level === "zone" ? scope.zone : ""}`;
  return [...scopes.values()].sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
}

export function soaRecord(view: FederationDnsView, settings: DnsSettings): ResourceRecord {
  const soa: Soa = {
    mname: `ns.${settings.domain}`,
    rname: `hostmaster.${settings.domain}`,
    serial: view.serial >>> 0,
    refresh: 3600,
    retry: 600,
    expire: 86400,
    // The negative-caching TTL (RFC 2308): a Service that appears is seen within one TTL.
    minimum: settings.ttl,
  };
  return { name: settings.domain, class: CLASS_IN, ttl: settings.ttl, data: { kind: "SOA", ...soa } };
}

/** True when `name` is an ancestor of some Service name (an "empty non-terminal", RFC 8020: NODATA). */
function isEmptyNonTerminal(name: string, view: FederationDnsView, context: ResolveContext): boolean {
  const suffix = `.${name}`;
  const scopes = scopesOf(view);
  return view.services.some((service) =>
    scopes.some((scope) =>
      serviceDnsName(
        { service: service.name, namespace: service.namespace, federation: context.federation, scope },
        context.settings.domain,
      ).endsWith(suffix),
    ),
  );
}

const wants = (question: Question, type: number) => question.type === type || question.type === RecordType.ANY;

export function resolve(question: Question, view: FederationDnsView, context: ResolveContext): Lookup {
  const { settings } = context;
  const parsed = parseDnsName(question.name, settings.domain);
  if (parsed.kind === "outside") return { rcode: Rcode.REFUSED, answers: [], authorities: [], authoritative: false };
  const soa = soaRecord(view, settings);
  const answer = (rcode: number, answers: ResourceRecord[] = []): Lookup => ({
    rcode,
    answers,
    // A response without the asked-for data carries the SOA, so resolvers know how long to remember that.
    authorities: answers.some((r) => wants(question, recordTypeOf(r.data))) ? [] : [soa],
    authoritative: true,
  });
  if (parsed.kind === "apex") return answer(Rcode.NOERROR, wants(question, RecordType.SOA) ? [soa] : []);

  const federation = canonicalName(context.federation);
  const service =
    parsed.kind === "service" && parsed.name.federation === federation
      ? view.services.find((s) => s.namespace === parsed.name.namespace && s.name === parsed.name.service)
      : undefined;
  const scope =
    parsed.kind === "service"
      ? scopesOf(view).find((known) => scopeKey(known) === scopeKey(parsed.name.scope))
      : undefined;
  if (!service || !scope) {
    const rcode = isEmptyNonTerminal(canonicalName(question.name), view, context) ? Rcode.NOERROR : Rcode.NXDOMAIN;
    return answer(rcode);
  }

  // Follow the aliases up to a name with addresses (or the empty global name), as an
  // authoritative server does for targets in its own zone.
  const records: ResourceRecord[] = [];
  let owner = question.name.replace(/\.$/, "");
  let current: Scope | undefined = scope;
  while (current) {
    const content = nameContent(view, service, current, context);
    const record = (data: ResourceRecord["data"]): ResourceRecord => ({
      name: owner,
      class: CLASS_IN,
      ttl: settings.ttl,
      data,
    });
    if (content.kind === "alias") {
      records.push(record({ kind: "CNAME", target: content.target }));
      if (question.type === RecordType.CNAME) break;
      owner = content.target;
      current = parentScope(current);
      continue;
    }
    if (content.kind === "addresses") {
      if (wants(question, RecordType.A)) records.push(...content.a.map((address) => record({ kind: "A", address })));
      if (wants(question, RecordType.AAAA))
        records.push(...content.aaaa.map((address) => record({ kind: "AAAA", address })));
    }
    break;
  }
  return answer(Rcode.NOERROR, records);
}
