// policy.karmada.io/v1alpha1: propagation and override policies, described field by field so
// `kubectl explain pp.spec.placement` works and strict field validation catches typos in what users
// write. Every field of Karmada's API is listed (records checked against api/federation/types.ts
// where it types the struct); the parts Flotilla does not act on (failover, …) keep their content.
import type {
  ClusterAffinity,
  ClusterAffinityTerm,
  CommandArgsOverrider,
  ImageOverrider,
  LabelAnnotationOverrider,
  OverrideRule,
  Overriders,
  OverrideSpec,
  Placement,
  PlaintextOverrider,
  PropagationSpec,
  ReplicaSchedulingStrategy,
  ResourceSelector,
  SpreadConstraint,
  StaticClusterWeight,
} from "../../federation/types.ts";
import { complete, f, opaque, req, untyped, type SchemaModule } from "./dsl.ts";

const OPERATORS = ["add", "remove", "replace"];

const selectors = (what: string) => f("[]ResourceSelector", `The resources ${what}.`);
const affinityFields = {
  labelSelector: f("LabelSelector", "Clusters whose labels match."),
  fieldSelector: f("FieldSelector", "Clusters whose provider, region or zone match."),
  clusterNames: f("[]string", "Clusters by name."),
  exclude: f("[]string", "Clusters never selected."),
};

export const karmadaPolicy: SchemaModule = {
  pkg: "io.karmada.policy.v1alpha1",
  types: {
    PropagationPolicy: untyped("Propagates the resources it selects in its namespace to member clusters.", {
      spec: req("PropagationSpec", "What to propagate and where."),
    }),
    ClusterPropagationPolicy: untyped("Propagates the resources it selects, in any namespace or cluster-scoped.", {
      spec: req("PropagationSpec", "What to propagate and where."),
    }),
    PropagationSpec: complete<PropagationSpec>(
      "What a propagation policy selects and where the selected resources go.",
      {
        resourceSelectors: req("[]ResourceSelector", "The resources to propagate; at least one."),
        propagateDeps: f("boolean", "Also propagate what the resources use (ConfigMaps, Secrets, …)."),
        priority: f("int32", "Among policies matching a resource, the highest priority wins (default 0)."),
        preemption: f("string", "Whether this policy may take resources from lower-priority ones (default Never).", {
          enum: ["Always", "Never"],
        }),
        conflictResolution: f("string", "When the resource already exists in a member: Abort (default) or Overwrite.", {
          enum: ["Abort", "Overwrite"],
        }),
        placement: f("Placement", "Which clusters, and how replicas are divided among them."),
        failover: f("FailoverBehavior", "How applications move when they or their cluster fail."),
        suspension: f("Suspension", "Pauses propagation, to all clusters or some."),
      },
      {
        association: f("boolean", "Deprecated: use propagateDeps."),
        dependentOverrides: f("[]string", "OverridePolicies that must exist before this policy takes effect."),
        schedulerName: f("string", "The scheduler placing the resources (default default-scheduler)."),
        activationPreference: f("string", "Lazy: policy changes apply only when a resource next changes.", {
          enum: ["Lazy"],
        }),
        preserveResourcesOnDeletion: f("boolean", "Keep the members' copies when the template is deleted."),
        schedulePriority: f("SchedulePriority", "Scheduling priority of the selected workloads."),
      },
    ),
    ResourceSelector: complete<ResourceSelector>(
      "Selects resources by type, and optionally namespace, name or labels.",
      {
        apiVersion: req("string", "API version of the resources, e.g. apps/v1."),
        kind: req("string", "Kind of the resources, e.g. Deployment."),
        namespace: f("string", "Namespace of the resources; a namespaced policy's own by default."),
        name: f("string", "Name of the resource; empty selects every one."),
        labelSelector: f("LabelSelector", "Labels of the resources; ignored when name is set."),
      },
    ),
    Placement: complete<Placement>(
      "Which member clusters receive the resources, and how replicas are divided.",
      {
        clusterAffinity: f("ClusterAffinity", "The clusters that may be chosen."),
        clusterAffinities: f("[]ClusterAffinityTerm", "Ordered groups of clusters: the first group that fits wins."),
        clusterTolerations: f("[]Toleration", "Cluster taints tolerated."),
        spreadConstraints: f("[]SpreadConstraint", "How to spread across clusters, regions, zones or providers."),
        replicaScheduling: f("ReplicaSchedulingStrategy", "Duplicate replicas to each cluster, or divide them."),
      },
      { workloadAffinity: f("WorkloadAffinity", "Groups workloads to place together or apart.") },
    ),
    ClusterAffinity: complete<ClusterAffinity>(
      "Selects member clusters; every set criterion must match.",
      affinityFields,
    ),
    ClusterAffinityTerm: complete<ClusterAffinityTerm>(
      "A named group of clusters.",
      { affinityName: req("string", "Name of the group, unique in the policy."), ...affinityFields },
      { overflowAffinities: f("[]OverflowClusterAffinity", "Groups to use when this one runs out of room.") },
    ),
    OverflowClusterAffinity: untyped("A named group of clusters taking replicas its primary group cannot.", {
      affinityName: req("string", "Name of the group."),
      ...affinityFields,
    }),
    FieldSelector: untyped("Selects clusters by their provider, region or zone.", {
      matchExpressions: f(
        "[]io.k8s.api.core.v1.NodeSelectorRequirement",
        "Requirements on provider, region or zone (In, NotIn).",
      ),
    }),
    SpreadConstraint: complete<SpreadConstraint>("How the chosen clusters are spread over groups.", {
      spreadByField: f("string", "Group clusters by this field.", { enum: ["cluster", "region", "zone", "provider"] }),
      spreadByLabel: f("string", "Group clusters by this label instead."),
      maxGroups: f("int32", "At most this many groups."),
      minGroups: f("int32", "At least this many groups (default 1)."),
    }),
    ReplicaSchedulingStrategy: complete<ReplicaSchedulingStrategy>("How a workload's replicas are assigned.", {
      replicaSchedulingType: f(
        "string",
        "Duplicated: every cluster runs all replicas; Divided (default): they share them.",
        {
          enum: ["Duplicated", "Divided"],
        },
      ),
      replicaDivisionPreference: f("string", "For Divided: Aggregated (few clusters) or Weighted (by weight).", {
        enum: ["Aggregated", "Weighted"],
      }),
      weightPreference: f("ClusterPreferences", "Weights for Weighted division."),
    }),
    ClusterPreferences: untyped("Cluster weights: fixed, or from each cluster's available capacity.", {
      staticWeightList: f("[]StaticClusterWeight", "Fixed weights per group of clusters."),
      dynamicWeight: f("string", "Weigh clusters by a measured factor.", { enum: ["AvailableReplicas"] }),
    }),
    StaticClusterWeight: complete<StaticClusterWeight>("A fixed weight for the clusters matched.", {
      targetCluster: req("ClusterAffinity", "The clusters this weight applies to."),
      weight: req("int64", "The weight, at least 1."),
    }),
    FailoverBehavior: opaque("How applications move when they or their cluster fail (application, cluster)."),
    Suspension: untyped(
      "Pauses propagation.",
      {
        dispatching: f("boolean", "Stop propagating to every cluster."),
        dispatchingOnClusters: f("object", "Stop propagating to the clusters named in clusterNames."),
      },
      true,
    ),
    SchedulePriority: opaque(
      "Where the workload's scheduling priority comes from (priorityClassSource, priorityClassName).",
    ),
    WorkloadAffinity: opaque("Affinity and anti-affinity between workloads, by a grouping label key."),
    OverridePolicy: untyped("Changes resources of its namespace as they are applied to particular clusters.", {
      spec: req("OverrideSpec", "Which resources, for which clusters, changed how."),
    }),
    ClusterOverridePolicy: untyped("Changes resources in any namespace as they are applied to particular clusters.", {
      spec: req("OverrideSpec", "Which resources, for which clusters, changed how."),
    }),
    OverrideSpec: complete<OverrideSpec>(
      "Which resources an override policy changes, for which clusters, and how.",
      {
        resourceSelectors: selectors("to change; empty selects every resource"),
        overrideRules: f("[]RuleWithCluster", "Changes, each for the clusters it targets, applied in order."),
      },
      {
        targetCluster: f("ClusterAffinity", "Deprecated: use overrideRules."),
        overriders: f("Overriders", "Deprecated: use overrideRules."),
      },
    ),
    RuleWithCluster: complete<OverrideRule>("Changes for the clusters a rule targets.", {
      targetCluster: f("ClusterAffinity", "The clusters; every cluster when unset."),
      overriders: req("Overriders", "The changes."),
    }),
    Overriders: complete<Overriders>(
      "Changes to make, by kind.",
      {
        plaintext: f("[]PlaintextOverrider", "JSON-patch style changes at a path."),
        imageOverrider: f("[]ImageOverrider", "Changes to container images."),
        commandOverrider: f("[]CommandArgsOverrider", "Changes to container commands."),
        argsOverrider: f("[]CommandArgsOverrider", "Changes to container args."),
        labelsOverrider: f("[]LabelAnnotationOverrider", "Changes to labels."),
        annotationsOverrider: f("[]LabelAnnotationOverrider", "Changes to annotations."),
      },
      { fieldOverrider: f("[]FieldOverrider", "Changes inside a field holding JSON or YAML text.") },
    ),
    PlaintextOverrider: complete<PlaintextOverrider>("A change at a JSON pointer.", {
      path: req("string", 'JSON pointer to the field, e.g. "/spec/replicas".'),
      operator: req("string", "add, remove or replace.", { enum: OPERATORS }),
      value: f("object", "The value to add or replace with; any JSON."),
    }),
    ImageOverrider: complete<ImageOverrider>("A change to one part of container images.", {
      predicate: f("ImagePredicate", "The image to change; every container's when unset."),
      component: req("string", "The part of the image: Registry, Repository or Tag.", {
        enum: ["Registry", "Repository", "Tag"],
      }),
      operator: req("string", "add, remove or replace.", { enum: OPERATORS }),
      value: f("string", "The value to add or replace with."),
    }),
    ImagePredicate: untyped("Which image to change.", {
      path: req("string", 'JSON pointer to the image field, e.g. "/spec/template/spec/containers/0/image".'),
    }),
    CommandArgsOverrider: complete<CommandArgsOverrider>("A change to a container's command or args.", {
      containerName: req("string", "The container."),
      operator: req("string", "add or remove.", { enum: ["add", "remove"] }),
      value: f("[]string", "The items to add or remove."),
    }),
    LabelAnnotationOverrider: complete<LabelAnnotationOverrider>("A change to labels or annotations.", {
      operator: req("string", "add, remove or replace.", { enum: OPERATORS }),
      value: f("{}string", "The keys and values."),
    }),
    FieldOverrider: untyped("Changes inside a field whose value is JSON or YAML text.", {
      fieldPath: req("string", "JSON pointer to the field."),
      json: f("[]JSONPatchOperation", "Changes when the text is JSON."),
      yaml: f("[]YAMLPatchOperation", "Changes when the text is YAML."),
    }),
    JSONPatchOperation: untyped("One change inside JSON text.", {
      subPath: req("string", "JSON pointer inside the text."),
      operator: req("string", "add, remove or replace.", { enum: OPERATORS }),
      value: f("object", "The value to add or replace with."),
    }),
    YAMLPatchOperation: untyped("One change inside YAML text.", {
      subPath: req("string", "JSON pointer inside the text."),
      operator: req("string", "add, remove or replace.", { enum: OPERATORS }),
      value: f("object", "The value to add or replace with."),
    }),
  },
};
