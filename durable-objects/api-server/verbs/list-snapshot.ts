// The rows a paginated list's later pages read: the state at the first page's revision, as
// Kubernetes serves them from etcd's snapshot. Objects changed since show as they were then (from
// the revision log), objects created since do not show, deleted ones still do. Every row comes
// from the current objects table but the changed ones, and only those a page reaches are looked
// up in the log.
import type { ObjectStore, StoredValue } from "../../storage/object-store.ts";

type Key = { namespace: string; name: string };

/** Rows of the scope after `after` in key order, at most `limit`; fewer than `limit` means the end. */
export type RowScan = (after: Key | undefined, limit: number | undefined) => StoredValue[];

/** The version an object had at the revision: its JSON, null if it did not exist, undefined if unknown. */
export type ValueThen = (key: Key) => string | null | undefined;

/** The log no longer holds the state at the snapshot's revision (the caller answers 410 Expired). */
export class SnapshotGone extends Error {}

/** More changed objects than this since the first page: the snapshot is not rebuilt (410). */
export const MAX_CHANGED_SINCE = 10_000;

const keyOf = (key: Key) => `${key.namespace}/${key.name}`;

/** (namespace, name) order, as SQLite sorts the objects table (binary collation). */
export function compareKeys(a: Key, b: Key): number {
  if (a.namespace !== b.namespace) return a.namespace < b.namespace ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** The scope's rows as they are now (a first page, or an inconsistent continue token). */
export const currentRows =
  (objects: ObjectStore, resource: string, namespace: string | undefined): RowScan =>
  (after, limit) =>
    objects.listValues(resource, namespace, after, limit);

/** The scope's rows as of revision `rv`; it throws SnapshotGone when the log no longer tells. */
export function scanAtRevision(
  objects: ObjectStore,
  resource: string,
  namespace: string | undefined,
  rv: number,
): RowScan {
  const current = currentRows(objects, resource, namespace);
  if (rv < objects.compactedThrough()) throw new SnapshotGone();
  const changes = objects.firstChangesSince(rv, resource, namespace, MAX_CHANGED_SINCE + 1);
  if (changes.length === 0) return current;
  if (changes.length > MAX_CHANGED_SINCE) throw new SnapshotGone();
  const previous = new Map<string, string>();
  const existedThen: Key[] = [];
  for (const change of changes) {
    if (change.type === "ADDED") continue; // created after rv
    existedThen.push({ namespace: change.namespace, name: change.name });
    // A relabelling keeps the previous version beside the change.
    if (change.prevValue !== null) previous.set(keyOf(change), change.prevValue);
  }
  existedThen.sort(compareKeys);
  const valueThen: ValueThen = (key) =>
    previous.get(keyOf(key)) ?? objects.valueAt(resource, key.namespace, key.name, rv);
  return overlay(current, new Set(changes.map(keyOf)), existedThen, valueThen);
}

/**
 * `current` without the `changed` keys, merged with the versions then of those that existed
 * (`existedThen`, sorted), looked up as pages reach them.
 */
export function overlay(
  current: RowScan,
  changed: ReadonlySet<string>,
  existedThen: readonly Key[],
  valueThen: ValueThen,
): RowScan {
  return (after, limit) => {
    // Up to `changed.size` rows read may be dropped: read that many more.
    const wanted = limit === undefined ? undefined : limit + changed.size;
    const raw = current(after, wanted);
    const upper = wanted !== undefined && raw.length === wanted ? raw[raw.length - 1] : undefined;
    const kept = raw.filter((row) => !changed.has(keyOf(row)));
    const restored: StoredValue[] = [];
    for (const key of existedThen) {
      if ((after && compareKeys(key, after) <= 0) || (upper && compareKeys(key, upper) > 0)) continue;
      const value = valueThen(key);
      if (value === undefined) throw new SnapshotGone();
      if (value !== null) restored.push({ ...key, value });
    }
    const merged: StoredValue[] = [];
    let i = 0;
    let j = 0;
    while (i < kept.length || j < restored.length) {
      if (j >= restored.length || (i < kept.length && compareKeys(kept[i], restored[j]) < 0)) merged.push(kept[i++]);
      else merged.push(restored[j++]);
    }
    return limit === undefined ? merged : merged.slice(0, limit);
  };
}
