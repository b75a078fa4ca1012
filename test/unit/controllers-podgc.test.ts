// The pod garbage collector's decisions: which finished pods go first, when a vanished node's pods
// may go, and which nodes count as out of service.
import { describe, expect, it } from "vitest";
import { isOutOfService, orphanVerdict, TAINT_OUT_OF_SERVICE } from "../../api/controllers/podgc/nodes.ts";
import { isTerminating, terminatedPod, terminatedToDelete } from "../../api/controllers/podgc/pods.ts";
import type { KubeObject } from "../../api/types.ts";

const pod = (name: string, created: string, status: Record<string, unknown> = {}, deleting = false): KubeObject => ({
  metadata: {
    name,
    namespace: "ns",
    uid: `uid-${name}`,
    creationTimestamp: created,
    ...(deleting ? { deletionTimestamp: "2026-05-01T12:00:30Z" } : {}),
  },
  status,
});

const node = (ready: string, taints: string[] = []): KubeObject => ({
  metadata: { name: "n" },
  spec: { taints: taints.map((key) => ({ key, effect: "NoExecute" })) },
  status: { conditions: [{ type: "Ready", status: ready }] },
});

describe("terminatedToDelete", () => {
  const finished = [
    pod("c", "2026-05-01T10:00:02Z", { phase: "Succeeded" }),
    pod("a", "2026-05-01T10:00:01Z", { phase: "Failed" }),
    pod("late-evicted", "2026-05-01T11:00:00Z", { phase: "Failed", reason: "Evicted" }),
    pod("b", "2026-05-01T10:00:01Z", { phase: "Succeeded" }),
  ].map((p) => terminatedPod("ns", p));

  it("deletes evicted pods first, then the oldest, names breaking ties", () => {
    expect(terminatedToDelete(finished, 1).map((p) => p.name)).toEqual(["late-evicted", "a", "b"]);
    expect(terminatedToDelete(finished, 3).map((p) => p.name)).toEqual(["late-evicted"]);
  });

  it("keeps everything at or under the threshold, and with a threshold of 0", () => {
    expect(terminatedToDelete(finished, 4)).toEqual([]);
    expect(terminatedToDelete(finished, 0)).toEqual([]);
  });

  it("remembers what a deletion needs", () => {
    expect(finished[0]).toEqual({
      namespace: "ns",
      name: "c",
      uid: "uid-c",
      created: Date.parse("2026-05-01T10:00:02Z"),
      evicted: false,
    });
  });
});

describe("isTerminating", () => {
  it("is a pod being deleted that has not finished", () => {
    expect(isTerminating(pod("p", "2026-05-01T10:00:00Z", { phase: "Running" }, true))).toBe(true);
    expect(isTerminating(pod("p", "2026-05-01T10:00:00Z", { phase: "Running" }))).toBe(false);
    expect(isTerminating(pod("p", "2026-05-01T10:00:00Z", { phase: "Succeeded" }, true))).toBe(false);
  });
});

describe("isOutOfService", () => {
  it("needs both the taint and a node that is not Ready", () => {
    expect(isOutOfService(node("False", [TAINT_OUT_OF_SERVICE]))).toBe(true);
    expect(isOutOfService(node("Unknown", ["node.kubernetes.io/unreachable", TAINT_OUT_OF_SERVICE]))).toBe(true);
    expect(isOutOfService(node("True", [TAINT_OUT_OF_SERVICE]))).toBe(false);
    expect(isOutOfService(node("False", ["node.kubernetes.io/not-ready"]))).toBe(false);
  });
});

describe("orphanVerdict", () => {
  const noticed = 1_000_000;
  it("waits out the quarantine from when the absence was noticed, then deletes", () => {
    expect(orphanVerdict(2, noticed, noticed, 40_000)).toEqual({ action: "wait", ms: 40_000 });
    expect(orphanVerdict(2, noticed, noticed + 39_999, 40_000)).toEqual({ action: "wait", ms: 1 });
    expect(orphanVerdict(2, noticed, noticed + 40_000, 40_000)).toEqual({ action: "delete" });
  });

  it("forgets a node with no pods left", () => {
    expect(orphanVerdict(0, noticed, noticed + 90_000, 40_000)).toEqual({ action: "forget" });
  });
});
