// The agent's Work controller: each Work labelled for this member is applied to the member and
// its status written back to the federation; a Work being deleted has its copies removed from
// the member and then its cleanup finalizer. Copies are re-read every few seconds, more often
// while not yet healthy, and the Work's status is written only when it changed.
import { AGENT_CLEANUP_FINALIZER, type Work } from "../api/federation/types.ts";
import type { ApiClient } from "../node-daemon/api/client.ts";
import { isConflict, isNotFound } from "../node-daemon/api/errors.ts";
import type { Clock } from "../node-daemon/clock.ts";
import type { InformerHandlers } from "../node-daemon/informer/informer.ts";
import type { Logger } from "../node-daemon/log.ts";
import { applyManifest, deleteManifest } from "./manifest-apply.ts";
import type { MemberClient } from "./member-client.ts";
import { WorkQueue } from "./work-queue.ts";
import { recheckDelay, sameStatus, workStatus, type ManifestOutcome, type WorkStatus } from "./work-status.ts";

export interface WorkSyncOptions {
  federation: ApiClient;
  member: MemberClient;
  clock: Clock;
  logger: Logger;
  signal: AbortSignal;
  random?: () => number;
  /** Re-read period while a copy is not yet applied and healthy (Karmada's agent: a few seconds). */
  settlingMs?: number;
  /** Re-read period once every copy is healthy. */
  steadyMs?: number;
}

/** Writes that lost a race with another writer are retried this often before waiting for the next event. */
const CONFLICT_RETRIES = 5;

const keyOf = (work: Work) => `${work.metadata.namespace ?? ""}/${work.metadata.name ?? ""}`;
const workPath = (namespace: string, name: string) =>
  `/apis/work.karmada.io/v1alpha1/namespaces/${encodeURIComponent(namespace)}/works/${encodeURIComponent(name)}`;
const manifestsOf = (work: Work): unknown[] =>
  Array.isArray(work.spec?.workload?.manifests) ? work.spec.workload.manifests : [];

export class WorkSync implements InformerHandlers<Work> {
  private readonly options: WorkSyncOptions;
  private readonly queue: WorkQueue;
  /** The Works as last seen (from the informer, or from our own writes). */
  private readonly works = new Map<string, Work>();
  /** Per Work and manifest slot: what was last applied. */
  private readonly applied = new Map<string, string>();
  /** The resourceVersion of each Work's status as we last wrote it: its watch event needs no work. */
  private readonly written = new Map<string, string>();

  constructor(options: WorkSyncOptions) {
    this.options = options;
    this.queue = new WorkQueue((key) => this.reconcile(key), options);
  }

  start(): void {
    this.queue.start();
  }

  stop(): Promise<void> {
    return this.queue.stop();
  }

  get scheduled(): number {
    return this.queue.scheduled;
  }

  onAdd(work: Work): void {
    this.works.set(keyOf(work), work);
    this.queue.add(keyOf(work));
  }

  onUpdate(_previous: Work, work: Work): void {
    const key = keyOf(work);
    this.works.set(key, work);
    if (this.written.get(key) === work.metadata.resourceVersion) return;
    this.queue.add(key);
  }

  onDelete(work: Work): void {
    const key = keyOf(work);
    this.works.delete(key);
    this.written.delete(key);
    this.forgetApplied(key);
    this.queue.forget(key);
  }

  onResync(works: Work[]): void {
    // A full list repairs what a watch may have missed, so every Work is looked at again.
    for (const work of works) this.queue.add(keyOf(work));
  }

  private forgetApplied(key: string): void {
    for (const slot of [...this.applied.keys()]) if (slot.startsWith(`${key}#`)) this.applied.delete(slot);
  }

  private async reconcile(key: string): Promise<number | undefined> {
    const work = this.works.get(key);
    if (!work) return undefined;
    if (work.metadata.deletionTimestamp) {
      await this.cleanUp(key, work);
      return undefined;
    }
    const outcomes: ManifestOutcome[] = [];
    for (const [ordinal, manifest] of manifestsOf(work).entries()) {
      const slot = `${key}#${ordinal}`;
      const memory = {
        get: () => this.applied.get(slot),
        set: (fingerprint: string | undefined) =>
          fingerprint === undefined ? this.applied.delete(slot) : this.applied.set(slot, fingerprint),
      };
      outcomes.push(await applyManifest(this.options.member, manifest, memory));
    }
    for (const slot of [...this.applied.keys()]) {
      if (slot.startsWith(`${key}#`) && Number(slot.slice(key.length + 1)) >= outcomes.length)
        this.applied.delete(slot);
    }
    const status = await this.writeStatus(key, work, outcomes);
    return status
      ? recheckDelay(status, { settlingMs: this.options.settlingMs ?? 5000, steadyMs: this.options.steadyMs ?? 15_000 })
      : undefined;
  }

  /**
   * Writes the Work's status when it differs from what is there, through /status with the
   * Work's resourceVersion; a conflict re-reads the Work and tries again while its spec is the
   * one just applied. Answers the status now in place (undefined: the Work changed or went).
   */
  private async writeStatus(key: string, work: Work, outcomes: ManifestOutcome[]): Promise<WorkStatus | undefined> {
    const { federation, clock, signal } = this.options;
    let current = work;
    for (let attempt = 0; attempt < CONFLICT_RETRIES; attempt++) {
      const status = workStatus(current.status, outcomes, clock.now(), current.metadata.generation);
      if (sameStatus(current.status, status)) return status;
      const path = workPath(current.metadata.namespace ?? "", current.metadata.name ?? "");
      try {
        const updated = await federation.put<Work>(`${path}/status`, { ...current, status }, { signal });
        this.written.set(key, updated.metadata.resourceVersion ?? "");
        this.options.logger.debug(`Work ${key}: status written (${describeStatus(status)})`);
        this.works.set(key, updated);
        return status;
      } catch (err) {
        if (isNotFound(err)) return undefined;
        if (!isConflict(err)) throw err;
      }
      const fresh = await this.readWork(path);
      if (!fresh) return undefined;
      this.works.set(key, fresh);
      // A new spec (or a deletion) is handled on its own event: this report is about the old one.
      if (JSON.stringify(fresh.spec) !== JSON.stringify(work.spec) || fresh.metadata.deletionTimestamp) {
        this.queue.add(key);
        return undefined;
      }
      current = fresh;
    }
    this.queue.add(key);
    return undefined;
  }

  private async readWork(path: string): Promise<Work | undefined> {
    try {
      return await this.options.federation.get<Work>(path, { signal: this.options.signal });
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** Removes the Work's copies from the member (only the federation's own), then its finalizer. */
  private async cleanUp(key: string, work: Work): Promise<void> {
    if (!(work.metadata.finalizers ?? []).includes(AGENT_CLEANUP_FINALIZER)) return;
    for (const manifest of manifestsOf(work)) await deleteManifest(this.options.member, manifest);
    this.forgetApplied(key);
    const path = workPath(work.metadata.namespace ?? "", work.metadata.name ?? "");
    let current: Work | undefined = work;
    for (let attempt = 0; current && attempt < CONFLICT_RETRIES; attempt++) {
      const finalizers = (current.metadata.finalizers ?? []).filter((f) => f !== AGENT_CLEANUP_FINALIZER);
      if (finalizers.length === (current.metadata.finalizers ?? []).length) return;
      try {
        // The resourceVersion makes the merge patch conditional: another finalizer added meanwhile is kept.
        await this.options.federation.mergePatch(
          path,
          { metadata: { finalizers, resourceVersion: current.metadata.resourceVersion } },
          { signal: this.options.signal },
        );
        this.options.logger.info(`Work ${key}: removed its copies from the member`);
        return;
      } catch (err) {
        if (isNotFound(err)) return;
        if (!isConflict(err)) throw err;
      }
      current = await this.readWork(path);
    }
    if (current) throw new Error("removing the cleanup finalizer kept conflicting");
  }
}

const describeStatus = (status: WorkStatus) =>
  [
    `Applied=${status.conditions?.find((c) => c.type === "Applied")?.status ?? "Unknown"}`,
    ...(status.manifestStatuses ?? []).map((m) => `${m.identifier.kind} ${m.identifier.name} ${m.health ?? "Unknown"}`),
  ].join(", ");
