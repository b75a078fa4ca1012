// core/v1 besides pods: volumes, services, config, namespaces, nodes, claims, events.
import type {
  Binding,
  ConfigMap,
  ConfigMapProjection,
  ConfigMapVolumeSource,
  CSIVolumeSource,
  DownwardAPIProjection,
  DownwardAPIVolumeFile,
  DownwardAPIVolumeSource,
  EmptyDirVolumeSource,
  EndpointAddress,
  EndpointPort,
  Endpoints,
  EndpointSubset,
  EphemeralVolumeSource,
  Event,
  EventSeries,
  EventSource,
  HostPathVolumeSource,
  KeyToPath,
  LimitRange,
  LimitRangeItem,
  LimitRangeSpec,
  LoadBalancerIngress,
  LoadBalancerStatus,
  Namespace,
  NamespaceCondition,
  NamespaceSpec,
  NamespaceStatus,
  NFSVolumeSource,
  Node,
  NodeAddress,
  NodeCondition,
  NodeSpec,
  NodeStatus,
  ObjectReference,
  PersistentVolume,
  PersistentVolumeClaim,
  PersistentVolumeClaimCondition,
  PersistentVolumeClaimSpec,
  PersistentVolumeClaimStatus,
  PersistentVolumeClaimTemplate,
  PersistentVolumeClaimVolumeSource,
  PersistentVolumeSpec,
  PersistentVolumeStatus,
  PortStatus,
  ProjectedVolumeSource,
  ReplicationController,
  ReplicationControllerSpec,
  ReplicationControllerStatus,
  ResourceQuota,
  ResourceQuotaSpec,
  ResourceQuotaStatus,
  Secret,
  SecretProjection,
  SecretVolumeSource,
  Service,
  ServiceAccount,
  ServiceAccountTokenProjection,
  ServicePort,
  ServiceSpec,
  ServiceStatus,
  SessionAffinityConfig,
  ClientIPConfig,
  Taint,
  TypedLocalObjectReference,
  TypedObjectReference,
  Volume,
  VolumeProjection,
  VolumeResourceRequirements,
} from "kubernetes-types/core/v1";
import { complete, f, kind, partial, req, untyped, type TypeSpec } from "./dsl.ts";

const OPTIONAL = f("boolean", "Do not fail when the source is missing.");
const MODE = (what: string) => f("int32", `Permission bits for ${what} (octal 0644 is decimal 420).`);

export const coreTypes: Record<string, TypeSpec> = {
  // Volumes. Only the common sources are spelled out; the others are kept as sent.
  Volume: partial<Volume>("A named volume; set exactly one source.", {
    configMap: f("ConfigMapVolumeSource", "Files from the keys of a ConfigMap."),
    csi: f("CSIVolumeSource", "A volume from a CSI driver."),
    downwardAPI: f("DownwardAPIVolumeSource", "Files with pod fields and container resources."),
    emptyDir: f("EmptyDirVolumeSource", "A scratch directory that lives as long as the pod."),
    ephemeral: f("EphemeralVolumeSource", "A PersistentVolumeClaim created with the pod and deleted with it."),
    hostPath: f("HostPathVolumeSource", "A path on the node."),
    name: req("string", "Volume name, a DNS label unique within the pod."),
    nfs: f("NFSVolumeSource", "An NFS export."),
    persistentVolumeClaim: f("PersistentVolumeClaimVolumeSource", "A PersistentVolumeClaim in the pod's namespace."),
    projected: f("ProjectedVolumeSource", "Several sources merged into one directory."),
    secret: f("SecretVolumeSource", "Files from the keys of a Secret."),
  }),
  ConfigMapVolumeSource: complete<ConfigMapVolumeSource>("A ConfigMap as files.", {
    defaultMode: MODE("the files"),
    items: f("[]KeyToPath", "Only these keys, at these paths.", { listType: "atomic" }),
    name: f("string", "Name of the ConfigMap."),
    optional: OPTIONAL,
  }),
  SecretVolumeSource: complete<SecretVolumeSource>("A Secret as files.", {
    defaultMode: MODE("the files"),
    items: f("[]KeyToPath", "Only these keys, at these paths.", { listType: "atomic" }),
    optional: OPTIONAL,
    secretName: f("string", "Name of the Secret."),
  }),
  KeyToPath: complete<KeyToPath>("A key written to a file.", {
    key: req("string", "The key."),
    mode: MODE("this file"),
    path: req("string", "Relative file path."),
  }),
  EmptyDirVolumeSource: complete<EmptyDirVolumeSource>("An empty directory.", {
    medium: f("string", 'Storage medium: "" (node disk) or Memory (tmpfs).'),
    sizeLimit: f("Quantity", "Size limit."),
  }),
  HostPathVolumeSource: complete<HostPathVolumeSource>("A file or directory on the node.", {
    path: req("string", "Path on the node."),
    type: f("string", "Expected type, e.g. Directory, DirectoryOrCreate, File, Socket."),
  }),
  PersistentVolumeClaimVolumeSource: complete<PersistentVolumeClaimVolumeSource>("A claim to mount.", {
    claimName: req("string", "Name of the PersistentVolumeClaim."),
    readOnly: f("boolean", "Mount read-only."),
  }),
  NFSVolumeSource: complete<NFSVolumeSource>("An NFS export.", {
    path: req("string", "Exported path."),
    readOnly: f("boolean", "Mount read-only."),
    server: req("string", "Server host name or address."),
  }),
  CSIVolumeSource: complete<CSIVolumeSource>("An inline CSI volume.", {
    driver: req("string", "CSI driver name."),
    fsType: f("string", "Filesystem type."),
    nodePublishSecretRef: f("LocalObjectReference", "Secret passed to the driver."),
    readOnly: f("boolean", "Mount read-only."),
    volumeAttributes: f("{}string", "Driver-specific attributes."),
  }),
  EphemeralVolumeSource: complete<EphemeralVolumeSource>("A per-pod claim.", {
    volumeClaimTemplate: f("PersistentVolumeClaimTemplate", "Template of the claim."),
  }),
  PersistentVolumeClaimTemplate: complete<PersistentVolumeClaimTemplate>("Template of a claim.", {
    metadata: f("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", "Labels and annotations of the claim."),
    spec: req("PersistentVolumeClaimSpec", "Spec of the claim."),
  }),
  DownwardAPIVolumeSource: complete<DownwardAPIVolumeSource>("Pod information as files.", {
    defaultMode: MODE("the files"),
    items: f("[]DownwardAPIVolumeFile", "Files to create.", { listType: "atomic" }),
  }),
  DownwardAPIVolumeFile: complete<DownwardAPIVolumeFile>("A file with a pod field or resource value.", {
    fieldRef: f("ObjectFieldSelector", "A pod field."),
    mode: MODE("this file"),
    path: req("string", "Relative file path."),
    resourceFieldRef: f("ResourceFieldSelector", "A container resource."),
  }),
  ProjectedVolumeSource: complete<ProjectedVolumeSource>("Several sources in one directory.", {
    defaultMode: MODE("the files"),
    sources: f("[]VolumeProjection", "The sources.", { listType: "atomic" }),
  }),
  VolumeProjection: partial<VolumeProjection>("One projected source.", {
    configMap: f("ConfigMapProjection", "A ConfigMap."),
    downwardAPI: f("DownwardAPIProjection", "Pod information."),
    secret: f("SecretProjection", "A Secret."),
    serviceAccountToken: f("ServiceAccountTokenProjection", "A service account token."),
  }),
  ConfigMapProjection: complete<ConfigMapProjection>("A projected ConfigMap.", {
    items: f("[]KeyToPath", "Only these keys.", { listType: "atomic" }),
    name: f("string", "Name of the ConfigMap."),
    optional: OPTIONAL,
  }),
  SecretProjection: complete<SecretProjection>("A projected Secret.", {
    items: f("[]KeyToPath", "Only these keys.", { listType: "atomic" }),
    name: f("string", "Name of the Secret."),
    optional: OPTIONAL,
  }),
  DownwardAPIProjection: complete<DownwardAPIProjection>("Projected pod information.", {
    items: f("[]DownwardAPIVolumeFile", "Files to create.", { listType: "atomic" }),
  }),
  ServiceAccountTokenProjection: complete<ServiceAccountTokenProjection>("A projected service account token.", {
    audience: f("string", "Intended audience of the token."),
    expirationSeconds: f("int64", "Requested lifetime."),
    path: req("string", "Relative file path."),
  }),

  // Services.
  Service: kind<Service>("A stable address and load balancer for a set of pods.", {
    spec: f("ServiceSpec", "How the service is exposed."),
    status: f("ServiceStatus", "Observed state, e.g. the load balancer address."),
  }),
  ServiceSpec: complete<ServiceSpec>("How a service is exposed.", {
    allocateLoadBalancerNodePorts: f("boolean", "Allocate node ports for a LoadBalancer service; default true."),
    clusterIP: f("string", 'Virtual IP; "None" makes a headless service. Allocated when empty.'),
    clusterIPs: f("[]string", "Virtual IPs, one per IP family.", { listType: "atomic" }),
    externalIPs: f("[]string", "Extra addresses nodes accept traffic for.", { listType: "atomic" }),
    externalName: f("string", "DNS name an ExternalName service aliases."),
    externalTrafficPolicy: f("string", "Route external traffic to node-local endpoints only (Local) or any.", {
      enum: ["Cluster", "Local"],
    }),
    healthCheckNodePort: f("int32", "Health check port for Local external traffic."),
    internalTrafficPolicy: f("string", "Route in-cluster traffic to node-local endpoints only (Local) or any.", {
      enum: ["Cluster", "Local"],
    }),
    ipFamilies: f("[]string", "IP families, IPv4 and/or IPv6.", { listType: "atomic" }),
    ipFamilyPolicy: f("string", "How many IP families.", {
      enum: ["SingleStack", "PreferDualStack", "RequireDualStack"],
    }),
    loadBalancerClass: f("string", "Load balancer implementation to use."),
    loadBalancerIP: f("string", "Deprecated requested load balancer address."),
    loadBalancerSourceRanges: f("[]string", "Client CIDRs allowed through the load balancer.", {
      listType: "atomic",
    }),
    ports: f("[]ServicePort", "Ports the service exposes.", {
      mergeKey: "port",
      listType: "map",
      listMapKeys: ["port", "protocol"],
    }),
    publishNotReadyAddresses: f("boolean", "Include pods that are not ready in DNS and endpoints."),
    selector: f("{}string", "Pods with these labels back the service.", { mapType: "atomic" }),
    sessionAffinity: f("string", "Send a client to the same pod each time (ClientIP).", {
      enum: ["ClientIP", "None"],
    }),
    sessionAffinityConfig: f("SessionAffinityConfig", "Session affinity settings."),
    trafficDistribution: f("string", "Preference for how traffic is spread, e.g. PreferClose."),
    type: f("string", "How the service is reachable.", {
      enum: ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"],
    }),
  }),
  ServicePort: complete<ServicePort>("A port a service exposes.", {
    appProtocol: f("string", "Application protocol hint, e.g. http, kubernetes.io/h2c."),
    name: f("string", "Name; required when there are several ports."),
    nodePort: f("int32", "Port on every node for NodePort and LoadBalancer; allocated when empty."),
    port: req("int32", "Port the service listens on."),
    protocol: f("string", "Protocol; default TCP.", { enum: ["TCP", "UDP", "SCTP"] }),
    targetPort: f("IntOrString", "Pod port number or name; defaults to port."),
  }),
  ServiceStatus: complete<ServiceStatus>("Observed state of a service.", {
    conditions: f("[]Condition", "Current conditions.", { mergeKey: "type", listType: "map", listMapKeys: ["type"] }),
    loadBalancer: f("LoadBalancerStatus", "Load balancer addresses."),
  }),
  LoadBalancerStatus: complete<LoadBalancerStatus>("Load balancer addresses.", {
    ingress: f("[]LoadBalancerIngress", "Ingress points.", { listType: "atomic" }),
  }),
  LoadBalancerIngress: complete<LoadBalancerIngress>("A load balancer ingress point.", {
    hostname: f("string", "DNS name."),
    ip: f("string", "Address."),
    ipMode: f("string", "VIP or Proxy."),
    ports: f("[]PortStatus", "Per-port status.", { listType: "atomic" }),
  }),
  PortStatus: complete<PortStatus>("Status of a service port.", {
    error: f("string", "Problem with the port, if any."),
    port: req("int32", "Port number."),
    protocol: req("string", "Protocol."),
  }),
  SessionAffinityConfig: complete<SessionAffinityConfig>("Session affinity settings.", {
    clientIP: f("ClientIPConfig", "ClientIP affinity settings."),
  }),
  ClientIPConfig: complete<ClientIPConfig>("ClientIP affinity settings.", {
    timeoutSeconds: f("int32", "Affinity lifetime; default 10800 (3 hours)."),
  }),
  Endpoints: kind<Endpoints>("Addresses backing a service (superseded by EndpointSlice).", {
    subsets: f("[]EndpointSubset", "Address and port groups.", { listType: "atomic" }),
  }),
  EndpointSubset: complete<EndpointSubset>("Addresses sharing the same ports.", {
    addresses: f("[]EndpointAddress", "Ready addresses.", { listType: "atomic" }),
    notReadyAddresses: f("[]EndpointAddress", "Addresses not ready yet.", { listType: "atomic" }),
    ports: f("[]EndpointPort", "Ports.", { listType: "atomic" }),
  }),
  EndpointAddress: complete<EndpointAddress>("One endpoint address.", {
    hostname: f("string", "Hostname."),
    ip: req("string", "Address."),
    nodeName: f("string", "Node hosting the endpoint."),
    targetRef: f("ObjectReference", "Object behind the endpoint, usually a pod."),
  }),
  EndpointPort: complete<EndpointPort>("One endpoint port.", {
    appProtocol: f("string", "Application protocol."),
    name: f("string", "Name, matching the service port."),
    port: req("int32", "Port number."),
    protocol: f("string", "Protocol; default TCP."),
  }),

  // Configuration and identity.
  ConfigMap: kind<ConfigMap>("Non-secret configuration as key/value pairs.", {
    binaryData: f("{}byte", "Binary values, base64-encoded in JSON."),
    data: f("{}string", "UTF-8 values."),
    immutable: f("boolean", "Once true, data cannot change (delete and recreate instead)."),
  }),
  Secret: kind<Secret>("Sensitive key/value data such as passwords, tokens and keys.", {
    data: f("{}byte", "Values, base64-encoded."),
    immutable: f("boolean", "Once true, data cannot change (delete and recreate instead)."),
    stringData: f("{}string", "Plain-text values merged into data on write; never returned."),
    type: f("string", "How the data is used, e.g. Opaque, kubernetes.io/tls, kubernetes.io/dockerconfigjson."),
  }),
  ServiceAccount: kind<ServiceAccount>("An identity for processes running in pods.", {
    automountServiceAccountToken: f("boolean", "Mount a token into pods using this account by default."),
    imagePullSecrets: f("[]LocalObjectReference", "Registry credentials added to pods using this account.", {
      listType: "atomic",
    }),
    secrets: f("[]ObjectReference", "Secrets pods using this account may use.", {
      mergeKey: "name",
      listType: "map",
      listMapKeys: ["name"],
    }),
  }),
  Namespace: kind<Namespace>("A scope for names; most kinds live inside one.", {
    spec: f("NamespaceSpec", "Desired state."),
    status: f("NamespaceStatus", "Observed state."),
  }),
  NamespaceSpec: complete<NamespaceSpec>("Desired state of a namespace.", {
    finalizers: f("[]string", "Must be empty before the namespace is removed.", { listType: "atomic" }),
  }),
  NamespaceStatus: complete<NamespaceStatus>("Observed state of a namespace.", {
    conditions: f("[]NamespaceCondition", "Current conditions.", {
      mergeKey: "type",
      listType: "map",
      listMapKeys: ["type"],
    }),
    phase: f("string", "Active or Terminating.", { enum: ["Active", "Terminating"] }),
  }),
  NamespaceCondition: complete<NamespaceCondition>("A condition of a namespace.", {
    lastTransitionTime: f("Time", "When status last changed."),
    message: f("string", "Details."),
    reason: f("string", "CamelCase reason."),
    status: req("string", "True, False or Unknown."),
    type: req("string", "Condition type."),
  }),
  ObjectReference: complete<ObjectReference>("Refers to any object.", {
    apiVersion: f("string", "API version."),
    fieldPath: f("string", "A field inside the object, e.g. spec.containers{web}."),
    kind: f("string", "Kind."),
    name: f("string", "Name."),
    namespace: f("string", "Namespace."),
    resourceVersion: f("string", "Version referred to."),
    uid: f("string", "UID."),
  }),
  TypedLocalObjectReference: complete<TypedLocalObjectReference>("Refers to a typed object in the namespace.", {
    apiGroup: f("string", "API group; empty for core."),
    kind: req("string", "Kind."),
    name: req("string", "Name."),
  }),
  TypedObjectReference: complete<TypedObjectReference>("Refers to a typed object, possibly in another namespace.", {
    apiGroup: f("string", "API group; empty for core."),
    kind: req("string", "Kind."),
    name: req("string", "Name."),
    namespace: f("string", "Namespace."),
  }),
  Binding: kind<Binding>("Binds a pod to a node (what the scheduler posts).", {
    target: req("ObjectReference", "The node."),
  }),
  Event: kind<Event>("A report of something that happened to an object.", {
    action: f("string", "What was done, or failed."),
    count: f("int32", "How many times it happened."),
    eventTime: f("MicroTime", "When it first happened (newer clients)."),
    firstTimestamp: f("Time", "When it first happened."),
    involvedObject: req("ObjectReference", "The object it is about."),
    lastTimestamp: f("Time", "When it last happened."),
    message: f("string", "Human-readable description."),
    reason: f("string", "CamelCase reason, e.g. Scheduled, Pulled, BackOff."),
    related: f("ObjectReference", "A second object involved."),
    reportingComponent: f("string", "Component that reported it."),
    reportingInstance: f("string", "Instance of that component."),
    series: f("EventSeries", "Repetition data."),
    source: f("EventSource", "Reporter (older clients)."),
    type: f("string", "Normal or Warning."),
  }),
  EventSource: complete<EventSource>("Who reported an event.", {
    component: f("string", "Component."),
    host: f("string", "Node."),
  }),
  EventSeries: complete<EventSeries>("Repetitions of an event.", {
    count: f("int32", "Repetitions so far."),
    lastObservedTime: f("MicroTime", "Time of the last one."),
  }),

  // Nodes and storage.
  Node: kind<Node>("A machine that runs pods.", {
    spec: f("NodeSpec", "Desired state."),
    status: f("NodeStatus", "Observed state, reported by the node."),
  }),
  NodeSpec: partial<NodeSpec>("Desired state of a node.", {
    podCIDR: f("string", "Pod address range of the node."),
    podCIDRs: f("[]string", "Pod address ranges, one per family.", { patchStrategy: "merge", listType: "set" }),
    providerID: f("string", "Provider-specific node ID."),
    taints: f("[]Taint", "Taints repelling pods that do not tolerate them.", { listType: "atomic" }),
    unschedulable: f("boolean", "Do not schedule new pods here (kubectl cordon)."),
  }),
  Taint: complete<Taint>("Repels pods that do not tolerate it.", {
    effect: req("string", "What happens to intolerant pods.", {
      enum: ["NoSchedule", "PreferNoSchedule", "NoExecute"],
    }),
    key: req("string", "Taint key."),
    timeAdded: f("Time", "When a NoExecute taint was added."),
    value: f("string", "Taint value."),
  }),
  NodeStatus: partial<NodeStatus>("Observed state of a node.", {
    addresses: f("[]NodeAddress", "Addresses.", { mergeKey: "type", listType: "map", listMapKeys: ["type"] }),
    allocatable: f("{}Quantity", "Resources available to pods."),
    capacity: f("{}Quantity", "Total resources."),
    conditions: f("[]NodeCondition", "Current conditions, e.g. Ready.", {
      mergeKey: "type",
      listType: "map",
      listMapKeys: ["type"],
    }),
    phase: f("string", "Deprecated."),
  }),
  NodeAddress: complete<NodeAddress>("An address of a node.", {
    address: req("string", "The address."),
    type: req("string", "Hostname, InternalIP, ExternalIP, InternalDNS or ExternalDNS."),
  }),
  NodeCondition: complete<NodeCondition>("A condition of a node.", {
    lastHeartbeatTime: f("Time", "Last report."),
    lastTransitionTime: f("Time", "When status last changed."),
    message: f("string", "Details."),
    reason: f("string", "CamelCase reason."),
    status: req("string", "True, False or Unknown."),
    type: req("string", "Condition type, e.g. Ready, MemoryPressure."),
  }),
  PersistentVolumeClaim: kind<PersistentVolumeClaim>("A request for storage.", {
    spec: f("PersistentVolumeClaimSpec", "What is requested."),
    status: f("PersistentVolumeClaimStatus", "What was provided."),
  }),
  PersistentVolumeClaimSpec: complete<PersistentVolumeClaimSpec>("A storage request.", {
    accessModes: f("[]string", "ReadWriteOnce, ReadOnlyMany, ReadWriteMany, ReadWriteOncePod.", {
      listType: "atomic",
    }),
    dataSource: f("TypedLocalObjectReference", "Populate from a snapshot or another claim."),
    dataSourceRef: f("TypedObjectReference", "Populate from any populator object."),
    resources: f("VolumeResourceRequirements", "Requested size."),
    selector: f("LabelSelector", "Only bind volumes with these labels."),
    storageClassName: f("string", "StorageClass to provision from."),
    volumeAttributesClassName: f("string", "VolumeAttributesClass to use."),
    volumeMode: f("string", "Filesystem or Block.", { enum: ["Filesystem", "Block"] }),
    volumeName: f("string", "Bind to this PersistentVolume."),
  }),
  VolumeResourceRequirements: complete<VolumeResourceRequirements>("Storage requested.", {
    limits: f("{}Quantity", "Maximum."),
    requests: f("{}Quantity", "Minimum, e.g. storage: 10Gi."),
  }),
  PersistentVolumeClaimStatus: partial<PersistentVolumeClaimStatus>("Observed state of a claim.", {
    accessModes: f("[]string", "Access modes of the bound volume.", { listType: "atomic" }),
    capacity: f("{}Quantity", "Capacity of the bound volume."),
    conditions: f("[]PersistentVolumeClaimCondition", "Current conditions.", {
      mergeKey: "type",
      listType: "map",
      listMapKeys: ["type"],
    }),
    phase: f("string", "Pending, Bound or Lost.", { enum: ["Pending", "Bound", "Lost"] }),
  }),
  PersistentVolumeClaimCondition: complete<PersistentVolumeClaimCondition>("A condition of a claim.", {
    lastProbeTime: f("Time", "When last checked."),
    lastTransitionTime: f("Time", "When status last changed."),
    message: f("string", "Details."),
    reason: f("string", "CamelCase reason."),
    status: req("string", "True, False or Unknown."),
    type: req("string", "Condition type."),
  }),
  PersistentVolume: kind<PersistentVolume>("A piece of storage in the cluster.", {
    spec: f("PersistentVolumeSpec", "What the volume is."),
    status: f("PersistentVolumeStatus", "Observed state."),
  }),
  PersistentVolumeSpec: partial<PersistentVolumeSpec>("A volume; set exactly one source.", {
    accessModes: f("[]string", "How it can be mounted.", { listType: "atomic" }),
    capacity: f("{}Quantity", "Size, e.g. storage: 10Gi."),
    claimRef: f("ObjectReference", "Claim bound to the volume."),
    csi: f("object", "A CSI volume."),
    hostPath: f("HostPathVolumeSource", "A path on a node (single-node testing)."),
    local: f("object", "A local disk on a node."),
    mountOptions: f("[]string", "Mount options.", { listType: "atomic" }),
    nfs: f("NFSVolumeSource", "An NFS export."),
    nodeAffinity: f("object", "Nodes that can reach the volume."),
    persistentVolumeReclaimPolicy: f("string", "What happens when the claim goes.", {
      enum: ["Retain", "Delete", "Recycle"],
    }),
    storageClassName: f("string", "StorageClass of the volume."),
    volumeMode: f("string", "Filesystem or Block.", { enum: ["Filesystem", "Block"] }),
  }),
  PersistentVolumeStatus: complete<PersistentVolumeStatus>("Observed state of a volume.", {
    lastPhaseTransitionTime: f("Time", "When the phase last changed."),
    message: f("string", "Details."),
    phase: f("string", "Available, Bound, Released, Failed or Pending."),
    reason: f("string", "CamelCase reason."),
  }),

  // Controllers and policy kept in core.
  ReplicationController: kind<ReplicationController>("Keeps a number of pod replicas running (legacy ReplicaSet).", {
    spec: f("ReplicationControllerSpec", "Desired state."),
    status: f("ReplicationControllerStatus", "Observed state."),
  }),
  ReplicationControllerSpec: complete<ReplicationControllerSpec>("Desired state of a replication controller.", {
    minReadySeconds: f("int32", "Seconds a new pod must be ready to count as available."),
    replicas: f("int32", "Desired number of pods; default 1."),
    selector: f("{}string", "Labels of the pods it manages.", { mapType: "atomic" }),
    template: f("PodTemplateSpec", "Pods to create."),
  }),
  ReplicationControllerStatus: partial<ReplicationControllerStatus>("Observed state of a replication controller.", {
    availableReplicas: f("int32", "Available pods."),
    fullyLabeledReplicas: f("int32", "Pods whose labels match the template."),
    observedGeneration: f("int64", "Generation last acted on."),
    readyReplicas: f("int32", "Ready pods."),
    replicas: req("int32", "Pods that exist."),
  }),
  ResourceQuota: kind<ResourceQuota>("Limits total resource use in a namespace.", {
    spec: f("ResourceQuotaSpec", "The limits."),
    status: f("ResourceQuotaStatus", "Current use."),
  }),
  ResourceQuotaSpec: partial<ResourceQuotaSpec>("Quota limits.", {
    hard: f("{}Quantity", "Limit per resource name, e.g. pods, requests.cpu."),
    scopes: f("[]string", "Only count objects in these scopes.", { listType: "atomic" }),
  }),
  ResourceQuotaStatus: complete<ResourceQuotaStatus>("Quota use.", {
    hard: f("{}Quantity", "Enforced limits."),
    used: f("{}Quantity", "Current use."),
  }),
  LimitRange: kind<LimitRange>("Per-object resource defaults and bounds in a namespace.", {
    spec: f("LimitRangeSpec", "The limits."),
  }),
  LimitRangeSpec: complete<LimitRangeSpec>("Limits per object type.", {
    limits: req("[]LimitRangeItem", "The limits.", { listType: "atomic" }),
  }),
  LimitRangeItem: complete<LimitRangeItem>("Limits for one object type.", {
    default: f("{}Quantity", "Default limits."),
    defaultRequest: f("{}Quantity", "Default requests."),
    max: f("{}Quantity", "Maximum."),
    maxLimitRequestRatio: f("{}Quantity", "Maximum limit/request ratio."),
    min: f("{}Quantity", "Minimum."),
    type: req("string", "Pod, Container or PersistentVolumeClaim."),
  }),

  // Options of connect-style subresources.
  PodExecOptions: untyped("Query options of pods/exec.", {
    command: req("[]string", "Command and arguments."),
    container: f("string", "Container to run in."),
    stderr: f("boolean", "Stream standard error."),
    stdin: f("boolean", "Stream standard input."),
    stdout: f("boolean", "Stream standard output."),
    tty: f("boolean", "Allocate a terminal."),
  }),
  PodAttachOptions: untyped("Query options of pods/attach.", {
    container: f("string", "Container to attach to."),
    stderr: f("boolean", "Stream standard error."),
    stdin: f("boolean", "Stream standard input."),
    stdout: f("boolean", "Stream standard output."),
    tty: f("boolean", "The container has a terminal."),
  }),
  PodPortForwardOptions: untyped("Query options of pods/portforward.", {
    ports: f("[]int32", "Pod ports to forward."),
  }),
  PodProxyOptions: untyped("Query options of pods/proxy.", { path: f("string", "Path to request on the pod.") }),
  NodeProxyOptions: untyped("Query options of nodes/proxy.", { path: f("string", "Path to request on the node.") }),
  ServiceProxyOptions: untyped("Query options of services/proxy.", {
    path: f("string", "Path to request on the service."),
  }),
};
