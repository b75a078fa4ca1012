// The scheduler cache's nominations: a pending pod with status.nominatedNodeName reserves room on
// that node until it is bound, deleted, or its nomination is cleared.
import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../api/types.ts";
import { SchedulerCache } from "../../durable-objects/scheduler/cache.ts";
import { pod } from "./scheduler-fixtures.ts";

function podObject(name: string, priority: number, status: Record<string, unknown>, nodeName?: string): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: "default", uid: `uid-${name}` },
    spec: {
      priority,
      schedulerName: "default-scheduler",
      ...(nodeName ? { nodeName } : {}),
      containers: [{ name: "c", image: "i", resources: { requests: { cpu: "1" } } }],
    },
    status: { phase: "Pending", ...status },
  };
}

describe("SchedulerCache nominations", () => {
  const low = pod("low", { priority: 0 });

  it("a pending pod's nominatedNodeName reserves room for pods of no higher priority", () => {
    const cache = new SchedulerCache();
    cache.applyPod("ADDED", podObject("preemptor", 100, { nominatedNodeName: "a" }));
    expect(cache.nominatedAhead("a", low).map((p) => p.name)).toEqual(["preemptor"]);
    expect(cache.nominatedAhead("b", low)).toEqual([]);
    expect(cache.nominatedAhead("a", pod("urgent", { priority: 1000 }))).toEqual([]);
  });

  it("binding, deletion or a cleared nomination releases the room", () => {
    const cache = new SchedulerCache();
    cache.applyPod("ADDED", podObject("bound-later", 100, { nominatedNodeName: "a" }));
    cache.applyPod("MODIFIED", podObject("bound-later", 100, { nominatedNodeName: "a" }, "a"));
    cache.applyPod("ADDED", podObject("deleted", 100, { nominatedNodeName: "a" }));
    cache.applyPod("DELETED", podObject("deleted", 100, { nominatedNodeName: "a" }));
    cache.applyPod("ADDED", podObject("cleared", 100, { nominatedNodeName: "a" }));
    cache.applyPod("MODIFIED", podObject("cleared", 100, {}));
    expect(cache.nominatedAhead("a", low)).toEqual([]);
    expect(cache.nominatedCount).toBe(0);
  });

  it("the scheduler's own nomination counts at once, and assuming the pod ends it", () => {
    const cache = new SchedulerCache();
    const preemptor = pod("preemptor", { priority: 100 });
    cache.nominate(preemptor, "a");
    expect(cache.nominatedAhead("a", low).map((p) => p.name)).toEqual(["preemptor"]);
    cache.assume(preemptor, "a");
    expect(cache.nominatedCount).toBe(0);
  });
});
