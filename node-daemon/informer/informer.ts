// A ListWatch informer as client-go and @kubernetes/client-node build it: list, remember the
// resourceVersion, watch from it; on 410 Expired list again; reconnect with jittered backoff;
// and a periodic full re-list that repairs anything a watch could have missed.
import { sleep, type Clock } from "../clock.ts";
import { isGone } from "../api/errors.ts";
import { errorMessage, type Logger } from "../log.ts";
import { jitteredBackoff, jitteredPeriod } from "./backoff.ts";

export interface Versioned {
  metadata?: { uid?: string; name?: string; namespace?: string; resourceVersion?: string };
}

export interface WatchEvent<T> {
  type: "ADDED" | "MODIFIED" | "DELETED" | "BOOKMARK" | "ERROR";
  object: T;
}

export interface ListWatchSource<T> {
  list(signal: AbortSignal): Promise<{ items: T[]; resourceVersion: string }>;
  watch(resourceVersion: string, signal: AbortSignal): Promise<AsyncIterable<WatchEvent<T>>>;
}

export interface InformerHandlers<T> {
  onAdd(object: T): void;
  onUpdate(previous: T, object: T): void;
  onDelete(object: T): void;
  /** After each complete list, with every current object (the periodic resync). */
  onResync?(objects: T[]): void;
}

export interface InformerOptions {
  clock: Clock;
  /** What is watched, for log lines ("pod" by default). */
  what?: string;
  logger: Logger;
  /** Full re-list period (jittered ±10%). */
  relistMs?: number;
  backoffInitialMs?: number;
  backoffMaxMs?: number;
  random?: () => number;
}

const keyOf = (object: Versioned) =>
  object.metadata?.uid ?? `${object.metadata?.namespace ?? ""}/${object.metadata?.name ?? ""}`;

export class Informer<T extends Versioned> {
  private readonly source: ListWatchSource<T>;
  private readonly handlers: InformerHandlers<T>;
  private readonly options: Required<Omit<InformerOptions, "random">> & { random: () => number };
  private readonly store = new Map<string, T>();
  private resourceVersion = "";
  private readonly stopController = new AbortController();
  private watchController: AbortController | undefined;
  private relistDue = true;
  private cancelRelistTimer: (() => void) | undefined;
  private running: Promise<void> | undefined;
  private syncedResolve!: () => void;
  /** Resolves after the first successful list. */
  readonly synced: Promise<void>;

  constructor(source: ListWatchSource<T>, handlers: InformerHandlers<T>, options: InformerOptions) {
    this.source = source;
    this.handlers = handlers;
    this.options = {
      clock: options.clock,
      logger: options.logger,
      what: options.what ?? "pod",
      relistMs: options.relistMs ?? 5 * 60_000,
      backoffInitialMs: options.backoffInitialMs ?? 500,
      backoffMaxMs: options.backoffMaxMs ?? 30_000,
      random: options.random ?? Math.random,
    };
    this.synced = new Promise((resolve) => (this.syncedResolve = resolve));
  }

  start(): void {
    this.running ??= this.run();
  }

  async stop(): Promise<void> {
    this.stopController.abort();
    this.watchController?.abort();
    this.cancelRelistTimer?.();
    await this.running;
  }

  /** The objects as last seen. */
  list(): T[] {
    return [...this.store.values()];
  }

  get lastResourceVersion(): string {
    return this.resourceVersion;
  }

  private get stopped() {
    return this.stopController.signal.aborted;
  }

  private async run(): Promise<void> {
    const { clock, logger } = this.options;
    let failures = 0;
    while (!this.stopped) {
      try {
        if (this.relistDue) {
          await this.relist();
          failures = 0;
        }
        this.watchController = new AbortController();
        const stream = await this.source.watch(this.resourceVersion, this.watchController.signal);
        const openedAt = clock.now();
        let events = 0;
        for await (const event of stream) {
          events++;
          if (!this.apply(event)) break;
        }
        // A watch the server ends at once, again and again, must not spin.
        if (events === 0 && clock.now() - openedAt < 1000 && !this.relistDue) throw new Error("watch ended at once");
        failures = 0;
      } catch (err) {
        if (this.stopped) break;
        if (this.watchController?.signal.aborted) continue; // the periodic re-list interrupted the watch
        if (isGone(err)) {
          this.relistDue = true;
          continue;
        }
        failures++;
        const delay = jitteredBackoff(failures, {
          initialMs: this.options.backoffInitialMs,
          maxMs: this.options.backoffMaxMs,
          random: this.options.random,
        });
        logger.warn(
          `${this.options.what} watch failed (${errorMessage(err)}); retrying in ${(delay / 1000).toFixed(1)}s`,
        );
        // Many failures in a row: start over from a list, the watch position may be stale.
        if (failures >= 5) this.relistDue = true;
        await sleep(clock, delay, this.stopController.signal);
      }
    }
  }

  /** Applies one watch event; answers false when the watch must end (410 → re-list). */
  private apply(event: WatchEvent<T>): boolean {
    if (event.type === "ERROR") {
      const status = event.object as { code?: number; message?: string };
      if (status.code === 410) {
        this.options.logger.debug(`watch expired (${status.message ?? "410"}); re-listing`);
        this.relistDue = true;
        return false;
      }
      throw new Error(`watch error: ${status.message ?? JSON.stringify(status)}`);
    }
    const rv = event.object.metadata?.resourceVersion;
    if (rv) this.resourceVersion = rv;
    if (event.type === "BOOKMARK") return true;
    const key = keyOf(event.object);
    const previous = this.store.get(key);
    if (event.type === "DELETED") {
      this.store.delete(key);
      this.handlers.onDelete(previous ?? event.object);
    } else if (previous) {
      this.store.set(key, event.object);
      this.handlers.onUpdate(previous, event.object);
    } else {
      this.store.set(key, event.object);
      this.handlers.onAdd(event.object);
    }
    return true;
  }

  private async relist(): Promise<void> {
    const { items, resourceVersion } = await this.source.list(this.stopController.signal);
    const seen = new Set<string>();
    for (const item of items) {
      const key = keyOf(item);
      seen.add(key);
      const previous = this.store.get(key);
      this.store.set(key, item);
      if (!previous) this.handlers.onAdd(item);
      else if (previous.metadata?.resourceVersion !== item.metadata?.resourceVersion)
        this.handlers.onUpdate(previous, item);
    }
    for (const [key, object] of [...this.store]) {
      if (seen.has(key)) continue;
      this.store.delete(key);
      this.handlers.onDelete(object);
    }
    this.resourceVersion = resourceVersion;
    this.relistDue = false;
    this.handlers.onResync?.(items);
    this.syncedResolve();
    this.scheduleRelist();
  }

  private scheduleRelist(): void {
    this.cancelRelistTimer?.();
    this.cancelRelistTimer = this.options.clock.setTimer(
      jitteredPeriod(this.options.relistMs, 0.1, this.options.random),
      () => {
        this.relistDue = true;
        this.watchController?.abort();
      },
    );
  }
}
