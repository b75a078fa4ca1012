// The Job controller: runs a Job's Pods to completion (see api/controllers/job/sync.ts for
// the decisions); here only reads and writes.
import { controllerRefOf, groupOf } from "../../../api/controllers/gc/owner-refs.ts";
import { hasTrackingFinalizer, JOB_TRACKING_FINALIZER } from "../../../api/controllers/job/pods.ts";
import { orphanedTrackedPods, syncJob, type JobPlan } from "../../../api/controllers/job/sync.ts";
import type { KubeObject } from "../../../api/types.ts";
import type { ChangeNotice, Controller, ControllerContext } from "../framework.ts";
import type { ObjectWriter } from "../object-writer.ts";

const JOBS = "jobs.batch";
const PODS = "pods";

/** The Job controlling a Pod, by name. */
function jobOf(pod: KubeObject): string | undefined {
  const ref = controllerRefOf(pod);
  return ref && ref.kind === "Job" && groupOf(ref.apiVersion) === "batch" ? ref.name : undefined;
}

function releasePod(objects: ObjectWriter, name: string): void {
  const pod = objects.get(PODS, name);
  if (!pod || !hasTrackingFinalizer(pod)) return;
  const finalizers = (pod.metadata.finalizers ?? []).filter((f) => f !== JOB_TRACKING_FINALIZER);
  objects.update(PODS, { ...pod, metadata: { ...pod.metadata, finalizers } });
}

export class JobController implements Controller {
  readonly name = "job-controller";

  keysFor(change: ChangeNotice): string[] {
    if (change.resource === JOBS) return [change.name];
    if (change.resource === PODS) {
      const job = jobOf(change.object);
      return job ? [job] : [];
    }
    return [];
  }

  initialKeys(objects: ObjectWriter): string[] {
    const names = new Set(objects.list(JOBS).map((j) => j.metadata.name ?? ""));
    for (const pod of objects.list(PODS)) {
      const job = hasTrackingFinalizer(pod) ? jobOf(pod) : undefined;
      if (job) names.add(job);
    }
    return [...names];
  }

  reconcile(name: string, ctx: ControllerContext): void {
    const objects = ctx.objects;
    const job = objects.get(JOBS, name);
    const pods = objects.list(PODS);
    // Pods of a Job that is gone (or was recreated under the same name) must not stay stuck.
    for (const pod of orphanedTrackedPods(name, job?.metadata.uid, pods)) releasePod(objects, pod);
    if (!job) return;
    this.apply(job, syncJob(job, pods, ctx.now()), ctx);
  }

  private apply(job: KubeObject, plan: JobPlan, ctx: ControllerContext): void {
    const objects = ctx.objects;
    const name = job.metadata.name ?? "";
    // The status (with the pods about to be released recorded as uncounted) goes first.
    if (plan.status) objects.updateStatus(JOBS, { ...job, status: plan.status });
    for (const pod of plan.removeFinalizers) releasePod(objects, pod);
    for (const pod of plan.deletePods) {
      if (objects.delete(PODS, pod)) ctx.recordEvent(job, "Normal", "SuccessfulDelete", `Deleted pod: ${pod}`);
    }
    for (const pod of plan.dropPods) {
      releasePod(objects, pod);
      if (objects.delete(PODS, pod)) ctx.recordEvent(job, "Normal", "SuccessfulDelete", `Deleted pod: ${pod}`);
    }
    let failure: unknown;
    for (const body of plan.createPods) {
      try {
        // A generated name can collide; one retry draws another.
        const created = objects.create(PODS, body) ?? objects.create(PODS, body);
        if (created) ctx.recordEvent(job, "Normal", "SuccessfulCreate", `Created pod: ${created.metadata.name}`);
      } catch (err) {
        ctx.recordEvent(job, "Warning", "FailedCreate", `Error creating: ${(err as Error).message}`);
        failure ??= err;
      }
    }
    for (const event of plan.events) ctx.recordEvent(job, event.type, event.reason, event.message);
    if (plan.deleteJob) {
      objects.delete(JOBS, name, { propagationPolicy: "Foreground", preconditions: { uid: job.metadata.uid } });
    } else if (plan.requeueAfterMs !== undefined) {
      ctx.requeueAfter(plan.requeueAfterMs);
    }
    if (failure) throw failure; // retried with backoff
  }
}
