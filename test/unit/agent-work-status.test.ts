import { describe, expect, it } from "vitest";
import type { KubeObject } from "../../api/types.ts";
import { recheckDelay, sameStatus, workStatus } from "../../federation-agent/work-status.ts";

/** The same value with every object's keys in reverse order, as another serializer might write it. */
const reversedKeys = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(reversedKeys)
    : value !== null && typeof value === "object"
      ? Object.fromEntries(
          Object.entries(value)
            .reverse()
            .map(([k, v]) => [k, reversedKeys(v)]),
        )
      : value;

const T0 = Date.parse("2026-03-01T10:00:00Z");
const T1 = T0 + 60_000;

const deployment = (status?: object): KubeObject => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: {
    name: "web",
    namespace: "shop",
    generation: 2,
    annotations: { "resourcetemplate.karmada.io/generation": "3" },
  },
  spec: { replicas: 2 },
  ...(status ? { status } : {}),
});
const configMap: KubeObject = {
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name: "settings", namespace: "shop" },
};
const rolledOut = { observedGeneration: 2, replicas: 2, updatedReplicas: 2, availableReplicas: 2, readyReplicas: 2 };

describe("workStatus", () => {
  it("reports Applied=True with each manifest's identifier, reflected status and health", () => {
    const status = workStatus(
      undefined,
      [
        { manifest: deployment(), object: deployment(rolledOut) },
        { manifest: configMap, object: configMap },
      ],
      T0,
      4,
    );
    expect(status.conditions).toEqual([
      {
        type: "Applied",
        status: "True",
        reason: "AppliedSuccessful",
        message: "Manifest has been successfully applied",
        lastTransitionTime: "2026-03-01T10:00:00Z",
        observedGeneration: 4,
      },
    ]);
    expect(status.manifestStatuses).toEqual([
      {
        identifier: { group: "apps", version: "v1", kind: "Deployment", namespace: "shop", name: "web", ordinal: 0 },
        // Karmada's Deployment subset, plus what the federation needs for observedGeneration.
        status: {
          replicas: 2,
          updatedReplicas: 2,
          readyReplicas: 2,
          availableReplicas: 2,
          generation: 2,
          observedGeneration: 2,
          resourceTemplateGeneration: 3,
        },
        health: "Healthy",
      },
      {
        identifier: { group: "", version: "v1", kind: "ConfigMap", namespace: "shop", name: "settings", ordinal: 1 },
        health: "Healthy",
      },
    ]);
  });

  it("reports Applied=False naming each manifest that failed, and keeps the transition time while it holds", () => {
    const failed = workStatus(
      undefined,
      [
        { manifest: deployment(), object: deployment({ observedGeneration: 1 }) },
        {
          manifest: configMap,
          error: "ConfigMap settings already exists in the member and is not managed by this federation",
        },
      ],
      T0,
    );
    const applied = failed.conditions?.[0];
    expect(applied).toMatchObject({
      status: "False",
      reason: "AppliedFailed",
      lastTransitionTime: "2026-03-01T10:00:00Z",
    });
    expect(applied?.message).toBe(
      "Failed to apply all manifests (1/2): ConfigMap shop/settings: ConfigMap settings already exists in the member and is not managed by this federation",
    );
    expect(failed.manifestStatuses?.map((m) => m.health)).toEqual(["Unhealthy", "Unknown"]);

    const later = workStatus(failed, [{ manifest: configMap, error: "still refused" }], T1);
    expect(later.conditions?.[0].lastTransitionTime).toBe("2026-03-01T10:00:00Z");
    const recovered = workStatus(later, [{ manifest: configMap, object: configMap }], T1);
    expect(recovered.conditions?.[0]).toMatchObject({ status: "True", lastTransitionTime: "2026-03-01T10:01:00Z" });
  });

  it("keeps conditions of other types", () => {
    const previous = { conditions: [{ type: "Degraded", status: "False" as const }] };
    expect(workStatus(previous, [], T0).conditions?.map((c) => c.type)).toEqual(["Degraded", "Applied"]);
  });

  it("is unchanged when recomputed from the same member state, whatever the key order", () => {
    const outcomes = [{ manifest: deployment(), object: deployment(rolledOut) }];
    const first = workStatus(undefined, outcomes, T0);
    const roundTripped = reversedKeys(first) as typeof first;
    expect(sameStatus(roundTripped, workStatus(roundTripped, outcomes, T1))).toBe(true);
    expect(
      sameStatus(first, workStatus(first, [{ manifest: deployment(), object: deployment({ replicas: 1 }) }], T1)),
    ).toBe(false);
    expect(sameStatus(undefined, {})).toBe(true);
  });
});

describe("recheckDelay", () => {
  const periods = { settlingMs: 5000, steadyMs: 15_000 };
  it("looks again soon while anything is unapplied or unhealthy, rarely once all is healthy", () => {
    const healthy = workStatus(undefined, [{ manifest: configMap, object: configMap }], T0);
    expect(recheckDelay(healthy, periods)).toBe(15_000);
    const rolling = workStatus(
      undefined,
      [{ manifest: deployment(), object: deployment({ observedGeneration: 2 }) }],
      T0,
    );
    expect(recheckDelay(rolling, periods)).toBe(5000);
    const refused = workStatus(undefined, [{ manifest: configMap, error: "no" }], T0);
    expect(recheckDelay(refused, periods)).toBe(5000);
  });
});
