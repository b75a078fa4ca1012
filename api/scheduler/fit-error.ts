// The FailedScheduling message, as `kubectl describe pod` shows it:
// "0/3 nodes are available: 1 node(s) had untolerated taint {k: v}, 2 Insufficient cpu. preemption: …"
import type { Diagnosis } from "./framework.ts";
import type { Status } from "./types.ts";

export const NO_NODES_AVAILABLE = "no nodes available to schedule pods";

/** "count reason" per distinct reason, sorted as strings (kube sorts the histogram lexically). */
export function reasonHistogram(statuses: Iterable<Status>): string[] {
  const counts = new Map<string, number>();
  for (const status of statuses) {
    for (const reason of status.reasons) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
  return [...counts].map(([reason, n]) => `${n} ${reason}`).sort();
}

export const nodesAvailable = (numAllNodes: number) => `0/${numAllNodes} nodes are available`;

export function fitErrorMessage(diagnosis: Diagnosis): string {
  if (diagnosis.numAllNodes === 0) return NO_NODES_AVAILABLE;
  let message = `${nodesAvailable(diagnosis.numAllNodes)}:`;
  if (diagnosis.preFilterMsg) message += ` ${diagnosis.preFilterMsg}.`;
  else {
    const histogram = reasonHistogram(diagnosis.nodeStatuses.values());
    if (histogram.length > 0) message += ` ${histogram.join(", ")}.`;
  }
  if (diagnosis.postFilterMsg) message += ` ${diagnosis.postFilterMsg}`;
  return message;
}
