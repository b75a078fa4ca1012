// core/v1 Events written by controllers, aggregated the way Kubernetes' event correlator
// does: a repeat of the same (object, reason, message) bumps `count` and `lastTimestamp`.
import { formatTimestamp } from "../../api/lifecycle/object-meta.ts";
import type { KubeObject } from "../../api/types.ts";
import type { ObjectWriter } from "./object-writer.ts";

const EVENTS = "events";

function eventName(regarding: KubeObject, reason: string, message: string): string {
  // Stable per (uid, reason, message) so repeats find the same Event.
  let hash = 0x811c9dc5;
  for (const ch of `${regarding.metadata.uid}/${reason}/${message}`) {
    hash ^= ch.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `${regarding.metadata.name}.${hash.toString(16).padStart(8, "0")}`;
}

export function recordEvent(
  objects: ObjectWriter,
  now: Date,
  component: string,
  regarding: KubeObject,
  type: "Normal" | "Warning",
  reason: string,
  message: string,
): void {
  const name = eventName(regarding, reason, message);
  const time = formatTimestamp(now);
  const existing = objects.get(EVENTS, name);
  if (existing) {
    objects.update(EVENTS, { ...existing, count: Number(existing.count ?? 1) + 1, lastTimestamp: time });
    return;
  }
  objects.create(EVENTS, {
    apiVersion: "v1",
    kind: "Event",
    metadata: { name, namespace: regarding.metadata.namespace },
    involvedObject: {
      apiVersion: regarding.apiVersion,
      kind: regarding.kind,
      name: regarding.metadata.name,
      namespace: regarding.metadata.namespace,
      uid: regarding.metadata.uid,
      resourceVersion: regarding.metadata.resourceVersion,
    },
    reason,
    message,
    type,
    count: 1,
    firstTimestamp: time,
    lastTimestamp: time,
    source: { component },
    reportingComponent: component,
    reportingInstance: "",
  });
}
