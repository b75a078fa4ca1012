// Message descriptors as data, from Kubernetes' published generated.proto (k8s.io/api and
// k8s.io/apimachinery v0.36.3) and the JSON tags of the matching Go types. See descriptor.ts for the format.
import type { MessageTable } from "./descriptor.ts";

export const networkingMessages: MessageTable = {
  "networking.v1.HTTPIngressPath": [
    [1, "path", "string"],
    [3, "pathType", "string", "k"],
    [2, "backend", "IngressBackend"],
  ],
  "networking.v1.HTTPIngressRuleValue": [[1, "paths", "HTTPIngressPath", "r"]],
  "networking.v1.IPBlock": [
    [1, "cidr", "string", "k"],
    [2, "except", "string", "r"],
  ],
  "networking.v1.Ingress": [
    [1, "metadata", "meta.v1.ObjectMeta"],
    [2, "spec", "IngressSpec"],
    [3, "status", "IngressStatus"],
  ],
  "networking.v1.IngressBackend": [
    [4, "service", "IngressServiceBackend"],
    [3, "resource", "core.v1.TypedLocalObjectReference"],
  ],
  "networking.v1.IngressClass": [
    [1, "metadata", "meta.v1.ObjectMeta"],
    [2, "spec", "IngressClassSpec"],
  ],
  "networking.v1.IngressClassParametersReference": [
    [1, "apiGroup", "string", "k"],
    [2, "kind", "string", "k"],
    [3, "name", "string", "k"],
    [4, "scope", "string", "k"],
    [5, "namespace", "string", "k"],
  ],
  "networking.v1.IngressClassSpec": [
    [1, "controller", "string"],
    [2, "parameters", "IngressClassParametersReference"],
  ],
  "networking.v1.IngressLoadBalancerIngress": [
    [1, "ip", "string"],
    [2, "hostname", "string"],
    [4, "ports", "IngressPortStatus", "r"],
  ],
  "networking.v1.IngressLoadBalancerStatus": [[1, "ingress", "IngressLoadBalancerIngress", "r"]],
  "networking.v1.IngressPortStatus": [
    [1, "port", "int32", "k"],
    [2, "protocol", "string", "k"],
    [3, "error", "string", "k"],
  ],
  "networking.v1.IngressRule": [
    [1, "host", "string"],
    [2, "ingressRuleValue", "IngressRuleValue", "i"],
  ],
  "networking.v1.IngressRuleValue": [[1, "http", "HTTPIngressRuleValue"]],
  "networking.v1.IngressServiceBackend": [
    [1, "name", "string", "k"],
    [2, "port", "ServiceBackendPort"],
  ],
  "networking.v1.IngressSpec": [
    [4, "ingressClassName", "string", "k"],
    [1, "defaultBackend", "IngressBackend"],
    [2, "tls", "IngressTLS", "r"],
    [3, "rules", "IngressRule", "r"],
  ],
  "networking.v1.IngressStatus": [[1, "loadBalancer", "IngressLoadBalancerStatus"]],
  "networking.v1.IngressTLS": [
    [1, "hosts", "string", "r"],
    [2, "secretName", "string"],
  ],
  "networking.v1.NetworkPolicy": [
    [1, "metadata", "meta.v1.ObjectMeta"],
    [2, "spec", "NetworkPolicySpec"],
  ],
  "networking.v1.NetworkPolicyEgressRule": [
    [1, "ports", "NetworkPolicyPort", "r"],
    [2, "to", "NetworkPolicyPeer", "r"],
  ],
  "networking.v1.NetworkPolicyIngressRule": [
    [1, "ports", "NetworkPolicyPort", "r"],
    [2, "from", "NetworkPolicyPeer", "r"],
  ],
  "networking.v1.NetworkPolicyPeer": [
    [1, "podSelector", "meta.v1.LabelSelector"],
    [2, "namespaceSelector", "meta.v1.LabelSelector"],
    [3, "ipBlock", "IPBlock"],
  ],
  "networking.v1.NetworkPolicyPort": [
    [1, "protocol", "string", "k"],
    [2, "port", "intorstring"],
    [3, "endPort", "int32", "k"],
  ],
  "networking.v1.NetworkPolicySpec": [
    [1, "podSelector", "meta.v1.LabelSelector"],
    [2, "ingress", "NetworkPolicyIngressRule", "r"],
    [3, "egress", "NetworkPolicyEgressRule", "r"],
    [4, "policyTypes", "string", "r"],
  ],
  "networking.v1.ServiceBackendPort": [
    [1, "name", "string"],
    [2, "number", "int32"],
  ],
};
