// Message descriptors as data, from Kubernetes' published generated.proto (k8s.io/api and
// k8s.io/apimachinery v0.36.3) and the JSON tags of the matching Go types. See descriptor.ts for the format.
import type { MessageTable } from "./descriptor.ts";

export const miscMessages: MessageTable = {
  "authentication.v1.BoundObjectReference": [[1, "kind", "string"], [2, "apiVersion", "string"], [3, "name", "string"], [4, "uid", "string"]],
  "authentication.v1.TokenRequest": [[1, "metadata", "meta.v1.ObjectMeta"], [2, "spec", "TokenRequestSpec"], [3, "status", "TokenRequestStatus"]],
  "authentication.v1.TokenRequestSpec": [[1, "audiences", "string", "r"], [4, "expirationSeconds", "int64", "k"], [3, "boundObjectRef", "BoundObjectReference"]],
  "authentication.v1.TokenRequestStatus": [[1, "token", "string", "k"], [2, "expirationTimestamp", "time"]],
  "coordination.v1.Lease": [[1, "metadata", "meta.v1.ObjectMeta"], [2, "spec", "LeaseSpec"]],
  "coordination.v1.LeaseSpec": [[1, "holderIdentity", "string", "k"], [2, "leaseDurationSeconds", "int32", "k"], [3, "acquireTime", "microtime"], [4, "renewTime", "microtime"], [5, "leaseTransitions", "int32", "k"], [6, "strategy", "string", "k"], [7, "preferredHolder", "string", "k"]],
  "discovery.v1.Endpoint": [[1, "addresses", "string", "r"], [2, "conditions", "EndpointConditions"], [3, "hostname", "string", "k"], [4, "targetRef", "core.v1.ObjectReference"], [5, "deprecatedTopology", "map:string"], [6, "nodeName", "string", "k"], [7, "zone", "string", "k"], [8, "hints", "EndpointHints"]],
  "discovery.v1.EndpointConditions": [[1, "ready", "bool", "k"], [2, "serving", "bool", "k"], [3, "terminating", "bool", "k"]],
  "discovery.v1.EndpointHints": [[1, "forZones", "ForZone", "r"], [2, "forNodes", "ForNode", "r"]],
  "discovery.v1.EndpointPort": [[1, "name", "string", "k"], [2, "protocol", "string", "k"], [3, "port", "int32", "k"], [4, "appProtocol", "string", "k"]],
  "discovery.v1.EndpointSlice": [[1, "metadata", "meta.v1.ObjectMeta"], [4, "addressType", "string", "k"], [2, "endpoints", "Endpoint", "r"], [3, "ports", "EndpointPort", "r"]],
  "discovery.v1.ForNode": [[1, "name", "string", "k"]],
  "discovery.v1.ForZone": [[1, "name", "string", "k"]],
  "events.v1.Event": [[1, "metadata", "meta.v1.ObjectMeta"], [2, "eventTime", "microtime"], [3, "series", "EventSeries"], [4, "reportingController", "string"], [5, "reportingInstance", "string"], [6, "action", "string"], [7, "reason", "string"], [8, "regarding", "core.v1.ObjectReference"], [9, "related", "core.v1.ObjectReference"], [10, "note", "string"], [11, "type", "string"], [12, "deprecatedSource", "core.v1.EventSource"], [13, "deprecatedFirstTimestamp", "time"], [14, "deprecatedLastTimestamp", "time"], [15, "deprecatedCount", "int32"]],
  "events.v1.EventSeries": [[1, "count", "int32", "k"], [2, "lastObservedTime", "microtime"]],
  "scheduling.v1.PriorityClass": [[1, "metadata", "meta.v1.ObjectMeta"], [2, "value", "int32", "k"], [3, "globalDefault", "bool"], [4, "description", "string"], [5, "preemptionPolicy", "string", "k"]],
  "storage.v1.StorageClass": [[1, "metadata", "meta.v1.ObjectMeta"], [2, "provisioner", "string", "k"], [3, "parameters", "map:string"], [4, "reclaimPolicy", "string", "k"], [5, "mountOptions", "string", "r"], [6, "allowVolumeExpansion", "bool", "k"], [7, "volumeBindingMode", "string", "k"], [8, "allowedTopologies", "core.v1.TopologySelectorTerm", "r"]],
};
