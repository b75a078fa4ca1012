// Which pods the pod garbage collector (kube-controller-manager's podgc) may remove, and in what
// order: finished pods beyond the threshold go oldest first, evicted ones before the rest.
import type { KubeObject } from "../../types.ts";
import { isRecord } from "../../validation/shape.ts";

/** kube-controller-manager's --terminated-pod-gc-threshold default. */
export const TERMINATED_POD_GC_THRESHOLD = 12_500;

const phaseOf = (pod: KubeObject) => (isRecord(pod.status) ? pod.status.phase : undefined);

/** Succeeded or Failed: its containers will never run again. */
export function isTerminated(pod: KubeObject): boolean {
  const phase = phaseOf(pod);
  return phase === "Succeeded" || phase === "Failed";
}

/** Being deleted but not finished: its node still has to stop it. */
export const isTerminating = (pod: KubeObject) => pod.metadata.deletionTimestamp !== undefined && !isTerminated(pod);

/** What a kubelet writes when it evicts a pod under resource pressure. */
const isEvicted = (pod: KubeObject) =>
  phaseOf(pod) === "Failed" && isRecord(pod.status) && pod.status.reason === "Evicted";

/** A finished pod, as much of it as the collector needs to keep in memory. */
export interface TerminatedPod {
  namespace: string;
  name: string;
  uid: string;
  /** creationTimestamp in ms. */
  created: number;
  evicted: boolean;
}

export function terminatedPod(namespace: string, pod: KubeObject): TerminatedPod {
  const created = Date.parse(pod.metadata.creationTimestamp ?? "");
  return {
    namespace,
    name: pod.metadata.name ?? "",
    uid: pod.metadata.uid ?? "",
    created: Number.isNaN(created) ? 0 : created,
    evicted: isEvicted(pod),
  };
}

/** Evicted pods first (they say least), then the oldest; the name breaks ties. */
function gcOrder(a: TerminatedPod, b: TerminatedPod): number {
  if (a.evicted !== b.evicted) return a.evicted ? -1 : 1;
  if (a.created !== b.created) return a.created - b.created;
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  return a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : 0;
}

/** The finished pods to delete so that at most `threshold` remain (a threshold of 0 keeps them all). */
export function terminatedToDelete(pods: Iterable<TerminatedPod>, threshold: number): TerminatedPod[] {
  if (threshold <= 0) return [];
  const all = [...pods];
  const excess = all.length - threshold;
  if (excess <= 0) return [];
  return all.sort(gcOrder).slice(0, excess);
}
