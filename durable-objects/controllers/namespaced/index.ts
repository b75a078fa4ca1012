// The controllers every NamespaceStore runs (kube-controller-manager's namespaced loops).
import type { Controller } from "../framework.ts";
import { DeploymentController } from "./deployment.ts";
import { ReplicaSetController } from "./replicaset.ts";
import { CronJobController } from "./cronjob.ts";
import { DisruptionController } from "./pdb.ts";
import { EndpointSliceController } from "./endpointslices.ts";
import { EndpointsController } from "./endpoints.ts";
import { GarbageCollector } from "./garbage-collector.ts";
import { JobController } from "./job.ts";
import { ServiceAccountsController } from "./serviceaccounts.ts";
import { StatefulSetController } from "./statefulset.ts";
import { DaemonSetController } from "./daemonset.ts";
import { ResourceQuotaController } from "./resourcequota.ts";
import { HorizontalPodAutoscalerController } from "./hpa.ts";
import { PvcProtectionController } from "./pvc-protection.ts";

export function namespacedControllers(): Controller[] {
  return [
    new DeploymentController(),
    new ReplicaSetController(),
    new StatefulSetController(),
    new DaemonSetController(),
    new JobController(),
    new CronJobController(),
    new GarbageCollector(),
    new ServiceAccountsController(),
    new EndpointsController(),
    new EndpointSliceController(),
    new DisruptionController(),
    new ResourceQuotaController(),
    new HorizontalPodAutoscalerController(),
    new PvcProtectionController(),
  ];
}
