// Helpers shared by the writing verbs: commit a new version or finish a deletion.
import { shouldFinishDeletion } from "../../../api/lifecycle/delete.ts";
import type { KubeObject } from "../../../api/types.ts";
import { nodeNameOf } from "../../storage/object-store.ts";
import type { EventRow } from "../../storage/schema.ts";
import { settled, type StoreRuntime } from "../runtime.ts";
import type { VerbRequest } from "../verb-request.ts";

/** The stored JSON of a committed change, once it carries its cluster revision. */
export async function committedValue(rt: StoreRuntime, seq: number): Promise<string> {
  await settled(rt);
  const event = rt.objects.eventBySeq(seq);
  if (!event) throw new Error(`committed event ${seq} vanished`);
  return event.value;
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
