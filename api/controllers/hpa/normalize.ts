// From the metrics' proposal to the replica count the HPA sets: stabilization (the highest
// recommendation of the last 5 minutes before scaling down; per-direction windows with
// spec.behavior), rate limits (double or +4 per sync without behavior; the behavior's
// Pods/Percent policies over their periods), and minReplicas/maxReplicas. The reasons are
// the AbleToScale and ScalingLimited conditions Kubernetes reports.
import type { HPAScalingRules, HorizontalPodAutoscalerBehavior } from "kubernetes-types/autoscaling/v2";

export const DEFAULT_DOWNSCALE_WINDOW_MS = 300_000;
const SCALE_UP_LIMIT_FACTOR = 2;
const SCALE_UP_LIMIT_MINIMUM = 4;

export interface Recommendation {
  replicas: number;
  at: number;
}

export interface ScaleEvent {
  change: number;
  at: number;
}

/** What the controller remembers of one HPA between syncs (in memory, as Kubernetes does). */
export interface AutoscalerHistory {
  recommendations: Recommendation[];
  scaleUp: ScaleEvent[];
  scaleDown: ScaleEvent[];
}

export const emptyHistory = (): AutoscalerHistory => ({ recommendations: [], scaleUp: [], scaleDown: [] });

export interface Reason {
  reason: string;
  message: string;
}

export interface Normalized {
  replicas: number;
  /** AbleToScale (True) after stabilization. */
  stabilized: Reason;
  /** ScalingLimited: True when the count was clamped. */
  limited: Reason & { status: "True" | "False" };
}

export interface NormalizeInput {
  history: AutoscalerHistory;
  now: number;
  current: number;
  desired: number;
  min: number;
  max: number;
  behavior?: HorizontalPodAutoscalerBehavior;
  downscaleWindowMs?: number;
}

const READY: Reason = { reason: "ReadyForNewScale", message: "recommended size matches current size" };
const SCALE_DOWN_STABILIZED: Reason = {
  reason: "ScaleDownStabilized",
  message: "recent recommendations were higher than current one, applying the highest recent recommendation",
};
const SCALE_UP_STABILIZED: Reason = {
  reason: "ScaleUpStabilized",
  message: "recent recommendations were lower than current one, applying the lowest recent recommendation",
};
const WITHIN_RANGE: Reason = {
  reason: "DesiredWithinRange",
  message: "the desired count is within the acceptable range",
};
const TOO_FEW: Reason = {
  reason: "TooFewReplicas",
  message: "the desired replica count is less than the minimum replica count",
};
const TOO_MANY: Reason = {
  reason: "TooManyReplicas",
  message: "the desired replica count is more than the maximum replica count",
};
const SCALE_UP_LIMIT: Reason = {
  reason: "ScaleUpLimit",
  message: "the desired replica count is increasing faster than the maximum scale rate",
};
const SCALE_DOWN_LIMIT: Reason = {
  reason: "ScaleDownLimit",
  message: "the desired replica count is decreasing faster than the maximum scale rate",
};

const limited = (replicas: number, unclamped: number, why: Reason): Normalized["limited"] => ({
  ...why,
  status: replicas === unclamped ? "False" : "True",
});

/** Without spec.behavior: highest recent recommendation, then min/max and a doubling limit on scale-up. */
function normalizePlain(input: NormalizeInput): Normalized {
  const window = input.downscaleWindowMs ?? DEFAULT_DOWNSCALE_WINDOW_MS;
  const cutoff = input.now - window;
  let stabilizedTo = input.desired;
  for (const rec of input.history.recommendations) {
    if (rec.at >= cutoff && rec.replicas > stabilizedTo) stabilizedTo = rec.replicas;
  }
  input.history.recommendations = [
    ...input.history.recommendations.filter((rec) => rec.at >= cutoff),
    { replicas: input.desired, at: input.now },
  ];
  const stabilized = stabilizedTo !== input.desired ? SCALE_DOWN_STABILIZED : READY;
  const scaleUpLimit = Math.max(SCALE_UP_LIMIT_FACTOR * input.current, SCALE_UP_LIMIT_MINIMUM);
  let replicas = stabilizedTo;
  let why = WITHIN_RANGE;
  const maxAllowed = Math.min(input.max, scaleUpLimit);
  if (replicas < input.min) {
    replicas = input.min;
    why = TOO_FEW;
  } else if (replicas > maxAllowed) {
    replicas = maxAllowed;
    why = input.max > scaleUpLimit ? SCALE_UP_LIMIT : TOO_MANY;
  }
  return { replicas, stabilized, limited: limited(replicas, stabilizedTo, why) };
}

const windowMs = (rules: HPAScalingRules | undefined, fallback: number) =>
  typeof rules?.stabilizationWindowSeconds === "number" ? rules.stabilizationWindowSeconds * 1000 : fallback;

/** Replicas added (or removed) by the events of the last `periodSeconds`. */
function changeWithin(events: ScaleEvent[], periodSeconds: number, now: number): number {
  const cutoff = now - periodSeconds * 1000;
  return events.filter((e) => e.at > cutoff).reduce((total, e) => total + e.change, 0);
}

function scaleUpLimit(input: NormalizeInput, rules: HPAScalingRules | undefined): number {
  const current = input.current;
  if (!rules || rules.selectPolicy === "Disabled") return current;
  const pickMin = rules.selectPolicy === "Min";
  let result = pickMin ? Number.MAX_SAFE_INTEGER : Number.MIN_SAFE_INTEGER;
  for (const policy of rules.policies ?? []) {
    const added = changeWithin(input.history.scaleUp, policy.periodSeconds, input.now);
    const removed = changeWithin(input.history.scaleDown, policy.periodSeconds, input.now);
    const start = current - added + removed;
    const proposed = policy.type === "Pods" ? start + policy.value : Math.ceil(start * (1 + policy.value / 100));
    result = pickMin ? Math.min(result, proposed) : Math.max(result, proposed);
  }
  return (rules.policies ?? []).length === 0 ? current : result;
}

function scaleDownLimit(input: NormalizeInput, rules: HPAScalingRules | undefined): number {
  const current = input.current;
  if (!rules || rules.selectPolicy === "Disabled") return current;
  const pickMin = rules.selectPolicy === "Min"; // the smallest change: the highest limit
  let result = pickMin ? Number.MIN_SAFE_INTEGER : Number.MAX_SAFE_INTEGER;
  for (const policy of rules.policies ?? []) {
    const added = changeWithin(input.history.scaleUp, policy.periodSeconds, input.now);
    const removed = changeWithin(input.history.scaleDown, policy.periodSeconds, input.now);
    const start = current - added + removed;
    const proposed = policy.type === "Pods" ? start - policy.value : Math.trunc(start * (1 - policy.value / 100));
    result = pickMin ? Math.max(result, proposed) : Math.min(result, proposed);
  }
  return (rules.policies ?? []).length === 0 ? current : result;
}

/** With spec.behavior: per-direction stabilization windows and the scaling policies. */
function normalizeWithBehavior(input: NormalizeInput, behavior: HorizontalPodAutoscalerBehavior): Normalized {
  const upCutoff = input.now - windowMs(behavior.scaleUp, 0);
  const downCutoff = input.now - windowMs(behavior.scaleDown, input.downscaleWindowMs ?? DEFAULT_DOWNSCALE_WINDOW_MS);
  let up = input.desired;
  let down = input.desired;
  for (const rec of input.history.recommendations) {
    if (rec.at > upCutoff) up = Math.min(up, rec.replicas);
    if (rec.at > downCutoff) down = Math.max(down, rec.replicas);
  }
  let stabilizedTo = input.current;
  if (stabilizedTo < up) stabilizedTo = up;
  if (stabilizedTo > down) stabilizedTo = down;
  input.history.recommendations = [
    ...input.history.recommendations.filter((rec) => rec.at >= upCutoff || rec.at >= downCutoff),
    { replicas: input.desired, at: input.now },
  ];
  const stabilized =
    stabilizedTo === input.desired
      ? READY
      : input.desired >= input.current
        ? SCALE_UP_STABILIZED
        : SCALE_DOWN_STABILIZED;

  let replicas = stabilizedTo;
  let why = WITHIN_RANGE;
  if (stabilizedTo > input.current) {
    const limit = Math.max(scaleUpLimit(input, behavior.scaleUp), input.current);
    const maxAllowed = Math.min(input.max, limit);
    if (stabilizedTo > maxAllowed) {
      replicas = maxAllowed;
      why = input.max > limit ? SCALE_UP_LIMIT : TOO_MANY;
    }
  } else if (stabilizedTo < input.current) {
    const limit = Math.min(scaleDownLimit(input, behavior.scaleDown), input.current);
    const minAllowed = Math.max(input.min, limit);
    if (stabilizedTo < minAllowed) {
      replicas = minAllowed;
      why = input.min < limit ? SCALE_DOWN_LIMIT : TOO_FEW;
    }
  }
  return { replicas, stabilized, limited: limited(replicas, stabilizedTo, why) };
}

/** The replica count to set; updates `input.history.recommendations`. */
export function normalizeReplicas(input: NormalizeInput): Normalized {
  return input.behavior ? normalizeWithBehavior(input, input.behavior) : normalizePlain(input);
}

/** Remembers a rescale for the behavior's rate limits (kept as long as the longest policy period). */
export function recordScale(
  history: AutoscalerHistory,
  behavior: HorizontalPodAutoscalerBehavior | undefined,
  from: number,
  to: number,
  now: number,
): void {
  if (!behavior || from === to) return;
  const up = to > from;
  const rules = up ? behavior.scaleUp : behavior.scaleDown;
  const longest = Math.max(0, ...(rules?.policies ?? []).map((p) => p.periodSeconds));
  const keep = (events: ScaleEvent[]) => events.filter((e) => e.at > now - longest * 1000);
  if (up) history.scaleUp = [...keep(history.scaleUp), { change: to - from, at: now }];
  else history.scaleDown = [...keep(history.scaleDown), { change: from - to, at: now }];
}
