// work.karmada.io/v1alpha2 ResourceBinding and ClusterResourceBinding. The federation controllers
// write them, so spec and status keep fields this schema does not list.
import type {
  AggregatedStatusItem,
  ResourceBindingSpec,
  ResourceBindingStatus,
  TargetCluster,
} from "../../federation/types.ts";
import { f, partial, req, untyped, type SchemaModule } from "./dsl.ts";

const POLICY = "io.karmada.policy.v1alpha1";
const conditions = f("[]Condition", "Current conditions, one per type.", { listType: "map", listMapKeys: ["type"] });

export const karmadaWork: SchemaModule = {
  pkg: "io.karmada.work.v1alpha2",
  types: {
    ResourceBinding: untyped("A namespaced resource bound to member clusters by the federation scheduler.", {
      spec: req("ResourceBindingSpec", "The resource, its placement and the clusters chosen."),
      status: f("ResourceBindingStatus", "Scheduling and propagation progress."),
    }),
    ClusterResourceBinding: untyped("A cluster-scoped resource bound to member clusters by the federation scheduler.", {
      spec: req("ResourceBindingSpec", "The resource, its placement and the clusters chosen."),
      status: f("ResourceBindingStatus", "Scheduling and propagation progress."),
    }),
    ResourceBindingSpec: partial<ResourceBindingSpec>(
      "The resource being propagated and where it goes.",
      {
        resource: req("ResourceReference", "The resource template."),
        replicas: f("int32", "Replicas the template asks for."),
        placement: f(`${POLICY}.Placement`, "The placement of the policy that claimed the resource."),
        clusters: f("[]TargetCluster", "The scheduling result: clusters and their replicas."),
        conflictResolution: f("string", "Abort (default) or Overwrite.", { enum: ["Abort", "Overwrite"] }),
        schedulerName: f("string", "The scheduler placing the resource."),
      },
      {
        propagateDeps: f("boolean", "Also propagate what the resource uses."),
        failover: f(`${POLICY}.FailoverBehavior`, "The policy's failover behaviour."),
        gracefulEvictionTasks: f("[]object", "Clusters being drained of the resource."),
        rescheduleTriggeredAt: f("Time", "When a reschedule was last asked for."),
      },
    ),
    // Karmada calls this ObjectReference; a second type of that name would make the core group's
    // ObjectReference ambiguous to the other schema modules.
    ResourceReference: untyped("The resource template a binding is for.", {
      apiVersion: req("string", "API version."),
      kind: req("string", "Kind."),
      namespace: f("string", "Namespace (empty for cluster-scoped resources)."),
      name: req("string", "Name."),
      uid: f("string", "UID."),
      resourceVersion: f("string", "resourceVersion last seen."),
    }),
    TargetCluster: partial<TargetCluster>("A chosen cluster and the replicas it runs.", {
      name: req("string", "Member cluster name."),
      replicas: f("int32", "Replicas assigned to it."),
    }),
    ResourceBindingStatus: partial<ResourceBindingStatus>("Scheduling and propagation progress of a binding.", {
      schedulerObservedGeneration: f("int64", "The generation the scheduler last acted on."),
      lastScheduledTime: f("Time", "When the resource was last scheduled."),
      conditions,
      aggregatedStatus: f("[]AggregatedStatusItem", "The resource's status in each member."),
    }),
    AggregatedStatusItem: partial<AggregatedStatusItem>("The resource as one member reports it.", {
      clusterName: req("string", "Member cluster name."),
      status: f("object", "The member object's status."),
      applied: f("boolean", "Whether the resource was applied to the member."),
      appliedMessage: f("string", "Why it was not, when it was not."),
      health: f("string", "Healthy, Unhealthy or Unknown.", { enum: ["Healthy", "Unhealthy", "Unknown"] }),
    }),
  },
};
