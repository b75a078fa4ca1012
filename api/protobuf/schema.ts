// Every message descriptor Flotilla knows, and which message a request body's apiVersion/kind names.
import { compileMessage, type Field, type FieldSpec } from "./descriptor.ts";
import { appsMessages } from "./messages-apps.ts";
import { autoscalingMessages } from "./messages-autoscaling.ts";
import { batchMessages } from "./messages-batch.ts";
import { coreMessages } from "./messages-core.ts";
import { corePodMessages } from "./messages-core-pod.ts";
import { coreVolumeMessages } from "./messages-core-volume.ts";
import { metaMessages } from "./messages-meta.ts";
import { miscMessages } from "./messages-misc.ts";
import { networkingMessages } from "./messages-networking.ts";
import { policyMessages } from "./messages-policy.ts";
import { rbacMessages } from "./messages-rbac.ts";

const specs: Readonly<Record<string, readonly FieldSpec[]>> = {
  ...metaMessages,
  ...coreMessages,
  ...corePodMessages,
  ...coreVolumeMessages,
  ...appsMessages,
  ...batchMessages,
  ...rbacMessages,
  ...policyMessages,
  ...networkingMessages,
  ...autoscalingMessages,
  ...miscMessages,
};

const compiled = new Map<string, Field[]>();

/** The fields of a message ("core.v1.Container"), compiled on first use. */
export function messageFields(name: string): Field[] | undefined {
  let fields = compiled.get(name);
  if (fields === undefined && Object.hasOwn(specs, name)) {
    fields = compileMessage(name, specs[name]);
    compiled.set(name, fields);
  }
  return fields;
}

export const messageNames = (): string[] => Object.keys(specs);

/** The proto package of each API version's types. */
const PACKAGES: Readonly<Record<string, string>> = {
  v1: "core.v1",
  "apps/v1": "apps.v1",
  "batch/v1": "batch.v1",
  "rbac.authorization.k8s.io/v1": "rbac.v1",
  "policy/v1": "policy.v1",
  "scheduling.k8s.io/v1": "scheduling.v1",
  "networking.k8s.io/v1": "networking.v1",
  "coordination.k8s.io/v1": "coordination.v1",
  "storage.k8s.io/v1": "storage.v1",
  "autoscaling/v1": "autoscaling.v1",
  "autoscaling/v2": "autoscaling.v2",
  "discovery.k8s.io/v1": "discovery.v1",
  "events.k8s.io/v1": "events.v1",
  "authentication.k8s.io/v1": "authentication.v1",
  "authorization.k8s.io/v1": "authorization.v1",
};

/** Top-level kinds a request body may carry. */
const KINDS: Readonly<Record<string, readonly string[]>> = {
  "core.v1": [
    "Binding",
    "ConfigMap",
    "Endpoints",
    "Event",
    "LimitRange",
    "Namespace",
    "Node",
    "PersistentVolume",
    "PersistentVolumeClaim",
    "Pod",
    "PodTemplate",
    "ReplicationController",
    "ResourceQuota",
    "Secret",
    "Service",
    "ServiceAccount",
  ],
  "apps.v1": ["ControllerRevision", "DaemonSet", "Deployment", "ReplicaSet", "StatefulSet"],
  "batch.v1": ["CronJob", "Job"],
  "rbac.v1": ["ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"],
  "policy.v1": ["Eviction", "PodDisruptionBudget"],
  "scheduling.v1": ["PriorityClass"],
  "networking.v1": ["Ingress", "IngressClass", "NetworkPolicy"],
  "coordination.v1": ["Lease"],
  "storage.v1": ["StorageClass"],
  "autoscaling.v1": ["HorizontalPodAutoscaler", "Scale"],
  "autoscaling.v2": ["HorizontalPodAutoscaler"],
  "discovery.v1": ["EndpointSlice"],
  "events.v1": ["Event"],
  "authentication.v1": ["SelfSubjectReview", "TokenRequest"],
  "authorization.v1": ["SelfSubjectAccessReview", "SelfSubjectRulesReview"],
};

/** The message for a body's TypeMeta; DeleteOptions is registered in every group version. */
export function rootMessage(apiVersion: string, kind: string): string | undefined {
  const pkg = Object.hasOwn(PACKAGES, apiVersion) ? PACKAGES[apiVersion] : undefined;
  if (kind === "DeleteOptions" && (pkg !== undefined || apiVersion === "meta.k8s.io/v1"))
    return "meta.v1.DeleteOptions";
  if (pkg === undefined || !KINDS[pkg].includes(kind)) return undefined;
  return `${pkg}.${kind}`;
}
