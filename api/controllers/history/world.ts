// What the StatefulSet and DaemonSet controllers (and their revision history) need from the
// store they run in: the ObjectWriter's verbs (API lifecycle rules, synchronous, fresh), the
// clock, events and timed requeues. A NamespaceStore's ControllerContext is one of these.
import type { DeleteOptions } from "../../lifecycle/delete.ts";
import type { KubeObject } from "../../types.ts";

export interface ObjectAccess {
  get(resource: string, name: string): KubeObject | undefined;
  list(resource: string): KubeObject[];
  /** Answers the stored object, or undefined when the name is taken; throws a StatusError when refused. */
  create(resource: string, body: KubeObject): KubeObject | undefined;
  update(resource: string, body: KubeObject): KubeObject;
  updateStatus(resource: string, body: KubeObject): KubeObject;
  /** False when it was already gone. */
  delete(resource: string, name: string, options?: DeleteOptions): boolean;
}

export interface WorkloadWorld {
  now(): Date;
  readonly objects: ObjectAccess;
  recordEvent(regarding: KubeObject, type: "Normal" | "Warning", reason: string, message: string): void;
  requeueAfter(ms: number): void;
}

export const PODS = "pods";
export const CLAIMS = "persistentvolumeclaims";
export const REVISIONS = "controllerrevisions.apps";
