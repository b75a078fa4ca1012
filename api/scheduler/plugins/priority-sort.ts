// PrioritySort: the scheduling queue's order. Higher priority first, then the pod that has
// waited longest (its creation, or when it was queued).
import type { PodInfo } from "../types.ts";

export const NAME = "PrioritySort";

export interface QueuedPod {
  pod: PodInfo;
  /** When the pod entered the queue (ms). */
  timestamp: number;
}

export function less(a: QueuedPod, b: QueuedPod): boolean {
  if (a.pod.priority !== b.pod.priority) return a.pod.priority > b.pod.priority;
  return a.timestamp < b.timestamp;
}
