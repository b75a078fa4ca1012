// apps/v1: Deployment, ReplicaSet, StatefulSet, DaemonSet, ControllerRevision.
import type {
  ControllerRevision,
  DaemonSet,
  DaemonSetCondition,
  DaemonSetSpec,
  DaemonSetStatus,
  DaemonSetUpdateStrategy,
  Deployment,
  DeploymentCondition,
  DeploymentSpec,
  DeploymentStatus,
  DeploymentStrategy,
  ReplicaSet,
  ReplicaSetCondition,
  ReplicaSetSpec,
  ReplicaSetStatus,
  RollingUpdateDaemonSet,
  RollingUpdateDeployment,
  RollingUpdateStatefulSetStrategy,
  StatefulSet,
  StatefulSetCondition,
  StatefulSetOrdinals,
  StatefulSetPersistentVolumeClaimRetentionPolicy,
  StatefulSetSpec,
  StatefulSetStatus,
  StatefulSetUpdateStrategy,
} from "kubernetes-types/apps/v1";
import { complete, f, kind, req, type FieldSpec, type SchemaModule } from "./dsl.ts";

const conditions = (what: string) =>
  f(`[]${what}Condition`, "Current conditions.", { mergeKey: "type", listType: "map", listMapKeys: ["type"] });

const condition = (what: string) => ({
  lastTransitionTime: f("Time", "When status last changed."),
  message: f("string", "Human-readable details."),
  reason: f("string", "CamelCase reason for the last transition."),
  status: req("string", "True, False or Unknown."),
  type: req("string", `${what} condition type.`),
});

const common = {
  minReadySeconds: f("int32", "Seconds a new pod must be ready, without crashing, to count as available."),
  revisionHistoryLimit: f("int32", "Old revisions kept for rollback; default 10."),
  selector: req("LabelSelector", "Pods managed; must match the template's labels. Cannot change."),
  template: req("PodTemplateSpec", "Pods to create."),
} satisfies Record<string, FieldSpec>;

const intOrPercent = (what: string) => f("IntOrString", `${what}: a number of pods or a percentage such as "25%".`);

export const apps: SchemaModule = {
  pkg: "io.k8s.api.apps.v1",
  types: {
    Deployment: kind<Deployment>("Declarative updates for a replicated, stateless set of pods.", {
      spec: f("DeploymentSpec", "Desired state."),
      status: f("DeploymentStatus", "Observed state."),
    }),
    DeploymentSpec: complete<DeploymentSpec>("Desired state of a deployment.", {
      ...common,
      paused: f("boolean", "Stop rolling out template changes until unpaused."),
      progressDeadlineSeconds: f(
        "int32",
        "Seconds without progress before the rollout is reported failed; default 600.",
      ),
      replicas: f("int32", "Desired number of pods; default 1."),
      strategy: f("DeploymentStrategy", "How old pods are replaced by new ones.", { patchStrategy: "retainKeys" }),
    }),
    DeploymentStrategy: complete<DeploymentStrategy>("How a deployment replaces pods.", {
      rollingUpdate: f("RollingUpdateDeployment", "Settings for RollingUpdate."),
      type: f("string", "Recreate kills all old pods first; RollingUpdate (default) replaces them gradually.", {
        enum: ["Recreate", "RollingUpdate"],
      }),
    }),
    RollingUpdateDeployment: complete<RollingUpdateDeployment>("Pace of a rolling update.", {
      maxSurge: intOrPercent("Pods allowed above the desired count during the update; default 25%"),
      maxUnavailable: intOrPercent("Pods allowed to be unavailable during the update; default 25%"),
    }),
    DeploymentStatus: complete<DeploymentStatus>(
      "Observed state of a deployment.",
      {
        availableReplicas: f("int32", "Pods ready for at least minReadySeconds."),
        collisionCount: f("int32", "Hash collisions seen when naming ReplicaSets."),
        conditions: conditions("Deployment"),
        observedGeneration: f("int64", "metadata.generation last acted on."),
        readyReplicas: f("int32", "Ready pods."),
        replicas: f("int32", "Pods that exist (not terminating)."),
        unavailableReplicas: f("int32", "Pods still needed for the deployment to be fully available."),
        updatedReplicas: f("int32", "Pods running the current template."),
      },
      { terminatingReplicas: f("int32", "Pods being terminated.") },
    ),
    DeploymentCondition: complete<DeploymentCondition>("A condition of a deployment (Available, Progressing…).", {
      ...condition("Deployment"),
      lastUpdateTime: f("Time", "When the condition was last updated."),
    }),
    ReplicaSet: kind<ReplicaSet>("Keeps a number of identical pods running; normally managed by a Deployment.", {
      spec: f("ReplicaSetSpec", "Desired state."),
      status: f("ReplicaSetStatus", "Observed state."),
    }),
    ReplicaSetSpec: complete<ReplicaSetSpec>("Desired state of a replica set.", {
      minReadySeconds: common.minReadySeconds,
      replicas: f("int32", "Desired number of pods; default 1."),
      selector: common.selector,
      template: f("PodTemplateSpec", "Pods to create."),
    }),
    ReplicaSetStatus: complete<ReplicaSetStatus>(
      "Observed state of a replica set.",
      {
        availableReplicas: f("int32", "Available pods."),
        conditions: conditions("ReplicaSet"),
        fullyLabeledReplicas: f("int32", "Pods whose labels match the template's."),
        observedGeneration: f("int64", "metadata.generation last acted on."),
        readyReplicas: f("int32", "Ready pods."),
        replicas: req("int32", "Pods that exist."),
      },
      { terminatingReplicas: f("int32", "Pods being terminated.") },
    ),
    ReplicaSetCondition: complete<ReplicaSetCondition>("A condition of a replica set.", condition("ReplicaSet")),
    StatefulSet: kind<StatefulSet>("Pods with stable names and storage, created and updated in order.", {
      spec: f("StatefulSetSpec", "Desired state."),
      status: f("StatefulSetStatus", "Observed state."),
    }),
    StatefulSetSpec: complete<StatefulSetSpec>("Desired state of a stateful set.", {
      ...common,
      ordinals: f("StatefulSetOrdinals", "Numbering of the pods."),
      persistentVolumeClaimRetentionPolicy: f(
        "StatefulSetPersistentVolumeClaimRetentionPolicy",
        "What happens to claims from volumeClaimTemplates on scale-down and deletion.",
      ),
      podManagementPolicy: f("string", "OrderedReady (default) or Parallel pod creation.", {
        enum: ["OrderedReady", "Parallel"],
      }),
      replicas: f("int32", "Desired number of pods; default 1."),
      serviceName: f("string", "Headless Service giving the pods their DNS names."),
      updateStrategy: f("StatefulSetUpdateStrategy", "How template changes reach the pods."),
      volumeClaimTemplates: f("[]PersistentVolumeClaim", "Claims created for each pod.", { listType: "atomic" }),
    }),
    StatefulSetUpdateStrategy: complete<StatefulSetUpdateStrategy>("How a stateful set updates pods.", {
      rollingUpdate: f("RollingUpdateStatefulSetStrategy", "Settings for RollingUpdate."),
      type: f("string", "RollingUpdate (default) or OnDelete.", { enum: ["OnDelete", "RollingUpdate"] }),
    }),
    RollingUpdateStatefulSetStrategy: complete<RollingUpdateStatefulSetStrategy>("Rolling update settings.", {
      maxUnavailable: intOrPercent("Pods that may be unavailable during the update"),
      partition: f("int32", "Only pods with an ordinal at or above this are updated."),
    }),
    StatefulSetPersistentVolumeClaimRetentionPolicy: complete<StatefulSetPersistentVolumeClaimRetentionPolicy>(
      "Fate of per-pod claims.",
      {
        whenDeleted: f("string", "Retain (default) or Delete when the set is deleted.", { enum: ["Retain", "Delete"] }),
        whenScaled: f("string", "Retain (default) or Delete when the set scales down.", { enum: ["Retain", "Delete"] }),
      },
    ),
    StatefulSetOrdinals: complete<StatefulSetOrdinals>("Pod numbering.", {
      start: f("int32", "Number of the first pod; default 0."),
    }),
    StatefulSetStatus: complete<StatefulSetStatus>("Observed state of a stateful set.", {
      availableReplicas: f("int32", "Available pods."),
      collisionCount: f("int32", "Hash collisions seen when naming revisions."),
      conditions: conditions("StatefulSet"),
      currentReplicas: f("int32", "Pods at currentRevision."),
      currentRevision: f("string", "Revision of the older pods."),
      observedGeneration: f("int64", "metadata.generation last acted on."),
      readyReplicas: f("int32", "Ready pods."),
      replicas: req("int32", "Pods that exist."),
      updateRevision: f("string", "Revision being rolled out."),
      updatedReplicas: f("int32", "Pods at updateRevision."),
    }),
    StatefulSetCondition: complete<StatefulSetCondition>("A condition of a stateful set.", condition("StatefulSet")),
    DaemonSet: kind<DaemonSet>("Runs one copy of a pod on every (selected) node.", {
      spec: f("DaemonSetSpec", "Desired state."),
      status: f("DaemonSetStatus", "Observed state."),
    }),
    DaemonSetSpec: complete<DaemonSetSpec>("Desired state of a daemon set.", {
      ...common,
      updateStrategy: f("DaemonSetUpdateStrategy", "How template changes reach the pods."),
    }),
    DaemonSetUpdateStrategy: complete<DaemonSetUpdateStrategy>("How a daemon set updates pods.", {
      rollingUpdate: f("RollingUpdateDaemonSet", "Settings for RollingUpdate."),
      type: f("string", "RollingUpdate (default) or OnDelete.", { enum: ["OnDelete", "RollingUpdate"] }),
    }),
    RollingUpdateDaemonSet: complete<RollingUpdateDaemonSet>("Pace of a daemon set update.", {
      maxSurge: intOrPercent("Nodes that may briefly run an old and a new pod; default 0"),
      maxUnavailable: intOrPercent("Nodes that may be without an available pod; default 1"),
    }),
    DaemonSetStatus: complete<DaemonSetStatus>("Observed state of a daemon set.", {
      collisionCount: f("int32", "Hash collisions seen when naming revisions."),
      conditions: conditions("DaemonSet"),
      currentNumberScheduled: req("int32", "Nodes running a daemon pod that should."),
      desiredNumberScheduled: req("int32", "Nodes that should run a daemon pod."),
      numberAvailable: f("int32", "Nodes with an available daemon pod."),
      numberMisscheduled: req("int32", "Nodes running a daemon pod that should not."),
      numberReady: req("int32", "Nodes with a ready daemon pod."),
      numberUnavailable: f("int32", "Nodes without an available daemon pod."),
      observedGeneration: f("int64", "metadata.generation last acted on."),
      updatedNumberScheduled: f("int32", "Nodes running the current template."),
    }),
    DaemonSetCondition: complete<DaemonSetCondition>("A condition of a daemon set.", condition("DaemonSet")),
    ControllerRevision: kind<ControllerRevision>("An immutable snapshot of a controller's pod template.", {
      data: f("io.k8s.apimachinery.pkg.runtime.RawExtension", "The snapshot."),
      revision: req("int64", "Revision number."),
    }),
  },
};
