// What a pod worker needs from the daemon.
import type { ApiClient } from "../api/client.ts";
import type { Clock } from "../clock.ts";
import type { Logger } from "../log.ts";
import type { ContainerRuntime } from "../runtime/types.ts";
import type { VolumeManager } from "../volumes/volumes.ts";
import type { Backoff } from "./crash-backoff.ts";
import type { EventRecorder } from "./events.ts";
import type { ReferenceCache } from "./references.ts";
import type { NodeAllocatable } from "./resources.ts";
import type { StatusWriter } from "./status-writer.ts";

export interface WorkerDeps {
  nodeName: string;
  hostIP: string;
  api: ApiClient;
  runtime: ContainerRuntime;
  clock: Clock;
  logger: Logger;
  events: EventRecorder;
  statusWriter: StatusWriter;
  volumes: VolumeManager;
  refs: ReferenceCache;
  restartBackoff: Backoff;
  imageBackoff: Backoff;
  allocatable: NodeAllocatable;
  /** Parent of every pod's directory (volumes, logs, termination messages). */
  podsDir: string;
  /** Periodic resync of every pod worker. */
  resyncMs: number;
}
