// Which objects name which owners (by uid): the garbage collector's graph, kept in memory
// from every committed change. It is a hint — each use re-reads the objects it names.
import type { KubeObject, OwnerReference } from "../../types.ts";

export interface ObjectKey {
  resource: string;
  name: string;
}

const keyText = (resource: string, name: string) => `${resource}/${name}`;

export class OwnerIndex {
  private readonly dependents = new Map<string, Set<string>>();
  private readonly ownersOf = new Map<string, OwnerReference[]>();

  /**
   * Records an object's current owners (none when deleted). Answers the references it had
   * before, and whether they changed.
   */
  update(
    resource: string,
    name: string,
    object: KubeObject | undefined,
  ): { changed: boolean; before: OwnerReference[] } {
    const key = keyText(resource, name);
    const previous = this.ownersOf.get(key) ?? [];
    const refs = object ? (object.metadata.ownerReferences ?? []) : [];
    if (JSON.stringify(previous) === JSON.stringify(refs)) return { changed: false, before: previous };
    const before = previous.map((r) => r.uid);
    const after = refs.map((r) => r.uid);
    for (const uid of before) {
      const set = this.dependents.get(uid);
      set?.delete(key);
      if (set?.size === 0) this.dependents.delete(uid);
    }
    for (const uid of after) {
      let set = this.dependents.get(uid);
      if (!set) this.dependents.set(uid, (set = new Set()));
      set.add(key);
    }
    if (refs.length > 0) this.ownersOf.set(key, structuredClone(refs));
    else this.ownersOf.delete(key);
    return { changed: true, before: previous };
  }

  /** Objects that named `ownerUid` as an owner when last seen. */
  dependentsOf(ownerUid: string): ObjectKey[] {
    return [...(this.dependents.get(ownerUid) ?? [])].map((text) => {
      const slash = text.indexOf("/");
      return { resource: text.slice(0, slash), name: text.slice(slash + 1) };
    });
  }

  hasDependents(ownerUid: string): boolean {
    return (this.dependents.get(ownerUid)?.size ?? 0) > 0;
  }
}
