// The agent's calls to its member cluster, which may be any Kubernetes API server: discovery to
// find where a manifest lives, server-side apply as Karmada's agent does it, and the probe the
// heartbeat reports.
import type { Probe } from "../api/federation/cluster-health.ts";
import type { KubeObject } from "../api/types.ts";
import { ApiClient } from "../node-daemon/api/client.ts";
import { ApiError, isConflict, isForbidden, isNotFound } from "../node-daemon/api/errors.ts";
import { errorMessage } from "../node-daemon/log.ts";
import type { Clock } from "../node-daemon/clock.ts";
import type { Connection } from "./config.ts";
import {
  discoveryPath,
  findResource,
  parseApiVersion,
  resourcePath,
  type GroupVersion,
  type ServedResource,
} from "./resource-path.ts";

/** Karmada's agent applies as this field manager. */
export const FIELD_MANAGER = "karmada-agent";
/** A discovery document younger than this is trusted even when it lacks a kind (a CRD just made). */
const DISCOVERY_REFRESH_MS = 10_000;
/** One member call may take this long; a hung member must not hold the agent's work queue. */
const CALL_TIMEOUT_MS = 15_000;

export interface Located {
  gv: GroupVersion;
  resource: ServedResource;
  /** The object's path. */
  path: string;
}

export class MemberClient {
  private readonly api: ApiClient;
  private readonly clock: Clock;
  private readonly signal: AbortSignal;
  private readonly discovery = new Map<string, { list: unknown; at: number }>();

  constructor(connection: Connection, options: { clock: Clock; signal: AbortSignal }) {
    this.api = new ApiClient({ ...connection, connections: 8, userAgent: "flotilla-agent" });
    this.clock = options.clock;
    this.signal = options.signal;
  }

  get server(): string {
    return this.api.server;
  }

  private call<T>(method: string, path: string, body?: unknown, contentType?: string): Promise<T> {
    return this.api.request<T>(method, path, { body, contentType, signal: this.signal, timeoutMs: CALL_TIMEOUT_MS });
  }

  /** Where `manifest` goes in the member, or why it has no place there. */
  async locate(manifest: KubeObject): Promise<Located | string> {
    const gv = parseApiVersion(manifest.apiVersion ?? "");
    let resource = findResource(await this.discover(gv, false), manifest.kind ?? "");
    resource ??= findResource(await this.discover(gv, true), manifest.kind ?? "");
    if (!resource) return `the member does not serve ${manifest.kind} in ${manifest.apiVersion}`;
    const namespace = manifest.metadata.namespace;
    if (resource.namespaced && !namespace) return `${manifest.kind} ${manifest.metadata.name} has no namespace`;
    return { gv, resource, path: resourcePath(gv, resource, namespace, manifest.metadata.name ?? "") };
  }

  private async discover(gv: GroupVersion, refresh: boolean): Promise<unknown> {
    const path = discoveryPath(gv);
    const cached = this.discovery.get(path);
    if (cached && (!refresh || this.clock.now() - cached.at < DISCOVERY_REFRESH_MS)) return cached.list;
    let list: unknown;
    try {
      list = await this.call("GET", path);
    } catch (err) {
      // A group the member does not have at all: nothing to find in it.
      if (!isNotFound(err)) throw err;
    }
    this.discovery.set(path, { list, at: this.clock.now() });
    return list;
  }

  /** The object, or undefined when the member has none. */
  async get(path: string): Promise<KubeObject | undefined> {
    try {
      return await this.call<KubeObject>("GET", path);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** Server-side apply, taking over fields others own (the federation's copy is authoritative). */
  apply(path: string, manifest: KubeObject): Promise<KubeObject> {
    return this.call(
      "PATCH",
      `${path}?fieldManager=${FIELD_MANAGER}&force=true`,
      manifest,
      "application/apply-patch+yaml",
    );
  }

  async ensureNamespace(namespace: string): Promise<void> {
    try {
      await this.call("POST", "/api/v1/namespaces", {
        apiVersion: "v1",
        kind: "Namespace",
        metadata: { name: namespace },
      });
    } catch (err) {
      if (!isConflict(err)) throw err;
    }
  }

  /** Deletes the object (its dependents in the background); one already gone is fine. */
  async delete(path: string): Promise<void> {
    try {
      await this.call("DELETE", path, { apiVersion: "v1", kind: "DeleteOptions", propagationPolicy: "Background" });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  /** What the heartbeat reports: is the member ready, and its version, nodes and pods. */
  async probe(): Promise<Probe> {
    try {
      try {
        await this.call("GET", "/readyz");
      } catch (err) {
        if (!isNotFound(err)) throw err;
        await this.call("GET", "/healthz");
      }
    } catch (err) {
      if (this.signal.aborted) throw err;
      // An answer that is not "ok" means the member is up but unwell; no answer means unreachable.
      if (isForbidden(err))
        return { outcome: "not-ready", message: `cluster refused the agent's credentials: ${errorMessage(err)}` };
      if (isHttpAnswer(err)) return { outcome: "not-ready", message: `cluster is not ready: ${errorMessage(err)}` };
      return { outcome: "unreachable", message: `cluster is not reachable: ${errorMessage(err)}` };
    }
    try {
      const [version, nodes, pods] = await Promise.all([
        this.call<{ gitVersion?: string }>("GET", "/version"),
        this.call<{ items?: KubeObject[] }>("GET", "/api/v1/nodes"),
        this.call<{ items?: KubeObject[] }>("GET", "/api/v1/pods"),
      ]);
      return {
        outcome: "ready",
        kubernetesVersion: version?.gitVersion,
        nodes: nodes?.items ?? [],
        pods: pods?.items ?? [],
      };
    } catch (err) {
      if (this.signal.aborted) throw err;
      return { outcome: isHttpAnswer(err) ? "not-ready" : "unreachable", message: errorMessage(err) };
    }
  }

  close(): Promise<void> {
    return this.api.close();
  }
}

/** The member answered (with an error status), as opposed to not answering at all. */
const isHttpAnswer = (err: unknown) => err instanceof ApiError && err.status > 0;
