// Pod events as kubelet records them (core/v1 Events, source "kubelet"). A repeat of the same
// event (same pod, container, type, reason and message) within ten minutes increments the
// existing event's count instead of creating another.
import type { Event, Pod } from "kubernetes-types/core/v1";
import type { ApiClient } from "../api/client.ts";
import { isForbidden, isNotFound } from "../api/errors.ts";
import { formatTime, type Clock } from "../clock.ts";
import { errorMessage, type Logger } from "../log.ts";

const AGGREGATE_MS = 10 * 60_000;
const MAX_QUEUED = 1000;
const CONCURRENCY = 4;

export type EventType = "Normal" | "Warning";

/** The container an event is about. */
export interface ContainerRef {
  name: string;
  init: boolean;
  ephemeral?: boolean;
}

const specField = (c: ContainerRef) => (c.ephemeral ? "ephemeralContainers" : c.init ? "initContainers" : "containers");

interface Sent {
  name: string;
  count: number;
  firstTimestamp: string;
  at: number;
}

export class EventRecorder {
  private readonly api: ApiClient;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly nodeName: string;
  private readonly sent = new Map<string, Sent>();
  private readonly queue: Array<() => Promise<void>> = [];
  private active = 0;
  private sequence = 0n;
  private forbiddenLogged = false;

  constructor(options: { api: ApiClient; clock: Clock; logger: Logger; nodeName: string }) {
    this.api = options.api;
    this.clock = options.clock;
    this.logger = options.logger;
    this.nodeName = options.nodeName;
  }

  /** `container`: the container the event is about (becomes fieldPath spec.containers{name} and the like). */
  record(pod: Pod, type: EventType, reason: string, message: string, container?: ContainerRef): void {
    if (this.queue.length >= MAX_QUEUED) return;
    this.queue.push(() => this.send(pod, type, reason, message, container));
    this.pump();
  }

  /** Resolves when every queued event has been sent (tests, shutdown). */
  async flush(): Promise<void> {
    while (this.queue.length > 0 || this.active > 0) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  private pump(): void {
    while (this.active < CONCURRENCY && this.queue.length > 0) {
      const job = this.queue.shift()!;
      this.active++;
      void job().finally(() => {
        this.active--;
        this.pump();
      });
    }
  }

  private eventName(podName: string): string {
    // Unique per daemon: nanoseconds since the epoch (as kubelet names them), plus a sequence.
    const nanos = BigInt(this.clock.now()) * 1_000_000n + (this.sequence++ % 1_000_000n);
    return `${podName}.${nanos.toString(16)}`;
  }

  private async send(
    pod: Pod,
    type: EventType,
    reason: string,
    message: string,
    container?: ContainerRef,
  ): Promise<void> {
    const meta = pod.metadata ?? {};
    const namespace = meta.namespace ?? "default";
    const fieldPath = container ? `spec.${specField(container)}{${container.name}}` : undefined;
    const key = [namespace, meta.name, meta.uid, fieldPath ?? "", type, reason, message].join("\u0000");
    const now = this.clock.now();
    const timestamp = formatTime(now);
    const previous = this.sent.get(key);
    try {
      if (previous && now - previous.at < AGGREGATE_MS) {
        previous.count++;
        previous.at = now;
        try {
          await this.api.mergePatch(`/api/v1/namespaces/${namespace}/events/${previous.name}`, {
            count: previous.count,
            lastTimestamp: timestamp,
          });
          return;
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
      }
      const event: Event = {
        apiVersion: "v1",
        kind: "Event",
        metadata: { name: this.eventName(meta.name ?? "pod"), namespace },
        involvedObject: {
          apiVersion: "v1",
          kind: "Pod",
          namespace,
          name: meta.name,
          uid: meta.uid,
          resourceVersion: meta.resourceVersion,
          ...(fieldPath ? { fieldPath } : {}),
        },
        reason,
        message,
        type,
        source: { component: "kubelet", host: this.nodeName },
        firstTimestamp: timestamp,
        lastTimestamp: timestamp,
        count: 1,
        reportingComponent: "kubelet",
        reportingInstance: this.nodeName,
      };
      await this.api.post(`/api/v1/namespaces/${namespace}/events`, event);
      this.sent.set(key, { name: event.metadata.name!, count: 1, firstTimestamp: timestamp, at: now });
      if (this.sent.size > 10_000) this.sent.delete(this.sent.keys().next().value as string);
    } catch (err) {
      if (isForbidden(err)) {
        if (!this.forbiddenLogged) this.logger.warn(`events are not accepted from this node: ${errorMessage(err)}`);
        this.forbiddenLogged = true;
        return;
      }
      this.logger.debug(`event ${reason} for ${namespace}/${meta.name}: ${errorMessage(err)}`);
    }
  }

  /** Forget a pod's events (it is gone). */
  forget(uid: string): void {
    for (const key of this.sent.keys()) if (key.split("\u0000")[2] === uid) this.sent.delete(key);
  }
}
