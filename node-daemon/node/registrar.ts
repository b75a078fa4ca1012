// Registers the Node (create, or reconcile the one a previous run left) and keeps its status
// current: conditions, capacity, addresses. Status goes out as a merge patch on nodes/status.
import type { Node } from "kubernetes-types/core/v1";
import type { ApiClient } from "../api/client.ts";
import { isConflict } from "../api/errors.ts";
import type { Clock } from "../clock.ts";
import type { Logger } from "../log.ts";
import type { HostInfo, HostPressure } from "./host-info.ts";
import {
  conditionsDiffer,
  desiredConditions,
  newNode,
  nodeStatus,
  stampConditions,
  type NodeIdentity,
} from "./node-object.ts";

/** With a lease carrying liveness, the status is re-sent unchanged only this often (kubelet: 5 min). */
const STATUS_REPORT_MS = 5 * 60_000;

export interface RegistrarOptions {
  api: ApiClient;
  clock: Clock;
  logger: Logger;
  identity: NodeIdentity;
  host: () => HostInfo;
  pressure: () => HostPressure;
  notReadyReason: () => string | undefined;
}

export class NodeRegistrar {
  private readonly options: RegistrarOptions;
  private node: Node | undefined;
  private lastReport = 0;

  constructor(options: RegistrarOptions) {
    this.options = options;
  }

  get uid(): string | undefined {
    return this.node?.metadata?.uid;
  }

  get current(): Node | undefined {
    return this.node;
  }

  private get path() {
    return `/api/v1/nodes/${encodeURIComponent(this.options.identity.name)}`;
  }

  private conditions() {
    return desiredConditions({ pressure: this.options.pressure(), notReadyReason: this.options.notReadyReason() });
  }

  /** Creates the Node, or brings an existing one's labels (and empty podCIDR) in line. */
  async register(): Promise<Node> {
    const { api, identity, clock } = this.options;
    const host = this.options.host();
    const fresh = newNode(host, identity, stampConditions(this.conditions(), undefined, clock.now()));
    try {
      this.node = await api.post<Node>("/api/v1/nodes", fresh);
      this.lastReport = clock.now();
      if (!this.node.status?.conditions?.length) await this.reportStatus();
      return this.node;
    } catch (err) {
      if (!isConflict(err)) throw err;
    }
    for (let attempt = 0; ; attempt++) {
      const existing = await api.get<Node>(this.path);
      const labels = { ...(existing.metadata?.labels ?? {}), ...identity.labels };
      const spec = { ...(existing.spec ?? {}) };
      if (identity.podCIDR && !spec.podCIDR) {
        spec.podCIDR = identity.podCIDR;
        spec.podCIDRs = [identity.podCIDR];
      }
      const changed =
        JSON.stringify(labels) !== JSON.stringify(existing.metadata?.labels ?? {}) ||
        JSON.stringify(spec) !== JSON.stringify(existing.spec ?? {});
      try {
        this.node = changed
          ? await api.put<Node>(this.path, { ...existing, metadata: { ...existing.metadata, labels }, spec })
          : existing;
        break;
      } catch (err) {
        if (!isConflict(err) || attempt >= 5) throw err;
      }
    }
    await this.reportStatus();
    return this.node;
  }

  /** Sends the status when something the control plane shows differs from ours, or periodically. */
  async heartbeat(): Promise<void> {
    const { api, clock } = this.options;
    const server = await api.get<Node>(this.path);
    this.node = server;
    const stale = clock.now() - this.lastReport >= STATUS_REPORT_MS;
    const host = this.options.host();
    const status = server.status ?? {};
    const addressesChanged =
      JSON.stringify(status.addresses ?? []) !==
      JSON.stringify(nodeStatus(host, this.options.identity, []).addresses ?? []);
    if (stale || addressesChanged || conditionsDiffer(this.conditions(), status.conditions)) await this.reportStatus();
  }

  async reportStatus(): Promise<void> {
    const { api, clock, identity } = this.options;
    const conditions = stampConditions(this.conditions(), this.node?.status?.conditions, clock.now());
    const status = nodeStatus(this.options.host(), identity, conditions);
    this.node = await api.mergePatch<Node>(`${this.path}/status`, { status });
    this.lastReport = clock.now();
  }
}
