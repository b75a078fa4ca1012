// networking.k8s.io/v1 resources. Stored and served only: like a cluster without an ingress
// controller or network plugin, nothing acts on them (an Ingress's ADDRESS stays empty).
import type { KubeObject } from "../../types.ts";
import {
  validateIngress,
  validateIngressClass,
  validateIngressClassUpdate,
  validateIngressStatusUpdate,
  validateNetworkPolicy,
} from "../../validation/networking.ts";
import { defaultIngressClass, defaultNetworkPolicy } from "../defaults/networking.ts";
import { defineResource } from "../define.ts";
import type { ResourceDef } from "../types.ts";

const group = "networking.k8s.io";
const version = "v1";

/** Kubernetes starts every Ingress with an empty load-balancer status, so reads show `status.loadBalancer: {}`. */
function initialIngressStatus(ingress: KubeObject): void {
  ingress.status = { loadBalancer: {} };
}

const ingresses = defineResource({
  group,
  version,
  resource: "ingresses",
  kind: "Ingress",
  shortNames: ["ing"],
  // The generic store keeps status out of main-resource writes and spec out of /status writes.
  subresources: ["status"],
  strategy: {
    prepareForCreate: initialIngressStatus,
    validate: validateIngress,
    validateStatusUpdate: validateIngressStatusUpdate,
  },
});

const ingressclasses = defineResource({
  group,
  version,
  resource: "ingressclasses",
  kind: "IngressClass",
  namespaced: false,
  strategy: {
    prepareForCreate: defaultIngressClass,
    prepareForUpdate: defaultIngressClass,
    validate: validateIngressClass,
    validateUpdate: validateIngressClassUpdate,
  },
});

const networkpolicies = defineResource({
  group,
  version,
  resource: "networkpolicies",
  kind: "NetworkPolicy",
  shortNames: ["netpol"],
  strategy: {
    prepareForCreate: defaultNetworkPolicy,
    prepareForUpdate: defaultNetworkPolicy,
    validate: validateNetworkPolicy,
  },
});

export const networkingResources: ResourceDef[] = [ingresses, ingressclasses, networkpolicies];
