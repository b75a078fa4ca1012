// Job and CronJob controllers inside a NamespaceStore. The test drives the store's alarm
// (runDurableObjectAlarm) and plays kubelet through PUT pods/status. Where time matters
// (pod-failure backoff, cron schedules) the clock is Vitest's fake Date: Workers tests share
// the isolate with the Durable Objects, so the stores' clocks move with it. It is set ahead of
// real time, so alarms only run when the test runs them.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import type { CronJob, Job } from "kubernetes-types/batch/v1";
import type { Pod } from "kubernetes-types/core/v1";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createCluster, expectStatus, type Client } from "./helpers.ts";

const NS = "default";
const JOBS = `/apis/batch/v1/namespaces/${NS}/jobs`;
const CRONJOBS = `/apis/batch/v1/namespaces/${NS}/cronjobs`;
const PODS = `/api/v1/namespaces/${NS}/pods`;
const EVENTS = `/api/v1/namespaces/${NS}/events`;
const FINALIZER = "batch.kubernetes.io/job-tracking";

const storeOf = (c: Client) => env.NAMESPACE_STORE.get(env.NAMESPACE_STORE.idFromName(`${c.cluster}/${NS}`));
const stamp = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

afterEach(() => {
  vi.useRealTimers();
});

/** Freezes the clock at `ms`, a whole second (ahead of real time, so alarms wait for the test). */
function setClock(ms: number): void {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(Math.ceil(ms / 1000) * 1000);
}

/** Runs the store's alarm until `done()` holds. */
async function driveUntil(c: Client, done: () => Promise<boolean>, what: string, attempts = 40): Promise<void> {
  const stub = storeOf(c);
  for (let i = 0; i < attempts; i++) {
    if (await done()) return;
    await runDurableObjectAlarm(stub);
  }
  if (await done()) return;
  throw new Error(`controllers did not reach: ${what}`);
}

const jobBody = (name: string, spec: Record<string, unknown> = {}) => ({
  apiVersion: "batch/v1",
  kind: "Job",
  metadata: { name },
  spec: {
    template: { spec: { restartPolicy: "Never", containers: [{ name: "main", image: "busybox" }] } },
    ...spec,
  },
});

const getJob = (c: Client, name: string) => c.mustGet<Job>(`${JOBS}/${name}`);
const podsOf = async (c: Client, job: string) =>
  (await c.mustList<Pod>(PODS, `?labelSelector=batch.kubernetes.io/job-name%3D${job}`)).items;
const isRunning = (pod: Pod) =>
  !pod.metadata?.deletionTimestamp && !["Succeeded", "Failed"].includes(pod.status?.phase ?? "");
const condition = (job: Job, type: string) => job.status?.conditions?.find((x) => x.type === type);

/** The kubelet's part: a pod's container ran and exited with `exitCode` (written over the pod's latest version, as a kubelet's informer has it). */
async function finishPod(c: Client, listed: Pod, exitCode: number): Promise<void> {
  const pod = await c.mustGet<Pod>(`${PODS}/${listed.metadata?.name}`);
  const now = stamp(Date.now());
  const body = {
    ...pod,
    status: {
      ...pod.status,
      phase: exitCode === 0 ? "Succeeded" : "Failed",
      containerStatuses: [
        {
          name: "main",
          image: "busybox",
          imageID: "",
          ready: false,
          restartCount: 0,
          state: {
            terminated: { exitCode, reason: exitCode === 0 ? "Completed" : "Error", startedAt: now, finishedAt: now },
          },
        },
      ],
    },
  };
  expectStatus(await c.update(`${PODS}/${pod.metadata?.name}/status`, body), 200, `kubelet: ${pod.metadata?.name}`);
}

async function eventReasons(c: Client, name: string): Promise<string[]> {
  const events = (await c.mustList<{ reason?: string; involvedObject?: { name?: string }; metadata: object }>(EVENTS))
    .items;
  return events.filter((e) => e.involvedObject?.name === name).map((e) => e.reason ?? "");
}

describe("Job controller", { timeout: 60_000 }, () => {
  it("completions 3, parallelism 2: runs two pods at a time and ends Complete", async () => {
    const c = await createCluster("job");
    const job = await c.mustCreate<Job>(JOBS, jobBody("pi", { completions: 3, parallelism: 2 }));
    await driveUntil(c, async () => (await podsOf(c, "pi")).length === 2, "2 pods");

    const pods = await podsOf(c, "pi");
    for (const pod of pods) {
      expect(pod.metadata?.name).toMatch(/^pi-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      expect(pod.metadata?.finalizers).toEqual([FINALIZER]);
      expect(pod.metadata?.labels).toMatchObject({
        "batch.kubernetes.io/controller-uid": job.metadata?.uid,
        "batch.kubernetes.io/job-name": "pi",
      });
      expect(pod.metadata?.ownerReferences).toEqual([
        {
          apiVersion: "batch/v1",
          kind: "Job",
          name: "pi",
          uid: job.metadata?.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ]);
      expect(pod.spec?.restartPolicy).toBe("Never");
    }
    await driveUntil(c, async () => (await getJob(c, "pi")).status?.active === 2, "status.active 2");

    for (const pod of pods) await finishPod(c, pod, 0);
    await driveUntil(c, async () => (await podsOf(c, "pi")).filter(isRunning).length === 1, "the third pod");
    expect((await getJob(c, "pi")).status?.succeeded).toBe(2);
    await finishPod(c, (await podsOf(c, "pi")).filter(isRunning)[0]!, 0);
    await driveUntil(c, async () => condition(await getJob(c, "pi"), "Complete")?.status === "True", "Complete");

    const done = await getJob(c, "pi");
    expect(done.status).toMatchObject({ succeeded: 3, ready: 0, terminating: 0, uncountedTerminatedPods: {} });
    expect(done.status?.active).toBeUndefined();
    expect(done.status?.completionTime).toBeDefined();
    expect(done.status?.conditions?.map((x) => `${x.type}=${x.status}/${x.reason}`)).toEqual([
      "SuccessCriteriaMet=True/CompletionsReached",
      "Complete=True/CompletionsReached",
    ]);
    // Counted pods lose the finalizer but stay, as in Kubernetes.
    const finished = await podsOf(c, "pi");
    expect(finished).toHaveLength(3);
    expect(finished.every((p) => (p.metadata?.finalizers ?? []).length === 0)).toBe(true);
    const reasons = await eventReasons(c, "pi");
    expect(reasons.filter((r) => r === "SuccessfulCreate")).toHaveLength(3);
    expect(reasons).toContain("Completed");
  });

  it("backoffLimit: a failed pod is replaced after the 10s backoff; one failure too many fails the Job", async () => {
    const c = await createCluster("job-fail");
    setClock(Date.now() + 3_600_000);
    await c.mustCreate<Job>(JOBS, jobBody("flaky", { backoffLimit: 1 }));
    await driveUntil(c, async () => (await podsOf(c, "flaky")).length === 1, "the first pod");
    await finishPod(c, (await podsOf(c, "flaky"))[0]!, 1);
    await driveUntil(c, async () => (await getJob(c, "flaky")).status?.failed === 1, "failed 1");

    // Within the backoff nothing new starts, however often the alarm runs.
    for (let i = 0; i < 3; i++) await runDurableObjectAlarm(storeOf(c));
    expect((await podsOf(c, "flaky")).filter(isRunning)).toHaveLength(0);
    const alarm = await runInDurableObject(storeOf(c), (_instance, state) => state.storage.getAlarm());
    expect(alarm).toBe(Date.now() + 10_000);

    vi.setSystemTime(Date.now() + 10_000);
    await driveUntil(c, async () => (await podsOf(c, "flaky")).filter(isRunning).length === 1, "the replacement");
    await finishPod(c, (await podsOf(c, "flaky")).filter(isRunning)[0]!, 2);
    await driveUntil(c, async () => condition(await getJob(c, "flaky"), "Failed")?.status === "True", "Failed");

    const failed = await getJob(c, "flaky");
    expect(failed.status?.failed).toBe(2);
    expect(condition(failed, "Failed")).toMatchObject({
      reason: "BackoffLimitExceeded",
      message: "Job has reached the specified backoff limit",
    });
    expect(failed.status?.completionTime).toBeUndefined();
    expect(await eventReasons(c, "flaky")).toContain("BackoffLimitExceeded");
  });

  it("Indexed: each pod carries its completion index, and the Job tracks completed indexes", async () => {
    const c = await createCluster("job-indexed");
    await c.mustCreate<Job>(JOBS, jobBody("idx", { completionMode: "Indexed", completions: 2, parallelism: 2 }));
    await driveUntil(c, async () => (await podsOf(c, "idx")).length === 2, "2 pods");
    const pods = (await podsOf(c, "idx")).sort((a, b) =>
      (a.metadata?.annotations?.["batch.kubernetes.io/job-completion-index"] ?? "").localeCompare(
        b.metadata?.annotations?.["batch.kubernetes.io/job-completion-index"] ?? "",
      ),
    );
    expect(pods.map((p) => p.spec?.hostname)).toEqual(["idx-0", "idx-1"]);
    expect(pods.map((p) => p.metadata?.labels?.["batch.kubernetes.io/job-completion-index"])).toEqual(["0", "1"]);
    expect(pods[1]!.metadata?.name).toMatch(/^idx-1-/);
    expect(pods[0]!.spec?.containers[0]!.env).toEqual([
      {
        name: "JOB_COMPLETION_INDEX",
        valueFrom: {
          fieldRef: { apiVersion: "v1", fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" },
        },
      },
    ]);
    await finishPod(c, pods[1]!, 0);
    await driveUntil(c, async () => (await getJob(c, "idx")).status?.completedIndexes === "1", "index 1 done");
    await finishPod(c, pods[0]!, 0);
    await driveUntil(c, async () => condition(await getJob(c, "idx"), "Complete")?.status === "True", "Complete");
    expect((await getJob(c, "idx")).status).toMatchObject({ completedIndexes: "0-1", succeeded: 2 });
  });

  it("suspend deletes the running pods and sets Suspended; a pod deleted by hand is counted, not lost", async () => {
    const c = await createCluster("job-suspend");
    await c.mustCreate<Job>(JOBS, jobBody("s", { completions: 2, parallelism: 2 }));
    await driveUntil(c, async () => (await podsOf(c, "s")).length === 2, "2 pods");

    // Deleting a pod leaves it terminating until the Job has counted it.
    const [victim] = await podsOf(c, "s");
    // Held by the tracking finalizer: the deletion is accepted, not done (Kubernetes answers 200, Flotilla 202).
    expect([200, 202]).toContain((await c.delete(`${PODS}/${victim!.metadata?.name}`)).status);
    await driveUntil(c, async () => (await getJob(c, "s")).status?.failed === 1, "the deleted pod counted");
    expect((await podsOf(c, "s")).map((p) => p.metadata?.name)).not.toContain(victim!.metadata?.name);

    expectStatus(await c.patch(`${JOBS}/s`, "merge", { spec: { suspend: true } }), 200, "suspend");
    await driveUntil(c, async () => (await podsOf(c, "s")).length === 0, "no pods");
    const suspended = await getJob(c, "s");
    expect(condition(suspended, "Suspended")).toMatchObject({ status: "True", reason: "JobSuspended" });
    expect(suspended.status?.failed).toBe(1);
  });

  it("ttlSecondsAfterFinished deletes the finished Job (and its pods) after the TTL", async () => {
    const c = await createCluster("job-ttl");
    setClock(Date.now() + 3_600_000);
    await c.mustCreate<Job>(JOBS, jobBody("short", { ttlSecondsAfterFinished: 30 }));
    await driveUntil(c, async () => (await podsOf(c, "short")).length === 1, "a pod");
    await finishPod(c, (await podsOf(c, "short"))[0]!, 0);
    await driveUntil(c, async () => condition(await getJob(c, "short"), "Complete")?.status === "True", "Complete");
    await runDurableObjectAlarm(storeOf(c));
    expect((await c.get(`${JOBS}/short`)).status).toBe(200);
    vi.setSystemTime(Date.now() + 30_000);
    await driveUntil(c, async () => (await c.get(`${JOBS}/short`)).status === 404, "the Job deleted");
    await driveUntil(c, async () => (await podsOf(c, "short")).length === 0, "its pods deleted");
  });

  // Regression (was a bug in durable-objects/api-server/verbs/delete.ts): a DELETE of a batch/v1 Job that
  // names no propagation policy cascaded to its pods; Kubernetes keeps the Job's old default, Orphan
  // (kubectl always sends Background, API clients that send nothing leave the pods running).
  it("a DELETE without a propagation policy orphans the Job's pods; Background deletes them", async () => {
    const c = await createCluster("job-delete");
    await c.mustCreate<Job>(JOBS, jobBody("left", { parallelism: 2, completions: 2 }));
    await c.mustCreate<Job>(JOBS, jobBody("gone", { parallelism: 2, completions: 2 }));
    await driveUntil(
      c,
      async () => (await podsOf(c, "left")).length === 2 && (await podsOf(c, "gone")).length === 2,
      "2 pods each",
    );

    const accepted = await c.delete<Job>(`${JOBS}/left`);
    expect([200, 202]).toContain(accepted.status);
    expect((accepted.body as Job).metadata?.finalizers).toContain("orphan");
    expect([200, 202]).toContain((await c.delete(`${JOBS}/gone`, "?propagationPolicy=Background")).status);
    await driveUntil(
      c,
      async () => (await c.get(`${JOBS}/left`)).status === 404 && (await c.get(`${JOBS}/gone`)).status === 404,
      "both Jobs deleted",
    );
    await driveUntil(c, async () => (await podsOf(c, "gone")).length === 0, "the Background Job's pods deleted");
    const orphans = await podsOf(c, "left");
    expect(orphans).toHaveLength(2);
    for (const pod of orphans) {
      expect(pod.metadata?.ownerReferences ?? []).toEqual([]);
      expect(pod.metadata?.finalizers ?? []).toEqual([]);
      expect(pod.metadata?.deletionTimestamp).toBeUndefined();
    }
  });
});

describe("CronJob controller", { timeout: 60_000 }, () => {
  const cronJobBody = (name: string, spec: Record<string, unknown> = {}) => ({
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: { name },
    spec: {
      schedule: "*/5 * * * *",
      jobTemplate: {
        metadata: { labels: { app: name } },
        spec: { template: { spec: { restartPolicy: "Never", containers: [{ name: "main", image: "busybox" }] } } },
      },
      ...spec,
    },
  });

  it("creates a Job at the scheduled minute, woken by the alarm (not polling), and records it", async () => {
    const c = await createCluster("cron");
    // Two minutes into a five-minute slot, an hour ahead of real time.
    const slot = Math.ceil((Date.now() + 3_600_000) / 300_000) * 300_000;
    setClock(slot + 120_000);
    await c.mustCreate<CronJob>(CRONJOBS, cronJobBody("tick"));
    const due = slot + 300_000;
    await driveUntil(
      c,
      async () => (await runInDurableObject(storeOf(c), (_i, state) => state.storage.getAlarm())) === due,
      "the alarm set for the next schedule time",
    );
    expect((await c.mustList<Job>(JOBS)).items).toHaveLength(0);

    vi.setSystemTime(due + 1_000);
    const name = `tick-${due / 60_000}`;
    await driveUntil(c, async () => (await c.get(`${JOBS}/${name}`)).status === 200, `Job ${name}`);
    const job = await getJob(c, name);
    expect(job.metadata?.annotations?.["batch.kubernetes.io/cronjob-scheduled-timestamp"]).toBe(stamp(due));
    expect(job.metadata?.labels).toMatchObject({ app: "tick" });
    expect(job.metadata?.ownerReferences?.[0]).toMatchObject({ kind: "CronJob", name: "tick", controller: true });
    const cj = await c.mustGet<CronJob>(`${CRONJOBS}/tick`);
    expect(cj.status?.lastScheduleTime).toBe(stamp(due));
    expect(cj.status?.active?.map((r) => r.name)).toEqual([name]);
    const next = await runInDurableObject(storeOf(c), (_i, state) => state.storage.getAlarm());
    expect(next).toBeLessThanOrEqual(due + 300_000);

    // The Job runs; when it completes the CronJob records its success.
    await driveUntil(c, async () => (await podsOf(c, name)).length === 1, "the Job's pod");
    await finishPod(c, (await podsOf(c, name))[0]!, 0);
    await driveUntil(
      c,
      async () => (await c.mustGet<CronJob>(`${CRONJOBS}/tick`)).status?.lastSuccessfulTime !== undefined,
      "lastSuccessfulTime",
    );
    expect((await c.mustGet<CronJob>(`${CRONJOBS}/tick`)).status?.active).toBeUndefined();
    expect(await eventReasons(c, "tick")).toEqual(expect.arrayContaining(["SuccessfulCreate", "SawCompletedJob"]));
  });

  it("Forbid waits for the running Job; history limits delete old Jobs; suspend stops scheduling", async () => {
    const c = await createCluster("cron-forbid");
    const slot = Math.ceil((Date.now() + 3_600_000) / 300_000) * 300_000;
    setClock(slot + 1_000);
    await c.mustCreate<CronJob>(
      CRONJOBS,
      cronJobBody("fb", { concurrencyPolicy: "Forbid", successfulJobsHistoryLimit: 1, startingDeadlineSeconds: 200 }),
    );
    const jobs = async () => (await c.mustList<Job>(JOBS)).items;
    vi.setSystemTime(slot + 300_000);
    await driveUntil(c, async () => (await jobs()).length === 1, "the first Job");
    // Next slot: the first Job still runs, so nothing new starts.
    vi.setSystemTime(slot + 600_000);
    for (let i = 0; i < 3; i++) await runDurableObjectAlarm(storeOf(c));
    expect(await jobs()).toHaveLength(1);
    // The first Job finishes within the starting deadline: the missed run starts now.
    const first = (await jobs())[0]!.metadata?.name ?? "";
    vi.setSystemTime(slot + 660_000);
    await driveUntil(c, async () => (await podsOf(c, first)).length === 1, "the first Job's pod");
    await finishPod(c, (await podsOf(c, first))[0]!, 0);
    await driveUntil(
      c,
      async () => (await jobs()).some((j) => j.metadata?.name === `fb-${(slot + 600_000) / 60_000}`),
      "the delayed run",
    );
    // It completes too; only one successful Job is kept.
    const second = `fb-${(slot + 600_000) / 60_000}`;
    await driveUntil(c, async () => (await podsOf(c, second)).length === 1, "the second Job's pod");
    await finishPod(c, (await podsOf(c, second))[0]!, 0);
    await driveUntil(c, async () => (await jobs()).map((j) => j.metadata?.name).join() === second, "history limit");

    expectStatus(await c.patch(`${CRONJOBS}/fb`, "merge", { spec: { suspend: true } }), 200, "suspend");
    vi.setSystemTime(slot + 900_000);
    for (let i = 0; i < 3; i++) await runDurableObjectAlarm(storeOf(c));
    expect((await jobs()).map((j) => j.metadata?.name)).toEqual([second]);
  });
});
