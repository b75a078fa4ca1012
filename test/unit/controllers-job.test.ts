import { describe, expect, it } from "vitest";
import { backoffRecord, remainingBackoff } from "../../api/controllers/job/backoff.ts";
import { matchPodFailurePolicy } from "../../api/controllers/job/failure-policy.ts";
import { formatIndexes, parseIndexes } from "../../api/controllers/job/indexes.ts";
import { JOB_TRACKING_FINALIZER } from "../../api/controllers/job/pods.ts";
import { orphanedTrackedPods, syncJob, type JobPlan } from "../../api/controllers/job/sync.ts";
import type { KubeObject } from "../../api/types.ts";

const JOB_UID = "job-uid";
const T0 = Date.parse("2024-01-01T00:00:00Z");
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

function makeJob(spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name: "pi", namespace: "ns", uid: JOB_UID, creationTimestamp: iso(T0), generation: 1 },
    spec: {
      parallelism: 1,
      completions: 1,
      backoffLimit: 6,
      completionMode: "NonIndexed",
      suspend: false,
      podReplacementPolicy: "TerminatingOrFailed",
      selector: { matchLabels: { "batch.kubernetes.io/controller-uid": JOB_UID } },
      template: {
        metadata: { labels: { "batch.kubernetes.io/controller-uid": JOB_UID, "batch.kubernetes.io/job-name": "pi" } },
        spec: { restartPolicy: "Never", containers: [{ name: "main", image: "busybox" }] },
      },
      ...spec,
    },
  };
}

/** A tiny store applying plans the way the Job controller's wiring does. */
class World {
  job: KubeObject;
  pods: KubeObject[] = [];
  now = T0;
  plans: JobPlan[] = [];
  deletedJob = false;
  private seq = 0;

  constructor(job: KubeObject) {
    this.job = job;
  }

  sync(): JobPlan {
    const plan = syncJob(this.job, this.pods, new Date(this.now));
    this.plans.push(plan);
    if (plan.status) this.job = { ...this.job, status: structuredClone(plan.status) };
    for (const name of plan.removeFinalizers) this.release(name);
    for (const name of plan.deletePods) this.deletePod(name);
    for (const name of plan.dropPods) {
      this.release(name);
      this.deletePod(name);
    }
    for (const body of plan.createPods) {
      this.seq += 1;
      const pod = structuredClone(body);
      pod.metadata.name = `${pod.metadata.generateName}p${this.seq}`;
      pod.metadata.uid = `pod-uid-${this.seq}`;
      pod.metadata.namespace = "ns";
      pod.metadata.creationTimestamp = iso(this.now);
      pod.status = { phase: "Pending" };
      this.pods.push(pod);
    }
    if (plan.deleteJob) this.deletedJob = true;
    return plan;
  }

  /** Syncs until nothing about the pods changes (the controller re-runs on pod events). */
  settle(): JobPlan {
    let plan = this.sync();
    for (let i = 0; i < 10; i++) {
      const touched =
        plan.removeFinalizers.length + plan.deletePods.length + plan.dropPods.length + plan.createPods.length;
      if (touched === 0) return plan;
      plan = this.sync();
    }
    throw new Error("no steady state");
  }

  private release(name: string): void {
    const pod = this.pods.find((p) => p.metadata.name === name);
    if (!pod) return;
    pod.metadata.finalizers = (pod.metadata.finalizers ?? []).filter((f) => f !== JOB_TRACKING_FINALIZER);
    if (pod.metadata.deletionTimestamp && pod.metadata.finalizers.length === 0) this.remove(name);
  }

  private deletePod(name: string): void {
    const pod = this.pods.find((p) => p.metadata.name === name);
    if (!pod) return;
    if ((pod.metadata.finalizers ?? []).length > 0) pod.metadata.deletionTimestamp = iso(this.now);
    else this.remove(name);
  }

  private remove(name: string): void {
    this.pods = this.pods.filter((p) => p.metadata.name !== name);
  }

  active(): KubeObject[] {
    return this.pods.filter((p) => !["Succeeded", "Failed"].includes(phase(p)) && !p.metadata.deletionTimestamp);
  }

  /** The stand-in kubelet: finish a pod. */
  finish(pod: KubeObject, result: "Succeeded" | "Failed", extra: Record<string, unknown> = {}): void {
    pod.status = { phase: result, ...extra };
  }

  conditions(): Record<string, string> {
    const list = (this.job.status as { conditions?: Array<{ type: string; status: string; reason?: string }> })
      ?.conditions;
    return Object.fromEntries((list ?? []).map((c) => [c.type, `${c.status}/${c.reason ?? ""}`]));
  }

  status(): Record<string, unknown> {
    return this.job.status as Record<string, unknown>;
  }
}

const phase = (pod: KubeObject) => (pod.status as { phase?: string } | undefined)?.phase ?? "";
const events = (world: World) => world.plans.flatMap((p) => p.events.map((e) => e.reason));

describe("Job: pods from the template", () => {
  it("creates pods named <job>- with the Job's labels, a controller reference and the tracking finalizer", () => {
    const world = new World(makeJob());
    world.sync();
    expect(world.pods).toHaveLength(1);
    const pod = world.pods[0]!;
    expect(pod.metadata.generateName).toBe("pi-");
    expect(pod.metadata.labels).toEqual({
      "batch.kubernetes.io/controller-uid": JOB_UID,
      "batch.kubernetes.io/job-name": "pi",
    });
    expect(pod.metadata.ownerReferences).toEqual([
      { apiVersion: "batch/v1", kind: "Job", name: "pi", uid: JOB_UID, controller: true, blockOwnerDeletion: true },
    ]);
    expect(pod.metadata.finalizers).toEqual([JOB_TRACKING_FINALIZER]);
    expect((pod.spec as { restartPolicy?: string }).restartPolicy).toBe("Never");
    expect(world.status()).toMatchObject({ active: 1, ready: 0, terminating: 0, startTime: iso(T0) });
    expect(world.status().uncountedTerminatedPods).toEqual({});
  });
});

describe("Job: completions and parallelism", () => {
  it("completions 3, parallelism 2: two at a time, then Complete", () => {
    const world = new World(makeJob({ completions: 3, parallelism: 2 }));
    world.settle();
    expect(world.active()).toHaveLength(2);
    world.now += 5_000;
    for (const pod of world.active()) world.finish(pod, "Succeeded");
    world.settle();
    expect(world.status().succeeded).toBe(2);
    expect(world.active()).toHaveLength(1); // only one completion left
    world.now += 5_000;
    world.finish(world.active()[0]!, "Succeeded");
    world.settle();
    expect(world.status()).toMatchObject({ succeeded: 3, completionTime: iso(world.now), ready: 0 });
    expect(world.status().active).toBeUndefined();
    expect(world.status().uncountedTerminatedPods).toEqual({});
    expect(world.conditions()).toEqual({
      SuccessCriteriaMet: "True/CompletionsReached",
      Complete: "True/CompletionsReached",
    });
    expect(events(world)).toContain("Completed");
    // Finished pods stay, without the finalizer.
    expect(world.pods.every((p) => !(p.metadata.finalizers ?? []).length)).toBe(true);
  });

  it("records finished pods as uncounted before their finalizer comes off, then counts them once", () => {
    const world = new World(makeJob({ completions: 2, parallelism: 2 }));
    world.settle();
    world.finish(world.pods[0]!, "Succeeded");
    const first = syncJob(world.job, world.pods, new Date(world.now));
    expect(first.status?.uncountedTerminatedPods).toEqual({ succeeded: [world.pods[0]!.metadata.uid] });
    expect(first.status?.succeeded).toBeUndefined();
    expect(first.removeFinalizers).toEqual([world.pods[0]!.metadata.name]);
    // Replaying the same plan against the same state (an alarm retry) changes nothing.
    expect(syncJob(world.job, world.pods, new Date(world.now)).status).toEqual(first.status);
    world.settle();
    expect(world.status().succeeded).toBe(1);
    expect(world.status().uncountedTerminatedPods).toEqual({});
  });

  it("work queue (no completions): no new pods after a success, Complete when all have finished", () => {
    const world = new World(makeJob({ completions: undefined, parallelism: 2 }));
    world.settle();
    world.finish(world.pods[0]!, "Succeeded");
    world.settle();
    expect(world.pods).toHaveLength(2);
    expect(world.conditions().Complete).toBeUndefined();
    world.finish(world.pods[1]!, "Succeeded");
    world.settle();
    expect(world.conditions().Complete).toBe("True/CompletionsReached");
    expect(world.status().succeeded).toBe(2);
  });

  it("parallelism lowered: excess pods are deleted without counting as failures", () => {
    const world = new World(makeJob({ completions: 4, parallelism: 3 }));
    world.settle();
    world.job = { ...world.job, spec: { ...(world.job.spec as object), parallelism: 1 } };
    world.settle();
    expect(world.active()).toHaveLength(1);
    expect(world.status().failed).toBeUndefined();
  });
});

describe("Job: failures", () => {
  it("backoffLimit: replacements wait 10s after a failure; exceeding the limit fails the Job", () => {
    const world = new World(makeJob({ backoffLimit: 1 }));
    world.settle();
    world.now += 2_000;
    world.finish(world.pods[0]!, "Failed", {
      containerStatuses: [{ name: "main", state: { terminated: { exitCode: 1, finishedAt: iso(world.now) } } }],
    });
    const plan = world.settle();
    expect(world.status().failed).toBe(1);
    expect(world.active()).toHaveLength(0);
    expect(plan.requeueAfterMs).toBe(10_000);
    world.now += 10_000;
    world.settle();
    expect(world.active()).toHaveLength(1);
    world.now += 1_000;
    world.finish(world.active()[0]!, "Failed");
    world.settle();
    expect(world.status().failed).toBe(2);
    expect(world.conditions()).toEqual({
      FailureTarget: "True/BackoffLimitExceeded",
      Failed: "True/BackoffLimitExceeded",
    });
    expect(world.status().completionTime).toBeUndefined();
    expect(events(world)).toContain("BackoffLimitExceeded");
  });

  it("the pod failure backoff doubles per failure since the last success, capped at 6 minutes", () => {
    const fail = (t: number) => ({ finishedAt: t, succeeded: false });
    expect(remainingBackoff(backoffRecord([fail(0)]), 1_000)).toBe(9_000);
    expect(remainingBackoff(backoffRecord([fail(0), fail(0), fail(0)]), 0)).toBe(40_000);
    expect(remainingBackoff(backoffRecord(Array.from({ length: 9 }, () => fail(0))), 0)).toBe(360_000);
    expect(remainingBackoff(backoffRecord([fail(0), { finishedAt: 5, succeeded: true }]), 6)).toBe(0);
    expect(remainingBackoff(backoffRecord([fail(0)]), 60_000)).toBe(0);
  });

  it("restartPolicy OnFailure: container restarts count against backoffLimit", () => {
    const world = new World(makeJob({ backoffLimit: 2 }));
    world.settle();
    world.pods[0]!.status = { phase: "Running", containerStatuses: [{ name: "main", restartCount: 2 }] };
    const template = (world.job.spec as { template: { spec: { restartPolicy: string } } }).template;
    template.spec.restartPolicy = "OnFailure";
    world.settle();
    expect(world.conditions().Failed).toBe("True/BackoffLimitExceeded");
    expect(world.status().failed).toBe(1); // the running pod was terminated and counted
  });

  it("activeDeadlineSeconds: the Job fails with DeadlineExceeded and its pods are terminated", () => {
    const world = new World(makeJob({ activeDeadlineSeconds: 30 }));
    const plan = world.settle();
    expect(plan.requeueAfterMs).toBe(30_000);
    world.now += 30_000;
    world.settle();
    expect(world.conditions().Failed).toBe("True/DeadlineExceeded");
    expect(world.pods).toHaveLength(0);
    expect(world.status().failed).toBe(1);
  });

  it("a pod deleted while running counts as failed and is replaced (the backoff only follows pods that stay)", () => {
    const world = new World(makeJob({ completions: 1 }));
    world.settle();
    const first = world.pods[0]!.metadata.name;
    world.pods[0]!.metadata.deletionTimestamp = iso(world.now);
    world.settle();
    expect(world.status().failed).toBe(1);
    expect(world.pods.map((p) => p.metadata.name)).not.toContain(first);
    expect(world.active()).toHaveLength(1);
  });
});

describe("Job: podFailurePolicy", () => {
  const policy = {
    rules: [
      { action: "FailJob", onExitCodes: { containerName: "main", operator: "In", values: [42] } },
      { action: "Ignore", onPodConditions: [{ type: "DisruptionTarget" }] },
      { action: "Count", onExitCodes: { operator: "NotIn", values: [0] } },
    ],
  };
  const terminated = (code: number) => ({
    containerStatuses: [{ name: "main", state: { terminated: { exitCode: code, finishedAt: iso(T0) } } }],
  });

  it("matches rules in order", () => {
    const pod = (status: Record<string, unknown>) =>
      ({ metadata: { name: "p", namespace: "ns" }, status: { phase: "Failed", ...status } }) as KubeObject;
    expect(matchPodFailurePolicy(policy as never, pod(terminated(42)))).toEqual({
      action: "FailJob",
      message: "Container main for pod ns/p failed with exit code 42 matching FailJob rule at index 0",
    });
    expect(
      matchPodFailurePolicy(policy as never, pod({ conditions: [{ type: "DisruptionTarget", status: "True" }] })),
    ).toEqual({ action: "Ignore", message: "Pod ns/p has condition DisruptionTarget matching Ignore rule at index 1" });
    expect(matchPodFailurePolicy(policy as never, pod(terminated(3)))?.action).toBe("Count");
    expect(matchPodFailurePolicy(policy as never, pod(terminated(0)))).toBeUndefined();
  });

  it("FailJob fails the Job at once", () => {
    const world = new World(
      makeJob({ podFailurePolicy: policy, podReplacementPolicy: "Failed", parallelism: 2, completions: 2 }),
    );
    world.settle();
    world.finish(world.pods[0]!, "Failed", terminated(42));
    world.settle();
    expect(world.conditions().Failed).toBe("True/PodFailurePolicy");
    expect(world.status().failed).toBe(2); // the other pod was terminated
  });

  it("Ignore does not count the failure and replaces the pod without backoff", () => {
    const world = new World(makeJob({ podFailurePolicy: policy, podReplacementPolicy: "Failed", backoffLimit: 0 }));
    world.settle();
    world.finish(world.pods[0]!, "Failed", { conditions: [{ type: "DisruptionTarget", status: "True" }] });
    world.settle();
    expect(world.status().failed).toBeUndefined();
    expect(world.conditions().Failed).toBeUndefined();
    expect(world.active()).toHaveLength(1);
  });
});

describe("Job: Indexed completion mode", () => {
  it("gives each pod its index (annotation, label, env, hostname) and tracks completed indexes", () => {
    const world = new World(makeJob({ completionMode: "Indexed", completions: 3, parallelism: 2 }));
    world.settle();
    expect(world.pods.map((p) => p.metadata.annotations?.["batch.kubernetes.io/job-completion-index"])).toEqual([
      "0",
      "1",
    ]);
    const pod = world.pods[1]!;
    expect(pod.metadata.generateName).toBe("pi-1-");
    expect(pod.metadata.labels?.["batch.kubernetes.io/job-completion-index"]).toBe("1");
    const spec = pod.spec as { hostname: string; containers: Array<{ env: unknown[] }> };
    expect(spec.hostname).toBe("pi-1");
    expect(spec.containers[0]!.env).toEqual([
      {
        name: "JOB_COMPLETION_INDEX",
        valueFrom: {
          fieldRef: { apiVersion: "v1", fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" },
        },
      },
    ]);
    world.finish(pod, "Succeeded");
    world.settle();
    expect(world.status()).toMatchObject({ completedIndexes: "1", succeeded: 1 });
    expect(world.active().map((p) => p.metadata.annotations?.["batch.kubernetes.io/job-completion-index"])).toEqual([
      "0",
      "2",
    ]);
    for (const p of world.active()) world.finish(p, "Succeeded");
    world.settle();
    expect(world.status()).toMatchObject({ completedIndexes: "0-2", succeeded: 3 });
    expect(world.conditions().Complete).toBe("True/CompletionsReached");
  });

  it("parses and formats interval lists", () => {
    expect(formatIndexes([5, 1, 2, 3, 7, 8])).toBe("1-3,5,7-8");
    expect([...parseIndexes("1-3,5,7-8,12", 10)].sort((a, b) => a - b)).toEqual([1, 2, 3, 5, 7, 8]);
    expect(formatIndexes([])).toBe("");
  });
});

describe("Job: suspend, TTL, deletion", () => {
  it("suspend deletes active pods (not counted) and sets Suspended; resume restarts the clock", () => {
    const world = new World(makeJob({ parallelism: 2, completions: 2 }));
    world.settle();
    world.job = { ...world.job, spec: { ...(world.job.spec as object), suspend: true } };
    world.now += 60_000;
    world.settle();
    expect(world.pods).toHaveLength(0);
    expect(world.status().failed).toBeUndefined();
    expect(world.conditions().Suspended).toBe("True/JobSuspended");
    world.job = { ...world.job, spec: { ...(world.job.spec as object), suspend: false } };
    world.now += 60_000;
    world.settle();
    expect(world.conditions().Suspended).toBe("False/JobResumed");
    expect(world.status().startTime).toBe(iso(world.now));
    expect(world.active()).toHaveLength(2);
    expect(events(world)).toEqual(expect.arrayContaining(["Suspended", "Resumed"]));
  });

  it("a Job created suspended starts no pods and has no start time", () => {
    const world = new World(makeJob({ suspend: true }));
    world.settle();
    expect(world.pods).toHaveLength(0);
    expect(world.status().startTime).toBeUndefined();
  });

  it("ttlSecondsAfterFinished: deleted that long after finishing", () => {
    const world = new World(makeJob({ ttlSecondsAfterFinished: 100 }));
    world.settle();
    world.finish(world.pods[0]!, "Succeeded");
    const plan = world.settle();
    expect(plan.requeueAfterMs).toBe(100_000);
    world.now += 99_000;
    expect(world.sync().deleteJob).toBeUndefined();
    world.now += 1_000;
    expect(world.sync().deleteJob).toBe(true);
  });

  it("a Job being deleted releases all its pods", () => {
    const world = new World(makeJob({ parallelism: 2, completions: 2 }));
    world.settle();
    world.job.metadata.deletionTimestamp = iso(world.now);
    const plan = world.sync();
    expect(plan.removeFinalizers).toHaveLength(2);
    expect(plan.createPods).toHaveLength(0);
  });

  it("pods of a Job that no longer exists lose their finalizer", () => {
    const pod = {
      metadata: {
        name: "old-1",
        finalizers: [JOB_TRACKING_FINALIZER],
        ownerReferences: [{ apiVersion: "batch/v1", kind: "Job", name: "pi", uid: "old-uid", controller: true }],
      },
    } as KubeObject;
    expect(orphanedTrackedPods("pi", undefined, [pod])).toEqual(["old-1"]);
    expect(orphanedTrackedPods("pi", "new-uid", [pod])).toEqual(["old-1"]);
    expect(orphanedTrackedPods("pi", "old-uid", [pod])).toEqual([]);
  });

  it("leaves Jobs managed by another controller alone", () => {
    const plan = syncJob(makeJob({ managedBy: "kueue.x-k8s.io/multikueue" }), [], new Date(T0));
    expect(plan.createPods).toHaveLength(0);
    expect(plan.status).toBeUndefined();
  });
});
