// Probe thresholds: a probe's state flips to success after successThreshold consecutive
// successes and to failure after failureThreshold consecutive failures (pure).
export class ProbeTracker {
  private readonly successThreshold: number;
  private readonly failureThreshold: number;
  private successes = 0;
  private failures = 0;
  ok: boolean;

  constructor(options: { successThreshold?: number; failureThreshold?: number; initial: boolean }) {
    this.successThreshold = Math.max(1, options.successThreshold ?? 1);
    this.failureThreshold = Math.max(1, options.failureThreshold ?? 3);
    this.ok = options.initial;
  }

  /** Records one result; answers true when the state changed. */
  record(success: boolean): boolean {
    if (success) {
      this.failures = 0;
      this.successes++;
      if (!this.ok && this.successes >= this.successThreshold) {
        this.ok = true;
        return true;
      }
    } else {
      this.successes = 0;
      this.failures++;
      if (this.ok && this.failures >= this.failureThreshold) {
        this.ok = false;
        return true;
      }
      // Startup and readiness start out failed: the threshold counts toward nothing new.
    }
    return false;
  }

  /** Consecutive failures so far (a failed startup/liveness probe acts at the threshold). */
  get consecutiveFailures(): number {
    return this.failures;
  }

  get threshold(): number {
    return this.failureThreshold;
  }
}
