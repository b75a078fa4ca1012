// Every schema data module. Add a module here to publish its types.
import { apps } from "./apps.ts";
import { batch } from "./batch.ts";
import { apiextensions, coordination, discovery, events, networking, rbac, scheduling, storage } from "./cluster.ts";
import { core } from "./core.ts";
import type { SchemaModule } from "./dsl.ts";
import { karmadaCluster } from "./karmada-cluster.ts";
import { karmadaPolicy } from "./karmada-policy.ts";
import { karmadaWork } from "./karmada-work.ts";
import { karmadaWorkV1alpha1 } from "./karmada-work-v1alpha1.ts";
import { intstr, meta, resource, runtime } from "./meta.ts";
import { autoscaling, policy } from "./policy.ts";

export const MODULES: readonly SchemaModule[] = [
  meta,
  resource,
  intstr,
  runtime,
  core,
  apps,
  batch,
  autoscaling,
  policy,
  coordination,
  rbac,
  networking,
  discovery,
  events,
  storage,
  scheduling,
  apiextensions,
  karmadaCluster,
  karmadaPolicy,
  karmadaWork,
  karmadaWorkV1alpha1,
];
