// The node daemon's options and the parsing of the CLI's --labels and --taints.
import type { Taint } from "kubernetes-types/core/v1";
import type { Clock } from "./clock.ts";
import type { WatchTransport } from "./informer/pod-source.ts";
import type { Logger } from "./log.ts";
import type { RuntimeName } from "./runtime/types.ts";

export interface NodeDaemonOptions {
  /** The cluster's API URL, e.g. https://127.0.0.1:8787/clusters/default. */
  server: string;
  token: string;
  nodeName: string;
  /** The node's InternalIP (default: the host's first non-virtual IPv4 address). */
  address?: string;
  /** Default: docker when a Docker engine answers, else process. */
  runtime?: RuntimeName;
  labels?: Record<string, string>;
  taints?: Taint[];
  /** Where the daemon keeps pod volumes, logs and runtime records. */
  stateDir: string;
  /** Pod addresses of the process runtime's bridge (root only); default 10.88.<n>.0/24. */
  podCIDR?: string;
  dockerHost?: string;
  watchTransport?: WatchTransport;
  clock?: Clock;
  logger?: Logger;
  /** How often every pod worker re-checks its pod without a trigger. */
  resyncMs?: number;
  /** Full re-list period of the pod feed. */
  relistMs?: number;
}

const LABEL_KEY =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;
const EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

/** `k=v,k2=v2` → labels; throws on a malformed entry. */
export function parseLabels(text: string | undefined): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const entry of (text ?? "")
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean)) {
    const eq = entry.indexOf("=");
    const key = eq < 0 ? entry : entry.slice(0, eq);
    const value = eq < 0 ? "" : entry.slice(eq + 1);
    if (!LABEL_KEY.test(key) || key.length > 316) throw new Error(`invalid label key "${key}" in --labels`);
    if (!LABEL_VALUE.test(value) || value.length > 63) throw new Error(`invalid label value "${value}" in --labels`);
    labels[key] = value;
  }
  return labels;
}

/** `key=value:Effect,key:Effect` → taints (kubelet's --register-with-taints syntax). */
export function parseTaints(text: string | undefined): Taint[] {
  const taints: Taint[] = [];
  for (const entry of (text ?? "")
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean)) {
    const colon = entry.lastIndexOf(":");
    if (colon < 0) throw new Error(`invalid taint "${entry}" in --taints: expected key[=value]:Effect`);
    const effect = entry.slice(colon + 1);
    if (!EFFECTS.includes(effect))
      throw new Error(`invalid taint effect "${effect}" in --taints: one of ${EFFECTS.join(", ")}`);
    const body = entry.slice(0, colon);
    const eq = body.indexOf("=");
    const key = eq < 0 ? body : body.slice(0, eq);
    const value = eq < 0 ? undefined : body.slice(eq + 1);
    if (!LABEL_KEY.test(key)) throw new Error(`invalid taint key "${key}" in --taints`);
    if (value !== undefined && !LABEL_VALUE.test(value)) throw new Error(`invalid taint value "${value}" in --taints`);
    taints.push({ key, ...(value !== undefined && value !== "" ? { value } : {}), effect });
  }
  return taints;
}

/** Node names follow DNS subdomain rules: lower case, at most 253 characters. */
export function nodeNameFrom(hostname: string): string {
  const name = hostname
    .toLowerCase()
    .replace(/[^a-z0-9.-]/g, "-")
    .replace(/^[-.]+|[-.]+$/g, "");
  return name.slice(0, 253) || "node";
}
