// Writes the scheduler, the node lifecycle controller and the pod GC (in the ClusterStore) make to
// pods, executed by the pods' NamespaceStore in one synchronous batch: bind (what POST pods/binding
// does, with the pod's claims bound first), the PodScheduled=False verdict, Ready=False on a lost
// node, deletions for preemption, taint eviction and garbage collection, the claim writes of the
// PersistentVolume controller (claim-ops.ts), and the events that go with them.
import { conflict, notFound, StatusError, type ErrorTarget } from "../../api/errors.ts";
import { decideDelete } from "../../api/lifecycle/delete.ts";
import { formatTimestamp } from "../../api/lifecycle/object-meta.ts";
import { findByKey } from "../../api/registry/index.ts";
import type { ResourceDef } from "../../api/registry/types.ts";
import type { KubeObject } from "../../api/types.ts";
import { asArray, isRecord, type JsonObject } from "../../api/validation/shape.ts";
import type { StoreRuntime } from "../api-server/runtime.ts";
import { recordEvent } from "../controllers/events.ts";
import { ObjectWriter } from "../controllers/object-writer.ts";
import { nodeNameOf } from "../storage/object-store.ts";
import type { ClaimBinding } from "../../api/volumes/provision.ts";
import { bindClaims, markClaimLost, setClaimClass } from "./claim-ops.ts";

export const SCHEDULER_COMPONENT = "default-scheduler";
export const NODE_CONTROLLER_COMPONENT = "node-controller";

/** The object an event is about (a pod of this namespace, or a cluster-scoped Node). */
export interface EventSubject {
  apiVersion: string;
  kind: string;
  name: string;
  uid?: string;
  namespace?: string;
}

export interface EventSpec {
  type: "Normal" | "Warning";
  reason: string;
  message: string;
  component: string;
}

export type PodOp =
  | {
      op: "bind";
      name: string;
      uid?: string;
      node: string;
      /** The pod's claims to bind to their volumes first (WaitForFirstConsumer binding). */
      claims?: ClaimBinding[];
    }
  | {
      op: "unschedulable";
      name: string;
      uid: string;
      message: string;
      /** Set (a node) or clear ("") status.nominatedNodeName. */
      nominatedNodeName?: string;
    }
  | { op: "notReady"; name: string; uid: string; event?: EventSpec }
  | {
      op: "delete";
      name: string;
      uid: string;
      /** The DisruptionTarget condition written before the deletion. */
      disruption?: { reason: string; message: string };
      /** Force deletion (pod GC): the pod goes at once, terminating or not, without its node's word. */
      force?: boolean;
      /** Set phase Failed first if the pod had not finished (pod GC: it will never run again). */
      failed?: boolean;
      event?: EventSpec;
    }
  | { op: "event"; subject: EventSubject; event: EventSpec }
  /** The default StorageClass for a claim created without one. */
  | { op: "claimClass"; name: string; uid: string; storageClassName: string }
  | { op: "claimLost"; name: string; uid: string; event?: EventSpec };

export interface PodOpResult {
  ok: boolean;
  code?: number;
  message?: string;
}

const PODS = "pods";

function podsDef(): ResourceDef {
  const def = findByKey(PODS);
  if (!def) throw new Error("pods are not registered");
  return def;
}
const podTarget = (name: string): ErrorTarget => ({ group: "", resource: PODS, name });

interface PodCondition extends JsonObject {
  type: string;
  status: string;
}

/** Sets (or replaces) a condition; lastTransitionTime moves only when the status changes. */
export function setCondition(status: JsonObject, condition: PodCondition, now: Date): boolean {
  const conditions = asArray(status.conditions).filter(isRecord) as PodCondition[];
  const index = conditions.findIndex((c) => c.type === condition.type);
  const old = index >= 0 ? conditions[index] : undefined;
  if (old && old.status === condition.status && old.reason === condition.reason && old.message === condition.message)
    return false;
  const next: PodCondition = {
    ...condition,
    lastProbeTime: null,
    lastTransitionTime: old && old.status === condition.status ? old.lastTransitionTime : formatTimestamp(now),
  };
  if (index >= 0) conditions[index] = next;
  else conditions.push(next);
  status.conditions = conditions;
  return true;
}

function currentPod(rt: StoreRuntime, namespace: string, name: string, uid: string | undefined): KubeObject {
  const row = rt.objects.get(PODS, namespace, name);
  if (!row) throw notFound(podTarget(name));
  const pod = JSON.parse(row.value) as KubeObject;
  if (uid && pod.metadata.uid !== uid) {
    throw conflict(
      podTarget(name),
      `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${pod.metadata.uid}`,
    );
  }
  return pod;
}

/** The pod, if it may be bound now (throws 409 when it is bound already or being deleted). */
function bindablePod(rt: StoreRuntime, namespace: string, name: string, uid: string | undefined): KubeObject {
  const pod = currentPod(rt, namespace, name, uid);
  const spec = isRecord(pod.spec) ? pod.spec : {};
  const target = { group: "", resource: "pods/binding", name };
  if (typeof spec.nodeName === "string" && spec.nodeName !== "") {
    throw conflict(target, `pod ${name} is already assigned to node "${spec.nodeName}"`);
  }
  if (pod.metadata.deletionTimestamp !== undefined) {
    throw conflict(target, `pod ${name} is being deleted, cannot be assigned to a host`);
  }
  return pod;
}

/** Binds a pending pod to a node: spec.nodeName and PodScheduled=True (POST pods/binding). */
export function bindPod(
  rt: StoreRuntime,
  namespace: string,
  name: string,
  uid: string | undefined,
  node: string,
): KubeObject {
  const pod = bindablePod(rt, namespace, name, uid);
  const spec = isRecord(pod.spec) ? pod.spec : {};
  const now = rt.now();
  const bound = structuredClone(pod);
  bound.spec = { ...spec, nodeName: node };
  const status: JsonObject = isRecord(bound.status) ? bound.status : {};
  setCondition(status, { type: "PodScheduled", status: "True" }, now);
  bound.status = status;
  rt.commit({ type: "MODIFIED", resource: PODS, namespace, name, object: bound, prevNodeName: null });
  const writer = new ObjectWriter(rt, namespace);
  recordEvent(
    writer,
    now,
    SCHEDULER_COMPONENT,
    bound,
    "Normal",
    "Scheduled",
    `Successfully assigned ${namespace}/${name} to ${node}`,
  );
  return bound;
}

function updateStatus(
  rt: StoreRuntime,
  namespace: string,
  pod: KubeObject,
  change: (status: JsonObject) => boolean,
): void {
  const next = structuredClone(pod);
  const status: JsonObject = isRecord(next.status) ? next.status : {};
  if (!change(status)) return;
  next.status = status;
  new ObjectWriter(rt, namespace).updateStatus(PODS, next);
}

function applyOne(rt: StoreRuntime, namespace: string, op: PodOp): void {
  const now = rt.now();
  const writer = new ObjectWriter(rt, namespace);
  switch (op.op) {
    case "bind":
      // The node must never see the pod before its claims are bound.
      if (op.claims && op.claims.length > 0) {
        bindablePod(rt, namespace, op.name, op.uid);
        bindClaims(rt, namespace, op.claims);
      }
      bindPod(rt, namespace, op.name, op.uid, op.node);
      return;
    case "unschedulable": {
      const pod = currentPod(rt, namespace, op.name, op.uid);
      const spec = isRecord(pod.spec) ? pod.spec : {};
      if (typeof spec.nodeName === "string" && spec.nodeName !== "") return; // bound meanwhile
      updateStatus(rt, namespace, pod, (status) => {
        let changed = setCondition(
          status,
          { type: "PodScheduled", status: "False", reason: "Unschedulable", message: op.message },
          now,
        );
        if (op.nominatedNodeName !== undefined && (status.nominatedNodeName ?? "") !== op.nominatedNodeName) {
          if (op.nominatedNodeName === "") delete status.nominatedNodeName;
          else status.nominatedNodeName = op.nominatedNodeName;
          changed = true;
        }
        return changed;
      });
      recordEvent(writer, now, SCHEDULER_COMPONENT, pod, "Warning", "FailedScheduling", op.message);
      return;
    }
    case "notReady": {
      const pod = currentPod(rt, namespace, op.name, op.uid);
      const phase = isRecord(pod.status) ? pod.status.phase : undefined;
      if (phase === "Succeeded" || phase === "Failed") return;
      let changed = false;
      updateStatus(rt, namespace, pod, (status) => {
        const conditions = asArray(status.conditions).filter(isRecord);
        const ready = conditions.find((c) => c.type === "Ready");
        if (ready?.status === "False") return false;
        changed = setCondition(status, { ...(ready ?? { type: "Ready" }), type: "Ready", status: "False" }, now);
        return changed;
      });
      if (changed && op.event)
        recordEvent(writer, now, op.event.component, pod, op.event.type, op.event.reason, op.event.message);
      return;
    }
    case "delete": {
      const pod = currentPod(rt, namespace, op.name, op.uid);
      if (pod.metadata.deletionTimestamp !== undefined && !op.force) return;
      let current = pod;
      if (op.disruption || op.failed) {
        const { disruption, failed } = op;
        updateStatus(rt, namespace, pod, (status) => {
          let changed = false;
          if (failed && status.phase !== "Succeeded" && status.phase !== "Failed") {
            status.phase = "Failed";
            changed = true;
          }
          if (disruption) {
            const condition = { type: "DisruptionTarget", status: "True", ...disruption };
            changed = setCondition(status, condition, now) || changed;
          }
          return changed;
        });
        current = currentPod(rt, namespace, op.name, op.uid);
      }
      const decision = decideDelete(podsDef(), current, op.force ? { gracePeriodSeconds: 0 } : {}, now);
      if (decision.action === "delete") {
        rt.commit({ type: "DELETED", resource: PODS, namespace, name: op.name, object: current });
      } else if (decision.action === "update") {
        rt.commit({
          type: "MODIFIED",
          resource: PODS,
          namespace,
          name: op.name,
          object: decision.object,
          prevNodeName: nodeNameOf(PODS, current),
        });
      }
      if (op.event) recordEvent(writer, now, op.event.component, pod, op.event.type, op.event.reason, op.event.message);
      return;
    }
    case "claimClass":
      setClaimClass(rt, namespace, op.name, op.uid, op.storageClassName);
      return;
    case "claimLost": {
      const lost = markClaimLost(rt, namespace, op.name, op.uid);
      if (lost && op.event)
        recordEvent(writer, now, op.event.component, lost, op.event.type, op.event.reason, op.event.message);
      return;
    }
    case "event": {
      const s = op.subject;
      const regarding: KubeObject = {
        apiVersion: s.apiVersion,
        kind: s.kind,
        metadata: {
          name: s.name,
          ...(s.uid ? { uid: s.uid } : {}),
          ...(s.namespace ? { namespace: s.namespace } : {}),
        },
      };
      recordEvent(writer, now, op.event.component, regarding, op.event.type, op.event.reason, op.event.message);
      return;
    }
  }
}

/** Applies every op in order, each on its own; failures are reported, not thrown. Synchronous. */
export function applyPodOps(rt: StoreRuntime, namespace: string, ops: PodOp[]): PodOpResult[] {
  return ops.map((op) => {
    try {
      applyOne(rt, namespace, op);
      return { ok: true };
    } catch (err) {
      if (err instanceof StatusError) return { ok: false, code: err.code, message: err.message };
      return { ok: false, code: 500, message: err instanceof Error ? err.message : String(err) };
    }
  });
}
