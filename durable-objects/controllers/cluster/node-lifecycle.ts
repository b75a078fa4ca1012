// The node lifecycle controller (kube-controller-manager's node lifecycle + taint eviction), as a
// ClusterStore controller. Lease renewals and Ready heartbeats prove a node alive; after the
// grace period without one, its conditions go Unknown, it is tainted unreachable (NoSchedule at
// once, NoExecute under the per-zone eviction rate limit), its pods turn Ready=False, and pods
// that do not tolerate the NoExecute taint are deleted when their tolerationSeconds run out.
// When the kubelet reports Ready again, the taints go. All timing goes through requeueAfter
// and the injected clock.
import { conditionTaintKey, desiredTaints, sameTaints, serializeTaints, taintsOf } from "../../../api/nodes/taints.ts";
import { readyHeartbeat, readyStatus, withConditionsUnknown } from "../../../api/nodes/conditions.ts";
import { evictionTime } from "../../../api/nodes/eviction.ts";
import {
  heartbeatSignature,
  HealthTracker,
  NODE_MONITOR_GRACE_MS,
  NODE_STARTUP_GRACE_MS,
} from "../../../api/nodes/health.ts";
import { evictionRate, RateLimiter, zoneOf, zoneState } from "../../../api/nodes/zones.ts";
import { parseTolerations } from "../../../api/scheduler/taints.ts";
import type { KubeObject } from "../../../api/types.ts";
import { asArray, isRecord } from "../../../api/validation/shape.ts";
import type { SendPodOps } from "../../scheduler/binder.ts";
import { NODE_CONTROLLER_COMPONENT, type PodOp } from "../../scheduler/pod-ops.ts";
import type { ObjectStore } from "../../storage/object-store.ts";
import type { ChangeNotice, Controller, ControllerContext } from "../framework.ts";

export const NODE_LIFECYCLE_CONTROLLER = "node-lifecycle-controller";
/** The key that checks every node's heartbeat deadline (node names cannot contain ':'). */
export const MONITOR = ":monitor";
const LEASES = "leases.coordination.k8s.io";
const LEASE_NAMESPACE = "kube-node-lease";
const NODES = "nodes";

export interface NodeLifecycleSettings {
  /** How long a node may stay silent before it is Unknown (kube's node-monitor-grace-period). */
  graceMs: number;
  /** The same for a node that never reported Ready. */
  startupGraceMs: number;
}

/** Settings, with overrides from the environment (benchmarks with thousands of hollow nodes). */
export function nodeLifecycleSettings(env: object): NodeLifecycleSettings {
  const vars = env as Record<string, unknown>;
  const ms = (name: string, fallback: number) => Number(vars[name] ?? fallback) || fallback;
  return {
    graceMs: ms("NODE_MONITOR_GRACE_MS", NODE_MONITOR_GRACE_MS),
    startupGraceMs: ms("NODE_STARTUP_GRACE_MS", NODE_STARTUP_GRACE_MS),
  };
}

export interface NodeLifecycleDeps {
  store: ObjectStore;
  send: SendPodOps;
  /** Enqueues one of this controller's keys from outside a reconcile. */
  enqueue: (key: string) => void;
  settings: NodeLifecycleSettings;
  clock: () => Date;
}

interface NodeFacts {
  zone: string;
  ready: string | undefined;
  heartbeat: string;
  leaseRenew: string;
}

const specNodeName = (pod: KubeObject) => {
  const spec = isRecord(pod.spec) ? pod.spec : {};
  return typeof spec.nodeName === "string" ? spec.nodeName : "";
};

const podReadyStatus = (pod: KubeObject) => {
  const status = isRecord(pod.status) ? pod.status : {};
  const ready = asArray(status.conditions).find((c) => isRecord(c) && c.type === "Ready");
  return isRecord(ready) ? ready.status : undefined;
};

export class NodeLifecycleController implements Controller {
  readonly name = NODE_LIFECYCLE_CONTROLLER;
  private readonly deps: NodeLifecycleDeps;
  private readonly health = new HealthTracker();
  private readonly facts = new Map<string, NodeFacts>();
  private readonly limiters = new Map<string, RateLimiter>();
  /** Nodes that are not Ready: changes to their pods need a look. */
  private readonly attention = new Set<string>();

  constructor(deps: NodeLifecycleDeps) {
    this.deps = deps;
  }

  private now(): number {
    return this.deps.clock().getTime();
  }

  private factsFor(name: string): NodeFacts {
    let facts = this.facts.get(name);
    if (!facts) {
      facts = { zone: "", ready: undefined, heartbeat: "", leaseRenew: "" };
      this.facts.set(name, facts);
    }
    return facts;
  }

  private observe(name: string): void {
    const facts = this.facts.get(name);
    if (!facts) return;
    this.health.observe(name, heartbeatSignature(facts.leaseRenew, facts.heartbeat), this.now());
  }

  private noteNode(node: KubeObject): void {
    const facts = this.factsFor(node.metadata.name ?? "");
    facts.zone = zoneOf(node.metadata.labels);
    facts.ready = readyStatus(node);
    facts.heartbeat = readyHeartbeat(node);
  }

  private noteLease(lease: KubeObject): void {
    const spec = isRecord(lease.spec) ? lease.spec : {};
    const facts = this.facts.get(lease.metadata.name ?? "");
    if (facts) facts.leaseRenew = typeof spec.renewTime === "string" ? spec.renewTime : "";
  }

  initialKeys(): string[] {
    const names: string[] = [];
    for (const row of this.deps.store.list(NODES, "")) {
      const node = JSON.parse(row.value) as KubeObject;
      this.noteNode(node);
      names.push(row.name);
    }
    for (const row of this.deps.store.list(LEASES, LEASE_NAMESPACE))
      this.noteLease(JSON.parse(row.value) as KubeObject);
    for (const name of names) this.observe(name);
    return [MONITOR, ...names];
  }

  keysFor(change: ChangeNotice): string[] {
    if (change.resource === NODES) {
      const name = change.name;
      if (change.type === "DELETED") {
        this.facts.delete(name);
        this.health.forget(name);
        this.attention.delete(name);
        return [MONITOR];
      }
      const known = this.facts.has(name);
      this.noteNode(change.object);
      this.observe(name);
      return known ? [name] : [name, MONITOR];
    }
    if (change.resource === LEASES && change.object.metadata.namespace === LEASE_NAMESPACE) {
      if (change.type !== "DELETED") {
        this.noteLease(change.object);
        this.observe(change.name);
      }
      return [];
    }
    if (change.resource === "pods" && change.type !== "DELETED") {
      const node = specNodeName(change.object);
      if (node !== "" && this.attention.has(node) && change.object.metadata.deletionTimestamp === undefined)
        return [node];
    }
    return [];
  }

  private graceFor(name: string): number {
    return this.facts.get(name)?.ready === undefined ? this.deps.settings.startupGraceMs : this.deps.settings.graceMs;
  }

  async reconcile(key: string, ctx: ControllerContext): Promise<void> {
    if (key === MONITOR) return this.monitor(ctx);
    return this.reconcileNode(key, ctx);
  }

  /** Every node's heartbeat deadline: stale ones get reconciled; wake again at the next deadline. */
  private monitor(ctx: ControllerContext): void {
    const now = ctx.now().getTime();
    let next = Infinity;
    for (const [name, facts] of this.facts) {
      const deadline = this.health.deadline(name, this.graceFor(name));
      if (deadline === undefined) continue;
      if (deadline <= now) {
        if (facts.ready !== "Unknown") this.deps.enqueue(name);
      } else next = Math.min(next, deadline);
    }
    if (next !== Infinity) ctx.requeueAfter(next - now);
  }

  private limiterFor(zone: string, now: number): RateLimiter {
    let ready = 0;
    let notReady = 0;
    for (const facts of this.facts.values()) {
      if (facts.zone !== zone) continue;
      if (facts.ready === "True") ready++;
      else notReady++;
    }
    const rate = evictionRate(zoneState(ready, notReady), ready + notReady);
    let limiter = this.limiters.get(zone);
    if (!limiter) this.limiters.set(zone, (limiter = new RateLimiter(rate)));
    else if (limiter.rate !== rate) limiter.setRate(rate, now);
    return limiter;
  }

  /** Every zone is fully disrupted: the control plane is probably the one cut off. Evict nothing. */
  private allZonesDown(): boolean {
    if (this.facts.size === 0) return false;
    for (const facts of this.facts.values()) if (facts.ready === "True") return false;
    return true;
  }

  private async reconcileNode(name: string, ctx: ControllerContext): Promise<void> {
    let node = ctx.objects.get(NODES, name);
    if (!node) return;
    this.noteNode(node);
    this.observe(name);
    const now = ctx.now();
    let ready = readyStatus(node);
    const deadline = this.health.deadline(name, this.graceFor(name)) ?? Infinity;
    const events: PodOp[] = [];
    if (now.getTime() >= deadline && ready !== "Unknown") {
      const unknown = withConditionsUnknown(node, now);
      if (unknown) {
        node = ctx.objects.updateStatus(NODES, unknown);
        ready = "Unknown";
        this.noteNode(node);
        events.push({
          op: "event",
          subject: { apiVersion: "v1", kind: "Node", name, uid: node.metadata.uid },
          event: {
            type: "Normal",
            reason: "NodeNotReady",
            message: `Node ${name} status is now: NodeNotReady`,
            component: NODE_CONTROLLER_COMPONENT,
          },
        });
      }
    }

    const zone = this.facts.get(name)?.zone ?? "";
    const limiter = this.limiterFor(zone, now.getTime());
    const paused = this.allZonesDown();
    const desired = desiredTaints(node, ready, now, () => !paused && limiter.tryAccept(now.getTime()));
    if (paused)
      desired.taints = desired.taints.filter((t) => !(t.effect === "NoExecute" && t.key === conditionTaintKey(ready)));
    if (!sameTaints(desired.taints, taintsOf(node))) {
      const spec = isRecord(node.spec) ? node.spec : {};
      const taints = serializeTaints(desired.taints);
      const next: KubeObject = { ...node, spec: { ...spec, ...(taints.length > 0 ? { taints } : {}) } };
      if (taints.length === 0) delete (next.spec as Record<string, unknown>).taints;
      node = ctx.objects.update(NODES, next);
    }
    if (desired.pendingNoExecute && !paused) {
      const wait = limiter.waitMs(now.getTime());
      if (Number.isFinite(wait)) ctx.requeueAfter(wait);
    }
    if (events.length > 0) await this.deps.send("default", events);
    if (ready === "True") {
      this.attention.delete(name);
      return;
    }
    this.attention.add(name);
    await this.handlePods(name, taintsOf(node), ctx);
  }

  /** Pods on a node that is not Ready: Ready=False, and taint-based eviction. */
  private async handlePods(name: string, taints: ReturnType<typeof taintsOf>, ctx: ControllerContext): Promise<void> {
    const now = ctx.now().getTime();
    const noExecute = taints.filter((t) => t.effect === "NoExecute");
    const byNamespace = new Map<string, PodOp[]>();
    const add = (namespace: string, op: PodOp) => {
      let ops = byNamespace.get(namespace);
      if (!ops) byNamespace.set(namespace, (ops = []));
      ops.push(op);
    };
    let nextEviction = Infinity;
    for (const row of this.deps.store.listByNode(name)) {
      const pod = JSON.parse(row.value) as KubeObject;
      const phase = isRecord(pod.status) ? pod.status.phase : undefined;
      if (pod.metadata.deletionTimestamp !== undefined || phase === "Succeeded" || phase === "Failed") continue;
      const podName = pod.metadata.name ?? "";
      const uid = pod.metadata.uid ?? "";
      const namespace = row.namespace;
      if (podReadyStatus(pod) !== "False") {
        add(namespace, {
          op: "notReady",
          name: podName,
          uid,
          event: {
            type: "Warning",
            reason: "NodeNotReady",
            message: "Node is not ready",
            component: NODE_CONTROLLER_COMPONENT,
          },
        });
      }
      const spec = isRecord(pod.spec) ? pod.spec : {};
      const when = evictionTime(parseTolerations(spec.tolerations), noExecute, now);
      if (when.at === "now") {
        add(namespace, {
          op: "delete",
          name: podName,
          uid,
          disruption: { reason: "DeletionByTaintManager", message: "Taint manager: deleting due to NoExecute taint" },
          event: {
            type: "Normal",
            reason: "TaintManagerEviction",
            message: `Marking for deletion Pod ${namespace}/${podName}`,
            component: NODE_CONTROLLER_COMPONENT,
          },
        });
      } else if (when.at !== "never") nextEviction = Math.min(nextEviction, when.at);
    }
    const results = await Promise.all([...byNamespace].map(([namespace, ops]) => this.deps.send(namespace, ops)));
    const failed = results.flat().find((r) => !r.ok && r.code !== 404 && r.code !== 409);
    if (nextEviction !== Infinity) ctx.requeueAfter(nextEviction - now);
    if (failed) throw new Error(`pod updates for node ${name} failed: ${failed.code} ${failed.message}`);
  }
}
