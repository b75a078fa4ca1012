// networking.k8s.io/v1 defaulting (Ingresses have none in v1: pathType is required, not defaulted).
import type { KubeObject } from "../../types.ts";
import { asArray, isRecord } from "../../validation/shape.ts";
import { child, existing, objectsIn, setDefault } from "./set.ts";

/**
 * Kubernetes decodes podSelector into a struct, so an omitted one reads back as `{}` (select
 * every pod). Ports default to TCP, and a policy naming no types is at least an Ingress policy.
 */
export function defaultNetworkPolicy(policy: KubeObject): void {
  const spec = child(policy, "spec");
  if (!spec) return;
  setDefault(spec, "podSelector", {});
  for (const direction of ["ingress", "egress"]) {
    for (const rule of objectsIn(spec, direction))
      for (const port of objectsIn(rule, "ports")) setDefault(port, "protocol", "TCP");
  }
  if (asArray(spec.policyTypes).length === 0) {
    spec.policyTypes = asArray(spec.egress).length > 0 ? ["Ingress", "Egress"] : ["Ingress"];
  }
}

/** Parameters without a scope name a cluster-scoped object. */
export function defaultIngressClass(ingressClass: KubeObject): void {
  const spec = isRecord(ingressClass.spec) ? ingressClass.spec : undefined;
  const parameters = spec && existing(spec, "parameters");
  if (parameters) setDefault(parameters, "scope", "Cluster");
}
