// Which propagation policy claims a template, and which override policies apply to it, with
// Karmada's precedence rules so that a fleet's existing policies pick the same winners here.
import { labelSelectorFromObject, matchesLabels } from "../selectors/labels.ts";
import type { KubeObject } from "../types.ts";
import type { OverridePolicy, PropagationPolicy, ResourceSelector } from "./types.ts";

/**
 * How specifically a policy selects an object (Karmada's implicit priority). A policy naming
 * the object beats one matching its labels, which beats one selecting the whole kind.
 */
export const ImplicitPriority = {
  Mismatch: 0,
  MatchAll: 1,
  MatchLabelSelector: 2,
  MatchName: 3,
} as const;
export type ImplicitPriority = (typeof ImplicitPriority)[keyof typeof ImplicitPriority];

function labelsMatch(selector: ResourceSelector, object: KubeObject): boolean {
  try {
    return matchesLabels(labelSelectorFromObject(selector.labelSelector), object.metadata.labels);
  } catch {
    // Karmada treats a selector it cannot parse as matching nothing.
    return false;
  }
}

/**
 * How well one resource selector matches `object`. A namespaced policy's selector without a
 * namespace means the policy's own namespace (Karmada's webhook fills it in the same way).
 * When both name and labelSelector are given, only the name counts, as in Karmada.
 */
export function selectorPriority(
  selector: ResourceSelector,
  object: KubeObject,
  policyNamespace?: string,
): ImplicitPriority {
  if (object.apiVersion !== selector.apiVersion || object.kind !== selector.kind) return ImplicitPriority.Mismatch;
  const namespace = selector.namespace || policyNamespace;
  if (namespace && object.metadata.namespace !== namespace) return ImplicitPriority.Mismatch;
  if (selector.name) {
    return selector.name === object.metadata.name ? ImplicitPriority.MatchName : ImplicitPriority.Mismatch;
  }
  if (selector.labelSelector === undefined || selector.labelSelector === null) return ImplicitPriority.MatchAll;
  return labelsMatch(selector, object) ? ImplicitPriority.MatchLabelSelector : ImplicitPriority.Mismatch;
}

export function selectorMatches(selector: ResourceSelector, object: KubeObject, policyNamespace?: string): boolean {
  return selectorPriority(selector, object, policyNamespace) !== ImplicitPriority.Mismatch;
}

/** The best match among a policy's selectors; no selectors at all is a mismatch. */
export function selectorsPriority(
  selectors: readonly ResourceSelector[] | undefined,
  object: KubeObject,
  policyNamespace?: string,
): ImplicitPriority {
  let best: ImplicitPriority = ImplicitPriority.Mismatch;
  for (const selector of selectors ?? []) {
    const priority = selectorPriority(selector, object, policyNamespace);
    if (priority > best) best = priority;
  }
  return best;
}

const byName = (a: KubeObject, b: KubeObject): number => {
  const x = a.metadata.name ?? "";
  const y = b.metadata.name ?? "";
  return x < y ? -1 : x > y ? 1 : 0;
};

/** Namespaced policies only ever govern objects in their own namespace. */
const sameNamespace = (policy: KubeObject, object: KubeObject): boolean =>
  policy.metadata.namespace !== undefined && policy.metadata.namespace === object.metadata.namespace;

interface Candidate {
  policy: PropagationPolicy;
  priority: number;
  implicit: ImplicitPriority;
}

/** The best candidate: highest spec.priority, then most specific selector, then name. */
function best(object: KubeObject, policies: readonly PropagationPolicy[], namespaced: boolean) {
  const candidates: Candidate[] = [];
  for (const policy of policies) {
    // A policy on its way out no longer claims anything; the next one in line takes over.
    if (policy.metadata.deletionTimestamp) continue;
    if (namespaced && !sameNamespace(policy, object)) continue;
    const ownNamespace = namespaced ? policy.metadata.namespace : undefined;
    const implicit = selectorsPriority(policy.spec?.resourceSelectors, object, ownNamespace);
    if (implicit === ImplicitPriority.Mismatch) continue;
    candidates.push({ policy, priority: policy.spec.priority ?? 0, implicit });
  }
  candidates.sort((a, b) => b.priority - a.priority || b.implicit - a.implicit || byName(a.policy, b.policy));
  return candidates[0]?.policy;
}

export interface PickedPolicy {
  policy: PropagationPolicy;
  /** A ClusterPropagationPolicy rather than a PropagationPolicy. */
  clusterScoped: boolean;
}

/**
 * The propagation policy that governs `object`, or undefined when none selects it. Any matching
 * PropagationPolicy in the object's namespace beats every ClusterPropagationPolicy, whatever
 * their priorities: namespace owners get the last word over their own objects.
 */
export function pickPropagationPolicy(
  object: KubeObject,
  namespacedPolicies: readonly PropagationPolicy[],
  clusterPolicies: readonly PropagationPolicy[],
): PickedPolicy | undefined {
  const namespaced = best(object, namespacedPolicies, true);
  if (namespaced) return { policy: namespaced, clusterScoped: false };
  const cluster = best(object, clusterPolicies, false);
  return cluster ? { policy: cluster, clusterScoped: true } : undefined;
}

/** The policies of one scope that apply, least specific first. */
function applicable(object: KubeObject, policies: readonly OverridePolicy[], namespaced: boolean): OverridePolicy[] {
  const ranked: Array<{ policy: OverridePolicy; implicit: ImplicitPriority }> = [];
  for (const policy of policies) {
    if (namespaced && !sameNamespace(policy, object)) continue;
    const selectors = policy.spec?.resourceSelectors ?? [];
    const ownNamespace = namespaced ? policy.metadata.namespace : undefined;
    // A policy without selectors applies to every object in its scope, at the lowest rank.
    const implicit = selectorsPriority(selectors, object, ownNamespace);
    if (selectors.length > 0 && implicit === ImplicitPriority.Mismatch) continue;
    ranked.push({ policy, implicit });
  }
  ranked.sort((a, b) => a.implicit - b.implicit || byName(a.policy, b.policy));
  return ranked.map((entry) => entry.policy);
}

/**
 * Every override policy that applies to `object`, in the order to apply them: all
 * ClusterOverridePolicies, then the OverridePolicies of its namespace; within each, the least
 * specific first, so the most specific policy is applied last and its values win.
 */
export function matchingOverridePolicies(
  object: KubeObject,
  namespaced: readonly OverridePolicy[],
  cluster: readonly OverridePolicy[],
): OverridePolicy[] {
  return [...applicable(object, cluster, false), ...applicable(object, namespaced, true)];
}
