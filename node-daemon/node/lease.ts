// The node's heartbeat: a Lease in kube-node-lease named after the node, renewed every 10 s.
import type { Lease } from "kubernetes-types/coordination/v1";
import type { ApiClient } from "../api/client.ts";
import { isConflict, isNotFound } from "../api/errors.ts";
import { formatMicroTime, type Clock } from "../clock.ts";

export const LEASE_NAMESPACE = "kube-node-lease";
export const LEASE_DURATION_SECONDS = 40;
export const LEASE_RENEW_MS = 10_000;

export function newLease(nodeName: string, nodeUid: string | undefined, now: number): Lease {
  return {
    apiVersion: "coordination.k8s.io/v1",
    kind: "Lease",
    metadata: {
      name: nodeName,
      namespace: LEASE_NAMESPACE,
      ...(nodeUid ? { ownerReferences: [{ apiVersion: "v1", kind: "Node", name: nodeName, uid: nodeUid }] } : {}),
    },
    spec: { holderIdentity: nodeName, leaseDurationSeconds: LEASE_DURATION_SECONDS, renewTime: formatMicroTime(now) },
  };
}

export class LeaseRenewer {
  private readonly api: ApiClient;
  private readonly clock: Clock;
  private readonly nodeName: string;
  private readonly nodeUid: () => string | undefined;
  private lease: Lease | undefined;

  constructor(options: { api: ApiClient; clock: Clock; nodeName: string; nodeUid: () => string | undefined }) {
    this.api = options.api;
    this.clock = options.clock;
    this.nodeName = options.nodeName;
    this.nodeUid = options.nodeUid;
  }

  private get path() {
    return `/apis/coordination.k8s.io/v1/namespaces/${LEASE_NAMESPACE}/leases/${encodeURIComponent(this.nodeName)}`;
  }

  get renewTime(): string | undefined {
    return this.lease?.spec?.renewTime;
  }

  /** Renews (or creates) the lease; one conflict is resolved by re-reading. */
  async renew(): Promise<void> {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        if (!this.lease) this.lease = await this.api.get<Lease>(this.path);
        const renewed = structuredClone(this.lease);
        renewed.spec = {
          ...renewed.spec,
          holderIdentity: this.nodeName,
          leaseDurationSeconds: LEASE_DURATION_SECONDS,
          renewTime: formatMicroTime(this.clock.now()),
        };
        const uid = this.nodeUid();
        if (uid && !renewed.metadata?.ownerReferences?.some((ref) => ref.uid === uid)) {
          renewed.metadata = {
            ...renewed.metadata,
            ownerReferences: [{ apiVersion: "v1", kind: "Node", name: this.nodeName, uid }],
          };
        }
        this.lease = await this.api.put<Lease>(this.path, renewed);
        return;
      } catch (err) {
        if (isNotFound(err)) {
          this.lease = await this.api.post<Lease>(
            `/apis/coordination.k8s.io/v1/namespaces/${LEASE_NAMESPACE}/leases`,
            newLease(this.nodeName, this.nodeUid(), this.clock.now()),
          );
          return;
        }
        if (!isConflict(err)) throw err;
        this.lease = undefined;
      }
    }
  }
}
