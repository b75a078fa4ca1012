// An in-memory container runtime and the rest of a pod worker's dependencies, for driving
// PodWorker in unit tests: containers run until the test ends them, nothing touches the host
// except the pod directories (logs) under a temporary directory.
import type { Pod, PodStatus } from "kubernetes-types/core/v1";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ApiClient } from "../../node-daemon/api/client.ts";
import { ManualClock } from "../../node-daemon/clock.ts";
import { silentLogger } from "../../node-daemon/log.ts";
import { Backoff } from "../../node-daemon/pods/crash-backoff.ts";
import type { WorkerDeps } from "../../node-daemon/pods/deps.ts";
import { EventRecorder } from "../../node-daemon/pods/events.ts";
import { ReferenceCache } from "../../node-daemon/pods/references.ts";
import { StatusWriter } from "../../node-daemon/pods/status-writer.ts";
import type { ExecProcess } from "../../node-daemon/runtime/exec-process.ts";
import type {
  ContainerConfig,
  ContainerInfo,
  ContainerRuntime,
  ExecResult,
  ImageInfo,
  SandboxConfig,
  SandboxInfo,
} from "../../node-daemon/runtime/types.ts";
import { VolumeManager } from "../../node-daemon/volumes/volumes.ts";

export class FakeRuntime implements ContainerRuntime {
  readonly name = "docker" as const;
  readonly version = "docker://fake";
  readonly sandboxes = new Map<string, SandboxInfo>();
  readonly containers = new Map<string, ContainerInfo>();
  /** Every createContainer call, in order. */
  readonly created: ContainerConfig[] = [];
  readonly stopped: string[] = [];
  readonly attached: string[] = [];
  private readonly clock: ManualClock;
  private readonly listeners: Array<(podUid: string) => void> = [];
  private nextId = 0;

  constructor(clock: ManualClock) {
    this.clock = clock;
  }

  describe = () => "fake";
  init = async () => {};
  health = async () => undefined;
  close = async () => {};

  onContainerEvent(listener: (podUid: string) => void): void {
    this.listeners.push(listener);
  }

  /** The container's main process ends on its own (the runtime reports the exit). */
  exit(id: string, exitCode: number): void {
    const c = this.containers.get(id)!;
    const now = this.clock.now();
    this.containers.set(id, {
      ...c,
      state: "exited",
      exitCode,
      reason: exitCode === 0 ? "Completed" : "Error",
      finishedAt: now,
    });
    for (const listener of this.listeners) listener(c.pod.uid);
  }

  /** The newest container of a name and kind. */
  find(name: string, kind: { ephemeral?: boolean } = {}): ContainerInfo | undefined {
    return [...this.containers.values()]
      .filter((c) => c.name === name && c.ephemeral === (kind.ephemeral ?? false))
      .sort((a, b) => b.attempt - a.attempt)[0];
  }

  async runSandbox(config: SandboxConfig): Promise<SandboxInfo> {
    const id = `sandbox-${this.nextId++}`;
    const sandbox: SandboxInfo = {
      id,
      pod: config.pod,
      attempt: config.attempt,
      state: "ready",
      ip: "10.88.0.5",
      createdAt: this.clock.now(),
    };
    this.sandboxes.set(id, sandbox);
    return sandbox;
  }

  async sandboxStatus(id: string): Promise<SandboxInfo | undefined> {
    return this.sandboxes.get(id);
  }

  async stopSandbox(id: string): Promise<void> {
    const sandbox = this.sandboxes.get(id);
    if (sandbox) this.sandboxes.set(id, { ...sandbox, state: "notready" });
  }

  async removeSandbox(id: string): Promise<void> {
    this.sandboxes.delete(id);
  }

  async listSandboxes(): Promise<SandboxInfo[]> {
    return [...this.sandboxes.values()];
  }

  async imageStatus(_image: string): Promise<ImageInfo | undefined> {
    return { ref: "docker-pullable://busybox@sha256:feed" };
  }

  async pullImage(_image: string): Promise<ImageInfo> {
    return { ref: "docker-pullable://busybox@sha256:feed" };
  }

  async createContainer(sandbox: SandboxInfo, config: ContainerConfig): Promise<string> {
    const id = `c${this.nextId++}`;
    this.created.push(config);
    this.containers.set(id, {
      id,
      pod: config.pod,
      name: config.name,
      attempt: config.attempt,
      init: config.init,
      ephemeral: config.ephemeral,
      sandboxId: sandbox.id,
      image: config.image,
      imageRef: "docker-pullable://busybox@sha256:feed",
      state: "created",
      createdAt: this.clock.now(),
      specHash: config.specHash,
      logPath: config.logPath,
      tty: config.tty,
    });
    return id;
  }

  async startContainer(id: string): Promise<void> {
    const c = this.containers.get(id)!;
    this.containers.set(id, { ...c, state: "running", startedAt: this.clock.now() });
  }

  async stopContainer(id: string, _graceMs: number): Promise<void> {
    this.stopped.push(id);
    const c = this.containers.get(id);
    if (c?.state === "running")
      this.containers.set(id, { ...c, state: "exited", exitCode: 137, reason: "Error", finishedAt: this.clock.now() });
  }

  async removeContainer(id: string): Promise<void> {
    this.containers.delete(id);
  }

  async containerStatus(id: string): Promise<ContainerInfo | undefined> {
    const c = this.containers.get(id);
    return c ? { ...c } : undefined;
  }

  async listContainers(podUid?: string): Promise<ContainerInfo[]> {
    return [...this.containers.values()].filter((c) => !podUid || c.pod.uid === podUid).map((c) => ({ ...c }));
  }

  async exec(): Promise<ExecResult> {
    return { exitCode: 0, output: "", timedOut: false };
  }

  async execStream(): Promise<ExecProcess> {
    throw new Error("not in this fake");
  }

  async attach(id: string): Promise<ExecProcess> {
    this.attached.push(id);
    throw new Error("attached (fake)");
  }

  async containerUsage(): Promise<undefined> {
    return undefined;
  }
}

export interface WorkerHarness {
  deps: WorkerDeps;
  runtime: FakeRuntime;
  clock: ManualClock;
  /** Statuses written to pods/status, oldest first. */
  statuses: PodStatus[];
  /** Events posted: reason, message and the container's fieldPath. */
  events: Array<{ reason: string; message: string; fieldPath?: string }>;
  deletes: string[];
}

export function workerHarness(): WorkerHarness {
  const clock = new ManualClock();
  const runtime = new FakeRuntime(clock);
  const statuses: PodStatus[] = [];
  const events: WorkerHarness["events"] = [];
  const deletes: string[] = [];
  const api = {
    mergePatch: async (path: string, body: { status?: PodStatus }) => {
      if (path.endsWith("/status") && body.status) statuses.push(body.status);
      return body;
    },
    post: async (_path: string, body: { reason: string; message: string; involvedObject: { fieldPath?: string } }) => {
      events.push({ reason: body.reason, message: body.message, fieldPath: body.involvedObject.fieldPath });
      return body;
    },
    delete: async (path: string) => {
      deletes.push(path);
      return {};
    },
    get: async () => {
      throw new Error("no reads in this fake");
    },
  } as unknown as ApiClient;
  const refs = new ReferenceCache(api, clock);
  const deps: WorkerDeps = {
    nodeName: "node-1",
    hostIP: "192.0.2.10",
    api,
    runtime,
    clock,
    logger: silentLogger,
    events: new EventRecorder({ api, clock, logger: silentLogger, nodeName: "node-1" }),
    statusWriter: new StatusWriter({ api, logger: silentLogger }),
    volumes: new VolumeManager({ refs, logger: silentLogger, canMount: false }),
    refs,
    restartBackoff: new Backoff(),
    imageBackoff: new Backoff(),
    allocatable: { cpuCores: 2, memoryBytes: 4 << 30, ephemeralStorageBytes: 10 << 30 },
    podsDir: join(mkdtempSync(join(tmpdir(), "flotilla-worker-")), "pods"),
    resyncMs: 60_000,
  };
  return { deps, runtime, clock, statuses, events, deletes };
}

/** Lets queued promise callbacks and I/O callbacks run until `condition` holds (no timers move). */
export async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (condition()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`never happened: ${what}`);
}

/** Lets pending passes finish (a few rounds of the event loop; no timers move). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 50; i++) await new Promise((resolve) => setImmediate(resolve));
}

export const basePod = (over: Partial<Pod["spec"]> = {}): Pod => ({
  metadata: { name: "web", namespace: "shop", uid: "pod-1", resourceVersion: "1" },
  spec: {
    restartPolicy: "Always",
    terminationGracePeriodSeconds: 1,
    containers: [{ name: "app", image: "busybox", imagePullPolicy: "IfNotPresent", command: ["sleep", "3600"] }],
    ...over,
  },
  status: { phase: "Pending" },
});
