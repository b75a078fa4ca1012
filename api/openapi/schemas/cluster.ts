// Smaller groups: coordination, rbac, networking, discovery, events, storage, scheduling, apiextensions.
import type {
  CustomResourceDefinition,
  CustomResourceDefinitionCondition,
  CustomResourceDefinitionNames,
  CustomResourceDefinitionSpec,
  CustomResourceDefinitionStatus,
  CustomResourceDefinitionVersion,
  CustomResourceSubresources,
  CustomResourceValidation,
} from "kubernetes-types/apiextensions/v1";
import type { Lease, LeaseSpec } from "kubernetes-types/coordination/v1";
import type { Endpoint, EndpointConditions, EndpointPort, EndpointSlice } from "kubernetes-types/discovery/v1";
import type { Event } from "kubernetes-types/events/v1";
import type {
  HTTPIngressPath,
  HTTPIngressRuleValue,
  Ingress,
  IngressBackend,
  IngressClass,
  IngressClassParametersReference,
  IngressClassSpec,
  IngressRule,
  IngressServiceBackend,
  IngressSpec,
  IngressTLS,
  IPBlock,
  NetworkPolicy,
  NetworkPolicyEgressRule,
  NetworkPolicyIngressRule,
  NetworkPolicyPeer,
  NetworkPolicyPort,
  NetworkPolicySpec,
  ServiceBackendPort,
} from "kubernetes-types/networking/v1";
import type {
  AggregationRule,
  ClusterRole,
  ClusterRoleBinding,
  PolicyRule,
  Role,
  RoleBinding,
  RoleRef,
  Subject,
} from "kubernetes-types/rbac/v1";
import type { PriorityClass } from "kubernetes-types/scheduling/v1";
import type { StorageClass } from "kubernetes-types/storage/v1";
import { complete, f, kind, partial, partialKind, req, type SchemaModule } from "./dsl.ts";

export const coordination: SchemaModule = {
  pkg: "io.k8s.api.coordination.v1",
  types: {
    Lease: kind<Lease>("A lease, used for leader election and node heartbeats.", {
      spec: f("LeaseSpec", "The lease."),
    }),
    LeaseSpec: partial<LeaseSpec>("Holder and timing of a lease.", {
      acquireTime: f("MicroTime", "When the current holder acquired it."),
      holderIdentity: f("string", "Current holder."),
      leaseDurationSeconds: f("int32", "How long candidates wait after the last renewal before taking over."),
      leaseTransitions: f("int32", "How many times the holder changed."),
      renewTime: f("MicroTime", "When the holder last renewed it."),
    }),
  },
};

const rules = f("[]PolicyRule", "What the role allows.", { listType: "atomic" });
const binding = {
  roleRef: req("RoleRef", "Role granted. Cannot change."),
  subjects: f("[]Subject", "Who gets the role.", { listType: "atomic" }),
};

export const rbac: SchemaModule = {
  pkg: "io.k8s.api.rbac.v1",
  types: {
    Role: kind<Role>("Permissions within a namespace.", { rules }),
    ClusterRole: kind<ClusterRole>("Permissions cluster-wide, or a reusable set of namespaced ones.", {
      aggregationRule: f("AggregationRule", "Build the rules from other ClusterRoles."),
      rules,
    }),
    RoleBinding: kind<RoleBinding>("Grants a Role or ClusterRole within a namespace.", binding),
    ClusterRoleBinding: kind<ClusterRoleBinding>("Grants a ClusterRole cluster-wide.", binding),
    PolicyRule: complete<PolicyRule>("Verbs allowed on resources or URLs.", {
      apiGroups: f("[]string", 'API groups ("" for core, "*" for all).', { listType: "atomic" }),
      nonResourceURLs: f("[]string", "URL paths such as /healthz (ClusterRoles only).", { listType: "atomic" }),
      resourceNames: f("[]string", "Only these object names.", { listType: "atomic" }),
      resources: f("[]string", 'Resources, e.g. pods, pods/log, "*".', { listType: "atomic" }),
      verbs: req("[]string", 'Verbs, e.g. get, list, watch, create, "*".', { listType: "atomic" }),
    }),
    AggregationRule: complete<AggregationRule>("Selects ClusterRoles to combine.", {
      clusterRoleSelectors: f("[]LabelSelector", "ClusterRoles to combine.", { listType: "atomic" }),
    }),
    RoleRef: complete<RoleRef>("The role a binding grants.", {
      apiGroup: req("string", "rbac.authorization.k8s.io."),
      kind: req("string", "Role or ClusterRole."),
      name: req("string", "Name of the role."),
    }),
    Subject: complete<Subject>("A user, group or service account.", {
      apiGroup: f("string", 'rbac.authorization.k8s.io for users and groups, "" for service accounts.'),
      kind: req("string", "User, Group or ServiceAccount."),
      name: req("string", "Name."),
      namespace: f("string", "Namespace of a service account."),
    }),
  },
};

export const networking: SchemaModule = {
  pkg: "io.k8s.api.networking.v1",
  types: {
    Ingress: kind<Ingress>("HTTP(S) routing from outside the cluster to Services.", {
      spec: f("IngressSpec", "Routing rules."),
      status: f("object", "Observed state, e.g. the load balancer address."),
    }),
    IngressSpec: complete<IngressSpec>("Routing rules of an ingress.", {
      defaultBackend: f("IngressBackend", "Backend for requests matching no rule."),
      ingressClassName: f("string", "IngressClass (controller) handling this ingress."),
      rules: f("[]IngressRule", "Host and path rules.", { listType: "atomic" }),
      tls: f("[]IngressTLS", "TLS settings.", { listType: "atomic" }),
    }),
    IngressRule: complete<IngressRule>("Rules for one host.", {
      host: f("string", "Host name, possibly with a leading wildcard; empty matches all."),
      http: f("HTTPIngressRuleValue", "HTTP paths."),
    }),
    HTTPIngressRuleValue: complete<HTTPIngressRuleValue>("HTTP paths of a rule.", {
      paths: req("[]HTTPIngressPath", "Paths and their backends.", { listType: "atomic" }),
    }),
    HTTPIngressPath: complete<HTTPIngressPath>("A path and its backend.", {
      backend: req("IngressBackend", "Where matching requests go."),
      path: f("string", "Path, starting with /."),
      pathType: req("string", "How path matches.", { enum: ["Exact", "Prefix", "ImplementationSpecific"] }),
    }),
    IngressBackend: complete<IngressBackend>("A backend: a Service or another resource.", {
      resource: f("TypedLocalObjectReference", "A resource backend."),
      service: f("IngressServiceBackend", "A Service backend."),
    }),
    IngressServiceBackend: complete<IngressServiceBackend>("A Service and port.", {
      name: req("string", "Service name."),
      port: f("ServiceBackendPort", "Service port."),
    }),
    ServiceBackendPort: complete<ServiceBackendPort>("A service port, by name or number.", {
      name: f("string", "Port name."),
      number: f("int32", "Port number."),
    }),
    IngressTLS: complete<IngressTLS>("TLS for some hosts.", {
      hosts: f("[]string", "Hosts covered.", { listType: "atomic" }),
      secretName: f("string", "Secret with the certificate and key."),
    }),
    IngressClass: kind<IngressClass>("A kind of ingress, and the controller that implements it.", {
      spec: f("IngressClassSpec", "The controller and its parameters."),
    }),
    IngressClassSpec: complete<IngressClassSpec>("Which controller serves ingresses of a class.", {
      controller: f("string", 'Controller name, a domain-prefixed path such as "example.com/ingress". Cannot change.'),
      parameters: f("IngressClassParametersReference", "Controller-specific configuration object."),
    }),
    IngressClassParametersReference: complete<IngressClassParametersReference>(
      "The object holding a class's controller configuration.",
      {
        apiGroup: f("string", "API group of the object; empty for the core group."),
        kind: req("string", "Kind of the object."),
        name: req("string", "Name of the object."),
        namespace: f("string", 'Namespace of the object, when scope is "Namespace".'),
        scope: f("string", "Whether the object is cluster-scoped or namespaced; default Cluster.", {
          enum: ["Cluster", "Namespace"],
        }),
      },
    ),
    NetworkPolicy: kind<NetworkPolicy>("Which traffic may reach or leave selected pods.", {
      spec: f("NetworkPolicySpec", "Selected pods, policy types, ingress and egress rules."),
    }),
    NetworkPolicySpec: complete<NetworkPolicySpec>("What a NetworkPolicy allows.", {
      podSelector: f("LabelSelector", "The pods the policy applies to; empty selects every pod of the namespace."),
      policyTypes: f("[]string", "Ingress, Egress or both (default: Ingress, plus Egress when egress rules exist).", {
        listType: "atomic",
      }),
      ingress: f("[]NetworkPolicyIngressRule", "Traffic allowed in; none listed allows none.", {
        listType: "atomic",
      }),
      egress: f("[]NetworkPolicyEgressRule", "Traffic allowed out; none listed allows none.", { listType: "atomic" }),
    }),
    NetworkPolicyIngressRule: complete<NetworkPolicyIngressRule>("Traffic allowed into the selected pods.", {
      from: f("[]NetworkPolicyPeer", "Sources; empty allows any.", { listType: "atomic" }),
      ports: f("[]NetworkPolicyPort", "Ports; empty allows any.", { listType: "atomic" }),
    }),
    NetworkPolicyEgressRule: complete<NetworkPolicyEgressRule>("Traffic allowed out of the selected pods.", {
      to: f("[]NetworkPolicyPeer", "Destinations; empty allows any.", { listType: "atomic" }),
      ports: f("[]NetworkPolicyPort", "Ports; empty allows any.", { listType: "atomic" }),
    }),
    NetworkPolicyPeer: complete<NetworkPolicyPeer>("Pods, namespaces or an IP block.", {
      podSelector: f("LabelSelector", "Pods (in the policy's namespace, or in the selected namespaces)."),
      namespaceSelector: f("LabelSelector", "Namespaces."),
      ipBlock: f("IPBlock", "An IP block; not with the selectors."),
    }),
    NetworkPolicyPort: complete<NetworkPolicyPort>("A port, or a range of ports.", {
      protocol: f("string", "TCP (default), UDP or SCTP.", { enum: ["SCTP", "TCP", "UDP"] }),
      port: f("IntOrString", "Port number or named port; all ports when unset."),
      endPort: f("int32", "The last port of a range starting at port."),
    }),
    IPBlock: complete<IPBlock>("A CIDR, less some sub-blocks.", {
      cidr: req("string", "The block, e.g. 10.0.0.0/16."),
      except: f("[]string", "Sub-blocks left out.", { listType: "atomic" }),
    }),
  },
};

export const discovery: SchemaModule = {
  pkg: "io.k8s.api.discovery.v1",
  types: {
    EndpointSlice: kind<EndpointSlice>("A subset of the endpoints of a Service.", {
      addressType: req("string", "IPv4, IPv6 or FQDN.", { enum: ["IPv4", "IPv6", "FQDN"] }),
      endpoints: req("[]Endpoint", "Endpoints.", { listType: "atomic" }),
      ports: f("[]EndpointPort", "Ports, shared by every endpoint.", { listType: "atomic" }),
    }),
    Endpoint: partial<Endpoint>("One endpoint.", {
      addresses: req("[]string", "Addresses.", { listType: "set" }),
      conditions: f("EndpointConditions", "Readiness."),
      hostname: f("string", "Hostname."),
      nodeName: f("string", "Node hosting the endpoint."),
      targetRef: f("ObjectReference", "Object behind the endpoint, usually a pod."),
      zone: f("string", "Zone."),
    }),
    EndpointConditions: complete<EndpointConditions>("Readiness of an endpoint.", {
      ready: f("boolean", "Ready to receive traffic."),
      serving: f("boolean", "Serving, even while terminating."),
      terminating: f("boolean", "Terminating."),
    }),
    EndpointPort: complete<EndpointPort>("A port of the endpoints.", {
      appProtocol: f("string", "Application protocol."),
      name: f("string", "Name, matching the service port."),
      port: f("int32", "Port number."),
      protocol: f("string", "Protocol; default TCP."),
    }),
  },
};

export const events: SchemaModule = {
  pkg: "io.k8s.api.events.v1",
  types: {
    Event: partialKind<Event>("A report of something that happened to an object.", {
      action: f("string", "What was done, or failed."),
      eventTime: req("MicroTime", "When it first happened."),
      note: f("string", "Human-readable description."),
      reason: f("string", "CamelCase reason."),
      regarding: f("ObjectReference", "The object it is about."),
      related: f("ObjectReference", "A second object involved."),
      reportingController: f("string", "Controller that reported it."),
      reportingInstance: f("string", "Instance of that controller."),
      series: f("object", "Repetition data."),
      type: f("string", "Normal or Warning."),
    }),
  },
};

export const storage: SchemaModule = {
  pkg: "io.k8s.api.storage.v1",
  types: {
    StorageClass: partialKind<StorageClass>("A class of dynamically provisioned storage.", {
      allowVolumeExpansion: f("boolean", "Claims may be resized."),
      mountOptions: f("[]string", "Mount options of provisioned volumes.", { listType: "atomic" }),
      parameters: f("{}string", "Provisioner parameters."),
      provisioner: req("string", "Provisioner name."),
      reclaimPolicy: f("string", "Delete (default) or Retain.", { enum: ["Delete", "Retain"] }),
      volumeBindingMode: f("string", "When volumes are bound.", { enum: ["Immediate", "WaitForFirstConsumer"] }),
    }),
  },
};

export const scheduling: SchemaModule = {
  pkg: "io.k8s.api.scheduling.v1",
  types: {
    PriorityClass: kind<PriorityClass>("Maps a name to a pod priority.", {
      description: f("string", "When to use this class."),
      globalDefault: f("boolean", "Priority of pods that name no class."),
      preemptionPolicy: f("string", "Whether pods may preempt others.", { enum: ["Never", "PreemptLowerPriority"] }),
      value: req("int32", "Priority; higher is more important."),
    }),
  },
};

export const apiextensions: SchemaModule = {
  pkg: "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1",
  types: {
    CustomResourceDefinition: kind<CustomResourceDefinition>("Adds a custom resource type to the API.", {
      spec: req("CustomResourceDefinitionSpec", "The new type."),
      status: f("CustomResourceDefinitionStatus", "Observed state."),
    }),
    CustomResourceDefinitionSpec: partial<CustomResourceDefinitionSpec>("A custom resource type.", {
      conversion: f("object", "How versions are converted."),
      group: req("string", "API group, e.g. stable.example.com."),
      names: req("CustomResourceDefinitionNames", "Names of the resource and kind."),
      preserveUnknownFields: f("boolean", "Deprecated; must be false."),
      scope: req("string", "Namespaced or Cluster.", { enum: ["Namespaced", "Cluster"] }),
      versions: req("[]CustomResourceDefinitionVersion", "Served versions; exactly one is the storage version.", {
        listType: "atomic",
      }),
    }),
    CustomResourceDefinitionNames: complete<CustomResourceDefinitionNames>("Names of a custom resource.", {
      categories: f("[]string", "Groups such as all, for kubectl get <category>.", { listType: "atomic" }),
      kind: req("string", "Kind, CamelCase singular."),
      listKind: f("string", "Kind of lists; default <kind>List."),
      plural: req("string", "Resource name in URLs, lowercase plural."),
      shortNames: f("[]string", "Short names for kubectl.", { listType: "atomic" }),
      singular: f("string", "Lowercase singular; default the lowercased kind."),
    }),
    CustomResourceDefinitionVersion: partial<CustomResourceDefinitionVersion>("One version of a custom resource.", {
      additionalPrinterColumns: f("[]object", "Extra kubectl get columns.", { listType: "atomic" }),
      deprecated: f("boolean", "Served with a deprecation warning."),
      deprecationWarning: f("string", "The warning."),
      name: req("string", "Version name, e.g. v1, v1beta1."),
      schema: f("CustomResourceValidation", "Schema of objects of this version."),
      served: req("boolean", "Served by the API."),
      storage: req("boolean", "The version objects are stored in."),
      subresources: f("CustomResourceSubresources", "status and scale subresources."),
    }),
    CustomResourceValidation: complete<CustomResourceValidation>("Schema of a custom resource version.", {
      openAPIV3Schema: f("object", "Structural OpenAPI v3 schema of the whole object."),
    }),
    CustomResourceSubresources: complete<CustomResourceSubresources>("Subresources of a custom resource.", {
      scale: f("object", "Paths of the replica fields for a scale subresource."),
      status: f("object", "Present (as {}) to enable a status subresource."),
    }),
    CustomResourceDefinitionStatus: partial<CustomResourceDefinitionStatus>("Observed state of a definition.", {
      acceptedNames: f("CustomResourceDefinitionNames", "Names in use."),
      conditions: f("[]CustomResourceDefinitionCondition", "Current conditions, e.g. Established.", {
        listType: "map",
        listMapKeys: ["type"],
      }),
      storedVersions: f("[]string", "Versions objects have ever been stored in.", { listType: "atomic" }),
    }),
    CustomResourceDefinitionCondition: complete<CustomResourceDefinitionCondition>("A condition of a definition.", {
      lastTransitionTime: f("Time", "When status last changed."),
      message: f("string", "Details."),
      reason: f("string", "CamelCase reason."),
      status: req("string", "True, False or Unknown."),
      type: req("string", "Established, NamesAccepted, NonStructuralSchema, Terminating…"),
    }),
  },
};
