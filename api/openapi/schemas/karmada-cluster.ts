// cluster.karmada.io/v1alpha1 Cluster, described field by field (Karmada's field names; the spec
// and status records are checked against api/federation/types.ts). The status is written by the
// federation's cluster controller and keeps fields this schema does not list.
import type { MemberClusterSpec, MemberClusterStatus } from "../../federation/types.ts";
import { complete, f, partial, req, untyped, type SchemaModule } from "./dsl.ts";

const conditions = f("[]Condition", "Current conditions, one per type.", { listType: "map", listMapKeys: ["type"] });

export const karmadaCluster: SchemaModule = {
  pkg: "io.karmada.cluster.v1alpha1",
  types: {
    Cluster: untyped("A member cluster of the federation: how to reach it and what it reports.", {
      spec: req("ClusterSpec", "How the member is reached, where it is, and its taints."),
      status: f("ClusterStatus", "What the federation last observed of the member."),
    }),
    ClusterSpec: complete<MemberClusterSpec>(
      "How the federation reaches a member cluster and where the member is.",
      {
        id: f("string", "A unique ID of the member, e.g. the uid of its kube-system namespace."),
        syncMode: req("string", "Push: the control plane applies resources; Pull: an agent in the member does.", {
          enum: ["Push", "Pull"],
        }),
        apiEndpoint: f("string", "URL of the member's API server (required for Push)."),
        secretRef: f("LocalSecretReference", "Secret holding the member's credentials (keys token and caBundle)."),
        impersonatorSecretRef: f(
          "LocalSecretReference",
          "Secret with a token allowed to impersonate users in the member.",
        ),
        insecureSkipTLSVerification: f("boolean", "Skip verifying the member's serving certificate."),
        proxyURL: f("string", "Proxy (http, https or socks5) used to reach the member."),
        provider: f("string", "Cloud provider of the member."),
        region: f("string", "Region of the member."),
        zone: f("string", "Zone of the member (deprecated in favour of zones)."),
        zones: f("[]string", "Failure zones the member spans."),
        taints: f("[]Taint", "Taints repelling policies that do not tolerate them."),
      },
      {
        proxyHeader: f("{}string", "Headers sent to the proxy."),
        resourceModels: f("[]ResourceModel", "Grades of node sizes used to estimate the member's capacity."),
      },
    ),
    LocalSecretReference: untyped("A Secret, by namespace and name.", {
      namespace: req("string", "Namespace of the Secret."),
      name: req("string", "Name of the Secret."),
    }),
    ResourceModel: untyped("One grade of node size.", {
      grade: req("int32", "The grade, counting up from 0."),
      ranges: req("[]ResourceModelRange", "The resource ranges a node of this grade falls in."),
    }),
    ResourceModelRange: untyped("The range one resource of a grade covers: [min, max).", {
      name: req("string", "Resource name, e.g. cpu or memory."),
      min: req("Quantity", "Lower bound, inclusive."),
      max: req("Quantity", "Upper bound, exclusive."),
    }),
    ClusterStatus: partial<MemberClusterStatus>(
      "What the federation last observed of a member.",
      {
        kubernetesVersion: f("string", "The member's Kubernetes version."),
        apiEnablements: f("[]APIEnablement", "Resources the member serves, by group-version."),
        conditions,
        nodeSummary: f("NodeSummary", "Node counts."),
        resourceSummary: f("ResourceSummary", "Allocatable and allocated resources."),
      },
      { remedyActions: f("[]string", "Remedies to take for the member's problems.") },
    ),
    APIEnablement: untyped("The resources of one group-version the member serves.", {
      groupVersion: req("string", "group/version, or the version for the core group."),
      resources: f("[]APIResource", "The resources."),
    }),
    APIResource: untyped("A resource the member serves.", {
      name: req("string", "Plural resource name."),
      kind: req("string", "Kind."),
    }),
    NodeSummary: untyped("Node counts of a member.", {
      totalNum: f("int32", "Nodes in the member."),
      readyNum: f("int32", "Ready nodes."),
    }),
    ResourceSummary: untyped(
      "Resources of a member.",
      {
        allocatable: f("{}Quantity", "What the nodes offer for pods."),
        allocating: f("{}Quantity", "Requested by pods not yet scheduled."),
        allocated: f("{}Quantity", "Requested by scheduled pods."),
        allocatableModelings: f("[]object", "Nodes per resource-model grade."),
      },
      true,
    ),
  },
};
