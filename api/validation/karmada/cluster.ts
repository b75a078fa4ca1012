// cluster.karmada.io/v1alpha1 Cluster: a member cluster's registration, checked as Karmada's
// aggregated API server checks it (pkg/apis/cluster/validation). Runs after defaulting.
import type { FieldError } from "../../errors.ts";
import type { KubeObject } from "../../types.ts";
import { invalidEach, invalidValue, notSupported, required } from "../field.ts";
import { labelValue, nameIsDNSLabel, type NameRule } from "../names.ts";
import { validateTaints } from "../tolerations.ts";
import { asArray, asString, isRecord, type JsonObject } from "../shape.ts";
import { validateConditions } from "./conditions.ts";

/** Karmada names each member's execution namespace `karmada-es-<cluster>`: 15 of 63 characters go to that. */
export const CLUSTER_NAME_MAX = 48;
export const SYNC_MODES = ["Pull", "Push"];
const ENDPOINT_SCHEMES = ["http:", "https:"];
const PROXY_SCHEMES = ["http:", "https:", "socks5:"];
const ENDPOINT_FORM = "; desired format: hostname, hostname:port, IP or IP:port";

export const clusterName: NameRule = (name, prefix) =>
  name.length > CLUSTER_NAME_MAX
    ? [`must be no more than ${CLUSTER_NAME_MAX} characters`]
    : nameIsDNSLabel(name, prefix);

export function validateCluster(cluster: KubeObject): FieldError[] {
  const spec: JsonObject = isRecord(cluster.spec) ? cluster.spec : {};
  const errors: FieldError[] = [];
  const syncMode = asString(spec.syncMode);
  if (syncMode === "") errors.push(required("spec.syncMode"));
  else if (!SYNC_MODES.includes(syncMode)) errors.push(notSupported("spec.syncMode", syncMode, SYNC_MODES));
  const endpoint = asString(spec.apiEndpoint);
  // Push means the control plane dials the member, so it must know where; a Pull agent dials in.
  if (endpoint === "" && syncMode === "Push") {
    errors.push(required("spec.apiEndpoint", "a Push cluster is reached at its API endpoint"));
  }
  if (endpoint !== "") errors.push(...validateEndpoint(endpoint, "spec.apiEndpoint"));
  for (const ref of ["secretRef", "impersonatorSecretRef"]) errors.push(...validateSecretRef(spec[ref], `spec.${ref}`));
  const proxy = asString(spec.proxyURL);
  if (proxy !== "") errors.push(...validateProxyURL(proxy, "spec.proxyURL"));
  errors.push(...validateLocation(spec));
  errors.push(...validateTaints(spec.taints, "spec.taints"));
  return errors;
}

export const validateClusterStatusUpdate = (cluster: KubeObject): FieldError[] =>
  validateConditions(isRecord(cluster.status) ? cluster.status.conditions : undefined, "status.conditions");

function parseURL(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

function validateEndpoint(endpoint: string, path: string): FieldError[] {
  const url = parseURL(endpoint);
  if (!url) return [invalidValue(path, endpoint, `apiEndpoint must be a valid URL${ENDPOINT_FORM}`)];
  const errors: FieldError[] = [];
  if (!ENDPOINT_SCHEMES.includes(url.protocol)) {
    errors.push(invalidValue(path, url.protocol.slice(0, -1), `'http' and 'https' are the only allowed URL schemes`));
  }
  if (url.host === "") errors.push(invalidValue(path, url.host, `host must be provided${ENDPOINT_FORM}`));
  if (url.username !== "" || url.password !== "") {
    errors.push(invalidValue(path, url.username, "user information is not permitted in the URL"));
  }
  if (url.hash !== "") errors.push(invalidValue(path, url.hash.slice(1), "fragments are not permitted in the URL"));
  if (url.search !== "")
    errors.push(invalidValue(path, url.search.slice(1), "query parameters are not permitted in the URL"));
  return errors;
}

function validateProxyURL(proxy: string, path: string): FieldError[] {
  const url = parseURL(proxy);
  if (!url) return [invalidValue(path, proxy, "proxyURL must be a valid URL")];
  if (PROXY_SCHEMES.includes(url.protocol)) return [];
  const scheme = url.protocol.slice(0, -1);
  return [invalidValue(path, proxy, `unsupported scheme "${scheme}", must be http, https, or socks5`)];
}

function validateSecretRef(ref: unknown, path: string): FieldError[] {
  if (ref === undefined || ref === null) return [];
  if (!isRecord(ref)) return [invalidValue(path, ref, "must be an object")];
  const errors: FieldError[] = [];
  if (asString(ref.namespace) === "") errors.push(required(`${path}.namespace`));
  if (asString(ref.name) === "") errors.push(required(`${path}.name`));
  return errors;
}

/** provider, region and zone(s) are matched by label-like field selectors, so they are label values. */
function validateLocation(spec: JsonObject): FieldError[] {
  const errors: FieldError[] = [];
  for (const key of ["provider", "region", "zone"]) {
    const value = asString(spec[key]);
    if (value !== "") errors.push(...joined(`spec.${key}`, value, labelValue(value)));
  }
  const zones = asArray(spec.zones);
  // One cluster in several zones is `zones`; `zone` is its older single-valued form.
  if (asString(spec.zone) !== "" && zones.length > 0) {
    errors.push(invalidValue("spec.zones", zones, "zone and zones cannot co-exist"));
  }
  for (const [i, zone] of zones.entries()) errors.push(...joined(`spec.zones[${i}]`, zone, labelValue(asString(zone))));
  return errors;
}

/** Karmada reports all of a value's problems as one error, joined with "; ". */
const joined = (path: string, value: unknown, problems: string[]): FieldError[] =>
  problems.length === 0 ? [] : invalidEach(path, value, [problems.join("; ")]);
