// Store-level metadata rules every kind shares (what Kubernetes' generic registry does
// around the per-kind strategy): identity, timestamps, generation, status/spec split.
import { badRequest } from "../errors.ts";
import {
  CLUSTER_OVERRIDE_POLICIES,
  CLUSTER_PROPAGATION_POLICIES,
  CLUSTER_RESOURCE_BINDINGS,
  MEMBER_CLUSTERS,
  OVERRIDE_POLICIES,
  PROPAGATION_POLICIES,
  RESOURCE_BINDINGS,
  WORKS,
} from "../federation/types.ts";
import type { ResourceDef } from "../registry/types.ts";
import { resourceKey } from "../registry/define.ts";
import { apiVersionOf } from "../registry/types.ts";
import { isObject, type KubeObject } from "../types.ts";

/** Kubernetes timestamps have second precision: `2026-11-25T22:52:10Z`. */
export const formatTimestamp = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, "Z");

const GENERATE_NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

/** `generateName` + 5 random characters from the alphabet Kubernetes uses (no vowels, no look-alikes). */
export function generateNameSuffix(random: () => number = Math.random): string {
  let suffix = "";
  for (let i = 0; i < 5; i++) suffix += GENERATE_NAME_ALPHABET[Math.floor(random() * GENERATE_NAME_ALPHABET.length)];
  return suffix;
}

/** The body must be an object of the kind the URL names. */
export function requireKindOf(
  def: ResourceDef,
  body: unknown,
  expectedKind = def.kind,
  expectedApiVersion = apiVersionOf(def),
): KubeObject {
  if (!isObject(body)) throw badRequest("the request body must be a JSON or YAML object");
  // Like kube-apiserver's decoder: a body without apiVersion/kind takes them from the URL;
  // one that names another kind or version is an error.
  if (body.kind === undefined || body.kind === "") body.kind = expectedKind;
  if (body.apiVersion === undefined || body.apiVersion === "") body.apiVersion = expectedApiVersion;
  if (body.kind !== expectedKind) {
    throw badRequest(`the kind in the data (${String(body.kind)}) does not match the expected kind (${expectedKind})`);
  }
  if (body.apiVersion !== expectedApiVersion) {
    throw badRequest(
      `the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${expectedApiVersion})`,
    );
  }
  if (body.metadata === undefined || body.metadata === null) body.metadata = {};
  if (!isObject(body.metadata)) throw badRequest("metadata must be an object");
  return body as KubeObject;
}

/** The parts of an object that count as its desired state: everything but metadata and status. */
export function specOf(obj: KubeObject): Record<string, unknown> {
  const { metadata: _metadata, status: _status, apiVersion: _apiVersion, kind: _kind, ...rest } = obj;
  return rest;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((item, i) => deepEqual(item, other[i]));
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const leftKeys = Object.keys(left).filter((k) => left[k] !== undefined);
  const rightKeys = Object.keys(right).filter((k) => right[k] !== undefined);
  return leftKeys.length === rightKeys.length && leftKeys.every((k) => deepEqual(left[k], right[k]));
}

export const hasStatusSubresource = (def: ResourceDef) => def.subresources.includes("status");

/** Kinds whose metadata.generation counts spec changes (the others leave it unset, as Kubernetes). */
const GENERATION_TRACKED = new Set([
  "deployments.apps",
  "replicasets.apps",
  "statefulsets.apps",
  "daemonsets.apps",
  "jobs.batch",
  "cronjobs.batch",
  "horizontalpodautoscalers.autoscaling",
  "poddisruptionbudgets.policy",
  "customresourcedefinitions.apiextensions.k8s.io",
  "ingresses.networking.k8s.io",
  "ingressclasses.networking.k8s.io",
  "networkpolicies.networking.k8s.io",
  "replicationcontrollers",
  // Karmada serves these as CRDs (and Cluster from its own API server), which all count generations.
  MEMBER_CLUSTERS,
  PROPAGATION_POLICIES,
  CLUSTER_PROPAGATION_POLICIES,
  OVERRIDE_POLICIES,
  CLUSTER_OVERRIDE_POLICIES,
  RESOURCE_BINDINGS,
  WORKS,
  CLUSTER_RESOURCE_BINDINGS,
]);

export const tracksGeneration = (def: ResourceDef) =>
  def.customSchema !== undefined || GENERATION_TRACKED.has(resourceKey(def));

/** A copy without one finalizer. */
export function withoutFinalizer(object: KubeObject, finalizer: string): KubeObject {
  const copy = structuredClone(object);
  const remaining = (copy.metadata.finalizers ?? []).filter((f) => f !== finalizer);
  if (remaining.length > 0) copy.metadata.finalizers = remaining;
  else delete copy.metadata.finalizers;
  return copy;
}
