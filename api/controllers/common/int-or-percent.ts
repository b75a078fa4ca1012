// IntOrString values such as maxSurge / maxUnavailable: an absolute number or a percentage
// of a total, rounded the way Kubernetes does (callers choose up or down).

export type IntOrPercent = number | string;

/** The absolute value of `value` against `total`; percentages round up or down. */
export function scaledValue(value: IntOrPercent | undefined, total: number, roundUp: boolean): number {
  if (value === undefined) return 0;
  if (typeof value === "number") return value;
  const match = /^(-?\d+)%$/.exec(value);
  if (!match) {
    // A plain decimal string is an int in Kubernetes' IntOrString.
    if (/^-?\d+$/.test(value)) return Number(value);
    throw new Error(
      `invalid value for IntOrString: invalid type: string is not a percentage: ${JSON.stringify(value)}`,
    );
  }
  const scaled = Number(match[1]) * total;
  return roundUp ? Math.ceil(scaled / 100) : Math.floor(scaled / 100);
}

/**
 * maxSurge rounds up, maxUnavailable down; when both come out zero, one pod may be
 * unavailable so a rollout can always make progress (Kubernetes' "fenceposts").
 */
export function resolveFenceposts(
  maxSurge: IntOrPercent | undefined,
  maxUnavailable: IntOrPercent | undefined,
  desired: number,
): { surge: number; unavailable: number } {
  const surge = scaledValue(maxSurge, desired, true);
  let unavailable = scaledValue(maxUnavailable, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}
