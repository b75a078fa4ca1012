// The federation API's shapes, as Karmada defines them (cluster.karmada.io, policy.karmada.io,
// work.karmada.io), so Karmada users' manifests apply unchanged. Only the fields Flotilla acts on
// are typed; everything else a manifest carries is stored and served as written.
import type { LabelSelectorObject as LabelSelector } from "../selectors/labels.ts";
import type { KubeObject } from "../types.ts";

export const CLUSTER_GROUP = "cluster.karmada.io";
export const POLICY_GROUP = "policy.karmada.io";
export const WORK_GROUP = "work.karmada.io";

/** resourceKeys, as stores record them. */
export const MEMBER_CLUSTERS = "clusters.cluster.karmada.io";
export const PROPAGATION_POLICIES = "propagationpolicies.policy.karmada.io";
export const CLUSTER_PROPAGATION_POLICIES = "clusterpropagationpolicies.policy.karmada.io";
export const OVERRIDE_POLICIES = "overridepolicies.policy.karmada.io";
export const CLUSTER_OVERRIDE_POLICIES = "clusteroverridepolicies.policy.karmada.io";
export const RESOURCE_BINDINGS = "resourcebindings.work.karmada.io";
export const CLUSTER_RESOURCE_BINDINGS = "clusterresourcebindings.work.karmada.io";
export const WORKS = "works.work.karmada.io";

/** The taints Karmada's cluster controller puts on unhealthy members. */
export const TAINT_NOT_READY = "cluster.karmada.io/not-ready";
export const TAINT_UNREACHABLE = "cluster.karmada.io/unreachable";

export interface Taint {
  key: string;
  value?: string;
  effect: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
  timeAdded?: string;
}

export interface Toleration {
  key?: string;
  operator?: "Exists" | "Equal";
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

export interface Condition {
  type: string;
  status: "True" | "False" | "Unknown";
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  observedGeneration?: number;
}

// ---- cluster.karmada.io/v1alpha1 Cluster (cluster-scoped)

export interface MemberClusterSpec {
  id?: string;
  syncMode?: "Push" | "Pull";
  /** e.g. https://127.0.0.1:8787/clusters/east for a Flotilla cluster of the same deployment. */
  apiEndpoint?: string;
  /** A Secret with keys `token` (bearer token) and `caBundle`. */
  secretRef?: { namespace: string; name: string };
  impersonatorSecretRef?: { namespace: string; name: string };
  insecureSkipTLSVerification?: boolean;
  proxyURL?: string;
  provider?: string;
  region?: string;
  zone?: string;
  zones?: string[];
  taints?: Taint[];
}

export interface ResourceList {
  cpu?: string;
  memory?: string;
  pods?: string;
  [name: string]: string | undefined;
}

export interface MemberClusterStatus {
  kubernetesVersion?: string;
  apiEnablements?: Array<{ groupVersion: string; resources: Array<{ name: string; kind: string }> }>;
  conditions?: Condition[];
  nodeSummary?: { totalNum?: number; readyNum?: number };
  resourceSummary?: { allocatable?: ResourceList; allocating?: ResourceList; allocated?: ResourceList };
}

export type MemberCluster = KubeObject & { spec?: MemberClusterSpec; status?: MemberClusterStatus };

// ---- policy.karmada.io/v1alpha1

export interface ResourceSelector {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name?: string;
  labelSelector?: LabelSelector;
}

export interface FieldSelectorRequirement {
  key: "provider" | "region" | "zone" | string;
  operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
  values?: string[];
}

export interface ClusterAffinity {
  labelSelector?: LabelSelector;
  fieldSelector?: { matchExpressions?: FieldSelectorRequirement[] };
  clusterNames?: string[];
  exclude?: string[];
}

export interface ClusterAffinityTerm extends ClusterAffinity {
  affinityName: string;
}

export interface SpreadConstraint {
  spreadByField?: "cluster" | "region" | "zone" | "provider";
  spreadByLabel?: string;
  maxGroups?: number;
  minGroups?: number;
}

export interface StaticClusterWeight {
  targetCluster: ClusterAffinity;
  weight: number;
}

export interface ReplicaSchedulingStrategy {
  replicaSchedulingType?: "Duplicated" | "Divided";
  replicaDivisionPreference?: "Aggregated" | "Weighted";
  weightPreference?: { staticWeightList?: StaticClusterWeight[]; dynamicWeight?: "AvailableReplicas" };
}

export interface Placement {
  clusterAffinity?: ClusterAffinity;
  /** Ordered fallback groups: the first group with a feasible cluster wins. */
  clusterAffinities?: ClusterAffinityTerm[];
  clusterTolerations?: Toleration[];
  spreadConstraints?: SpreadConstraint[];
  replicaScheduling?: ReplicaSchedulingStrategy;
}

export interface PropagationSpec {
  resourceSelectors: ResourceSelector[];
  propagateDeps?: boolean;
  priority?: number;
  preemption?: "Always" | "Never";
  conflictResolution?: "Abort" | "Overwrite";
  placement?: Placement;
  failover?: unknown;
  suspension?: unknown;
}

/** PropagationPolicy (namespaced) and ClusterPropagationPolicy (cluster-scoped) share a spec. */
export type PropagationPolicy = KubeObject & { spec: PropagationSpec };

export interface PlaintextOverrider {
  /** A JSON pointer into the object, e.g. /spec/replicas or /metadata/labels/env. */
  path: string;
  operator: "add" | "remove" | "replace";
  value?: unknown;
}

export interface ImageOverrider {
  predicate?: { path: string };
  component: "Registry" | "Repository" | "Tag";
  operator: "add" | "remove" | "replace";
  value?: string;
}

export interface CommandArgsOverrider {
  containerName: string;
  operator: "add" | "remove";
  value?: string[];
}

export interface LabelAnnotationOverrider {
  operator: "add" | "remove" | "replace";
  value?: Record<string, string>;
}

export interface Overriders {
  plaintext?: PlaintextOverrider[];
  imageOverrider?: ImageOverrider[];
  commandOverrider?: CommandArgsOverrider[];
  argsOverrider?: CommandArgsOverrider[];
  labelsOverrider?: LabelAnnotationOverrider[];
  annotationsOverrider?: LabelAnnotationOverrider[];
}

export interface OverrideRule {
  /** Absent: every cluster. */
  targetCluster?: ClusterAffinity;
  overriders: Overriders;
}

export interface OverrideSpec {
  resourceSelectors?: ResourceSelector[];
  overrideRules?: OverrideRule[];
}

/** OverridePolicy (namespaced) and ClusterOverridePolicy (cluster-scoped) share a spec. */
export type OverridePolicy = KubeObject & { spec: OverrideSpec };

// ---- work.karmada.io/v1alpha2 ResourceBinding (namespaced) / ClusterResourceBinding

export interface ObjectReference {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  uid?: string;
  resourceVersion?: string;
}

export interface TargetCluster {
  name: string;
  replicas?: number;
}

/** A workload whose binding carries this one along (propagateDeps): where it went. */
export interface BindingSnapshot {
  namespace?: string;
  name: string;
  clusters?: TargetCluster[];
}

export interface ResourceBindingSpec {
  resource: ObjectReference;
  /** The template's desired replicas (0 for kinds without replicas). */
  replicas?: number;
  placement?: Placement;
  /** The scheduling result. */
  clusters?: TargetCluster[];
  conflictResolution?: "Abort" | "Overwrite";
  schedulerName?: string;
  /** Set on a dependency's binding: the workloads it follows. */
  requiredBy?: BindingSnapshot[];
}

export interface AggregatedStatusItem {
  clusterName: string;
  /** The member object's .status, as read from the member. */
  status?: Record<string, unknown>;
  applied?: boolean;
  appliedMessage?: string;
  health?: "Healthy" | "Unhealthy" | "Unknown";
}

export interface ResourceBindingStatus {
  schedulerObservedGeneration?: number;
  lastScheduledTime?: string;
  conditions?: Condition[];
  aggregatedStatus?: AggregatedStatusItem[];
}

export type ResourceBinding = KubeObject & { spec: ResourceBindingSpec; status?: ResourceBindingStatus };

// ---- work.karmada.io/v1alpha1 Work: what one Pull-mode member is to run, for its agent

export interface ManifestStatus {
  identifier: { group: string; version: string; kind: string; namespace?: string; name: string; ordinal: number };
  /** The member object's .status, as the agent read it. */
  status?: Record<string, unknown>;
  health?: "Healthy" | "Unhealthy" | "Unknown";
}

export type Work = KubeObject & {
  spec: { workload: { manifests: KubeObject[] } };
  status?: { conditions?: Condition[]; manifestStatuses?: ManifestStatus[] };
};

/** On a Work: the member whose agent applies it. */
export const WORK_CLUSTER_LABEL = "federation.flotilla.dev/cluster";
/** On a Work: the binding it comes from. */
export const WORK_BINDING_LABEL = "resourcebinding.karmada.io/name";
/** On a Pull member's Cluster: when its agent last reported (RFC 3339); silence past the grace is unreachable. */
export const AGENT_HEARTBEAT_ANNOTATION = "federation.flotilla.dev/agent-heartbeat";
/** On a Work: the member's agent removes the copy before the Work goes. */
export const AGENT_CLEANUP_FINALIZER = "federation.flotilla.dev/agent-cleanup";

/** Labels Karmada puts on templates and member objects to tie them to their policy and binding. */
export const PROPAGATION_POLICY_NAMESPACE_LABEL = "propagationpolicy.karmada.io/namespace";
export const PROPAGATION_POLICY_NAME_LABEL = "propagationpolicy.karmada.io/name";
export const CLUSTER_PROPAGATION_POLICY_LABEL = "clusterpropagationpolicy.karmada.io/name";
/** On member objects: which federation object they were made from. */
export const MANAGED_BY_ANNOTATION = "federation.flotilla.dev/managed-by";
