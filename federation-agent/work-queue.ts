// A controller's work queue, as client-go's: event handlers only add keys; one worker takes a
// key, reconciles it from fresh state, and either schedules its next look or — when the
// reconcile failed — retries it with jittered exponential backoff. A key added while it is being
// worked on is worked on again afterwards, never twice at once.
import { jitteredBackoff, jitteredPeriod } from "../node-daemon/informer/backoff.ts";
import type { Clock } from "../node-daemon/clock.ts";
import { errorMessage, type Logger } from "../node-daemon/log.ts";

/** Reconciles one key; answers when to look at it again (undefined: only when told). */
export type Reconcile = (key: string) => Promise<number | undefined>;

export interface WorkQueueOptions {
  clock: Clock;
  logger: Logger;
  random?: () => number;
  backoffInitialMs?: number;
  backoffMaxMs?: number;
}

export class WorkQueue {
  private readonly pending = new Set<string>();
  private readonly timers = new Map<string, () => void>();
  private readonly failures = new Map<string, number>();
  private readonly reconcile: Reconcile;
  private readonly options: WorkQueueOptions;
  private wake: (() => void) | undefined;
  private stopped = false;
  private running: Promise<void> | undefined;

  constructor(reconcile: Reconcile, options: WorkQueueOptions) {
    this.reconcile = reconcile;
    this.options = options;
  }

  add(key: string): void {
    if (this.stopped) return;
    this.pending.add(key);
    this.wake?.();
  }

  /** Adds `key` after about `ms` (±10%, so many keys do not fall due together). */
  addAfter(key: string, ms: number): void {
    if (this.stopped) return;
    this.timers.get(key)?.();
    const random = this.options.random ?? Math.random;
    const cancel = this.options.clock.setTimer(jitteredPeriod(ms, 0.1, random), () => {
      this.timers.delete(key);
      this.add(key);
    });
    this.timers.set(key, cancel);
  }

  /** Drops everything scheduled for `key` (its object is gone). */
  forget(key: string): void {
    this.pending.delete(key);
    this.failures.delete(key);
    this.timers.get(key)?.();
    this.timers.delete(key);
  }

  start(): void {
    this.running ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
    this.pending.clear();
    this.wake?.();
    await this.running;
  }

  /** Keys waiting for a timer (tests: a stopped queue has none). */
  get scheduled(): number {
    return this.timers.size;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const key = this.pending.values().next().value;
      if (key === undefined) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
        continue;
      }
      this.pending.delete(key);
      try {
        const next = await this.reconcile(key);
        this.failures.delete(key);
        if (next !== undefined) this.addAfter(key, next);
      } catch (err) {
        if (this.stopped) break;
        const failures = (this.failures.get(key) ?? 0) + 1;
        this.failures.set(key, failures);
        const delay = jitteredBackoff(failures, {
          initialMs: this.options.backoffInitialMs ?? 1000,
          maxMs: this.options.backoffMaxMs ?? 60_000,
          random: this.options.random,
        });
        this.options.logger.warn(`${key}: ${errorMessage(err)}; retrying in ${(delay / 1000).toFixed(1)}s`);
        this.timers.get(key)?.();
        const cancel = this.options.clock.setTimer(delay, () => {
          this.timers.delete(key);
          this.add(key);
        });
        this.timers.set(key, cancel);
      }
    }
  }
}
