// The default scheduler, as a ClusterStore controller. Every committed change feeds the cache
// and the scheduling queue; one work key ("cycle") drains the queue in PrioritySort order:
// filter → score → pick, assume the pod on the node, provision and reserve its volumes, and bind
// it (claims first) through its NamespaceStore (batched, without waiting). Pods that fit nowhere
// get PodScheduled=False with kube's message, may preempt lower-priority pods, and are retried
// when the cluster changes.
import { fitErrorMessage } from "../../../api/scheduler/fit-error.ts";
import { Scheduler } from "../../../api/scheduler/framework.ts";
import { preempt } from "../../../api/scheduler/plugins/default-preemption.ts";
import { requiredNodeAffinityMatches } from "../../../api/scheduler/plugins/node-affinity.ts";
import type { Profile } from "../../../api/scheduler/framework.ts";
import { SchedulingQueue } from "../../../api/scheduler/queue.ts";
import { defaultProfile } from "../../../api/scheduler/registry.ts";
import type { PodInfo } from "../../../api/scheduler/types.ts";
import { isRecord } from "../../../api/validation/shape.ts";
import { PodOpBatcher, type SendPodOps } from "../../scheduler/binder.ts";
import { BUDGETS, SchedulerCache, PRIORITY_CLASSES } from "../../scheduler/cache.ts";
import { SCHEDULER_COMPONENT, type PodOpResult } from "../../scheduler/pod-ops.ts";
import { prepareVolumes, type PreparedVolumes } from "../../scheduler/volume-binder.ts";
import { StoreVolumeLister, VOLUME_RESOURCES } from "../../scheduler/volume-lister.ts";
import type { ObjectStore } from "../../storage/object-store.ts";
import type { ObjectWriter } from "../object-writer.ts";
import type { ChangeNotice, Controller, ControllerContext } from "../framework.ts";

export const SCHEDULER_CONTROLLER = "default-scheduler";
export const CYCLE = "cycle";
/** Pods scheduled between yields to the event loop (lets bindings go out and changes come in). */
const YIELD_EVERY = 32;
/** Longest a single reconcile keeps scheduling before handing the object back. */
const CYCLE_BUDGET_MS = 1000;

export interface SchedulerDeps {
  /** The ClusterStore's objects, pods of every namespace included. */
  store: ObjectStore;
  send: SendPodOps;
  /** Asks the controller manager for another cycle (after asynchronous binding results). */
  kick: () => void;
  clock: () => Date;
  random?: () => number;
  profile?: Profile;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export class SchedulerController implements Controller {
  readonly name = SCHEDULER_CONTROLLER;
  private readonly deps: SchedulerDeps;
  private readonly scheduler: Scheduler;
  private cache = new SchedulerCache();
  private volumes: StoreVolumeLister | undefined;
  private queue: SchedulingQueue;
  private readonly batcher: PodOpBatcher;
  /** Counters for tests and benchmarks. */
  readonly stats = { attempts: 0, scheduled: 0, unschedulable: 0, bindFailures: 0, preemptions: 0 };

  constructor(deps: SchedulerDeps) {
    this.deps = deps;
    this.scheduler = new Scheduler(deps.profile ?? defaultProfile(), deps.random);
    this.queue = new SchedulingQueue(() => deps.clock().getTime());
    this.batcher = new PodOpBatcher(deps.send);
  }

  /** The cache (tests inspect it). */
  get snapshot(): SchedulerCache {
    return this.cache;
  }

  get pending(): SchedulingQueue {
    return this.queue;
  }

  /** Resolves once every queued binding and status write has been answered. */
  idle(): Promise<void> {
    return this.batcher.idle();
  }

  initialKeys(): string[] {
    this.cache = new SchedulerCache();
    this.volumes = new StoreVolumeLister(this.deps.store);
    this.cache.volumes = this.volumes;
    this.queue = new SchedulingQueue(() => this.deps.clock().getTime());
    for (const pod of this.cache.rebuild(this.deps.store)) this.queue.add(pod);
    return [CYCLE];
  }

  keysFor(change: ChangeNotice): string[] {
    // Pods moved out of "unschedulable" may still be backing off: a cycle then waits for them.
    let moved = 0;
    switch (change.resource) {
      case "pods": {
        const result = this.cache.applyPod(change.type, change.object);
        if (result.unqueue) this.queue.remove(result.unqueue);
        if (result.pending) this.queue.add(result.pending);
        if (result.event) moved = this.queue.onEvent(result.event);
        break;
      }
      case "nodes": {
        const event = this.cache.applyNode(change.type, change.object);
        const view = this.cache.get(change.name)?.node;
        if (event) moved = this.queue.onEvent(event, view && ((pod) => requiredNodeAffinityMatches(pod, view)));
        break;
      }
      case "namespaces":
        this.cache.applyNamespace(change.type, change.object);
        break;
      case PRIORITY_CLASSES:
        this.cache.applyPriorityClass(change.type, change.object);
        break;
      case BUDGETS:
        this.cache.applyBudget(change.type, change.object);
        break;
      default:
        if (!VOLUME_RESOURCES.has(change.resource)) return [];
        this.volumes?.changed(change.resource, change.object.metadata.namespace ?? "", change.name);
        moved = this.queue.onEvent("StorageChange");
    }
    return this.queue.active > 0 || moved > 0 || this.queue.backingOffCount > 0 ? [CYCLE] : [];
  }

  async reconcile(key: string, ctx: ControllerContext): Promise<void> {
    if (key !== CYCLE) return;
    this.queue.flushBackoff();
    const started = Date.now();
    let count = 0;
    for (let pod = this.queue.pop(); pod; pod = this.queue.pop()) {
      this.scheduleOne(pod, ctx.objects);
      if (++count % YIELD_EVERY === 0) {
        this.batcher.flush();
        await yieldToEventLoop();
        if (Date.now() - started > CYCLE_BUDGET_MS) break;
      }
    }
    this.batcher.flush();
    if (this.queue.active > 0) this.deps.kick();
    const next = this.queue.nextBackoffExpiry();
    if (next !== undefined) ctx.requeueAfter(Math.max(0, next - ctx.now().getTime()));
  }

  /**
   * One scheduling cycle for one pod (synchronous: the cache cannot change under it). `writer`
   * writes this ClusterStore's objects (the PersistentVolumes provisioned for the pod's claims).
   */
  scheduleOne(pod: PodInfo, writer?: ObjectWriter): void {
    this.stats.attempts++;
    const result = this.scheduler.schedule(pod, this.cache);
    if (result.node !== undefined) {
      const node = result.node;
      const volumes = this.reserveVolumes(pod, node, writer);
      if (!volumes) return;
      this.cache.assume(pod, node);
      this.queue.scheduled(pod.key);
      this.stats.scheduled++;
      for (const { subject, event } of volumes.events) this.batcher.add(pod.namespace, { op: "event", subject, event });
      const claims = volumes.claims.length > 0 ? { claims: volumes.claims } : {};
      this.batcher.add(pod.namespace, { op: "bind", name: pod.name, uid: pod.uid, node, ...claims }, (r) =>
        this.bound(pod, r),
      );
      return;
    }
    const diagnosis = result.diagnosis;
    let nominatedNodeName: string | undefined;
    if (diagnosis.numAllNodes > 0) {
      const outcome = preempt(this.scheduler.profile, pod, this.cache, diagnosis, this.cache.budgets());
      if ("candidate" in outcome) {
        nominatedNodeName = outcome.candidate.node;
        this.evictVictims(pod, outcome.candidate.node, outcome.candidate.victims);
      } else {
        diagnosis.postFilterMsg = outcome.message;
        if (outcome.clearNomination && pod.nominatedNodeName) nominatedNodeName = "";
      }
    }
    // Reserve the room at once (kube's AddNominatedPod): the status write comes back later.
    if (nominatedNodeName !== undefined) this.cache.nominate(pod, nominatedNodeName);
    this.stats.unschedulable++;
    this.queue.unschedulable(pod.key, diagnosis.unschedulablePlugins);
    this.batcher.add(pod.namespace, {
      op: "unschedulable",
      name: pod.name,
      uid: pod.uid,
      message: fitErrorMessage(diagnosis),
      ...(nominatedNodeName !== undefined ? { nominatedNodeName } : {}),
    });
  }

  /** The pod's claims provisioned on `node` and ready to bind; undefined (retry later) when that failed. */
  private reserveVolumes(pod: PodInfo, node: string, writer: ObjectWriter | undefined): PreparedVolumes | undefined {
    if (!pod.claims || pod.claims.length === 0) return { claims: [], events: [] };
    try {
      const view = this.cache.get(node)?.node;
      if (!writer || !this.cache.volumes || !view) throw new Error("no store to provision volumes in");
      return prepareVolumes(pod, view, this.cache.volumes, writer);
    } catch (err) {
      this.stats.bindFailures++;
      console.warn(`binding volumes of ${pod.key} on ${node}: ${err instanceof Error ? err.message : String(err)}`);
      this.queue.failed(pod.key);
      return undefined;
    }
  }

  private evictVictims(pod: PodInfo, node: string, victims: PodInfo[]): void {
    this.stats.preemptions++;
    for (const victim of victims) {
      this.batcher.add(victim.namespace, {
        op: "delete",
        name: victim.name,
        uid: victim.uid,
        disruption: {
          reason: "PreemptionByScheduler",
          message: `${SCHEDULER_COMPONENT}: preempting to accommodate a higher priority pod`,
        },
        event: {
          type: "Normal",
          reason: "Preempted",
          message: `Preempted by pod ${pod.uid} on node ${node}`,
          component: SCHEDULER_COMPONENT,
        },
      });
    }
  }

  /** A binding's answer. Success is confirmed by the stored pod arriving in the cache. */
  private bound(pod: PodInfo, result: PodOpResult): void {
    if (result.ok) return;
    this.stats.bindFailures++;
    this.cache.forget(pod.key);
    const row = this.deps.store.get("pods", pod.namespace, pod.name);
    if (!row) return; // deleted meanwhile
    const stored = JSON.parse(row.value) as { spec?: unknown; metadata?: { uid?: string } };
    const spec = isRecord(stored.spec) ? stored.spec : {};
    if (stored.metadata?.uid !== pod.uid || (typeof spec.nodeName === "string" && spec.nodeName !== "")) return;
    console.warn(`binding ${pod.key} failed (${result.code}): ${result.message}; retrying after backoff`);
    this.queue.retry(pod);
    this.deps.kick();
  }
}
