// Sends pod statuses to pods/status as merge patches: at most one request per pod in flight,
// only the newest status, and nothing when the control plane already shows it.
import type { Pod, PodStatus } from "kubernetes-types/core/v1";
import type { ApiClient } from "../api/client.ts";
import { isNotFound } from "../api/errors.ts";
import { errorMessage, type Logger } from "../log.ts";

/** Status fields kubelet owns; absent from a new status means "clear it". */
const OWNED = [
  "podIP",
  "podIPs",
  "reason",
  "message",
  "initContainerStatuses",
  "ephemeralContainerStatuses",
  "nominatedNodeName",
] as const;

interface PodEntry {
  namespace: string;
  name: string;
  uid: string;
  sent?: string;
  pending?: PodStatus;
  inFlight?: Promise<void>;
  failing?: boolean;
}

export class StatusWriter {
  private readonly api: ApiClient;
  private readonly logger: Logger;
  private readonly pods = new Map<string, PodEntry>();
  /** Called after a status reached the control plane (latency measurements, tests). */
  onSent?: (uid: string, status: PodStatus) => void;

  constructor(options: { api: ApiClient; logger: Logger }) {
    this.api = options.api;
    this.logger = options.logger;
  }

  /** Queues `status` for `pod`; resolves once it (or a newer one) has been sent or dropped. */
  update(pod: Pod, status: PodStatus): Promise<void> {
    const uid = pod.metadata?.uid ?? "";
    let entry = this.pods.get(uid);
    if (!entry) {
      entry = { namespace: pod.metadata?.namespace ?? "", name: pod.metadata?.name ?? "", uid };
      this.pods.set(uid, entry);
      // What the control plane shows counts as sent: an unchanged status is not written again.
      if (pod.status) entry.sent = JSON.stringify(pod.status);
    }
    const text = JSON.stringify(status);
    if (text === entry.sent && !entry.inFlight) return Promise.resolve();
    entry.pending = status;
    if (!entry.inFlight) entry.inFlight = this.drain(entry);
    return entry.inFlight;
  }

  private async drain(entry: PodEntry): Promise<void> {
    try {
      while (entry.pending) {
        const status = entry.pending;
        entry.pending = undefined;
        const text = JSON.stringify(status);
        if (text === entry.sent) continue;
        const previous = entry.sent ? (JSON.parse(entry.sent) as Record<string, unknown>) : {};
        const patch: Record<string, unknown> = { ...status };
        for (const field of OWNED) if (previous[field] !== undefined && patch[field] === undefined) patch[field] = null;
        try {
          await this.api.mergePatch(
            `/api/v1/namespaces/${encodeURIComponent(entry.namespace)}/pods/${encodeURIComponent(entry.name)}/status`,
            { metadata: { uid: entry.uid }, status: patch },
          );
          entry.sent = text;
          this.onSent?.(entry.uid, status);
        } catch (err) {
          if (isNotFound(err)) return;
          // One warning per failing stretch; the next pass retries.
          if (!entry.failing) this.logger.warn(`status of ${entry.namespace}/${entry.name}: ${errorMessage(err)}`);
          entry.failing = true;
          return;
        }
        entry.failing = false;
      }
    } finally {
      entry.inFlight = undefined;
    }
  }

  forget(uid: string): void {
    this.pods.delete(uid);
  }
}
