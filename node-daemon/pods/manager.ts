// The node's pods: a worker per pod bound to the node (fed by the informer), re-adoption of what
// the runtime already runs when the daemon starts, and removal of anything that belongs to no
// pod any more (pods deleted while the daemon was away, leftovers of a crash).
import type { Pod } from "kubernetes-types/core/v1";
import { existsSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { errorMessage } from "../log.ts";
import { MAX_PODS } from "../node/node-object.ts";
import type { ContainerInfo, SandboxInfo } from "../runtime/types.ts";
import type { WorkerDeps } from "./deps.ts";
import { PodWorker } from "./worker.ts";

interface RuntimePod {
  sandboxes: SandboxInfo[];
  containers: ContainerInfo[];
}

const isTerminal = (pod: Pod) => pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed";

export class PodManager {
  private readonly deps: WorkerDeps;
  private readonly workers = new Map<string, PodWorker>();
  private adoptable = new Map<string, RuntimePod>();
  private readonly cleaning = new Set<string>();
  /** Counts of what the first list found (for the progress line). */
  readonly adoption = { pods: 0, containers: 0, removed: 0 };

  constructor(deps: WorkerDeps) {
    this.deps = deps;
    deps.runtime.onContainerEvent((uid) => this.workers.get(uid)?.trigger());
  }

  /** Snapshot of the runtime before the first list: what re-adoption works from. */
  async loadRuntimeState(): Promise<void> {
    this.adoptable = await this.runtimePods();
  }

  private async runtimePods(): Promise<Map<string, RuntimePod>> {
    const { runtime } = this.deps;
    const pods = new Map<string, RuntimePod>();
    const entry = (uid: string) => {
      let found = pods.get(uid);
      if (!found) pods.set(uid, (found = { sandboxes: [], containers: [] }));
      return found;
    };
    for (const sandbox of await runtime.listSandboxes()) entry(sandbox.pod.uid).sandboxes.push(sandbox);
    for (const container of await runtime.listContainers()) entry(container.pod.uid).containers.push(container);
    return pods;
  }

  get size(): number {
    return this.workers.size;
  }

  onAdd(pod: Pod): void {
    const uid = pod.metadata?.uid;
    if (!uid || this.workers.has(uid)) {
      if (uid) this.workers.get(uid)?.update(pod);
      return;
    }
    const adopted = this.adoptable.get(uid);
    this.adoptable.delete(uid);
    if (!adopted && !isTerminal(pod) && !pod.metadata?.deletionTimestamp && this.activeCount() >= MAX_PODS) {
      void this.reject(pod);
      return;
    }
    const worker = new PodWorker(this.deps, pod);
    worker.onGone = (gone) => this.workers.delete(gone);
    if (adopted) {
      worker.adopt(adopted.sandboxes, adopted.containers);
      this.adoption.pods++;
      this.adoption.containers += adopted.containers.filter((c) => c.state === "running").length;
    }
    this.workers.set(uid, worker);
    worker.update(pod);
  }

  onUpdate(_previous: Pod, pod: Pod): void {
    const worker = this.workers.get(pod.metadata?.uid ?? "");
    if (worker) worker.update(pod);
    else this.onAdd(pod);
  }

  onDelete(pod: Pod): void {
    const worker = this.workers.get(pod.metadata?.uid ?? "");
    if (worker) void worker.remove();
  }

  /** After every full list: whatever runs for pods the control plane no longer has goes. */
  onResync(pods: Pod[]): void {
    const listed = new Set(pods.map((p) => p.metadata?.uid));
    void this.removeOrphans(listed).catch((err) => this.deps.logger.warn(`cleaning up: ${errorMessage(err)}`));
  }

  private activeCount(): number {
    let count = 0;
    for (const worker of this.workers.values()) if (!isTerminal(worker.pod)) count++;
    return count;
  }

  /** Kubelet's admission: a node takes at most `pods` pods; the rest fail with OutOfpods. */
  private async reject(pod: Pod): Promise<void> {
    const meta = pod.metadata!;
    const used = this.activeCount();
    const message = `Pod was rejected: Node didn't have enough resource: pods, requested: 1, used: ${used}, capacity: ${MAX_PODS}`;
    this.deps.events.record(pod, "Warning", "OutOfpods", message);
    try {
      await this.deps.api.mergePatch(`/api/v1/namespaces/${meta.namespace}/pods/${meta.name}/status`, {
        metadata: { uid: meta.uid },
        status: { phase: "Failed", reason: "OutOfpods", message },
      });
    } catch (err) {
      this.deps.logger.warn(`rejecting ${meta.namespace}/${meta.name}: ${errorMessage(err)}`);
    }
  }

  private async removeOrphans(listed: Set<string | undefined>): Promise<void> {
    const { runtime, volumes, podsDir } = this.deps;
    const orphans = [...(await this.runtimePods())].filter(
      ([uid]) => !listed.has(uid) && !this.workers.has(uid) && !this.cleaning.has(uid),
    );
    for (const [uid, pod] of orphans) {
      this.cleaning.add(uid);
      try {
        for (const c of pod.containers) {
          if (c.state === "running") await runtime.stopContainer(c.id, 2000);
          await runtime.removeContainer(c.id);
        }
        for (const s of pod.sandboxes) {
          await runtime.stopSandbox(s.id);
          await runtime.removeSandbox(s.id);
        }
        this.adoption.removed++;
        const name = pod.sandboxes[0]?.pod ?? pod.containers[0]?.pod;
        this.deps.logger.info(`removed pod ${name ? `${name.namespace}/${name.name}` : uid} (deleted while away)`);
      } finally {
        this.cleaning.delete(uid);
      }
      this.adoptable.delete(uid);
    }
    if (existsSync(podsDir)) {
      for (const uid of readdirSync(podsDir)) {
        if (listed.has(uid) || this.workers.has(uid) || this.cleaning.has(uid)) continue;
        await volumes.tearDown(join(podsDir, uid));
        rmSync(join(podsDir, uid), { recursive: true, force: true });
      }
    }
    const stray = (runtime as { removeStrayNetworks?: () => Promise<void> }).removeStrayNetworks;
    if (stray) await stray.call(runtime);
  }

  /** The daemon stops: workers stop, containers keep running. */
  stop(): void {
    for (const worker of this.workers.values()) worker.stop();
  }
}
