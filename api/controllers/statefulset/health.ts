// Pod states the StatefulSet controller decides by.
import { isPodAvailable, isPodReady, podAvailableFrom } from "../common/pods.ts";
import type { Pod } from "../common/types.ts";
import { POD_REVISION_LABEL } from "../history/types.ts";

export const isTerminating = (pod: Pod): boolean => pod.metadata.deletionTimestamp !== undefined;
export const isFinished = (pod: Pod): boolean => pod.status?.phase === "Failed" || pod.status?.phase === "Succeeded";
export const isRunningAndReady = (pod: Pod): boolean => pod.status?.phase === "Running" && isPodReady(pod);
export const isRunningAndAvailable = (pod: Pod, minReadySeconds: number, now: Date): boolean =>
  pod.status?.phase === "Running" && isPodAvailable(pod, minReadySeconds, now);
/** Running, ready and not going away. */
export const isHealthy = (pod: Pod): boolean => isRunningAndReady(pod) && !isTerminating(pod);

/** The revision (name) a pod was created from. */
export const podRevision = (pod: Pod): string | undefined => pod.metadata.labels?.[POD_REVISION_LABEL];

/** When (ms) a ready pod becomes available, if that is still ahead. */
export function availableLater(pod: Pod, minReadySeconds: number, now: Date): number | undefined {
  if (!isRunningAndReady(pod)) return undefined;
  const from = podAvailableFrom(pod, minReadySeconds);
  return from !== undefined && from > now.getTime() ? from : undefined;
}
