// Reads and writes kubeconfig files (the format kubectl and client libraries load).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { parse, stringify } from "yaml";

export interface Kubeconfig {
  apiVersion: "v1";
  kind: "Config";
  clusters: Array<{ name: string; cluster: { server: string; "insecure-skip-tls-verify"?: boolean } }>;
  users: Array<{ name: string; user: { token: string } }>;
  contexts: Array<{ name: string; context: { cluster: string; user: string; namespace?: string } }>;
  "current-context"?: string;
  preferences?: Record<string, unknown>;
}

export const emptyKubeconfig = (): Kubeconfig => ({
  apiVersion: "v1",
  kind: "Config",
  clusters: [],
  users: [],
  contexts: [],
  preferences: {},
});

export function readKubeconfig(path: string): Kubeconfig {
  if (!existsSync(path)) return emptyKubeconfig();
  const parsed = parse(readFileSync(path, "utf8")) as Partial<Kubeconfig> | null;
  return { ...emptyKubeconfig(), ...(parsed ?? {}) } as Kubeconfig;
}

export function writeKubeconfig(path: string, config: Kubeconfig): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, stringify(config), { mode: 0o600 });
}

/** The server URL of one logical cluster: kcp's `/clusters/<name>` convention. */
export const clusterServer = (server: string, cluster: string) => `${server.replace(/\/$/, "")}/clusters/${cluster}`;

function upsert<T extends { name: string }>(list: T[], entry: T): void {
  const index = list.findIndex((item) => item.name === entry.name);
  if (index >= 0) list[index] = entry;
  else list.push(entry);
}

/** A context named after the cluster, with its own cluster and user entries. */
export function setClusterContext(
  config: Kubeconfig,
  options: { context: string; server: string; cluster: string; token: string; current?: boolean; insecure?: boolean },
): Kubeconfig {
  const server = clusterServer(options.server, options.cluster);
  const cluster: Kubeconfig["clusters"][number]["cluster"] = { server };
  // The local control plane serves TLS with a self-signed certificate; client-node also refuses
  // plain http unless verification is explicitly off.
  if (options.insecure ?? true) cluster["insecure-skip-tls-verify"] = true;
  upsert(config.clusters, { name: options.context, cluster });
  upsert(config.users, { name: options.context, user: { token: options.token } });
  upsert(config.contexts, { name: options.context, context: { cluster: options.context, user: options.context } });
  if (options.current || !config["current-context"]) config["current-context"] = options.context;
  return config;
}

export function removeContext(config: Kubeconfig, context: string): Kubeconfig {
  config.clusters = config.clusters.filter((c) => c.name !== context);
  config.users = config.users.filter((u) => u.name !== context);
  config.contexts = config.contexts.filter((c) => c.name !== context);
  if (config["current-context"] === context) config["current-context"] = config.contexts[0]?.name;
  return config;
}

export function tokenOf(config: Kubeconfig, context: string): string | undefined {
  return config.users.find((u) => u.name === context)?.user.token;
}
