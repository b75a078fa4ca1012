// Jittered exponential backoff for reconnects: spreads a fleet of daemons out after an outage.
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  /** Random source in [0, 1); injectable for tests. */
  random?: () => number;
}

/** Delay before retry number `failures` (1-based): initial·2^(n-1), capped, times a factor in [0.5, 1.5). */
export function jitteredBackoff(failures: number, options: BackoffOptions): number {
  const random = options.random ?? Math.random;
  const base = Math.min(options.maxMs, options.initialMs * 2 ** Math.max(0, failures - 1));
  return Math.round(base * (0.5 + random()));
}

/** A period with ±`spread` jitter (0.1 = ±10%), so periodic work does not synchronise. */
export function jitteredPeriod(periodMs: number, spread = 0.1, random: () => number = Math.random): number {
  return Math.round(periodMs * (1 - spread + 2 * spread * random()));
}
