// The shape of a controller running inside a store (Kubernetes' controller pattern):
// changes only enqueue keys; a reconcile reads fresh state and writes the difference.
// Reconciles must be idempotent: alarms are at-least-once and objects can be evicted
// at any time (the store re-enqueues every primary object when it starts).
import type { NodeMetricsReport } from "../../api/tunnel/protocol.ts";
import type { KubeObject } from "../../api/types.ts";
import type { ChangeType } from "../storage/object-store.ts";
import type { ObjectWriter } from "./object-writer.ts";

export interface ChangeNotice {
  type: ChangeType;
  resource: string; // resourceKey, e.g. "pods", "replicasets.apps"
  name: string;
  object: KubeObject;
}

/** Cluster-wide facts a namespaced controller may need (answered by the ClusterStore). */
export interface ClusterReader {
  listNodes(): Promise<KubeObject[]>;
  getClusterObject(resource: string, name: string): Promise<KubeObject | undefined>;
  /** Cluster-scoped objects of one resource (e.g. a federation's ClusterPropagationPolicies). */
  listClusterObjects?(resource: string): Promise<KubeObject[]>;
  /** An object of another namespace, from the ClusterStore's mirror (e.g. a member cluster's Secret). */
  getNamespacedObject?(resource: string, namespace: string, name: string): Promise<KubeObject | undefined>;
  /** A node's current resource usage (what metrics.k8s.io serves); undefined when it does not answer. */
  nodeMetrics?(node: string): Promise<NodeMetricsReport | undefined>;
}

export interface ControllerContext {
  readonly cluster: string;
  readonly namespace: string;
  now(): Date;
  /** Reads and writes of this store's objects, under the API's lifecycle rules. */
  readonly objects: ObjectWriter;
  readonly clusterReader: ClusterReader;
  /** Reconcile this key again no later than `ms` from now (deadlines, backoff, schedules). */
  requeueAfter(ms: number): void;
  /** Records a core/v1 Event about `regarding` (deduplicated like Kubernetes' event correlator). */
  recordEvent(regarding: KubeObject, type: "Normal" | "Warning", reason: string, message: string): void;
}

export interface Controller {
  readonly name: string;
  /** The work keys (usually object names) that a change affects. */
  keysFor(change: ChangeNotice): string[];
  /** Every key to reconcile when the store starts (level-triggered resync). */
  initialKeys(objects: ObjectWriter): string[];
  /**
   * Brings one key's world to its desired state. May await cluster reads first; after any
   * await, re-read local state before writing (other requests may have run meanwhile).
   */
  reconcile(key: string, ctx: ControllerContext): Promise<void> | void;
}

/** Keys of the owners (of a given kind) listed in an object's ownerReferences. */
export function ownerNames(object: KubeObject, kind: string, controllerOnly = false): string[] {
  return (object.metadata.ownerReferences ?? [])
    .filter((ref) => ref.kind === kind && (!controllerOnly || ref.controller === true))
    .map((ref) => ref.name);
}

/** The controlling owner reference, if any. */
export const controllerOf = (object: KubeObject) =>
  (object.metadata.ownerReferences ?? []).find((ref) => ref.controller === true);
