// Chooses between aggregated discovery and the plain APIVersions / APIGroupList answer.
import { parseAccept, type MediaRange } from "./accept.ts";
import type { DiscoveryVersion } from "./aggregated.ts";

export type DiscoveryNegotiation =
  { aggregated: false } | { aggregated: true; version: DiscoveryVersion; contentType: string };

const GROUP = "apidiscovery.k8s.io";
const AS = "APIGroupDiscoveryList";
const PROFILES = new Set(["", "nopeer"]); // "nopeer": leave out peer servers' resources — we have none

/** The Content-Type kubectl requires, exactly, before it treats a reply as aggregated. */
export const aggregatedContentType = (version: DiscoveryVersion) => `application/json;g=${GROUP};v=${version};as=${AS}`;

const isJson = (r: MediaRange) => r.type === "application" && r.subtype === "json";
const isWildcardJson = (r: MediaRange) =>
  (r.type === "*" && r.subtype === "*") || (r.type === "application" && (r.subtype === "*" || r.subtype === "json"));

const aggregatedVersion = (r: MediaRange): DiscoveryVersion | undefined => {
  if (!isJson(r) || r.params.g !== GROUP || r.params.as !== AS || !PROFILES.has(r.params.profile ?? ""))
    return undefined;
  return r.params.v === "v2" || r.params.v === "v2beta1" ? r.params.v : undefined;
};

/**
 * Walks the Accept header in preference order. The first range we can serve wins: an aggregated
 * discovery range (JSON only — protobuf ranges are skipped), or plain JSON / a wildcard. Anything
 * else is skipped; with nothing usable the caller answers plain JSON anyway.
 */
export const negotiateDiscovery = (acceptHeader: string | null): DiscoveryNegotiation => {
  for (const range of parseAccept(acceptHeader)) {
    const version = aggregatedVersion(range);
    if (version) return { aggregated: true, version, contentType: aggregatedContentType(version) };
    if (isWildcardJson(range) && range.params.as === undefined) return { aggregated: false };
  }
  return { aggregated: false };
};
