// The backoff before a DaemonSet replaces a failed pod on the same node again (1 s doubling to
// 15 min), so a pod the node keeps rejecting is not recreated in a hot loop. In memory: a store
// restart forgets it, which only costs one early retry.
import type { FailedPodBackoffs } from "./manage.ts";

export const INITIAL_BACKOFF_MS = 1_000;
export const MAX_BACKOFF_MS = 15 * 60_000;

export class FailedPodBackoff implements FailedPodBackoffs {
  private readonly entries = new Map<string, { delay: number; at: number }>();

  remaining(key: string, now: number): number | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (now - entry.at >= 2 * MAX_BACKOFF_MS) {
      this.entries.delete(key);
      return undefined;
    }
    const left = entry.at + entry.delay - now;
    return left > 0 ? left : undefined;
  }

  next(key: string, now: number): void {
    const entry = this.entries.get(key);
    const delay =
      entry && now - entry.at < 2 * MAX_BACKOFF_MS ? Math.min(entry.delay * 2, MAX_BACKOFF_MS) : INITIAL_BACKOFF_MS;
    this.entries.set(key, { delay, at: now });
  }
}
