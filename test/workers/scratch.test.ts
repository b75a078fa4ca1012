import { env } from "cloudflare:workers";
import { evictDurableObject, runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { namespaceStore, clusterStore } from "../../durable-objects/env.ts";
import { cmPath, configMap, createCluster } from "./helpers.ts";

describe("scratch", { timeout: 180_000 }, () => {
  it("basics", async () => {
    const c = await createCluster();
    const created = await c.create(cmPath("default"), configMap("a", { x: "1" }));
    console.log(created.status, JSON.stringify(created.body));
    const list = await c.mustList(cmPath("default"));
    console.log(JSON.stringify(list.metadata));
    const w = await c.watch(cmPath("default"), `resourceVersion=${list.metadata.resourceVersion}`);
    await c.mustCreate(cmPath("default"), configMap("b"));
    const ev = await w.waitForChanges(1);
    console.log(JSON.stringify(ev));
    const t0 = Date.now();
    await evictDurableObject(namespaceStore(env, c.cluster, "default"));
    console.log("evicted after", Date.now() - t0);
    await w.closed(150_000);
    console.log("closed", w.failure, w.keepalives);
    const all = await c.mustList("/api/v1/configmaps");
    console.log(JSON.stringify(all.items.map((i) => [i.metadata.name, i.metadata.resourceVersion])));
    console.log(await runDurableObjectAlarm(clusterStore(env, c.cluster)));
    expect(1).toBe(1);
  });
});
