// PodDisruptionBudget status as the disruption controller computes it: healthy pods among
// those selected, how many must stay healthy, and how many may be disrupted now.
import type { PodDisruptionBudgetSpec, PodDisruptionBudgetStatus } from "kubernetes-types/policy/v1";
import type { KubeObject, OwnerReference } from "../../types.ts";
import { intOrPercentValue } from "../../validation/numbers.ts";
import { selectorMatches } from "../../validation/selectors.ts";
import { controllerRefOf } from "../gc/owner-refs.ts";
import { setCondition, type Condition } from "../job/conditions.ts";

/** The desired scale of a pod's controller: its uid (the Deployment's for its ReplicaSets) and replicas. */
export type ScaleLookup = (ref: OwnerReference) => { uid: string; replicas: number } | undefined;

/** How long an eviction's entry in status.disruptedPods is trusted before the pod is counted again. */
export const DISRUPTED_POD_TIMEOUT_MS = 120_000;

const isReady = (pod: KubeObject) =>
  ((pod.status as { conditions?: Array<{ type?: string; status?: string }> } | undefined)?.conditions ?? []).some(
    (c) => c.type === "Ready" && c.status === "True",
  );

export const budgetSelects = (pdb: KubeObject, pod: KubeObject): boolean =>
  pod.metadata.namespace === pdb.metadata.namespace &&
  selectorMatches((pdb.spec as PodDisruptionBudgetSpec | undefined)?.selector, pod.metadata.labels ?? {});

/** Percentages round up, as Kubernetes scales them. */
function scaled(value: unknown, total: number): number {
  const parsed = intOrPercentValue(value);
  if (!parsed) return 0;
  return parsed.isPercent ? Math.ceil((parsed.value * total) / 100) : parsed.value;
}

/** The scale pods are expected at: the sum of their controllers' replicas (each pod counts once for a controller without scale). */
function expectedScale(pods: KubeObject[], scaleOf: ScaleLookup): number {
  const byController = new Map<string, number>();
  let unscaled = 0;
  for (const pod of pods) {
    const ref = controllerRefOf(pod);
    if (!ref) continue; // pods without a controller are not expected to come back
    const scale = scaleOf(ref);
    if (scale) byController.set(scale.uid, scale.replicas);
    else unscaled += 1;
  }
  return [...byController.values()].reduce((a, b) => a + b, 0) + unscaled;
}

export interface BudgetResult {
  status: PodDisruptionBudgetStatus;
  /** When the oldest disruptedPods entry expires (reconcile again then). */
  requeueAfterMs?: number;
}

export function computeBudgetStatus(
  pdb: KubeObject,
  allPods: KubeObject[],
  scaleOf: ScaleLookup,
  now: Date,
): BudgetResult {
  const spec = (pdb.spec ?? {}) as PodDisruptionBudgetSpec;
  const previous = (pdb.status ?? {}) as PodDisruptionBudgetStatus;
  const pods = allPods.filter((p) => budgetSelects(pdb, p));

  // Pods an eviction just approved are not healthy any more, until the entry times out.
  const disrupted: Record<string, string> = {};
  let requeueAfterMs: number | undefined;
  const names = new Set(pods.filter((p) => !p.metadata.deletionTimestamp).map((p) => p.metadata.name));
  for (const [name, at] of Object.entries(previous.disruptedPods ?? {})) {
    const age = now.getTime() - Date.parse(at);
    if (!names.has(name) || Number.isNaN(age) || age >= DISRUPTED_POD_TIMEOUT_MS) continue;
    disrupted[name] = at;
    const left = DISRUPTED_POD_TIMEOUT_MS - age;
    requeueAfterMs = Math.min(requeueAfterMs ?? left, left);
  }
  const currentHealthy = pods.filter(
    (p) => !p.metadata.deletionTimestamp && isReady(p) && !Object.hasOwn(disrupted, p.metadata.name ?? ""),
  ).length;

  let expectedPods = 0;
  let desiredHealthy = 0;
  if (spec.maxUnavailable !== undefined && spec.maxUnavailable !== null) {
    expectedPods = expectedScale(pods, scaleOf);
    desiredHealthy = Math.max(0, expectedPods - scaled(spec.maxUnavailable, expectedPods));
  } else if (spec.minAvailable !== undefined && spec.minAvailable !== null) {
    if (typeof spec.minAvailable === "number") {
      expectedPods = pods.length;
      desiredHealthy = spec.minAvailable;
    } else {
      expectedPods = expectedScale(pods, scaleOf);
      desiredHealthy = scaled(spec.minAvailable, expectedPods);
    }
  }
  // A budget matching nothing yet allows nothing: its first pods may appear before it is recounted.
  const allowed = expectedPods > 0 ? Math.max(0, currentHealthy - desiredHealthy) : 0;
  const observedGeneration = pdb.metadata.generation ?? 0;
  const conditions = setCondition(
    previous.conditions as Condition[] | undefined,
    allowed > 0
      ? { type: "DisruptionAllowed", status: "True", reason: "SufficientPods", message: "", observedGeneration }
      : { type: "DisruptionAllowed", status: "False", reason: "InsufficientPods", message: "", observedGeneration },
    now,
  );
  const status: PodDisruptionBudgetStatus = {
    observedGeneration,
    disruptionsAllowed: allowed,
    currentHealthy,
    desiredHealthy,
    expectedPods,
    conditions: conditions as PodDisruptionBudgetStatus["conditions"],
  };
  if (Object.keys(disrupted).length > 0) status.disruptedPods = disrupted;
  return { status, requeueAfterMs };
}
