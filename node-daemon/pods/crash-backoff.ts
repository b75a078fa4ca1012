// Restart back-off per container (and image-pull back-off per image), as kubelet applies it:
// the first restart is immediate; after that the delay starts at 10 s and doubles up to 5 min.
// An entry not touched for twice the maximum (10 min, e.g. a container that ran that long) is
// forgotten, so the next failure starts again at 10 s.
export const BACKOFF_INITIAL_MS = 10_000;
export const BACKOFF_MAX_MS = 300_000;

interface Entry {
  delayMs: number;
  lastUpdate: number;
}

export class Backoff {
  private readonly entries = new Map<string, Entry>();
  private readonly initialMs: number;
  private readonly maxMs: number;

  constructor(initialMs = BACKOFF_INITIAL_MS, maxMs = BACKOFF_MAX_MS) {
    this.initialMs = initialMs;
    this.maxMs = maxMs;
  }

  private expired(entry: Entry, now: number): boolean {
    return now - entry.lastUpdate > 2 * this.maxMs;
  }

  /** Whether a restart after a failure at `failedAt` must still wait; and for how long in total. */
  check(key: string, failedAt: number, now: number): { waiting: boolean; delayMs: number; retryAt: number } {
    const entry = this.entries.get(key);
    if (!entry || this.expired(entry, now)) return { waiting: false, delayMs: 0, retryAt: now };
    const retryAt = failedAt + entry.delayMs;
    return { waiting: now < retryAt, delayMs: entry.delayMs, retryAt };
  }

  /** Records a restart (or pull attempt) now: the next one waits longer. */
  next(key: string, now: number): void {
    const entry = this.entries.get(key);
    if (!entry || this.expired(entry, now)) this.entries.set(key, { delayMs: this.initialMs, lastUpdate: now });
    else this.entries.set(key, { delayMs: Math.min(entry.delayMs * 2, this.maxMs), lastUpdate: now });
  }

  reset(key: string): void {
    this.entries.delete(key);
  }

  /** Drops entries of a pod (by key prefix) once it is gone. */
  forget(prefix: string): void {
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key);
  }
}
