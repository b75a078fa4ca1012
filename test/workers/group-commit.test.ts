// Creates that arrive together in one namespace commit together (one SQLite transaction), and
// each still runs its checks against the writes committed before it in the same turn.
import { describe, expect, it } from "vitest";
import { cmPath, configMap, createCluster, rvOf, withoutSystem, type ConfigMap, type Status } from "./helpers.ts";

describe("creates committed together", { timeout: 60_000 }, () => {
  it("get distinct, increasing revisions and are all listed", async () => {
    const c = await createCluster("gc-many");
    const names = Array.from({ length: 24 }, (_, i) => `m${String(i).padStart(2, "0")}`);
    const results = await Promise.all(names.map((name) => c.create<ConfigMap>(cmPath("default"), configMap(name))));
    expect(results.map((r) => r.status)).toEqual(names.map(() => 201));
    const created = results.map((r) => r.body as ConfigMap);
    const revisions = created.map(rvOf);
    expect(new Set(revisions).size).toBe(names.length);
    const list = await c.mustList<ConfigMap>(cmPath("default"));
    const listed = withoutSystem(list.items);
    expect(listed.map((i) => i.metadata.name)).toEqual(names);
    for (const item of listed) expect(item).toEqual(created.find((x) => x.metadata.name === item.metadata.name));
    expect(Number(list.metadata.resourceVersion)).toBeGreaterThanOrEqual(Math.max(...revisions));
  });

  it("two creates of one name in the same turn: one is created, the other gets AlreadyExists", async () => {
    const c = await createCluster("gc-dup");
    const results = await Promise.all(
      ["a", "b", "c", "d"].map((v) => c.create<ConfigMap>(cmPath("default"), configMap("same", { v }))),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    const conflict = results.find((r) => r.status === 409)!.body as Status;
    expect(conflict).toMatchObject({ reason: "AlreadyExists", code: 409 });
    const winner = results.find((r) => r.status === 201)!.body as ConfigMap;
    expect(await c.mustGet(cmPath("default", "same"))).toEqual(winner);
  });
});
