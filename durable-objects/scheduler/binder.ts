// Sends pod writes to the pods' NamespaceStores in batches: one RPC in flight per namespace,
// everything queued meanwhile goes in the next one. Scheduling never waits for a binding.
import type { PodOp, PodOpResult } from "./pod-ops.ts";

export type SendPodOps = (namespace: string, ops: PodOp[]) => Promise<PodOpResult[]>;

interface Queued {
  op: PodOp;
  done?: (result: PodOpResult) => void;
}

const MAX_BATCH = 256;

export class PodOpBatcher {
  private readonly send: SendPodOps;
  private readonly pending = new Map<string, Queued[]>();
  private readonly inFlight = new Set<string>();
  private readonly idleWaiters: Array<() => void> = [];

  constructor(send: SendPodOps) {
    this.send = send;
  }

  /** Queues an op; call flush() to send. */
  add(namespace: string, op: PodOp, done?: (result: PodOpResult) => void): void {
    let list = this.pending.get(namespace);
    if (!list) this.pending.set(namespace, (list = []));
    list.push({ op, done });
  }

  get busy(): boolean {
    return this.inFlight.size > 0 || this.pending.size > 0;
  }

  /** Starts an RPC for every namespace with queued ops and none in flight. */
  flush(): void {
    for (const namespace of [...this.pending.keys()]) {
      if (!this.inFlight.has(namespace)) void this.sendBatch(namespace);
    }
  }

  /** Resolves once nothing is queued or in flight (tests, orderly shutdown). */
  idle(): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async sendBatch(namespace: string): Promise<void> {
    const list = this.pending.get(namespace);
    if (!list || list.length === 0) {
      this.pending.delete(namespace);
      return;
    }
    const batch = list.splice(0, MAX_BATCH);
    if (list.length === 0) this.pending.delete(namespace);
    this.inFlight.add(namespace);
    let results: PodOpResult[];
    try {
      results = await this.send(
        namespace,
        batch.map((q) => q.op),
      );
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      results = batch.map(() => ({ ok: false, code: 503, message }));
    }
    this.inFlight.delete(namespace);
    batch.forEach((q, i) => q.done?.(results[i] ?? { ok: false, code: 500, message: "no result" }));
    if (this.pending.has(namespace)) void this.sendBatch(namespace);
    else if (!this.busy) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
