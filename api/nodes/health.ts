// Node health from heartbeats: a node is alive while its Lease renewals (or Ready heartbeats)
// keep changing. Like kube's node lifecycle controller, the time that counts is when this
// controller *observed* a change, so clocks of nodes and control plane need not agree.
export const NODE_MONITOR_GRACE_MS = 40_000;
/** A node that never reported Ready gets longer to start (kube's node-startup-grace-period). */
export const NODE_STARTUP_GRACE_MS = 60_000;

export interface Probe {
  signature: string;
  observedAt: number;
}

/** What changes on every sign of life: the lease's renewTime and the Ready heartbeat. */
export const heartbeatSignature = (leaseRenewTime: string | undefined, readyHeartbeat: string | undefined) =>
  `${leaseRenewTime ?? ""}|${readyHeartbeat ?? ""}`;

export class HealthTracker {
  private readonly probes = new Map<string, Probe>();

  /** Records the node's current heartbeat signature; a new signature (or a new node) is fresh at `now`. */
  observe(node: string, signature: string, now: number): Probe {
    const probe = this.probes.get(node);
    if (probe && probe.signature === signature) return probe;
    const fresh = { signature, observedAt: now };
    this.probes.set(node, fresh);
    return fresh;
  }

  get(node: string): Probe | undefined {
    return this.probes.get(node);
  }

  forget(node: string): void {
    this.probes.delete(node);
  }

  /** When the node goes stale without another heartbeat. */
  deadline(node: string, graceMs: number): number | undefined {
    const probe = this.probes.get(node);
    return probe ? probe.observedAt + graceMs : undefined;
  }

  nodes(): IterableIterator<string> {
    return this.probes.keys();
  }
}
