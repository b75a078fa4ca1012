// Pod (anti-)affinity terms: which pods a term selects (label selector within namespaces).
import {
  labelSelectorFromObject,
  matchesLabels,
  type LabelSelector,
  type LabelSelectorObject,
} from "../selectors/labels.ts";
import { asArray, asString, isRecord } from "../validation/shape.ts";
import type { AffinityTerm, WeightedAffinityTerm } from "./types.ts";

/** Namespace labels by name, for terms with a namespaceSelector. */
export type NamespaceLabels = (namespace: string) => Record<string, string> | undefined;

export function parseSelector(value: unknown): LabelSelector | null {
  if (!isRecord(value)) return null;
  try {
    return labelSelectorFromObject(value as LabelSelectorObject);
  } catch {
    return null; // validation rejected it on create; treat as selecting nothing
  }
}

export function parseAffinityTerm(value: unknown, ownNamespace: string): AffinityTerm {
  const term = isRecord(value) ? value : {};
  const listed = asArray(term.namespaces).filter((n): n is string => typeof n === "string" && n !== "");
  const namespaceSelector = isRecord(term.namespaceSelector) ? parseSelector(term.namespaceSelector) : null;
  const namespaces = new Set(listed.length === 0 && namespaceSelector === null ? [ownNamespace] : listed);
  return {
    selector: parseSelector(term.labelSelector),
    namespaces,
    namespaceSelector,
    topologyKey: asString(term.topologyKey),
  };
}

export const parseAffinityTerms = (value: unknown, ownNamespace: string): AffinityTerm[] =>
  asArray(value).map((t) => parseAffinityTerm(t, ownNamespace));

export const parseWeightedTerms = (value: unknown, ownNamespace: string): WeightedAffinityTerm[] =>
  asArray(value)
    .filter(isRecord)
    .map((w) => ({
      weight: typeof w.weight === "number" ? w.weight : 0,
      term: parseAffinityTerm(w.podAffinityTerm, ownNamespace),
    }));

/** Whether `term` selects a pod with these labels in `namespace`. */
export function termSelects(
  term: AffinityTerm,
  namespace: string,
  labels: Record<string, string>,
  namespaceLabels: NamespaceLabels,
): boolean {
  if (!term.namespaces.has(namespace)) {
    if (term.namespaceSelector === null) return false;
    if (!matchesLabels(term.namespaceSelector, namespaceLabels(namespace) ?? {})) return false;
  }
  return matchesLabels(term.selector, labels);
}
