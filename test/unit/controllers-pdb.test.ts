import { describe, expect, it } from "vitest";
import { computeBudgetStatus, type ScaleLookup } from "../../api/controllers/pdb/budget.ts";
import type { KubeObject } from "../../api/types.ts";

const NOW = new Date("2024-01-01T00:00:00Z");

const pdb = (spec: Record<string, unknown>, status?: Record<string, unknown>): KubeObject => ({
  apiVersion: "policy/v1",
  kind: "PodDisruptionBudget",
  metadata: { name: "budget", namespace: "ns", generation: 2 },
  spec: { selector: { matchLabels: { app: "web" } }, ...spec },
  ...(status ? { status } : {}),
});

const pod = (
  name: string,
  ready: boolean,
  owner = "rs-uid",
  extra: Partial<KubeObject["metadata"]> = {},
): KubeObject => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: {
    name,
    namespace: "ns",
    labels: { app: "web" },
    ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "rs", uid: owner, controller: true }],
    ...extra,
  },
  status: { conditions: [{ type: "Ready", status: ready ? "True" : "False" }] },
});

const scale: ScaleLookup = (ref) => (ref.uid === "rs-uid" ? { uid: "deploy-uid", replicas: 4 } : undefined);
const pods = [pod("a", true), pod("b", true), pod("c", true), pod("d", false)];

describe("PodDisruptionBudget status", () => {
  it("minAvailable as a number: expected pods are the matching pods", () => {
    const { status } = computeBudgetStatus(pdb({ minAvailable: 2 }), pods, scale, NOW);
    expect(status).toMatchObject({
      currentHealthy: 3,
      desiredHealthy: 2,
      disruptionsAllowed: 1,
      expectedPods: 4,
      observedGeneration: 2,
    });
    expect(status.conditions).toEqual([
      {
        type: "DisruptionAllowed",
        status: "True",
        reason: "SufficientPods",
        message: "",
        observedGeneration: 2,
        lastTransitionTime: "2024-01-01T00:00:00Z",
      },
    ]);
  });

  it("maxUnavailable and percentages scale from the controllers' replicas (rounded up)", () => {
    expect(computeBudgetStatus(pdb({ maxUnavailable: 1 }), pods, scale, NOW).status).toMatchObject({
      expectedPods: 4,
      desiredHealthy: 3,
      disruptionsAllowed: 0,
    });
    expect(computeBudgetStatus(pdb({ maxUnavailable: "30%" }), pods, scale, NOW).status).toMatchObject({
      desiredHealthy: 2,
      disruptionsAllowed: 1,
    });
    expect(computeBudgetStatus(pdb({ minAvailable: "50%" }), pods, scale, NOW).status).toMatchObject({
      desiredHealthy: 2,
      disruptionsAllowed: 1,
    });
  });

  it("allows nothing when no pods match, and says so", () => {
    const { status } = computeBudgetStatus(pdb({ minAvailable: 0 }), [], scale, NOW);
    expect(status.disruptionsAllowed).toBe(0);
    expect(status.conditions?.[0]).toMatchObject({ status: "False", reason: "InsufficientPods" });
  });

  it("terminating pods and recently evicted pods are not healthy; old eviction entries expire", () => {
    const list = [
      pod("a", true),
      pod("b", true, "rs-uid", { deletionTimestamp: "2024-01-01T00:00:00Z" }),
      pod("c", true),
    ];
    const result = computeBudgetStatus(
      pdb({ minAvailable: 1 }, { disruptedPods: { c: "2023-12-31T23:59:30Z", a: "2023-12-31T23:50:00Z" } }),
      list,
      scale,
      NOW,
    );
    expect(result.status.currentHealthy).toBe(1);
    expect(result.status.disruptedPods).toEqual({ c: "2023-12-31T23:59:30Z" });
    expect(result.requeueAfterMs).toBe(90_000);
  });

  it("keeps the condition's transition time while its status holds", () => {
    const first = computeBudgetStatus(pdb({ minAvailable: 2 }), pods, scale, NOW).status;
    const later = computeBudgetStatus(
      pdb({ minAvailable: 1 }, first as unknown as Record<string, unknown>),
      pods,
      scale,
      new Date("2024-01-02T00:00:00Z"),
    );
    expect(later.status.conditions?.[0]?.lastTransitionTime).toBe("2024-01-01T00:00:00Z");
  });
});
