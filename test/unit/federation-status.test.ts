import { describe, expect, it } from "vitest";
import {
  TEMPLATE_GENERATION_ANNOTATION,
  aggregateTemplateStatus,
  memberHealth,
  reflectStatus,
  type StatusItem,
} from "../../api/federation/aggregate-status.ts";
import type { KubeObject } from "../../api/types.ts";

function object(kind: string, spec: Record<string, unknown>, status?: Record<string, unknown>, generation = 1) {
  return {
    apiVersion: "apps/v1",
    kind,
    metadata: { name: "x", namespace: "default", generation },
    spec,
    ...(status ? { status } : {}),
  } satisfies KubeObject;
}

const item = (clusterName: string, status?: Record<string, unknown>, extra: Partial<StatusItem> = {}): StatusItem => ({
  clusterName,
  applied: true,
  ...(status ? { status } : {}),
  ...extra,
});

describe("memberHealth", () => {
  it("is Unknown when the member has no copy", () => {
    expect(memberHealth("Deployment", undefined)).toBe("Unknown");
    expect(memberHealth("ConfigMap", null)).toBe("Unknown");
  });

  it("Deployment: healthy only once fully rolled out at the latest generation", () => {
    const done = { observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 3 };
    expect(memberHealth("Deployment", object("Deployment", { replicas: 3 }, done, 2))).toBe("Healthy");
    expect(
      memberHealth("Deployment", object("Deployment", { replicas: 3 }, { ...done, observedGeneration: 1 }, 2)),
    ).toBe("Unhealthy");
    expect(memberHealth("Deployment", object("Deployment", { replicas: 3 }, { ...done, replicas: 4 }, 2))).toBe(
      "Unhealthy",
    );
    expect(
      memberHealth("Deployment", object("Deployment", { replicas: 3 }, { ...done, availableReplicas: 2 }, 2)),
    ).toBe("Unhealthy");
    expect(memberHealth("Deployment", object("Deployment", { replicas: 3 }, undefined))).toBe("Unhealthy");
    // spec.replicas defaults to 1.
    const one = { observedGeneration: 1, replicas: 1, updatedReplicas: 1, availableReplicas: 1 };
    expect(memberHealth("Deployment", object("Deployment", {}, one))).toBe("Healthy");
  });

  it("StatefulSet, ReplicaSet and DaemonSet", () => {
    const sts = { observedGeneration: 1, replicas: 2, updatedReplicas: 2, readyReplicas: 2 };
    expect(memberHealth("StatefulSet", object("StatefulSet", { replicas: 2 }, sts))).toBe("Healthy");
    expect(memberHealth("StatefulSet", object("StatefulSet", { replicas: 2 }, { ...sts, availableReplicas: 1 }))).toBe(
      "Unhealthy",
    );
    const rs = { observedGeneration: 1, replicas: 2, availableReplicas: 2 };
    expect(memberHealth("ReplicaSet", object("ReplicaSet", { replicas: 2 }, rs))).toBe("Healthy");
    expect(memberHealth("ReplicaSet", object("ReplicaSet", { replicas: 2 }, { ...rs, availableReplicas: 1 }))).toBe(
      "Unhealthy",
    );
    const ds = { observedGeneration: 1, desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 3 };
    expect(memberHealth("DaemonSet", object("DaemonSet", {}, ds))).toBe("Healthy");
    expect(memberHealth("DaemonSet", object("DaemonSet", {}, { ...ds, updatedNumberScheduled: 2 }))).toBe("Unhealthy");
  });

  it("Job: running or complete is healthy, failed is not", () => {
    expect(memberHealth("Job", object("Job", {}, { active: 1 }))).toBe("Healthy");
    expect(memberHealth("Job", object("Job", {}, { conditions: [{ type: "Complete", status: "True" }] }))).toBe(
      "Healthy",
    );
    expect(
      memberHealth("Job", object("Job", {}, { active: 1, conditions: [{ type: "Failed", status: "True" }] })),
    ).toBe("Unhealthy");
    expect(memberHealth("Job", object("Job", {}, {}))).toBe("Unhealthy");
  });

  it("Service: a LoadBalancer needs an address, other types are healthy", () => {
    expect(memberHealth("Service", object("Service", { type: "ClusterIP" }, {}))).toBe("Healthy");
    expect(memberHealth("Service", object("Service", { type: "LoadBalancer" }, { loadBalancer: {} }))).toBe(
      "Unhealthy",
    );
    expect(
      memberHealth(
        "Service",
        object("Service", { type: "LoadBalancer" }, { loadBalancer: { ingress: [{ ip: "1.2.3.4" }] } }),
      ),
    ).toBe("Healthy");
  });

  it("Pod, PersistentVolumeClaim and kinds without a rule", () => {
    expect(memberHealth("Pod", object("Pod", {}, { phase: "Running" }))).toBe("Healthy");
    expect(memberHealth("Pod", object("Pod", {}, { phase: "Succeeded" }))).toBe("Healthy");
    expect(memberHealth("Pod", object("Pod", {}, { phase: "Pending" }))).toBe("Unhealthy");
    expect(
      memberHealth("Pod", object("Pod", {}, { phase: "Running", conditions: [{ type: "Ready", status: "False" }] })),
    ).toBe("Unhealthy");
    expect(memberHealth("PersistentVolumeClaim", object("PersistentVolumeClaim", {}, { phase: "Bound" }))).toBe(
      "Healthy",
    );
    expect(memberHealth("PersistentVolumeClaim", object("PersistentVolumeClaim", {}, { phase: "Pending" }))).toBe(
      "Unhealthy",
    );
    expect(memberHealth("ConfigMap", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" } })).toBe("Healthy");
    expect(memberHealth("Widget", { apiVersion: "x/v1", kind: "Widget", metadata: { name: "w" } })).toBe("Healthy");
  });
});

describe("reflectStatus", () => {
  it("keeps Karmada's Deployment subset plus generations", () => {
    const member = object(
      "Deployment",
      { replicas: 2 },
      {
        observedGeneration: 4,
        replicas: 2,
        updatedReplicas: 2,
        readyReplicas: 2,
        availableReplicas: 2,
        conditions: [{ type: "Available", status: "True" }],
      },
      4,
    );
    (member.metadata as Record<string, unknown>).annotations = { [TEMPLATE_GENERATION_ANNOTATION]: "7" };
    expect(reflectStatus("Deployment", member)).toEqual({
      replicas: 2,
      updatedReplicas: 2,
      readyReplicas: 2,
      availableReplicas: 2,
      generation: 4,
      observedGeneration: 4,
      resourceTemplateGeneration: 7,
    });
  });

  it("keeps the whole status for other kinds, a copy rather than the member's own", () => {
    const status = { phase: "Running", podIP: "10.0.0.1" };
    const pod = object("Pod", {}, status);
    const reflected = reflectStatus("Pod", pod);
    expect(reflected).toEqual(status);
    expect(reflected).not.toBe(status);
    const sts = reflectStatus("StatefulSet", object("StatefulSet", {}, { replicas: 1, currentRevision: "r1" }, 3));
    expect(sts).toEqual({ replicas: 1, currentRevision: "r1", generation: 3 });
  });

  it("is undefined before the member reports a status", () => {
    expect(reflectStatus("Deployment", object("Deployment", {}))).toBeUndefined();
    expect(
      reflectStatus("ConfigMap", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" } }),
    ).toBeUndefined();
  });
});

describe("aggregateTemplateStatus", () => {
  const reflected = (fields: Record<string, number>) => ({
    generation: 2,
    observedGeneration: 2,
    resourceTemplateGeneration: 5,
    ...fields,
  });

  it("Deployment: sums the counters and reports the template generation once every member caught up", () => {
    const template = object("Deployment", { replicas: 5 }, { observedGeneration: 4 }, 5);
    const items = [
      item("east", reflected({ replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2 })),
      item(
        "west",
        reflected({ replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 2, unavailableReplicas: 1 }),
      ),
    ];
    expect(aggregateTemplateStatus("Deployment", template, items)).toEqual({
      replicas: 5,
      updatedReplicas: 5,
      readyReplicas: 5,
      availableReplicas: 4,
      unavailableReplicas: 1,
      observedGeneration: 5,
    });
  });

  it("Deployment: holds observedGeneration back while a member lags", () => {
    const template = object("Deployment", { replicas: 2 }, { observedGeneration: 4 }, 5);
    const counters = { replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1 };
    const lagging = [
      [item("a", reflected(counters)), item("b", reflected({ ...counters, observedGeneration: 1 }))],
      [item("a", reflected(counters)), item("b", reflected({ ...counters, resourceTemplateGeneration: 4 }))],
      [item("a", reflected(counters)), item("b")],
    ];
    for (const items of lagging) {
      expect(aggregateTemplateStatus("Deployment", template, items)?.observedGeneration).toBe(4);
    }
    // With no previous value, none is invented.
    const fresh = object("Deployment", { replicas: 2 }, undefined, 5);
    expect(aggregateTemplateStatus("Deployment", fresh, lagging[2]!)).not.toHaveProperty("observedGeneration");
  });

  it("an explicit templateGenerationApplied overrides the recorded template generation", () => {
    const template = object("Deployment", { replicas: 1 }, { observedGeneration: 1 }, 3);
    const status = { generation: 1, observedGeneration: 1, replicas: 1 };
    expect(
      aggregateTemplateStatus("Deployment", template, [item("a", status, { templateGenerationApplied: true })])
        ?.observedGeneration,
    ).toBe(3);
    expect(
      aggregateTemplateStatus("Deployment", template, [
        item("a", { ...status, resourceTemplateGeneration: 3 }, { templateGenerationApplied: false }),
      ])?.observedGeneration,
    ).toBe(1);
  });

  it("without a recorded template generation, a member counts as caught up when it was applied", () => {
    const template = object("Deployment", { replicas: 1 }, { observedGeneration: 1 }, 3);
    const status = { generation: 1, observedGeneration: 1, replicas: 1 };
    expect(aggregateTemplateStatus("Deployment", template, [item("a", status)])?.observedGeneration).toBe(3);
    expect(
      aggregateTemplateStatus("Deployment", template, [item("a", status, { applied: false })])?.observedGeneration,
    ).toBe(1);
  });

  it("StatefulSet, ReplicaSet and DaemonSet sum their own counters", () => {
    const sts = aggregateTemplateStatus("StatefulSet", object("StatefulSet", {}, undefined, 2), [
      item("a", {
        generation: 1,
        observedGeneration: 1,
        resourceTemplateGeneration: 2,
        replicas: 1,
        readyReplicas: 1,
        currentRevision: "r",
      }),
      item("b", { generation: 1, observedGeneration: 1, resourceTemplateGeneration: 2, replicas: 2, readyReplicas: 1 }),
    ]);
    expect(sts).toEqual({
      replicas: 3,
      readyReplicas: 2,
      currentReplicas: 0,
      updatedReplicas: 0,
      availableReplicas: 0,
      observedGeneration: 2,
    });
    const rs = aggregateTemplateStatus("ReplicaSet", object("ReplicaSet", {}, undefined, 1), [
      item("a", { replicas: 2, fullyLabeledReplicas: 2, readyReplicas: 1, availableReplicas: 1 }),
    ]);
    expect(rs).toEqual({ replicas: 2, fullyLabeledReplicas: 2, readyReplicas: 1, availableReplicas: 1 });
    const ds = aggregateTemplateStatus("DaemonSet", object("DaemonSet", {}, undefined, 1), [
      item("a", { desiredNumberScheduled: 2, numberReady: 2, updatedNumberScheduled: 2, numberAvailable: 2 }),
      item("b", {
        desiredNumberScheduled: 3,
        numberReady: 1,
        updatedNumberScheduled: 3,
        numberAvailable: 1,
        numberUnavailable: 2,
      }),
    ]);
    expect(ds).toMatchObject({
      desiredNumberScheduled: 5,
      numberReady: 3,
      updatedNumberScheduled: 5,
      numberAvailable: 3,
      numberUnavailable: 2,
    });
  });

  it("Job: sums counts, earliest start, and Complete with the latest completion once all completed", () => {
    const template = object("Job", {}, undefined);
    const complete = (time: string) => ({ type: "Complete", status: "True", lastTransitionTime: time });
    const items = [
      item("a", {
        succeeded: 1,
        startTime: "2024-05-01T10:00:05Z",
        completionTime: "2024-05-01T10:01:00Z",
        conditions: [complete("2024-05-01T10:01:00Z")],
      }),
      item("b", {
        succeeded: 2,
        failed: 1,
        startTime: "2024-05-01T10:00:00Z",
        completionTime: "2024-05-01T10:02:00Z",
        conditions: [complete("2024-05-01T10:02:00Z")],
      }),
    ];
    expect(aggregateTemplateStatus("Job", template, items)).toEqual({
      active: 0,
      succeeded: 3,
      failed: 1,
      ready: 0,
      startTime: "2024-05-01T10:00:00Z",
      completionTime: "2024-05-01T10:02:00Z",
      conditions: [
        {
          type: "Complete",
          status: "True",
          reason: "Completed",
          message: "Job completed in every member cluster",
          lastProbeTime: "2024-05-01T10:02:00Z",
          lastTransitionTime: "2024-05-01T10:02:00Z",
        },
      ],
    });
  });

  it("Job: not complete while one member runs; Failed names the failing clusters; old transition times stay", () => {
    const running = item("a", { active: 1, startTime: "2024-05-01T10:00:00Z" });
    const failed = item("b", {
      failed: 3,
      conditions: [{ type: "Failed", status: "True", lastTransitionTime: "2024-05-01T10:05:00Z" }],
    });
    const fresh = aggregateTemplateStatus("Job", object("Job", {}), [running, failed]);
    expect(fresh).toMatchObject({ active: 1, failed: 3, startTime: "2024-05-01T10:00:00Z" });
    expect(fresh).not.toHaveProperty("completionTime");
    expect(fresh?.conditions).toEqual([
      {
        type: "Failed",
        status: "True",
        reason: "JobFailed",
        message: "Job failed in member cluster(s) b",
        lastProbeTime: "2024-05-01T10:05:00Z",
        lastTransitionTime: "2024-05-01T10:05:00Z",
      },
    ]);
    const template = object(
      "Job",
      {},
      {
        conditions: [{ type: "Failed", status: "True", lastTransitionTime: "2024-05-01T09:00:00Z" }],
      },
    );
    const again = aggregateTemplateStatus("Job", template, [running, failed]);
    expect((again?.conditions as Array<{ lastTransitionTime: string }>)[0]!.lastTransitionTime).toBe(
      "2024-05-01T09:00:00Z",
    );
  });

  it("Service: a LoadBalancer gets the union of its members' addresses; other types are left alone", () => {
    const lb = object("Service", { type: "LoadBalancer" });
    const items = [
      item("a", { loadBalancer: { ingress: [{ ip: "1.1.1.1" }] } }),
      item("b", { loadBalancer: { ingress: [{ ip: "2.2.2.2" }, { ip: "1.1.1.1" }] } }),
      item("c", { loadBalancer: {} }),
      item("d"),
    ];
    expect(aggregateTemplateStatus("Service", lb, items)).toEqual({
      loadBalancer: { ingress: [{ ip: "1.1.1.1" }, { ip: "2.2.2.2" }] },
    });
    expect(aggregateTemplateStatus("Service", lb, [item("d")])).toEqual({ loadBalancer: {} });
    expect(aggregateTemplateStatus("Service", object("Service", { type: "ClusterIP" }), items)).toBeUndefined();
  });

  it("Pod: Failed, then Pending, then Running, then Succeeded", () => {
    const pod = object("Pod", {});
    const phases = (...list: string[]) =>
      aggregateTemplateStatus(
        "Pod",
        pod,
        list.map((phase, i) => item(`c${i}`, { phase })),
      )?.phase;
    expect(phases("Running", "Running")).toBe("Running");
    expect(phases("Running", "Succeeded")).toBe("Running");
    expect(phases("Succeeded", "Succeeded")).toBe("Succeeded");
    expect(phases("Running", "Pending")).toBe("Pending");
    expect(phases("Pending", "Failed")).toBe("Failed");
    expect(phases()).toBe("Pending");
  });

  it("PersistentVolumeClaim: Bound only when every member is", () => {
    const pvc = object("PersistentVolumeClaim", {});
    expect(aggregateTemplateStatus("PersistentVolumeClaim", pvc, [item("a", { phase: "Bound" })])).toEqual({
      phase: "Bound",
    });
    expect(aggregateTemplateStatus("PersistentVolumeClaim", pvc, [item("a", { phase: "Bound" }), item("b")])).toEqual({
      phase: "Pending",
    });
  });

  it("is undefined for kinds without a rule", () => {
    expect(aggregateTemplateStatus("ConfigMap", object("ConfigMap", {}), [item("a", {})])).toBeUndefined();
  });
});
