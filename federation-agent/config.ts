// What the agent is told: where the federation is (and the token to reach it), which member it
// speaks for, and how to reach that member — read from a kubeconfig, as kubectl would.
import { dirname, isAbsolute, join } from "node:path";
import { parse } from "yaml";
import type { TlsOptions } from "../node-daemon/api/client.ts";

/** How to reach a Kubernetes API server. */
export interface Connection {
  server: string;
  /** A bearer token; empty with client-certificate authentication. */
  token: string;
  tls?: TlsOptions;
}

export interface Registration {
  region?: string;
  zone?: string;
  provider?: string;
  labels?: Record<string, string>;
}

/** Reads a file a kubeconfig names (certificate-authority, client-key, tokenFile …). */
export type FileReader = (path: string) => string;

interface KubeconfigCluster {
  server?: string;
  "certificate-authority"?: string;
  "certificate-authority-data"?: string;
  "insecure-skip-tls-verify"?: boolean;
}

interface KubeconfigUser {
  token?: string;
  tokenFile?: string;
  "client-certificate"?: string;
  "client-certificate-data"?: string;
  "client-key"?: string;
  "client-key-data"?: string;
}

type Entry = { name?: unknown } & Record<string, unknown>;

const decode = (base64: string) => Buffer.from(base64, "base64").toString("utf8");

function entry<T>(list: unknown, name: string, field: string): T | undefined {
  if (!Array.isArray(list)) return undefined;
  const found = (list as Entry[]).find((item) => item?.name === name);
  return found?.[field] as T | undefined;
}

/**
 * The member's connection from kubeconfig text: the named context (or the current one), its
 * cluster's server and CA, its user's token or client certificate. Relative file paths are
 * resolved against the kubeconfig's directory, as kubectl does.
 */
export function connectionFromKubeconfig(
  text: string,
  options: { path: string; context?: string; readFile: FileReader },
): Connection {
  const config = (parse(text) ?? {}) as Record<string, unknown>;
  const contextName = options.context ?? (config["current-context"] as string | undefined);
  if (!contextName) throw new Error(`${options.path}: no current-context; pass --context`);
  const context = entry<{ cluster?: string; user?: string }>(config.contexts, contextName, "context");
  if (!context) throw new Error(`${options.path}: no context "${contextName}"`);
  const cluster = entry<KubeconfigCluster>(config.clusters, context.cluster ?? "", "cluster");
  if (!cluster?.server) throw new Error(`${options.path}: the context "${contextName}" has no cluster server`);
  const user = entry<KubeconfigUser>(config.users, context.user ?? "", "user") ?? {};

  const file = (path: string) => options.readFile(isAbsolute(path) ? path : join(dirname(options.path), path));
  const pem = (data: string | undefined, path: string | undefined) =>
    data ? decode(data) : path ? file(path) : undefined;

  const tls: TlsOptions = {};
  const ca = pem(cluster["certificate-authority-data"], cluster["certificate-authority"]);
  if (ca) tls.ca = ca;
  const cert = pem(user["client-certificate-data"], user["client-certificate"]);
  const key = pem(user["client-key-data"], user["client-key"]);
  if (cert && key) Object.assign(tls, { cert, key });
  if (cluster["insecure-skip-tls-verify"] === true) tls.insecureSkipVerify = true;

  const token = user.token ?? (user.tokenFile ? file(user.tokenFile).trim() : "");
  if (!token && !tls.cert)
    throw new Error(`${options.path}: the user of context "${contextName}" has no token or client certificate`);
  return { server: cluster.server.replace(/\/$/, ""), token, ...(Object.keys(tls).length > 0 ? { tls } : {}) };
}
