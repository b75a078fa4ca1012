// The scheduler cache keeps the list of nodes holding pods with (anti-)affinity terms, so that
// InterPodAffinity looks at those alone for a pod without terms of its own.
import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../api/types.ts";
import { nodesWithAffinityPods } from "../../api/scheduler/snapshot.ts";
import { SchedulerCache } from "../../durable-objects/scheduler/cache.ts";
import { pod } from "./scheduler-fixtures.ts";

const antiAffinity = {
  affinity: {
    podAntiAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: [
        { labelSelector: { matchLabels: { app: "db" } }, topologyKey: "kubernetes.io/hostname" },
      ],
    },
  },
};

const node = (name: string): KubeObject => ({
  apiVersion: "v1",
  kind: "Node",
  metadata: { name, labels: { "kubernetes.io/hostname": name } },
  status: { allocatable: { cpu: "8", memory: "16Gi", pods: "110" } },
});

function boundPod(name: string, nodeName: string, spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: "default", uid: `uid-${name}`, labels: { app: "db" } },
    spec: { nodeName, containers: [{ name: "c", image: "i" }], ...spec },
    status: { phase: "Running" },
  };
}

const names = (cache: SchedulerCache) => cache.nodesWithAffinityPods().map((info) => info.name);

describe("SchedulerCache nodes with affinity pods", () => {
  it("follows pods with terms as they are bound, moved and deleted", () => {
    const cache = new SchedulerCache();
    for (const name of ["a", "b", "c"]) cache.applyNode("ADDED", node(name));
    cache.applyPod("ADDED", boundPod("plain", "a"));
    expect(names(cache)).toEqual([]);
    cache.applyPod("ADDED", boundPod("db", "b", antiAffinity));
    expect(names(cache)).toEqual(["b"]);
    cache.applyPod("MODIFIED", boundPod("db", "c", antiAffinity));
    expect(names(cache)).toEqual(["c"]);
    cache.applyPod("DELETED", boundPod("db", "c", antiAffinity));
    expect(names(cache)).toEqual([]);
  });

  it("follows assumed pods and forgotten assumptions", () => {
    const cache = new SchedulerCache();
    for (const name of ["a", "b"]) cache.applyNode("ADDED", node(name));
    const db = pod("db", { labels: { app: "db" }, spec: antiAffinity });
    cache.assume(db, "a");
    expect(names(cache)).toEqual(["a"]);
    cache.forget(db.key);
    expect(names(cache)).toEqual([]);
  });

  it("drops a deleted node and takes it back when it returns with its pods", () => {
    const cache = new SchedulerCache();
    cache.applyNode("ADDED", node("a"));
    cache.applyPod("ADDED", boundPod("db", "a", antiAffinity));
    cache.applyNode("DELETED", node("a"));
    expect(names(cache)).toEqual([]);
    cache.applyNode("ADDED", node("a"));
    expect(names(cache)).toEqual(["a"]);
  });

  it("answers what a scan of every node would", () => {
    const cache = new SchedulerCache();
    for (let i = 0; i < 20; i++) cache.applyNode("ADDED", node(`n${i}`));
    for (let i = 0; i < 20; i += 3) cache.applyPod("ADDED", boundPod(`db${i}`, `n${i}`, antiAffinity));
    const scanned = nodesWithAffinityPods({
      nodes: cache.nodes,
      get: (n) => cache.get(n),
      namespaceLabels: () => undefined,
    });
    expect(names(cache).sort()).toEqual(scanned.map((info) => info.name).sort());
  });
});
