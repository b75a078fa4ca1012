// The pod garbage collector (kube-controller-manager's podgc), as a ClusterStore controller over
// its mirror of every namespace's pods. Pods bound to a Node that no longer exists are marked
// Failed and force-deleted once the node has stayed away for the quarantine; terminating pods on
// a node an operator took out of service are force-deleted; finished pods beyond the threshold
// are deleted, oldest first. Writes go to the pods' NamespaceStores in batches.
import { isOutOfService, orphanVerdict, POD_GC_QUARANTINE_MS } from "../../../api/controllers/podgc/nodes.ts";
import {
  isTerminated,
  isTerminating,
  TERMINATED_POD_GC_THRESHOLD,
  terminatedPod,
  terminatedToDelete,
  type TerminatedPod,
} from "../../../api/controllers/podgc/pods.ts";
import type { KubeObject } from "../../../api/types.ts";
import type { SendPodOps } from "../../scheduler/binder.ts";
import { scan } from "../../scheduler/cache.ts";
import type { PodOp, PodOpResult } from "../../scheduler/pod-ops.ts";
import type { ObjectStore } from "../../storage/object-store.ts";
import type { ChangeNotice, Controller, ControllerContext } from "../framework.ts";

export const POD_GC_CONTROLLER = "pod-garbage-collector";
/** The key that trims finished pods (node names, the other keys, cannot contain ':'). */
export const TERMINATED = ":terminated";
const NODES = "nodes";
const PODS = "pods";
/**
 * When a vanished node's absence was first noticed, per node, in the store's meta table: the
 * quarantine survives a restart of the object instead of starting over each time it is evicted.
 */
export const quarantineMetaKey = (node: string) => `pod-gc/quarantine/${node}`;
/** Ops per RPC to one NamespaceStore. */
const BATCH = 256;

export interface PodGcSettings {
  /** How long a node must stay away before its pods go (kube's quarantine, 40 s). */
  quarantineMs: number;
  /** Finished pods kept cluster-wide; 0 keeps them all (kube's --terminated-pod-gc-threshold). */
  terminatedThreshold: number;
}

/** Settings, with overrides from the environment (POD_GC_QUARANTINE_MS, TERMINATED_POD_GC_THRESHOLD). */
export function podGcSettings(env: object): PodGcSettings {
  const vars = env as Record<string, unknown>;
  const count = (name: string, fallback: number) => {
    const value = Number(vars[name] ?? fallback);
    return Number.isInteger(value) && value >= 0 ? value : fallback;
  };
  return {
    quarantineMs: count("POD_GC_QUARANTINE_MS", POD_GC_QUARANTINE_MS),
    terminatedThreshold: count("TERMINATED_POD_GC_THRESHOLD", TERMINATED_POD_GC_THRESHOLD),
  };
}

export interface PodGcDeps {
  /** The ClusterStore's objects: Nodes, and its mirror of every namespace's pods. */
  store: ObjectStore;
  send: SendPodOps;
  /** Read on every use: tests change them on a running store. */
  settings: PodGcSettings;
}

const specNodeName = (pod: KubeObject) => {
  const spec = pod.spec as { nodeName?: unknown } | undefined;
  return typeof spec?.nodeName === "string" ? spec.nodeName : "";
};

const podKey = (namespace: string, name: string) => `${namespace}/${name}`;

export class PodGcController implements Controller {
  readonly name = POD_GC_CONTROLLER;
  private readonly deps: PodGcDeps;
  /** Every Node, and whether it is out of service. */
  private readonly nodes = new Map<string, boolean>();
  /** Finished pods not yet being deleted, by namespace/name. */
  private readonly terminated = new Map<string, TerminatedPod>();

  constructor(deps: PodGcDeps) {
    this.deps = deps;
  }

  private notePod(pod: KubeObject): void {
    const namespace = pod.metadata.namespace ?? "";
    const key = podKey(namespace, pod.metadata.name ?? "");
    // A pod on its way out no longer counts: it is gone as soon as its finalizers allow.
    if (isTerminated(pod) && pod.metadata.deletionTimestamp === undefined)
      this.terminated.set(key, terminatedPod(namespace, pod));
    else this.terminated.delete(key);
  }

  private overThreshold(): boolean {
    const threshold = this.deps.settings.terminatedThreshold;
    return threshold > 0 && this.terminated.size > threshold;
  }

  initialKeys(): string[] {
    this.nodes.clear();
    this.terminated.clear();
    const keys = new Set<string>();
    for (const node of scan(this.deps.store, NODES, "")) {
      const name = node.metadata.name ?? "";
      const outOfService = isOutOfService(node);
      this.nodes.set(name, outOfService);
      if (outOfService) keys.add(name);
    }
    for (const pod of scan(this.deps.store, PODS, undefined)) {
      this.notePod(pod);
      const node = specNodeName(pod);
      if (node !== "" && !this.nodes.has(node)) keys.add(node);
    }
    if (this.overThreshold()) keys.add(TERMINATED);
    return [...keys];
  }

  keysFor(change: ChangeNotice): string[] {
    if (change.resource === NODES) {
      const name = change.name;
      if (change.type === "DELETED") {
        this.nodes.delete(name);
        return [name];
      }
      const known = this.nodes.has(name);
      const outOfService = isOutOfService(change.object);
      this.nodes.set(name, outOfService);
      // A node (re-)registering ends its quarantine.
      return !known || outOfService ? [name] : [];
    }
    if (change.resource !== PODS) return [];
    const pod = change.object;
    const keys: string[] = [];
    if (change.type === "DELETED") this.terminated.delete(podKey(pod.metadata.namespace ?? "", change.name));
    else {
      this.notePod(pod);
      if (this.overThreshold()) keys.push(TERMINATED);
    }
    const node = specNodeName(pod);
    if (node === "") return keys;
    const outOfService = this.nodes.get(node);
    // A pod of a vanished node: its quarantine starts (or, once the last one is gone, ends).
    if (outOfService === undefined) keys.push(node);
    else if (outOfService && change.type !== "DELETED" && isTerminating(pod)) keys.push(node);
    return keys;
  }

  async reconcile(key: string, ctx: ControllerContext): Promise<void> {
    if (key === TERMINATED) return this.collectTerminated();
    return this.reconcileNode(key, ctx);
  }

  private async reconcileNode(name: string, ctx: ControllerContext): Promise<void> {
    const { store } = this.deps;
    const metaKey = quarantineMetaKey(name);
    const node = ctx.objects.get(NODES, name);
    if (node) {
      if (store.getMeta(metaKey) !== undefined) store.deleteMeta(metaKey);
      if (isOutOfService(node)) await this.deleteTerminatingOn(name);
      return;
    }
    const pods = store.listByNode(name).map((row) => JSON.parse(row.value) as KubeObject);
    const now = ctx.now().getTime();
    let noticedAt = Number(store.getMeta(metaKey) ?? NaN);
    if (pods.length > 0 && Number.isNaN(noticedAt)) {
      noticedAt = now;
      store.setMeta(metaKey, String(now));
    }
    const verdict = orphanVerdict(pods.length, noticedAt, now, this.deps.settings.quarantineMs);
    if (verdict.action === "forget") {
      if (store.getMeta(metaKey) !== undefined) store.deleteMeta(metaKey);
    } else if (verdict.action === "wait") {
      ctx.requeueAfter(verdict.ms);
    } else {
      // The record stays until the mirror shows the pods gone (their DELETED notices end it), so
      // a pod bound to the node meanwhile goes at once rather than after another quarantine.
      await this.send(
        pods.map((pod) => ({
          namespace: pod.metadata.namespace ?? "",
          op: {
            op: "delete",
            name: pod.metadata.name ?? "",
            uid: pod.metadata.uid ?? "",
            force: true,
            failed: true,
            disruption: { reason: "DeletionByPodGC", message: "PodGC: node no longer exists" },
          },
        })),
      );
    }
  }

  /** Nothing on an out-of-service node will finish its pods' termination: finish it here. */
  private async deleteTerminatingOn(name: string): Promise<void> {
    const ops: Array<{ namespace: string; op: PodOp }> = [];
    for (const row of this.deps.store.listByNode(name)) {
      const pod = JSON.parse(row.value) as KubeObject;
      if (!isTerminating(pod)) continue;
      const op: PodOp = { op: "delete", name: row.name, uid: row.uid, force: true, failed: true };
      ops.push({ namespace: row.namespace, op });
    }
    await this.send(ops);
  }

  private async collectTerminated(): Promise<void> {
    const victims = terminatedToDelete(this.terminated.values(), this.deps.settings.terminatedThreshold);
    await this.send(
      victims.map((pod) => ({
        namespace: pod.namespace,
        op: { op: "delete", name: pod.name, uid: pod.uid, force: true },
      })),
    );
  }

  /**
   * One RPC per namespace (and per BATCH ops), all at once. A pod already gone (404) or replaced
   * (409) needs nothing more; anything else fails the reconcile so it is retried with backoff.
   */
  private async send(ops: Array<{ namespace: string; op: PodOp }>): Promise<void> {
    const byNamespace = new Map<string, PodOp[]>();
    for (const { namespace, op } of ops) {
      let list = byNamespace.get(namespace);
      if (!list) byNamespace.set(namespace, (list = []));
      list.push(op);
    }
    const calls: Promise<PodOpResult[]>[] = [];
    for (const [namespace, list] of byNamespace)
      for (let i = 0; i < list.length; i += BATCH) calls.push(this.deps.send(namespace, list.slice(i, i + BATCH)));
    const results = (await Promise.all(calls)).flat();
    const failed = results.find((r) => !r.ok && r.code !== 404 && r.code !== 409);
    if (failed) throw new Error(`pod deletions failed: ${failed.code} ${failed.message}`);
  }
}
