// A Deployment's ReplicaSets: which one is "new" (its template equals the Deployment's),
// which are old, their counts, the orders Kubernetes sorts them in, and the body of a new one.
import type { LabelSelector as LabelSelectorObject } from "kubernetes-types/meta/v1";
import { controllerRef } from "../common/controller-ref.ts";
import { templatesEqualIgnoringHash } from "../common/template-hash.ts";
import { POD_TEMPLATE_HASH_LABEL, specReplicas, type Deployment, type ReplicaSet } from "../common/types.ts";
import { revisionOf } from "./annotations.ts";

const createdAt = (rs: ReplicaSet): number => Date.parse(rs.metadata.creationTimestamp ?? "") || 0;
const nameOf = (rs: ReplicaSet): string => rs.metadata.name ?? "";

/** Oldest first; equal timestamps by name. */
export function byCreation(a: ReplicaSet, b: ReplicaSet): number {
  const diff = createdAt(a) - createdAt(b);
  if (diff !== 0) return diff;
  return nameOf(a) < nameOf(b) ? -1 : nameOf(a) > nameOf(b) ? 1 : 0;
}

/** Lowest revision first; equal revisions oldest first. */
export const byRevision = (a: ReplicaSet, b: ReplicaSet): number => revisionOf(a) - revisionOf(b) || byCreation(a, b);

/** Largest first; equal sizes oldest first (where scaling down takes from). */
export const bySizeOlder = (a: ReplicaSet, b: ReplicaSet): number =>
  specReplicas(b) - specReplicas(a) || byCreation(a, b);

/** Largest first; equal sizes newest first (where scaling up adds to). */
export const bySizeNewer = (a: ReplicaSet, b: ReplicaSet): number =>
  specReplicas(b) - specReplicas(a) || byCreation(b, a);

/** The oldest ReplicaSet whose template equals the Deployment's (ignoring the hash label). */
export function findNewReplicaSet(d: Deployment, sets: readonly ReplicaSet[]): ReplicaSet | undefined {
  return [...sets].sort(byCreation).find((rs) => templatesEqualIgnoringHash(rs.spec.template, d.spec.template));
}

export const findOldReplicaSets = (sets: readonly ReplicaSet[], newRS: ReplicaSet | undefined): ReplicaSet[] =>
  sets.filter((rs) => rs.metadata.uid !== newRS?.metadata.uid);

/** ReplicaSets that want pods. */
export const activeReplicaSets = (sets: readonly (ReplicaSet | undefined)[]): ReplicaSet[] =>
  sets.filter((rs): rs is ReplicaSet => rs !== undefined && specReplicas(rs) > 0);

const sum = (sets: readonly (ReplicaSet | undefined)[], of: (rs: ReplicaSet) => number) =>
  sets.reduce((total, rs) => total + (rs ? of(rs) : 0), 0);

/** Σ spec.replicas. */
export const specReplicaCount = (sets: readonly (ReplicaSet | undefined)[]) => sum(sets, specReplicas);
/** Σ status.replicas (pods that exist). */
export const actualReplicaCount = (sets: readonly (ReplicaSet | undefined)[]) =>
  sum(sets, (rs) => rs.status?.replicas ?? 0);
export const readyReplicaCount = (sets: readonly (ReplicaSet | undefined)[]) =>
  sum(sets, (rs) => rs.status?.readyReplicas ?? 0);
export const availableReplicaCount = (sets: readonly (ReplicaSet | undefined)[]) =>
  sum(sets, (rs) => rs.status?.availableReplicas ?? 0);

/** The Deployment's selector with `pod-template-hash=<hash>` added to matchLabels. */
export function selectorWithHash(selector: LabelSelectorObject | undefined, hash: string): LabelSelectorObject {
  const copy: LabelSelectorObject = structuredClone(selector ?? {});
  copy.matchLabels = { ...(copy.matchLabels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash };
  return copy;
}

/** A new ReplicaSet for the Deployment's template, before its annotations and replicas are set. */
export function newReplicaSetFor(d: Deployment, hash: string): ReplicaSet {
  const template = structuredClone(d.spec.template ?? {});
  template.metadata = { ...(template.metadata ?? {}) };
  template.metadata.labels = { ...(template.metadata.labels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash };
  const spec: ReplicaSet["spec"] = {
    replicas: 0,
    selector: selectorWithHash(d.spec.selector, hash),
    template,
  };
  if ((d.spec.minReadySeconds ?? 0) > 0) spec.minReadySeconds = d.spec.minReadySeconds;
  return {
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: {
      name: `${d.metadata.name}-${hash}`,
      namespace: d.metadata.namespace,
      labels: { ...template.metadata.labels },
      ownerReferences: [controllerRef(d, "apps/v1", "Deployment")],
    },
    spec,
  };
}
