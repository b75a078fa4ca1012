// Patch metadata of apps/v1 and batch/v1. Every workload embeds a PodTemplateSpec (core.ts);
// CronJob reaches it through spec.jobTemplate.spec.template.
import type { KindTable, TypeTable } from "./dsl.ts";
import { PLAIN, kind, nested, retaining } from "./dsl.ts";

export const workloadTypes: TypeTable = {
  // strategy is `retainKeys`: switching type to Recreate must drop rollingUpdate.
  DeploymentSpec: { template: nested("PodTemplateSpec"), strategy: retaining() },
  Deployment: kind({ spec: nested("DeploymentSpec"), status: nested("ConditionsStatus") }),
  // StatefulSet/DaemonSet updateStrategy and volumeClaimTemplates carry no strategy.
  Workload: kind({ spec: nested("TemplatedSpec"), status: nested("ConditionsStatus") }),

  Job: kind({ spec: nested("TemplatedSpec"), status: nested("ConditionsStatus") }),
  JobTemplateSpec: { metadata: nested("ObjectMeta"), spec: nested("TemplatedSpec") },
  CronJobSpec: { jobTemplate: nested("JobTemplateSpec") },
  CronJob: kind({ spec: nested("CronJobSpec") }),
};

export const workloadKinds: KindTable = {
  "apps/v1": {
    Deployment: "Deployment",
    ReplicaSet: "Workload",
    StatefulSet: "Workload",
    DaemonSet: "Workload",
    ControllerRevision: PLAIN,
  },
  "batch/v1": { Job: "Job", CronJob: "CronJob" },
};
