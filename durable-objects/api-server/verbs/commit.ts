// Helpers shared by the writing verbs: commit a new version or finish a deletion.
import { shouldFinishDeletion } from "../../../api/lifecycle/delete.ts";
import type { KubeObject } from "../../../api/types.ts";
import { nodeNameOf } from "../../storage/object-store.ts";
import type { EventRow } from "../../storage/schema.ts";
import { settled, type StoreRuntime } from "../runtime.ts";
import type { VerbRequest } from "../verb-request.ts";

/**
 * The stored JSON of a committed change, once it carries its cluster revision. The runtime gives
 * the event its revision in place when it learns it, so this reads SQLite only for an event
 * settled by another path (e.g. re-sent after the object restarted).
 */
export async function committedValue(rt: StoreRuntime, event: EventRow): Promise<string> {
  await settled(rt);
  if (event.rv !== null) return event.value;
  const stored = rt.objects.eventBySeq(event.seq);
  if (!stored) throw new Error(`committed event ${event.seq} vanished`);
  return stored.value;
}

/** Writes an updated object; a terminating object whose last finalizer went is deleted instead. */
export function commitUpdate(v: VerbRequest, object: KubeObject, old: KubeObject): EventRow {
  const namespace = v.namespace ?? "";
  const name = old.metadata.name ?? "";
  const prevNodeName = nodeNameOf(v.key, old);
  if (shouldFinishDeletion(object)) {
    return v.rt.commit({ type: "DELETED", resource: v.key, namespace, name, object, prevNodeName });
  }
  return v.rt.commit({ type: "MODIFIED", resource: v.key, namespace, name, object, prevNodeName });
}
