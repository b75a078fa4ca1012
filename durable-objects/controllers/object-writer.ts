// Writes made by controllers inside a store: the same lifecycle rules as API writes
// (defaulting, validation, generation, finalizers, graceful deletion), synchronously,
// so a controller's read-decide-write step is atomic inside the Durable Object.
import { notFound } from "../../api/errors.ts";
import { prepareCreate } from "../../api/lifecycle/create.ts";
import { decideDelete, type DeleteOptions } from "../../api/lifecycle/delete.ts";
import { prepareUpdate } from "../../api/lifecycle/update.ts";
import { findByKey, resourceKey } from "../../api/registry/index.ts";
import type { ResourceDef } from "../../api/registry/types.ts";
import type { KubeObject } from "../../api/types.ts";
import type { StoreRuntime } from "../api-server/runtime.ts";
import { nodeNameOf } from "../storage/object-store.ts";
import { shouldFinishDeletion } from "../../api/lifecycle/delete.ts";

export class ObjectWriter {
  private readonly rt: StoreRuntime;
  private readonly namespace: string;
  private readonly resolve: (key: string) => ResourceDef | undefined;

  /** `resolve` finds a kind by storage key (built-in kinds by default; stores add their CRDs). */
  constructor(rt: StoreRuntime, namespace: string, resolve: (key: string) => ResourceDef | undefined = findByKey) {
    this.rt = rt;
    this.namespace = namespace;
    this.resolve = resolve;
  }

  private def(key: string): ResourceDef {
    const def = this.resolve(key);
    if (!def) throw new Error(`unknown resource ${key}`);
    return def;
  }

  private scope(def: ResourceDef): string {
    return def.namespaced ? this.namespace : "";
  }

  get(key: string, name: string): KubeObject | undefined {
    const row = this.rt.objects.get(key, this.scope(this.def(key)), name);
    return row ? (JSON.parse(row.value) as KubeObject) : undefined;
  }

  /** Every object of a kind in this store, by name: deep-frozen cached objects — copy before changing. */
  list(key: string): KubeObject[] {
    return this.rt.objects.listParsed(key, this.scope(this.def(key)));
  }

  /** Creates an object (name or generateName); answers the stored object, or undefined if the name is taken. */
  create(key: string, body: KubeObject): KubeObject | undefined {
    const def = this.def(key);
    const obj = prepareCreate(def, structuredClone(body), def.namespaced ? this.namespace : undefined, {
      now: this.rt.now(),
      newUid: () => this.rt.newUid(),
    });
    const name = obj.metadata.name ?? "";
    if (this.rt.objects.get(key, this.scope(def), name)) return undefined;
    this.rt.admit?.(def, obj);
    this.rt.commit({ type: "ADDED", resource: key, namespace: this.scope(def), name, object: obj });
    return obj;
  }

  /** Replaces the main resource (status kept) or only the status. Unchanged objects are not written. */
  update(key: string, body: KubeObject, target: "main" | "status" = "main"): KubeObject {
    const def = this.def(key);
    const name = body.metadata.name ?? "";
    const old = this.get(key, name);
    if (!old) throw notFound({ group: def.group, resource: def.resource, name });
    const { object, changed } = prepareUpdate(def, structuredClone(body), old, target);
    if (!changed) return old;
    const prevNodeName = nodeNameOf(key, old);
    if (shouldFinishDeletion(object)) {
      this.rt.commit({ type: "DELETED", resource: key, namespace: this.scope(def), name, object, prevNodeName });
    } else {
      this.rt.commit({ type: "MODIFIED", resource: key, namespace: this.scope(def), name, object, prevNodeName });
    }
    return object;
  }

  updateStatus(key: string, body: KubeObject): KubeObject {
    return this.update(key, body, "status");
  }

  /** Deletes as the API would (finalizers, graceful pod termination); false if it was already gone. */
  delete(key: string, name: string, options: DeleteOptions = {}): boolean {
    const def = this.def(key);
    const current = this.get(key, name);
    if (!current) return false;
    const decision = decideDelete(def, current, options, this.rt.now());
    if (decision.action === "delete") {
      this.rt.commit({ type: "DELETED", resource: key, namespace: this.scope(def), name, object: current });
    } else if (decision.action === "update") {
      this.rt.commit({
        type: "MODIFIED",
        resource: key,
        namespace: this.scope(def),
        name,
        object: decision.object,
        prevNodeName: nodeNameOf(key, current),
      });
    }
    return true;
  }
}

export const keyOf = resourceKey;
