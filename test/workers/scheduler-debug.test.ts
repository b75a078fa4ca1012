import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { clusterStore } from "../../durable-objects/env.ts";
import { createCluster } from "./helpers.ts";
import { createNode, createPod, getPod } from "./scheduler-fixtures.ts";

const state = (c: any) =>
  runInDurableObject(clusterStore(env, c.cluster), async (instance: any, st: any) => {
    const m = instance.controllers;
    const s = m.byName.get("default-scheduler");
    const rows = instance.objects.db.$client ? null : null;
    return {
      q: s.pending.states(),
      stats: s.stats,
      mq: [...m.queue],
      alarm: await st.storage.getAlarm(),
      now: Date.now(),
      next: m.nextDue(),
    };
  });

describe("debug", { timeout: 30000 }, () => {
  it("retry", async () => {
    const c = await createCluster("dbg");
    await createPod(c, "default", "waiting", { cpu: "3" });
    await new Promise((r) => setTimeout(r, 500));
    console.log(JSON.stringify(await state(c)));
    await createNode(c, "tiny", { cpu: "1" });
    console.log(JSON.stringify(await state(c)));
    await new Promise((r) => setTimeout(r, 1500));
    console.log(JSON.stringify(await state(c)));
    console.log(JSON.stringify((await getPod(c, "default", "waiting")).status));
    expect(1).toBe(1);
  });
});
