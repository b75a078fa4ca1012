// The scheduler's view of pods and nodes: compact, pre-parsed records built once per object
// change, so a scheduling cycle never parses JSON or quantities. Shapes follow the
// Kubernetes scheduling framework (PodInfo, NodeInfo, Status, plugins by extension point).
import type { LabelSelector } from "../selectors/labels.ts";

/** Amounts in base units: cpu in millicores, memory and ephemeral storage in bytes, extended resources as counts. */
export interface Resources {
  milliCPU: number;
  memory: number;
  ephemeralStorage: number;
  /** Extended resources and hugepages by name (e.g. "nvidia.com/gpu"). */
  scalar?: Record<string, number>;
}

export interface Taint {
  key: string;
  value: string;
  effect: "NoSchedule" | "PreferNoSchedule" | "NoExecute" | string;
  timeAdded?: string;
}

export interface Toleration {
  key?: string;
  operator?: "Exists" | "Equal" | string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number | null;
}

export interface HostPort {
  ip: string;
  protocol: string;
  port: number;
}

export interface NodeSelectorRequirement {
  key: string;
  operator: string;
  values: string[];
}

/** One nodeSelectorTerm: its expressions and fields must all hold. */
export interface NodeSelectorTerm {
  matchExpressions: NodeSelectorRequirement[];
  matchFields: NodeSelectorRequirement[];
}

export interface PreferredSchedulingTerm {
  weight: number;
  term: NodeSelectorTerm;
}

/** A pod (anti-)affinity term with its selectors parsed. */
export interface AffinityTerm {
  selector: LabelSelector | null;
  /** Namespaces named explicitly (or the pod's own when neither list nor selector is given). */
  namespaces: ReadonlySet<string>;
  /** null: no namespace selector; []: every namespace. */
  namespaceSelector: LabelSelector | null;
  topologyKey: string;
}

export interface WeightedAffinityTerm {
  weight: number;
  term: AffinityTerm;
}

export interface TopologySpreadConstraint {
  maxSkew: number;
  topologyKey: string;
  whenUnsatisfiable: "DoNotSchedule" | "ScheduleAnyway" | string;
  selector: LabelSelector | null;
  minDomains?: number;
  nodeAffinityPolicy: "Honor" | "Ignore";
  nodeTaintsPolicy: "Honor" | "Ignore";
}

/** What the scheduler keeps of a pod. Fields after `terminating` are only needed while it is pending. */
export interface PodInfo {
  /** `namespace/name` */
  key: string;
  uid: string;
  namespace: string;
  name: string;
  labels: Record<string, string>;
  /** spec.nodeName ("" while pending) */
  nodeName: string;
  priority: number;
  /** ms since epoch, for queue order and preemption tie-breaks */
  created: number;
  /** Effective requests (containers, init containers, sidecars, overhead). */
  requests: Resources;
  /** Requests with kube's defaults for containers that request nothing (100m cpu, 200Mi memory): for scoring. */
  nonZeroCPU: number;
  nonZeroMemory: number;
  hostPorts: HostPort[];
  terminating: boolean;
  /** Required pod affinity / anti-affinity: existing pods' terms constrain newcomers. */
  requiredAffinity?: AffinityTerm[];
  requiredAntiAffinity?: AffinityTerm[];
  preferredAffinity?: WeightedAffinityTerm[];
  preferredAntiAffinity?: WeightedAffinityTerm[];
  // ---- needed only to schedule the pod ----
  /** What scheduling looks at (labels and spec); a pending pod whose signature changes is retried. */
  signature?: string;
  schedulerName?: string;
  preemptionPolicy?: string;
  priorityClassName?: string;
  nominatedNodeName?: string;
  gated?: boolean;
  specNodeName?: string;
  nodeSelector?: Record<string, string>;
  requiredNodeAffinity?: NodeSelectorTerm[];
  preferredNodeAffinity?: PreferredSchedulingTerm[];
  tolerations?: Toleration[];
  topologySpread?: TopologySpreadConstraint[];
  /** The PersistentVolumeClaims its volumes use (VolumeBinding). */
  claims?: string[];
}

/** Result of one plugin on one node. `null` stands for Success everywhere (cheap in the hot loop). */
export type StatusCode = "Unschedulable" | "UnschedulableAndUnresolvable" | "Error";

export interface Status {
  code: StatusCode;
  /** The reasons shown in FailedScheduling messages, e.g. "Insufficient cpu". */
  reasons: string[];
  /** The plugin that rejected. */
  plugin?: string;
}

export type MaybeStatus = Status | null;
