// Message descriptors as data, from Kubernetes' published generated.proto (k8s.io/api and
// k8s.io/apimachinery v0.36.3) and the JSON tags of the matching Go types. See descriptor.ts for the format.
import type { MessageTable } from "./descriptor.ts";

export const appsMessages: MessageTable = {
  "apps.v1.ControllerRevision": [[1, "metadata", "meta.v1.ObjectMeta"], [2, "data", "rawextension"], [3, "revision", "int64", "k"]],
  "apps.v1.DaemonSet": [[1, "metadata", "meta.v1.ObjectMeta"], [2, "spec", "DaemonSetSpec"], [3, "status", "DaemonSetStatus"]],
  "apps.v1.DaemonSetCondition": [[1, "type", "string", "k"], [2, "status", "string", "k"], [3, "lastTransitionTime", "time"], [4, "reason", "string"], [5, "message", "string"]],
  "apps.v1.DaemonSetSpec": [[1, "selector", "meta.v1.LabelSelector"], [2, "template", "core.v1.PodTemplateSpec"], [3, "updateStrategy", "DaemonSetUpdateStrategy"], [4, "minReadySeconds", "int32"], [6, "revisionHistoryLimit", "int32", "k"]],
  "apps.v1.DaemonSetStatus": [[1, "currentNumberScheduled", "int32", "k"], [2, "numberMisscheduled", "int32", "k"], [3, "desiredNumberScheduled", "int32", "k"], [4, "numberReady", "int32", "k"], [5, "observedGeneration", "int64"], [6, "updatedNumberScheduled", "int32"], [7, "numberAvailable", "int32"], [8, "numberUnavailable", "int32"], [9, "collisionCount", "int32", "k"], [10, "conditions", "DaemonSetCondition", "r"]],
  "apps.v1.DaemonSetUpdateStrategy": [[1, "type", "string"], [2, "rollingUpdate", "RollingUpdateDaemonSet"]],
  "apps.v1.Deployment": [[1, "metadata", "meta.v1.ObjectMeta"], [2, "spec", "DeploymentSpec"], [3, "status", "DeploymentStatus"]],
  "apps.v1.DeploymentCondition": [[1, "type", "string", "k"], [2, "status", "string", "k"], [6, "lastUpdateTime", "time"], [7, "lastTransitionTime", "time"], [4, "reason", "string"], [5, "message", "string"]],
  "apps.v1.DeploymentSpec": [[1, "replicas", "int32", "k"], [2, "selector", "meta.v1.LabelSelector"], [3, "template", "core.v1.PodTemplateSpec"], [4, "strategy", "DeploymentStrategy"], [5, "minReadySeconds", "int32"], [6, "revisionHistoryLimit", "int32", "k"], [7, "paused", "bool"], [9, "progressDeadlineSeconds", "int32", "k"]],
  "apps.v1.DeploymentStatus": [[1, "observedGeneration", "int64"], [2, "replicas", "int32"], [3, "updatedReplicas", "int32"], [7, "readyReplicas", "int32"], [4, "availableReplicas", "int32"], [5, "unavailableReplicas", "int32"], [9, "terminatingReplicas", "int32", "k"], [6, "conditions", "DeploymentCondition", "r"], [8, "collisionCount", "int32", "k"]],
  "apps.v1.DeploymentStrategy": [[1, "type", "string"], [2, "rollingUpdate", "RollingUpdateDeployment"]],
  "apps.v1.ReplicaSet": [[1, "metadata", "meta.v1.ObjectMeta"], [2, "spec", "ReplicaSetSpec"], [3, "status", "ReplicaSetStatus"]],
  "apps.v1.ReplicaSetCondition": [[1, "type", "string", "k"], [2, "status", "string", "k"], [3, "lastTransitionTime", "time"], [4, "reason", "string"], [5, "message", "string"]],
  "apps.v1.ReplicaSetSpec": [[1, "replicas", "int32", "k"], [4, "minReadySeconds", "int32"], [2, "selector", "meta.v1.LabelSelector"], [3, "template", "core.v1.PodTemplateSpec"]],
  "apps.v1.ReplicaSetStatus": [[1, "replicas", "int32", "k"], [2, "fullyLabeledReplicas", "int32"], [4, "readyReplicas", "int32"], [5, "availableReplicas", "int32"], [7, "terminatingReplicas", "int32", "k"], [3, "observedGeneration", "int64"], [6, "conditions", "ReplicaSetCondition", "r"]],
  "apps.v1.RollingUpdateDaemonSet": [[1, "maxUnavailable", "intorstring"], [2, "maxSurge", "intorstring"]],
  "apps.v1.RollingUpdateDeployment": [[1, "maxUnavailable", "intorstring"], [2, "maxSurge", "intorstring"]],
  "apps.v1.RollingUpdateStatefulSetStrategy": [[1, "partition", "int32", "k"], [2, "maxUnavailable", "intorstring"]],
  "apps.v1.StatefulSet": [[1, "metadata", "meta.v1.ObjectMeta"], [2, "spec", "StatefulSetSpec"], [3, "status", "StatefulSetStatus"]],
  "apps.v1.StatefulSetCondition": [[1, "type", "string", "k"], [2, "status", "string", "k"], [3, "lastTransitionTime", "time"], [4, "reason", "string"], [5, "message", "string"]],
  "apps.v1.StatefulSetOrdinals": [[1, "start", "int32", "k"]],
  "apps.v1.StatefulSetPersistentVolumeClaimRetentionPolicy": [[1, "whenDeleted", "string"], [2, "whenScaled", "string"]],
  "apps.v1.StatefulSetSpec": [[1, "replicas", "int32", "k"], [2, "selector", "meta.v1.LabelSelector"], [3, "template", "core.v1.PodTemplateSpec"], [4, "volumeClaimTemplates", "core.v1.PersistentVolumeClaim", "r"], [5, "serviceName", "string", "k"], [6, "podManagementPolicy", "string"], [7, "updateStrategy", "StatefulSetUpdateStrategy"], [8, "revisionHistoryLimit", "int32", "k"], [9, "minReadySeconds", "int32"], [10, "persistentVolumeClaimRetentionPolicy", "StatefulSetPersistentVolumeClaimRetentionPolicy"], [11, "ordinals", "StatefulSetOrdinals"]],
  "apps.v1.StatefulSetStatus": [[1, "observedGeneration", "int64"], [2, "replicas", "int32", "k"], [3, "readyReplicas", "int32"], [4, "currentReplicas", "int32"], [5, "updatedReplicas", "int32"], [6, "currentRevision", "string"], [7, "updateRevision", "string"], [9, "collisionCount", "int32", "k"], [10, "conditions", "StatefulSetCondition", "r"], [11, "availableReplicas", "int32", "k"]],
  "apps.v1.StatefulSetUpdateStrategy": [[1, "type", "string"], [2, "rollingUpdate", "RollingUpdateStatefulSetStrategy"]],
};
