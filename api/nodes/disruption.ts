// PodDisruptionBudgets as the eviction subresource applies them. When no disruption controller
// keeps a budget's status current (status.observedGeneration behind metadata.generation), the
// figures are computed from the matching pods' readiness here.
import { parseSelector } from "../scheduler/affinity-terms.ts";
import { matchesLabels } from "../selectors/labels.ts";
import type { KubeObject } from "../types.ts";
import { asArray, isRecord } from "../validation/shape.ts";

export const EVICTION_BLOCKED = "Cannot evict pod as it would violate the pod's disruption budget.";
export const MULTIPLE_BUDGETS =
  "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.";

export interface BudgetFigures {
  expectedPods: number;
  currentHealthy: number;
  desiredHealthy: number;
  disruptionsAllowed: number;
}

const phaseOf = (pod: KubeObject) => (isRecord(pod.status) ? pod.status.phase : undefined);

export function isPodReady(pod: KubeObject): boolean {
  const status = isRecord(pod.status) ? pod.status : {};
  return asArray(status.conditions).some((c) => isRecord(c) && c.type === "Ready" && c.status === "True");
}

/** Pods a budget protects: same namespace, selected, not finished. */
export function budgetSelects(pdb: KubeObject, pod: KubeObject): boolean {
  if (pod.metadata.namespace !== pdb.metadata.namespace) return false;
  const spec = isRecord(pdb.spec) ? pdb.spec : {};
  return matchesLabels(parseSelector(spec.selector), pod.metadata.labels ?? {});
}

/** An int or a percentage of `total` (rounded up, as kube's GetScaledValueFromIntOrPercent with roundUp). */
function scaled(value: unknown, total: number): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "string" && /^\d+%$/.test(value)) return Math.ceil((Number(value.slice(0, -1)) * total) / 100);
  if (typeof value === "string" && /^\d+$/.test(value)) return Number(value);
  return undefined;
}

/** The budget's figures from the pods it selects (terminating pods are not healthy). */
export function computeBudget(pdb: KubeObject, pods: KubeObject[]): BudgetFigures {
  const selected = pods.filter((p) => budgetSelects(pdb, p) && phaseOf(p) !== "Succeeded" && phaseOf(p) !== "Failed");
  const expectedPods = selected.length;
  const currentHealthy = selected.filter((p) => p.metadata.deletionTimestamp === undefined && isPodReady(p)).length;
  const spec = isRecord(pdb.spec) ? pdb.spec : {};
  let desiredHealthy = 0;
  const minAvailable = scaled(spec.minAvailable, expectedPods);
  const maxUnavailable = scaled(spec.maxUnavailable, expectedPods);
  if (minAvailable !== undefined) desiredHealthy = minAvailable;
  else if (maxUnavailable !== undefined) desiredHealthy = Math.max(0, expectedPods - maxUnavailable);
  else desiredHealthy = 1; // a budget with neither field defaults to minAvailable: 1
  return {
    expectedPods,
    currentHealthy,
    desiredHealthy,
    disruptionsAllowed: Math.max(0, currentHealthy - desiredHealthy),
  };
}

/** Whether a disruption controller keeps this budget's status current. */
export function statusMaintained(pdb: KubeObject): boolean {
  const status = isRecord(pdb.status) ? pdb.status : {};
  return typeof status.observedGeneration === "number" && status.observedGeneration >= (pdb.metadata.generation ?? 1);
}

export function figuresOf(pdb: KubeObject, pods: KubeObject[]): BudgetFigures {
  if (!statusMaintained(pdb)) return computeBudget(pdb, pods);
  const s = pdb.status as Record<string, unknown>;
  const n = (v: unknown) => (typeof v === "number" ? v : 0);
  return {
    expectedPods: n(s.expectedPods),
    currentHealthy: n(s.currentHealthy),
    desiredHealthy: n(s.desiredHealthy),
    disruptionsAllowed: n(s.disruptionsAllowed),
  };
}

export type EvictionVerdict =
  | { action: "delete" }
  /** Delete, and record the disruption in the budget's status (it is maintained by a controller). */
  | { action: "delete-and-record"; budget: KubeObject }
  | { action: "refuse"; code: 429 | 500 | 403; message: string; cause?: string };

/**
 * kube's eviction rules: finished, pending and terminating pods go without a check; otherwise
 * the one budget selecting the pod must allow a disruption. An unready pod may go while the
 * budget is healthy (unhealthyPodEvictionPolicy IfHealthyBudget) or always (AlwaysAllow).
 */
export function decideEviction(pod: KubeObject, budgets: KubeObject[], pods: KubeObject[], now: Date): EvictionVerdict {
  const phase = phaseOf(pod);
  if (phase === "Succeeded" || phase === "Failed" || phase === "Pending" || pod.metadata.deletionTimestamp) {
    return { action: "delete" };
  }
  const matching = budgets.filter((b) => budgetSelects(b, pod));
  if (matching.length === 0) return { action: "delete" };
  if (matching.length > 1) return { action: "refuse", code: 500, message: MULTIPLE_BUDGETS };
  const pdb = matching[0]!;
  const name = pdb.metadata.name ?? "";
  const figures = figuresOf(pdb, pods);
  if (!isPodReady(pod)) {
    const policy = isRecord(pdb.spec) ? pdb.spec.unhealthyPodEvictionPolicy : undefined;
    if (policy === "AlwaysAllow" || figures.currentHealthy >= figures.desiredHealthy) return { action: "delete" };
  }
  if (figures.disruptionsAllowed < 0) {
    return { action: "refuse", code: 403, message: "pdb disruptions allowed is negative" };
  }
  if (figures.disruptionsAllowed === 0) {
    return {
      action: "refuse",
      code: 429,
      message: EVICTION_BLOCKED,
      cause: `The disruption budget ${name} needs ${figures.desiredHealthy} healthy pods and has ${figures.currentHealthy} currently`,
    };
  }
  if (!statusMaintained(pdb)) return { action: "delete" };
  const budget = structuredClone(pdb);
  const status = budget.status as Record<string, unknown>;
  status.disruptionsAllowed = figures.disruptionsAllowed - 1;
  status.disruptedPods = {
    ...(isRecord(status.disruptedPods) ? status.disruptedPods : {}),
    [pod.metadata.name ?? ""]: now.toISOString().replace(/\.\d{3}Z$/, "Z"),
  };
  return { action: "delete-and-record", budget };
}
