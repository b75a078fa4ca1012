// Patch metadata of core/v1 (and the ObjectMeta every kind shares), as recorded in the
// `patchStrategy` / `patchMergeKey` tags of k8s.io/api/core/v1 and k8s.io/apimachinery meta/v1.
// Lists not named here — tolerations, readinessGates, envFrom, resizePolicy, node taints,
// Endpoints subsets, Namespace spec.finalizers, … — have no strategy and are replaced whole.
import type { KindTable, TypeTable } from "./dsl.ts";
import { PLAIN, conditions, kind, mergeBy, mergeRetainingBy, mergeSet, nested } from "./dsl.ts";

export const coreTypes: TypeTable = {
  ObjectMeta: { finalizers: mergeSet, ownerReferences: mergeBy("uid") },
  [PLAIN]: kind(),
  /** Status types whose only metadata is the conditions list (shared across groups). */
  ConditionsStatus: { conditions },

  PodTemplateSpec: { metadata: nested("ObjectMeta"), spec: nested("PodSpec") },
  PodSpec: {
    volumes: mergeRetainingBy("name"),
    initContainers: mergeBy("name", "Container"),
    containers: mergeBy("name", "Container"),
    // EphemeralContainerCommon carries the same tags as Container.
    ephemeralContainers: mergeBy("name", "Container"),
    imagePullSecrets: mergeBy("name"),
    hostAliases: mergeBy("ip"),
    // The list-map key is (topologyKey, whenUnsatisfiable) but the patch merge key is topologyKey alone.
    topologySpreadConstraints: mergeBy("topologyKey"),
    schedulingGates: mergeBy("name"),
    resourceClaims: mergeRetainingBy("name"),
  },
  Container: {
    // The list-map key is (containerPort, protocol); SMP merges on containerPort alone.
    ports: mergeBy("containerPort"),
    env: mergeBy("name"),
    volumeMounts: mergeBy("mountPath"),
    volumeDevices: mergeBy("devicePath"),
  },
  PodStatus: {
    conditions,
    hostIPs: mergeBy("ip"),
    podIPs: mergeBy("ip"),
    resourceClaimStatuses: mergeRetainingBy("name"),
  },
  Pod: kind({ spec: nested("PodSpec"), status: nested("PodStatus") }),
  PodTemplate: kind({ template: nested("PodTemplateSpec") }),

  TemplatedSpec: { template: nested("PodTemplateSpec") },
  ReplicationController: kind({ spec: nested("TemplatedSpec"), status: nested("ConditionsStatus") }),

  // The list-map key is (port, protocol); SMP merges on port alone.
  ServiceSpec: { ports: mergeBy("port") },
  Service: kind({ spec: nested("ServiceSpec"), status: nested("ConditionsStatus") }),
  ServiceAccount: kind({ secrets: mergeBy("name") }),

  NodeSpec: { podCIDRs: mergeSet },
  // addresses is declared mergeable by type although types repeat; kube still merges it that way.
  NodeStatus: { conditions, addresses: mergeBy("type") },
  Node: kind({ spec: nested("NodeSpec"), status: nested("NodeStatus") }),

  Namespace: kind({ status: nested("ConditionsStatus") }),
  PersistentVolumeClaim: kind({ status: nested("ConditionsStatus") }),
  ComponentStatus: kind({ conditions }),
};

export const coreKinds: KindTable = {
  v1: {
    Pod: "Pod",
    PodTemplate: "PodTemplate",
    ReplicationController: "ReplicationController",
    Service: "Service",
    ServiceAccount: "ServiceAccount",
    Node: "Node",
    Namespace: "Namespace",
    PersistentVolumeClaim: "PersistentVolumeClaim",
    ComponentStatus: "ComponentStatus",
    PersistentVolume: PLAIN,
    ConfigMap: PLAIN,
    Secret: PLAIN,
    Endpoints: PLAIN,
    Event: PLAIN,
    LimitRange: PLAIN,
    ResourceQuota: PLAIN,
    Binding: PLAIN,
  },
};
