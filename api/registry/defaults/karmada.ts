// Defaulting for Karmada's kinds: their CRD schemas' defaults plus what Karmada's mutating webhooks
// fill in, so stored objects read back as they would from a Karmada control plane.
import type { KubeObject } from "../../types.ts";
import { isRecord, type JsonObject } from "../../validation/shape.ts";
import { child, existing, objectsIn, setDefault, setDefaultString } from "./set.ts";

const specOf = (obj: KubeObject): JsonObject | undefined => (isRecord(obj.spec) ? obj.spec : undefined);

/** A cluster registered without a mode is one the control plane pushes to, the common case. */
export function defaultCluster(cluster: KubeObject): void {
  const spec = child(cluster, "spec");
  if (spec) setDefault(spec, "syncMode", "Push");
}

/** A selector without a namespace means the policy's own (Karmada's webhook writes it in). */
function defaultSelectorNamespaces(spec: JsonObject, namespace: string | undefined): void {
  if (!namespace) return;
  for (const selector of objectsIn(spec, "resourceSelectors")) setDefaultString(selector, "namespace", namespace);
}

function defaultPlacement(placement: JsonObject): void {
  for (const constraint of objectsIn(placement, "spreadConstraints")) {
    if (!constraint.spreadByField && !constraint.spreadByLabel) constraint.spreadByField = "cluster";
    if (!constraint.minGroups) constraint.minGroups = 1;
  }
  const strategy = existing(placement, "replicaScheduling");
  if (!strategy) return;
  setDefaultString(strategy, "replicaSchedulingType", "Divided");
  if (strategy.replicaSchedulingType === "Divided") setDefaultString(strategy, "replicaDivisionPreference", "Weighted");
}

function defaultFailover(spec: JsonObject): void {
  const failover = existing(spec, "failover");
  const application = failover && existing(failover, "application");
  if (!application) return;
  const conditions = existing(application, "decisionConditions");
  if (conditions) setDefault(conditions, "tolerationSeconds", 300);
  setDefaultString(application, "purgeMode", "Gracefully");
  if (application.purgeMode === "Gracefully") setDefault(application, "gracePeriodSeconds", 600);
}

function defaultPropagation(policy: KubeObject, namespace: string | undefined): void {
  const spec = specOf(policy);
  if (!spec) return;
  defaultSelectorNamespaces(spec, namespace);
  setDefault(spec, "priority", 0);
  setDefaultString(spec, "preemption", "Never");
  setDefaultString(spec, "conflictResolution", "Abort");
  setDefaultString(spec, "schedulerName", "default-scheduler");
  const placement = existing(spec, "placement");
  if (placement) defaultPlacement(placement);
  defaultFailover(spec);
}

export const defaultPropagationPolicy = (policy: KubeObject): void =>
  defaultPropagation(policy, policy.metadata.namespace);

export const defaultClusterPropagationPolicy = (policy: KubeObject): void => defaultPropagation(policy, undefined);

export function defaultOverridePolicy(policy: KubeObject): void {
  const spec = specOf(policy);
  if (spec) defaultSelectorNamespaces(spec, policy.metadata.namespace);
}

export function defaultResourceBinding(binding: KubeObject): void {
  const spec = specOf(binding);
  if (spec) setDefaultString(spec, "conflictResolution", "Abort");
}
