// Parsed objects for controllers, kept current by the store's own writes: what an informer's
// cache is to a Kubernetes controller. A reconcile that lists a namespace's pods would otherwise
// read and JSON.parse every row each time; with a reconcile per pod change that is quadratic
// (a 1,000-replica rollout spent most of its CPU there). Scopes (resource × namespace) load on
// their first list and then follow every write; each version is parsed at most once, when
// listed. Objects are deep-frozen: a controller that wants to change one must copy it first.
import type { KubeObject } from "../../api/types.ts";

interface Entry {
  /** Local sequence of the write that produced this version (assignRevision matches on it). */
  seq: number;
  value: string;
  object?: KubeObject;
}

interface Scope {
  entries: Map<string, Entry>;
  /** The sorted list handed out last; dropped on any write to the scope. */
  snapshot?: readonly KubeObject[];
}

export interface CachedRow {
  name: string;
  seq: number;
  value: string;
}

const scopeKey = (resource: string, namespace: string) => `${resource}\u0000${namespace}`;

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

export class ParsedObjectCache {
  private readonly scopes = new Map<string, Scope>();

  /** The scope's objects ordered by name (as the table's list is); `load` reads rows on first use. */
  list(resource: string, namespace: string, load: () => CachedRow[]): KubeObject[] {
    const key = scopeKey(resource, namespace);
    let scope = this.scopes.get(key);
    if (!scope) {
      scope = { entries: new Map(load().map((row) => [row.name, { seq: row.seq, value: row.value }])) };
      this.scopes.set(key, scope);
    }
    if (!scope.snapshot) {
      const names = [...scope.entries.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      scope.snapshot = names.map((name) => {
        const entry = scope.entries.get(name)!;
        entry.object ??= deepFreeze(JSON.parse(entry.value) as KubeObject);
        return entry.object;
      });
    }
    return scope.snapshot.slice();
  }

  /** A committed write: `value` null when the object was deleted. */
  noteWrite(resource: string, namespace: string, name: string, seq: number, value: string | null): void {
    const scope = this.scopes.get(scopeKey(resource, namespace));
    if (!scope) return;
    scope.snapshot = undefined;
    if (value === null) scope.entries.delete(name);
    else scope.entries.set(name, { seq, value });
  }

  /** The write `seq` got its cluster revision: the object's stored JSON now carries it. */
  noteRevision(resource: string, namespace: string, name: string, seq: number, rv: number, value: string): void {
    const entry = this.scopes.get(scopeKey(resource, namespace))?.entries.get(name);
    if (!entry || entry.seq !== seq) return;
    entry.value = value;
    if (entry.object) {
      const metadata = Object.freeze({ ...entry.object.metadata, resourceVersion: String(rv) });
      entry.object = Object.freeze({ ...entry.object, metadata }) as KubeObject;
      this.scopes.get(scopeKey(resource, namespace))!.snapshot = undefined;
    }
  }

  clear(): void {
    this.scopes.clear();
  }
}
