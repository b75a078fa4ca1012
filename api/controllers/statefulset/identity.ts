// A StatefulSet pod's stable identity: its name `<set>-<ordinal>`, the pod-name and pod-index
// labels, hostname and subdomain (the governing Service), and the claims `<template>-<set>-<ordinal>`
// its volumes name.
import type { Pod } from "../common/types.ts";
import type { StatefulSet } from "./types.ts";

export const POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";
export const POD_INDEX_LABEL = "apps.kubernetes.io/pod-index";

const ORDINAL_NAME = /^(.*)-(\d+)$/;

export const podName = (set: StatefulSet, ordinal: number): string => `${set.metadata.name ?? ""}-${ordinal}`;

/** The parent name and ordinal a pod name encodes; undefined when it encodes none. */
export function parentAndOrdinal(name: string | undefined): { parent: string; ordinal: number } | undefined {
  const match = ORDINAL_NAME.exec(name ?? "");
  if (!match) return undefined;
  const ordinal = Number(match[2]);
  if (!Number.isSafeInteger(ordinal) || ordinal > 2 ** 31 - 1) return undefined;
  return { parent: match[1], ordinal };
}

/** The pod's ordinal, or -1. */
export const ordinalOf = (pod: Pod): number => parentAndOrdinal(pod.metadata.name)?.ordinal ?? -1;

/** Named as one of the set's pods. */
export const isMemberOf = (set: StatefulSet, pod: Pod): boolean =>
  parentAndOrdinal(pod.metadata.name)?.parent === set.metadata.name;

export const startOrdinal = (set: StatefulSet): number => set.spec.ordinals?.start ?? 0;

export const replicasOf = (set: StatefulSet): number => (typeof set.spec.replicas === "number" ? set.spec.replicas : 1);

/** The ordinal belongs to the set's current range [start, start + replicas). */
export function inOrdinalRange(set: StatefulSet, ordinal: number): boolean {
  const start = startOrdinal(set);
  return ordinal >= start && ordinal < start + replicasOf(set);
}

export const claimName = (templateName: string, set: StatefulSet, ordinal: number): string =>
  `${templateName}-${set.metadata.name ?? ""}-${ordinal}`;

export function identityMatches(set: StatefulSet, pod: Pod): boolean {
  const parsed = parentAndOrdinal(pod.metadata.name);
  if (!parsed || parsed.parent !== set.metadata.name) return false;
  const labels = pod.metadata.labels ?? {};
  return labels[POD_NAME_LABEL] === pod.metadata.name && labels[POD_INDEX_LABEL] === String(parsed.ordinal);
}

/** The pod with its identity labels set (the caller's pod is untouched). */
export function withIdentityLabels(pod: Pod): Pod {
  const copy = structuredClone(pod);
  const ordinal = ordinalOf(pod);
  copy.metadata.labels = {
    ...(copy.metadata.labels ?? {}),
    [POD_NAME_LABEL]: copy.metadata.name ?? "",
    [POD_INDEX_LABEL]: String(ordinal),
  };
  return copy;
}

/** Every claim template has a volume of the same name that mounts the ordinal's claim. */
export function storageMatches(set: StatefulSet, pod: Pod): boolean {
  const ordinal = ordinalOf(pod);
  if (ordinal < 0) return false;
  const volumes = new Map((pod.spec?.volumes ?? []).map((v) => [v.name, v]));
  return (set.spec.volumeClaimTemplates ?? []).every((template) => {
    const name = template.metadata?.name ?? "";
    return volumes.get(name)?.persistentVolumeClaim?.claimName === claimName(name, set, ordinal);
  });
}
