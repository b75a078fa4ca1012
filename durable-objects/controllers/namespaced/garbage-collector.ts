// The garbage collector of one namespace: dependents of a deleted owner are deleted
// (Background), a Foreground deletion waits for its blocking dependents to go first, an
// Orphan deletion strips the owner from its dependents. Decisions in api/controllers/gc/.
// Owners that are cluster-scoped (or of kinds this store does not serve) are out of scope:
// references to them are treated as present, so such dependents are never collected here.
// Custom resources (CRDs) are neither collected nor followed as owners yet.
import {
  decideForDependent,
  deletionModeOf,
  blocksOwner,
  referencesOwner,
  withoutOwnerRefs,
  type OwnerState,
} from "../../../api/controllers/gc/decide.ts";
import { OwnerIndex } from "../../../api/controllers/gc/owner-index.ts";
import { withoutFinalizer } from "../../../api/lifecycle/object-meta.ts";
import { groupOf } from "../../../api/controllers/gc/owner-refs.ts";
import { FOREGROUND_FINALIZER, ORPHAN_FINALIZER } from "../../../api/lifecycle/delete.ts";
import { builtinResources, findByKey, findByKind, resourceKey } from "../../../api/registry/index.ts";
import type { KubeObject, OwnerReference } from "../../../api/types.ts";
import type { ChangeNotice, Controller, ControllerContext } from "../framework.ts";
import type { ObjectWriter } from "../object-writer.ts";

/** Events name no owners and are many: the collector does not follow them. */
const IGNORED = new Set(["events", "events.events.k8s.io"]);
const ownerKey = (resource: string, name: string, uid: string) => `owner/${resource}/${name}/${uid}`;
const dependentKey = (resource: string, name: string) => `dependent/${resource}/${name}`;

/** Where an owner reference points, when it is an object of this namespace. */
function ownerResource(ref: OwnerReference): string | undefined {
  const def = findByKind(groupOf(ref.apiVersion), ref.kind);
  return def && def.namespaced ? resourceKey(def) : undefined;
}

export class GarbageCollector implements Controller {
  readonly name = "garbage-collector";
  private readonly index = new OwnerIndex();

  keysFor(change: ChangeNotice): string[] {
    // Custom resources are not followed yet (the object writer serves built-in kinds only).
    if (IGNORED.has(change.resource) || !findByKey(change.resource)) return [];
    const object = change.object;
    const live = change.type !== "DELETED";
    const { changed, before } = this.index.update(change.resource, change.name, live ? object : undefined);
    const keys: string[] = [];
    const uid = object.metadata.uid ?? "";
    // Its dependents: it is gone, or being deleted with a policy to carry out.
    if ((!live && this.index.hasDependents(uid)) || (live && deletionModeOf(object))) {
      keys.push(ownerKey(change.resource, change.name, uid));
    }
    // Its owners may be waiting for it to go (foreground), or to let go of them.
    if (changed || !live) {
      for (const ref of [...before, ...(object.metadata.ownerReferences ?? [])]) {
        const resource = ownerResource(ref);
        if (resource) keys.push(ownerKey(resource, ref.name, ref.uid));
      }
    }
    // New or re-owned: are its owners there at all?
    if (live && changed && (object.metadata.ownerReferences ?? []).length > 0) {
      keys.push(dependentKey(change.resource, change.name));
    }
    return [...new Set(keys)];
  }

  initialKeys(objects: ObjectWriter): string[] {
    const keys: string[] = [];
    for (const def of builtinResources) {
      const resource = resourceKey(def);
      if (!def.namespaced || IGNORED.has(resource)) continue;
      for (const object of objects.list(resource)) {
        const name = object.metadata.name ?? "";
        this.index.update(resource, name, object);
        if ((object.metadata.ownerReferences ?? []).length > 0) keys.push(dependentKey(resource, name));
        if (deletionModeOf(object)) keys.push(ownerKey(resource, name, object.metadata.uid ?? ""));
      }
    }
    return keys;
  }

  reconcile(key: string, ctx: ControllerContext): void {
    const [kind, resource = "", name = "", uid = ""] = key.split("/");
    if (kind === "dependent") this.attemptToDelete(ctx.objects, resource, name);
    else if (kind === "owner") this.processOwner(ctx.objects, resource, name, uid);
  }

  private ownerState(objects: ObjectWriter, ref: OwnerReference): OwnerState {
    const resource = ownerResource(ref);
    if (!resource) return "solid"; // cluster-scoped or unknown kinds: out of scope
    const owner = objects.get(resource, ref.name);
    if (!owner || owner.metadata.uid !== ref.uid) return "dangling";
    return deletionModeOf(owner) === "foreground" ? "waiting" : "solid";
  }

  /** Deletes an object whose owners are all gone (or going in the foreground), or drops the departed ones. */
  private attemptToDelete(objects: ObjectWriter, resource: string, name: string): void {
    const object = objects.get(resource, name);
    if (!object) return;
    const action = decideForDependent(
      object,
      (ref) => this.ownerState(objects, ref),
      this.index.hasDependents(object.metadata.uid ?? ""),
    );
    if (action.action === "removeOwnerRefs") {
      objects.update(resource, withoutOwnerRefs(object, action.uids));
    } else if (action.action === "delete") {
      objects.delete(resource, name, {
        propagationPolicy: action.propagationPolicy,
        preconditions: { uid: object.metadata.uid },
      });
    }
  }

  private dependentsOf(objects: ObjectWriter, uid: string): Array<{ resource: string; object: KubeObject }> {
    const result: Array<{ resource: string; object: KubeObject }> = [];
    for (const { resource, name } of this.index.dependentsOf(uid)) {
      const object = objects.get(resource, name);
      if (object && referencesOwner(object, uid)) result.push({ resource, object });
    }
    return result;
  }

  private processOwner(objects: ObjectWriter, resource: string, name: string, uid: string): void {
    const owner = objects.get(resource, name);
    if (!owner || owner.metadata.uid !== uid) {
      // The owner is gone: its dependents follow (or keep their other owners).
      for (const dependent of this.dependentsOf(objects, uid)) {
        this.attemptToDelete(objects, dependent.resource, dependent.object.metadata.name ?? "");
      }
      return;
    }
    const mode = deletionModeOf(owner);
    if (mode === "orphan") {
      for (const { resource: depResource, object } of this.dependentsOf(objects, uid)) {
        objects.update(depResource, withoutOwnerRefs(object, [uid]));
      }
      this.removeFinalizer(objects, resource, name, ORPHAN_FINALIZER);
    } else if (mode === "foreground") {
      const blocking = () => this.dependentsOf(objects, uid).filter((d) => blocksOwner(d.object, uid));
      for (const dependent of blocking()) {
        if (!dependent.object.metadata.deletionTimestamp) {
          this.attemptToDelete(objects, dependent.resource, dependent.object.metadata.name ?? "");
        }
      }
      // Dependents deleted at once may already be gone; the rest report back when they go.
      if (blocking().length === 0) this.removeFinalizer(objects, resource, name, FOREGROUND_FINALIZER);
    }
  }

  private removeFinalizer(objects: ObjectWriter, resource: string, name: string, finalizer: string): void {
    const current = objects.get(resource, name);
    if (current && (current.metadata.finalizers ?? []).includes(finalizer)) {
      objects.update(resource, withoutFinalizer(current, finalizer));
    }
  }
}
