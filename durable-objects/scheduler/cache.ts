// The scheduler's cache in the ClusterStore: every node with the pods placed on it (bound, or
// assumed while their binding is in flight), namespace labels and priority classes. Built from
// the store's mirror when the object starts (so accounting survives restarts), then kept current
// from every committed change. It is the Snapshot a scheduling cycle reads.
import { statusMaintained } from "../../api/nodes/disruption.ts";
import { parseSelector, type NamespaceLabels } from "../../api/scheduler/affinity-terms.ts";
import type { DisruptionBudget } from "../../api/scheduler/plugins/default-preemption.ts";
import { NodeInfo, nodeViewChanged, nodeViewFrom } from "../../api/scheduler/node-info.ts";
import { Nominator } from "../../api/scheduler/nominator.ts";
import { holdsResources, isPendingForScheduler, podInfoFrom, slimPodInfo } from "../../api/scheduler/pod-info.ts";
import type { ClusterEvent } from "../../api/scheduler/queue.ts";
import type { Snapshot } from "../../api/scheduler/snapshot.ts";
import type { VolumeLister } from "../../api/scheduler/volumes.ts";
import type { PodInfo } from "../../api/scheduler/types.ts";
import type { KubeObject } from "../../api/types.ts";
import { isRecord } from "../../api/validation/shape.ts";
import type { ChangeType, ObjectStore } from "../storage/object-store.ts";

export const PRIORITY_CLASSES = "priorityclasses.scheduling.k8s.io";
export const BUDGETS = "poddisruptionbudgets.policy";
const SCAN_PAGE = 1000;

export interface PodChange {
  /** A pod now waiting to be scheduled (add or update it in the queue). */
  pending?: PodInfo;
  /** The pod no longer waits (bound, deleted, finished): drop it from the queue. */
  unqueue?: string;
  event?: ClusterEvent;
}

/** Every row of a resource, a page at a time (a full scan of 50,000 pods must not sit in memory at once). */
export function* scan(store: ObjectStore, resource: string, namespace: string | undefined): Generator<KubeObject> {
  let after: { namespace: string; name: string } | undefined;
  for (;;) {
    const rows = store.list(resource, namespace, after, SCAN_PAGE);
    for (const row of rows) yield JSON.parse(row.value) as KubeObject;
    if (rows.length < SCAN_PAGE) return;
    const last = rows[rows.length - 1]!;
    after = { namespace: last.namespace, name: last.name };
  }
}

export class SchedulerCache implements Snapshot {
  private readonly infos = new Map<string, NodeInfo>();
  private nodeList: NodeInfo[] | undefined;
  /** Pod key → the node it is placed on (bound or assumed). */
  private readonly placement = new Map<string, string>();
  private readonly assumedPods = new Map<string, string>();
  /** Pending pods nominated to a node by preemption. */
  private readonly nominator = new Nominator();
  private readonly nsLabels = new Map<string, Record<string, string>>();
  private readonly priorities = new Map<string, number>();
  private readonly budgetsByKey = new Map<string, DisruptionBudget>();
  /** Nodes holding pods with (anti-)affinity terms (kept by `track`), and their list. */
  private readonly affinityNodes = new Set<NodeInfo>();
  private affinityList: NodeInfo[] | undefined;

  get nodes(): readonly NodeInfo[] {
    this.nodeList ??= [...this.infos.values()].filter((info) => info.node !== undefined);
    return this.nodeList;
  }

  nodesWithAffinityPods(): readonly NodeInfo[] {
    this.affinityList ??= [...this.affinityNodes];
    return this.affinityList;
  }

  /** After any change to a node or its pods: is it still (or now) one with affinity pods? */
  private track(info: NodeInfo): void {
    const holds = info.node !== undefined && info.affinityPods.size > 0;
    if (holds === this.affinityNodes.has(info)) return;
    if (holds) this.affinityNodes.add(info);
    else this.affinityNodes.delete(info);
    this.affinityList = undefined;
  }

  get(name: string): NodeInfo | undefined {
    const info = this.infos.get(name);
    return info?.node ? info : undefined;
  }

  namespaceLabels: NamespaceLabels = (namespace) => this.nsLabels.get(namespace);

  /** Claims, volumes and classes, read from the store by the VolumeBinding plugin. */
  volumes: VolumeLister | undefined;

  get podCount(): number {
    return this.placement.size;
  }

  get assumedCount(): number {
    return this.assumedPods.size;
  }

  isAssumed(key: string): boolean {
    return this.assumedPods.has(key);
  }

  nominatedAhead(node: string, pod: PodInfo): readonly PodInfo[] {
    return this.nominator.ahead(node, pod);
  }

  /** The scheduler nominated `pod` to `node` (or cleared it): reserve the room before the status write comes back. */
  nominate(pod: PodInfo, node: string | undefined): void {
    this.nominator.set(pod, node);
  }

  get nominatedCount(): number {
    return this.nominator.size;
  }

  resolvePriority = (className: string): number | undefined =>
    className === "" ? undefined : this.priorities.get(className);

  /** Rebuilds everything from the store (the object just started); answers the pending pods. */
  rebuild(store: ObjectStore): PodInfo[] {
    for (const pc of scan(store, PRIORITY_CLASSES, "")) this.applyPriorityClass("ADDED", pc);
    for (const ns of scan(store, "namespaces", "")) this.applyNamespace("ADDED", ns);
    for (const node of scan(store, "nodes", "")) this.applyNode("ADDED", node);
    for (const pdb of scan(store, BUDGETS, undefined)) this.applyBudget("ADDED", pdb);
    const pending: PodInfo[] = [];
    for (const pod of scan(store, "pods", undefined)) {
      const change = this.applyPod("ADDED", pod);
      if (change.pending) pending.push(change.pending);
    }
    return pending;
  }

  private infoFor(name: string): NodeInfo {
    let info = this.infos.get(name);
    if (!info) {
      info = new NodeInfo(name);
      this.infos.set(name, info);
    }
    return info;
  }

  /** A Node changed; answers the cluster event it amounts to for the queue (if any). */
  applyNode(type: ChangeType, node: KubeObject): ClusterEvent | undefined {
    const name = node.metadata.name ?? "";
    if (type === "DELETED") {
      const info = this.infos.get(name);
      if (!info?.node) return undefined;
      info.node = undefined;
      this.track(info);
      if (info.pods.size === 0) this.infos.delete(name);
      this.nodeList = undefined;
      return undefined;
    }
    const view = nodeViewFrom(node);
    const info = this.infoFor(name);
    const previous = info.node;
    info.node = view;
    if (!previous) {
      this.track(info);
      this.nodeList = undefined;
      return "NodeAdd";
    }
    return nodeViewChanged(previous, view) ? "NodeUpdate" : undefined;
  }

  applyNamespace(type: ChangeType, namespace: KubeObject): void {
    const name = namespace.metadata.name ?? "";
    if (type === "DELETED") this.nsLabels.delete(name);
    else this.nsLabels.set(name, { ...(namespace.metadata.labels ?? {}) });
  }

  applyPriorityClass(type: ChangeType, pc: KubeObject): void {
    const name = pc.metadata.name ?? "";
    if (type === "DELETED") this.priorities.delete(name);
    else if (typeof pc.value === "number") this.priorities.set(name, pc.value);
  }

  /** PodDisruptionBudgets as preemption weighs them (only those a disruption controller keeps current). */
  applyBudget(type: ChangeType, pdb: KubeObject): void {
    const key = `${pdb.metadata.namespace ?? ""}/${pdb.metadata.name ?? ""}`;
    if (type === "DELETED" || !statusMaintained(pdb)) {
      this.budgetsByKey.delete(key);
      return;
    }
    const spec = isRecord(pdb.spec) ? pdb.spec : {};
    const status = isRecord(pdb.status) ? pdb.status : {};
    this.budgetsByKey.set(key, {
      namespace: pdb.metadata.namespace ?? "",
      selector: parseSelector(spec.selector),
      disruptionsAllowed: typeof status.disruptionsAllowed === "number" ? status.disruptionsAllowed : 0,
    });
  }

  budgets(): DisruptionBudget[] {
    return [...this.budgetsByKey.values()];
  }

  /** A Pod changed: placement and accounting follow; answers what the queue must do. */
  applyPod(type: ChangeType, pod: KubeObject): PodChange {
    const key = `${pod.metadata.namespace ?? ""}/${pod.metadata.name ?? ""}`;
    const spec = isRecord(pod.spec) ? pod.spec : {};
    const nodeName = typeof spec.nodeName === "string" ? spec.nodeName : "";
    if (type === "DELETED" || nodeName !== "") this.nominator.remove(key);
    if (type === "DELETED" || (nodeName !== "" && !holdsResources(pod))) {
      const removed = this.removePlacement(key);
      return { unqueue: key, ...(removed ? { event: "AssignedPodDelete" as const } : {}) };
    }
    if (nodeName === "") {
      // Assumed pods are placed already; their binding will arrive.
      if (this.assumedPods.has(key)) return {};
      if (this.placement.has(key)) this.removePlacement(key);
      if (!isPendingForScheduler(pod)) {
        this.nominator.remove(key);
        return { unqueue: key };
      }
      const info = podInfoFrom(pod, this.resolvePriority);
      this.nominator.set(info, info.nominatedNodeName);
      if (info.gated) return { unqueue: key };
      return { pending: info };
    }
    const info = slimPodInfo(podInfoFrom(pod, this.resolvePriority));
    const previousNode = this.placement.get(key);
    const previous = previousNode ? this.infos.get(previousNode)?.pods.get(key) : undefined;
    this.assumedPods.delete(key);
    if (previousNode !== undefined && previousNode !== nodeName) this.removePlacement(key);
    const target = this.infoFor(nodeName);
    target.addPod(info);
    this.track(target);
    this.placement.set(key, nodeName);
    let event: ClusterEvent | undefined;
    if (!previous || previousNode !== nodeName) event = "AssignedPodAdd";
    else if (
      previous.terminating !== info.terminating ||
      JSON.stringify(previous.labels) !== JSON.stringify(info.labels)
    )
      event = "AssignedPodUpdate";
    return { unqueue: key, ...(event ? { event } : {}) };
  }

  /** Places a pod the scheduler chose a node for, before the binding is stored. */
  assume(pod: PodInfo, node: string): void {
    this.nominator.remove(pod.key);
    this.removePlacement(pod.key);
    const target = this.infoFor(node);
    target.addPod(slimPodInfo({ ...pod, nodeName: node }));
    this.track(target);
    this.placement.set(pod.key, node);
    this.assumedPods.set(pod.key, node);
  }

  /** The binding failed: the assumed placement goes. */
  forget(key: string): void {
    if (this.assumedPods.has(key)) this.removePlacement(key);
  }

  private removePlacement(key: string): boolean {
    const node = this.placement.get(key);
    this.assumedPods.delete(key);
    if (node === undefined) return false;
    this.placement.delete(key);
    const info = this.infos.get(node);
    if (!info) return true;
    info.removePod(key);
    this.track(info);
    if (!info.node && info.pods.size === 0) this.infos.delete(node);
    return true;
  }
}
