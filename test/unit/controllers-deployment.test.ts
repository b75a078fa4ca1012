// The Deployment controller's arithmetic and bookkeeping: maxSurge / maxUnavailable rounding,
// pod-template-hash, revision annotations (rollbacks keep a revision history), proportional
// scaling, rolling steps, history cleanup, and the Progressing / Available conditions.
import { describe, expect, it } from "vitest";
import { resolveFenceposts, scaledValue } from "../../api/controllers/common/int-or-percent.ts";
import {
  canonical,
  computePodTemplateHash,
  templatesEqualIgnoringHash,
} from "../../api/controllers/common/template-hash.ts";
import type { Deployment, ReplicaSet } from "../../api/controllers/common/types.ts";
import {
  REVISION,
  REVISION_HISTORY,
  setNewReplicaSetAnnotations,
} from "../../api/controllers/deployment/annotations.ts";
import { replicaSetsToCleanUp } from "../../api/controllers/deployment/cleanup.ts";
import { activeOrLatest, proportionalScaleSteps } from "../../api/controllers/deployment/proportional.ts";
import { findNewReplicaSet, newReplicaSetFor } from "../../api/controllers/deployment/replicasets.ts";
import {
  cleanupUnhealthySteps,
  maxScaledDown,
  newReplicaSetReplicas,
  scaleDownOldSteps,
} from "../../api/controllers/deployment/rolling.ts";
import { calculateStatus, deploymentTimedOut, rolloutStatus } from "../../api/controllers/deployment/status.ts";
import { maxSurge, maxUnavailable } from "../../api/controllers/deployment/strategy.ts";

const T0 = Date.parse("2026-03-01T12:00:00Z");
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

const template = (image = "nginx:1") => ({
  metadata: { labels: { app: "web" } },
  spec: { containers: [{ name: "c", image }] },
});

function deployment(
  replicas: number,
  surge: number | string = "25%",
  unavailable: number | string = "25%",
): Deployment {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace: "default", uid: "d-uid", generation: 1, annotations: {} },
    spec: {
      replicas,
      selector: { matchLabels: { app: "web" } },
      template: template(),
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: surge, maxUnavailable: unavailable } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    },
  };
}

let rsCounter = 0;
function rs(
  name: string,
  replicas: number,
  status: { replicas?: number; available?: number; ready?: number } = {},
  annotations: Record<string, string> = {},
  created = T0 + rsCounter++ * 1000,
): ReplicaSet {
  return {
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: { name, uid: `uid-${name}`, creationTimestamp: iso(created), annotations, generation: 1 },
    spec: { replicas, selector: { matchLabels: { app: "web" } }, template: template(name) },
    status: {
      replicas: status.replicas ?? replicas,
      availableReplicas: status.available ?? replicas,
      readyReplicas: status.ready ?? status.available ?? replicas,
      observedGeneration: 1,
    },
  };
}

describe("maxSurge and maxUnavailable", () => {
  it("percentages: surge rounds up, unavailable rounds down", () => {
    expect(scaledValue("25%", 3, true)).toBe(1);
    expect(scaledValue("25%", 3, false)).toBe(0);
    expect(scaledValue("25%", 10, true)).toBe(3);
    expect(scaledValue("25%", 10, false)).toBe(2);
    expect(scaledValue(4, 10, false)).toBe(4);
    expect(scaledValue("7", 10, false)).toBe(7);
    expect(() => scaledValue("abc", 10, true)).toThrow(/not a percentage/);
  });

  it("both zero after rounding: one may be unavailable", () => {
    expect(resolveFenceposts("0%", "10%", 3)).toEqual({ surge: 0, unavailable: 1 });
    expect(resolveFenceposts(0, 0, 5)).toEqual({ surge: 0, unavailable: 1 });
  });

  it("for a Deployment: unavailable at most replicas, zero for Recreate or zero replicas", () => {
    expect(maxSurge(deployment(3))).toBe(1);
    expect(maxUnavailable(deployment(3))).toBe(0);
    expect(maxUnavailable(deployment(2, 0, 5))).toBe(2);
    expect(maxUnavailable(deployment(0))).toBe(0);
    const recreate = deployment(3);
    recreate.spec.strategy = { type: "Recreate" };
    expect(maxSurge(recreate)).toBe(0);
    expect(maxUnavailable(recreate)).toBe(0);
  });
});

describe("pod-template-hash", () => {
  it("is stable across key order and representation, and names the ReplicaSet", () => {
    const a = { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "c", image: "x" }], volumes: [] } };
    const b = {
      spec: { containers: [{ image: "x", name: "c" }] },
      metadata: { annotations: {}, labels: { app: "web" } },
    };
    expect(canonical(a)).toEqual(canonical(b));
    const hash = computePodTemplateHash(a);
    expect(hash).toBe(computePodTemplateHash(b));
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    expect(computePodTemplateHash({ ...a, spec: { containers: [{ name: "c", image: "y" }] } })).not.toBe(hash);
    expect(computePodTemplateHash(a, 1)).not.toBe(hash);
    expect(computePodTemplateHash(a, 0)).not.toBe(hash);

    const d = deployment(3);
    const body = newReplicaSetFor(d, hash);
    expect(body.metadata.name).toBe(`web-${hash}`);
    expect(body.metadata.labels).toEqual({ app: "web", "pod-template-hash": hash });
    expect(body.spec.selector).toEqual({ matchLabels: { app: "web", "pod-template-hash": hash } });
    expect(body.spec.template?.metadata?.labels).toEqual({ app: "web", "pod-template-hash": hash });
    expect(body.metadata.ownerReferences).toEqual([
      {
        apiVersion: "apps/v1",
        kind: "Deployment",
        name: "web",
        uid: "d-uid",
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    // The hash label does not make a template different.
    expect(templatesEqualIgnoringHash(body.spec.template, d.spec.template)).toBe(true);
    expect(d.spec.template.metadata?.labels).toEqual({ app: "web" });
  });

  it("the new ReplicaSet is the oldest whose template matches", () => {
    const d = deployment(3);
    const older = { ...rs("a", 1), spec: { ...rs("a", 1).spec, template: template() } };
    const newer = { ...rs("b", 1), spec: { ...rs("b", 1).spec, template: template() } };
    expect(findNewReplicaSet(d, [newer, older, rs("c", 1)])?.metadata.name).toBe("a");
    expect(findNewReplicaSet(d, [rs("c", 1)])).toBeUndefined();
  });
});

describe("revision annotations", () => {
  it("a new ReplicaSet gets the next revision, the Deployment's annotations and the replica annotations", () => {
    const d = deployment(4, 1, 0);
    d.metadata.annotations = {
      "kubernetes.io/change-cause": "set image",
      "kubectl.kubernetes.io/last-applied-configuration": "{}",
      [REVISION]: "3",
    };
    const body = newReplicaSetFor(d, "abc");
    expect(setNewReplicaSetAnnotations(d, body, 4, false)).toBe(true);
    expect(body.metadata.annotations).toEqual({
      "kubernetes.io/change-cause": "set image",
      [REVISION]: "4",
      "deployment.kubernetes.io/desired-replicas": "4",
      "deployment.kubernetes.io/max-replicas": "5",
    });
  });

  it("a rollback to an existing ReplicaSet bumps its revision and remembers the old ones", () => {
    const d = deployment(3);
    const old = rs("a", 0, {}, { [REVISION]: "1" });
    expect(setNewReplicaSetAnnotations(d, old, 3, true)).toBe(true);
    expect(old.metadata.annotations?.[REVISION]).toBe("3");
    expect(old.metadata.annotations?.[REVISION_HISTORY]).toBe("1");
    expect(setNewReplicaSetAnnotations(d, old, 5, true)).toBe(true);
    expect(old.metadata.annotations?.[REVISION_HISTORY]).toBe("1,3");
    // Not lowered, not rewritten.
    expect(setNewReplicaSetAnnotations(d, old, 4, true)).toBe(false);
    expect(old.metadata.annotations?.[REVISION]).toBe("5");
  });

  it("the revision history is trimmed from the oldest end to the character limit", () => {
    const d = deployment(3);
    const old = rs("a", 0, {}, { [REVISION]: "9", [REVISION_HISTORY]: "1,3,5,7" });
    setNewReplicaSetAnnotations(d, old, 11, true, 7);
    expect(old.metadata.annotations?.[REVISION_HISTORY]).toBe("3,5,7,9");
    const older = rs("b", 0, {}, { [REVISION]: "9", [REVISION_HISTORY]: "1,3,5,7" });
    setNewReplicaSetAnnotations(d, older, 11, true, 6);
    expect(older.metadata.annotations?.[REVISION_HISTORY]).toBe("5,7,9");
  });
});

describe("rolling update steps", () => {
  it("the new ReplicaSet grows within maxSurge", () => {
    const d = deployment(10, 3, 2);
    const old = rs("old", 10);
    expect(newReplicaSetReplicas(d, [old], undefined)).toBe(3);
    const fresh = rs("new", 3, { available: 0 });
    expect(newReplicaSetReplicas(d, [old, fresh], fresh)).toBe(3); // already at 13
    const shrunk = rs("old", 8);
    expect(newReplicaSetReplicas(d, [shrunk, fresh], fresh)).toBe(5);
    // Recreate: everything at once.
    const recreate = deployment(10);
    recreate.spec.strategy = { type: "Recreate" };
    expect(newReplicaSetReplicas(recreate, [old], undefined)).toBe(10);
  });

  it("old ReplicaSets shrink only as far as availability allows, unhealthy pods first", () => {
    const d = deployment(10, 3, 2); // at least 8 available
    const old = rs("old", 10, { available: 10 });
    const fresh = rs("new", 3, { available: 0 });
    // 13 wanted, 8 must stay available, 3 new are unavailable: 2 old may go.
    expect(maxScaledDown(d, [old, fresh], fresh)).toBe(2);
    expect(scaleDownOldSteps(d, [old, fresh], [old])).toEqual([{ rs: old, replicas: 8 }]);

    const sick = rs("sick", 4, { available: 1 });
    const healthy = rs("healthy", 6, { available: 6 });
    expect(cleanupUnhealthySteps([healthy, sick], 2).map((s) => [s.rs.metadata.name, s.replicas])).toEqual([
      ["sick", 2],
    ]);
    // Nothing to clean when everything is available (or more is available than wanted).
    expect(cleanupUnhealthySteps([rs("x", 2, { available: 3 })], 5)).toEqual([]);
  });
});

describe("proportional scaling", () => {
  it("spreads a scale-up over the ReplicaSets of a rollout in proportion (the Kubernetes documentation's example)", () => {
    // 10 replicas, maxSurge 3, maxUnavailable 2; a rollout to a broken image stalls at old 8 + new 5.
    const d = deployment(15, 3, 2);
    const max = { "deployment.kubernetes.io/max-replicas": "13", "deployment.kubernetes.io/desired-replicas": "10" };
    const old = rs("old", 8, { available: 8 }, max, T0);
    const fresh = rs("new", 5, { available: 0 }, max, T0 + 60_000);
    const steps = proportionalScaleSteps(d, fresh, [old]);
    expect(steps.map((s) => [s.rs.metadata.name, s.replicas])).toEqual([
      ["old", 11],
      ["new", 7],
    ]);
  });

  it("scales down proportionally, leftovers from the largest", () => {
    const d = deployment(5, 1, 1);
    const max = { "deployment.kubernetes.io/max-replicas": "11" };
    const old = rs("old", 6, {}, max, T0);
    const fresh = rs("new", 5, { available: 0 }, max, T0 + 1000);
    const steps = proportionalScaleSteps(d, fresh, [old]);
    const total = steps.reduce((n, s) => n + s.replicas, 0);
    expect(total).toBe(6); // 5 + maxSurge 1
    expect(steps.map((s) => [s.rs.metadata.name, s.replicas])).toEqual([
      ["old", 3],
      ["new", 3],
    ]);
  });

  it("a single active ReplicaSet simply takes the new count; a saturated new one ends the old ones", () => {
    const d = deployment(5);
    const only = rs("only", 3);
    expect(activeOrLatest(only, [rs("old", 0)])?.metadata.name).toBe("only");
    expect(proportionalScaleSteps(d, only, [rs("old", 0)]).map((s) => s.replicas)).toEqual([5]);
    const saturated = rs("new", 5, { available: 5 }, { "deployment.kubernetes.io/desired-replicas": "5" });
    const steps = proportionalScaleSteps(d, saturated, [rs("old", 2)]);
    expect(steps.map((s) => [s.rs.metadata.name, s.replicas])).toEqual([["old", 0]]);
  });
});

describe("history cleanup", () => {
  it("deletes the lowest revisions beyond the limit, only when fully scaled down", () => {
    const d = deployment(3);
    d.spec.revisionHistoryLimit = 1;
    const r1 = rs("r1", 0, {}, { [REVISION]: "1" });
    const r2 = rs("r2", 1, { replicas: 1 }, { [REVISION]: "2" });
    const r3 = rs("r3", 0, {}, { [REVISION]: "3" });
    expect(replicaSetsToCleanUp(d, [r3, r2, r1]).map((r) => r.metadata.name)).toEqual(["r1"]);
    d.spec.revisionHistoryLimit = 0;
    expect(replicaSetsToCleanUp(d, [r3, r2, r1]).map((r) => r.metadata.name)).toEqual(["r1", "r3"]);
  });
});

describe("Deployment status and conditions", () => {
  it("counts from the ReplicaSets; Available follows minimum availability", () => {
    const d = deployment(4, 1, 1);
    const old = rs("old", 2, { replicas: 2, available: 2 });
    const fresh = rs("new", 3, { replicas: 3, available: 1, ready: 2 });
    const status = calculateStatus(d, [old, fresh], fresh, new Date(T0));
    expect(status).toMatchObject({
      observedGeneration: 1,
      replicas: 5,
      updatedReplicas: 3,
      readyReplicas: 4,
      availableReplicas: 3,
      unavailableReplicas: 2,
    });
    expect(status.conditions).toEqual([
      {
        type: "Available",
        status: "True",
        lastUpdateTime: iso(T0),
        lastTransitionTime: iso(T0),
        reason: "MinimumReplicasAvailable",
        message: "Deployment has minimum availability.",
      },
    ]);
    const short = calculateStatus(d, [rs("new", 4, { available: 2 })], undefined, new Date(T0));
    expect(short.conditions?.[0]).toMatchObject({ status: "False", reason: "MinimumReplicasUnavailable" });
  });

  it("Progressing: progress refreshes lastUpdateTime, completion says NewReplicaSetAvailable, the deadline times out", () => {
    const d = deployment(2);
    d.spec.progressDeadlineSeconds = 60;
    const created = {
      type: "Progressing",
      status: "True" as const,
      lastUpdateTime: iso(T0),
      lastTransitionTime: iso(T0),
      reason: "NewReplicaSetCreated",
      message: 'Created new replica set "web-x"',
    };
    d.status = { replicas: 0, conditions: [created] };
    const fresh = rs("web-x", 2, { replicas: 2, available: 1 });
    const progressing = rolloutStatus(d, [fresh], fresh, new Date(T0 + 10_000));
    const p = progressing.conditions?.find((c) => c.type === "Progressing");
    expect(p).toMatchObject({ reason: "ReplicaSetUpdated", message: 'ReplicaSet "web-x" is progressing.' });
    expect(p?.lastUpdateTime).toBe(iso(T0 + 10_000));
    expect(p?.lastTransitionTime).toBe(iso(T0));

    // No further progress: past the deadline it times out.
    d.status = progressing;
    expect(deploymentTimedOut(d, progressing, new Date(T0 + 69_000))).toBe(false);
    expect(deploymentTimedOut(d, progressing, new Date(T0 + 71_000))).toBe(true);
    const timedOut = rolloutStatus(d, [fresh], fresh, new Date(T0 + 71_000));
    expect(timedOut.conditions?.find((c) => c.type === "Progressing")).toMatchObject({
      status: "False",
      reason: "ProgressDeadlineExceeded",
      message: 'ReplicaSet "web-x" has timed out progressing.',
    });

    // Completion.
    const done = rs("web-x", 2, { replicas: 2, available: 2 });
    const complete = rolloutStatus(d, [done], done, new Date(T0 + 80_000));
    expect(complete.conditions?.find((c) => c.type === "Progressing")).toMatchObject({
      status: "True",
      reason: "NewReplicaSetAvailable",
      message: 'ReplicaSet "web-x" has successfully progressed.',
    });
  });
});
