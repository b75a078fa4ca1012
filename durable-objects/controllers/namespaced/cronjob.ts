// The CronJob controller: starts Jobs on schedule, woken by the store's alarm at the next
// schedule time (never polling); decisions in api/controllers/cronjob/sync.ts.
import { jobReference, syncCronJob } from "../../../api/controllers/cronjob/sync.ts";
import { controllerRefOf, groupOf } from "../../../api/controllers/gc/owner-refs.ts";
import type { CronJobStatus } from "kubernetes-types/batch/v1";
import type { ChangeNotice, Controller, ControllerContext } from "../framework.ts";
import type { ObjectWriter } from "../object-writer.ts";

const CRONJOBS = "cronjobs.batch";
const JOBS = "jobs.batch";

export class CronJobController implements Controller {
  readonly name = "cronjob-controller";

  keysFor(change: ChangeNotice): string[] {
    if (change.resource === CRONJOBS) return [change.name];
    if (change.resource === JOBS) {
      const ref = controllerRefOf(change.object);
      if (ref && ref.kind === "CronJob" && groupOf(ref.apiVersion) === "batch") return [ref.name];
    }
    return [];
  }

  initialKeys(objects: ObjectWriter): string[] {
    return objects.list(CRONJOBS).map((cj) => cj.metadata.name ?? "");
  }

  reconcile(name: string, ctx: ControllerContext): void {
    const objects = ctx.objects;
    const cronJob = objects.get(CRONJOBS, name);
    if (!cronJob) return; // its Jobs go with it (garbage collector)
    const plan = syncCronJob(cronJob, objects.list(JOBS), ctx.now());
    for (const job of plan.deleteJobs) {
      objects.delete(JOBS, job.name, { propagationPolicy: "Background", preconditions: { uid: job.uid } });
    }
    const status: CronJobStatus = plan.status;
    if (plan.createJob) {
      const created = objects.create(JOBS, plan.createJob);
      if (created) status.active = [...(status.active ?? []), jobReference(created)];
    }
    for (const event of plan.events) ctx.recordEvent(cronJob, event.type, event.reason, event.message);
    const current = objects.get(CRONJOBS, name);
    if (current) objects.updateStatus(CRONJOBS, { ...current, status });
    if (plan.requeueAfterMs !== undefined) ctx.requeueAfter(plan.requeueAfterMs);
  }
}
