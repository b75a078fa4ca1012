// A later list page's rows: the current rows with the objects changed since the first page
// replaced by their version then, in key order, honouring "fewer rows than asked means the end".
import { describe, expect, it } from "vitest";
import {
  compareKeys,
  overlay,
  SnapshotGone,
  type RowScan,
  type ValueThen,
} from "../../durable-objects/api-server/verbs/list-snapshot.ts";
import type { StoredValue } from "../../durable-objects/storage/object-store.ts";

const row = (namespace: string, name: string, value = "now"): StoredValue => ({ namespace, name, value });

/** A scan over fixed rows (what the objects table answers). */
function tableScan(rows: StoredValue[]): RowScan {
  const sorted = [...rows].sort(compareKeys);
  return (after, limit) => {
    const from = sorted.filter((r) => !after || compareKeys(r, after) > 0);
    return limit === undefined ? from : from.slice(0, limit);
  };
}

/** Every row, page by page, as selectObjects pages through a scan. */
function drain(scan: RowScan, pageSize: number): string[] {
  const out: string[] = [];
  let after: StoredValue | undefined;
  for (;;) {
    const page = scan(after, pageSize);
    out.push(...page.map((r) => `${r.namespace}/${r.name}=${r.value}`));
    if (page.length < pageSize) return out;
    after = page[page.length - 1];
  }
}

describe("overlay", () => {
  // Now: a, c (changed), d, f (created since). Then: b (deleted since), c as it was.
  const current = tableScan([row("ns", "a"), row("ns", "c"), row("ns", "d"), row("ns", "f")]);
  const changed = new Set(["ns/b", "ns/c", "ns/f"]);
  const existedThen = [
    { namespace: "ns", name: "b" },
    { namespace: "ns", name: "c" },
  ];
  const lookups: string[] = [];
  const valueThen: ValueThen = (key) => {
    lookups.push(key.name);
    return "then";
  };
  const scanThen = () => overlay(current, changed, existedThen, valueThen);
  const expected = ["ns/a=now", "ns/b=then", "ns/c=then", "ns/d=now"];

  it("shows the state then, whatever the page size", () => {
    for (const size of [1, 2, 3, 4, 10]) expect(drain(scanThen(), size)).toEqual(expected);
  });

  it("reads everything at once without a limit", () => {
    expect(scanThen()(undefined, undefined).map((r) => r.name)).toEqual(["a", "b", "c", "d"]);
  });

  it("looks up only the changed objects a page reaches", () => {
    lookups.length = 0;
    scanThen()(row("ns", "b"), 10);
    expect(lookups).toEqual(["c"]);
  });

  it("fails when the log no longer has an object's version then", () => {
    const scan = overlay(current, changed, existedThen, () => undefined);
    expect(() => scan(undefined, 10)).toThrow(SnapshotGone);
  });

  it("starts after the given key, also among the restored rows", () => {
    const scan = scanThen();
    expect(scan(row("ns", "a"), 2).map((r) => r.name)).toEqual(["b", "c"]);
    expect(scan(row("ns", "b"), 10).map((r) => r.name)).toEqual(["c", "d"]);
  });

  it("orders by namespace first, then name", () => {
    const scan = overlay(
      tableScan([row("a", "z"), row("c", "a")]),
      new Set(["b/m"]),
      [{ namespace: "b", name: "m" }],
      () => "then",
    );
    expect(drain(scan, 1)).toEqual(["a/z=now", "b/m=then", "c/a=now"]);
  });
});
