// The resource quota controller's output: status.hard mirrors spec.hard and status.used is the
// namespace's current usage of each hard resource (what `kubectl describe quota` prints).
import { quotaUsed, hardOf, resourceList, sourceOf, type QuotaItem } from "../../admission/quota-usage.ts";
import type { KubeObject } from "../../types.ts";

export interface QuotaStatus {
  hard: Record<string, unknown>;
  used: Record<string, string>;
}

export interface QuotaStatusResult {
  status: QuotaStatus;
  /** When a terminating pod's charge lapses (ms since the epoch): recompute then. */
  recheckAt?: number;
}

/** The storage keys whose objects a quota counts. */
export function quotaSources(quota: KubeObject): string[] {
  const sources = new Set<string>();
  for (const name of Object.keys(hardOf(quota))) {
    const source = sourceOf(name);
    if (source !== undefined) sources.add(source);
  }
  return [...sources].sort();
}

export function computeQuotaStatus(
  quota: KubeObject,
  itemsOf: (resource: string) => QuotaItem[],
  now: number,
): QuotaStatusResult {
  const hard = hardOf(quota);
  const used = resourceList(quotaUsed(quota, itemsOf, now));
  let recheckAt: number | undefined;
  for (const source of quotaSources(quota)) {
    for (const item of itemsOf(source)) {
      if (item.goneAt !== undefined && item.goneAt >= now && (recheckAt === undefined || item.goneAt < recheckAt))
        recheckAt = item.goneAt + 1;
    }
  }
  const result: QuotaStatusResult = { status: { hard: { ...hard }, used } };
  if (recheckAt !== undefined) result.recheckAt = recheckAt;
  return result;
}
