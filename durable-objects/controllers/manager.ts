// The controller manager of one store: a de-duplicating work queue fed by commits, timed
// requeues persisted in the `schedule` table, per-key exponential backoff on errors, and
// a single Durable Object alarm set to the earliest due work.
import { and, asc, eq, lte } from "drizzle-orm";
import type { DrizzleSqliteDODatabase } from "drizzle-orm/durable-sqlite";
import { scheduleTable } from "../storage/schema.ts";
import type { ChangeNotice, ClusterReader, Controller, ControllerContext } from "./framework.ts";
import { recordEvent } from "./events.ts";
import type { ObjectWriter } from "./object-writer.ts";

const SEP = "\u0000";
const MAX_BACKOFF_MS = 60_000;

export interface ManagerOptions {
  cluster: string;
  namespace: string;
  controllers: Controller[];
  objects: ObjectWriter;
  clusterReader: ClusterReader;
  db: DrizzleSqliteDODatabase;
  clock: () => Date;
  /** Asks the owning object to run `run()` at `at` (ms) or sooner. */
  wake: (at: number) => void;
}

export class ControllerManager {
  private readonly options: ManagerOptions;
  private readonly byName: Map<string, Controller>;
  private readonly queue = new Set<string>();
  private readonly failures = new Map<string, number>();
  private running = false;

  constructor(options: ManagerOptions) {
    this.options = options;
    this.byName = new Map(options.controllers.map((c) => [c.name, c]));
  }

  /** Level-triggered start: every primary object is reconciled once. */
  resyncAll(): void {
    for (const controller of this.options.controllers) {
      for (const key of controller.initialKeys(this.options.objects)) this.enqueue(controller.name, key);
    }
  }

  notice(change: ChangeNotice): void {
    for (const controller of this.options.controllers) {
      for (const key of controller.keysFor(change)) this.enqueue(controller.name, key);
    }
  }

  enqueue(controller: string, key: string): void {
    const item = controller + SEP + key;
    if (this.queue.has(item)) return;
    this.queue.add(item);
    this.options.wake(this.options.clock().getTime());
  }

  /** Persists "reconcile again at `due`", keeping the earliest of several requests. */
  schedule(controller: string, key: string, due: number): void {
    const db = this.options.db;
    const existing = db
      .select()
      .from(scheduleTable)
      .where(and(eq(scheduleTable.controller, controller), eq(scheduleTable.key, key)))
      .get();
    if (existing && existing.due <= due) return;
    db.insert(scheduleTable)
      .values({ controller, key, due })
      .onConflictDoUpdate({ target: [scheduleTable.controller, scheduleTable.key], set: { due } })
      .run();
    this.options.wake(due);
  }

  /** The earliest time work is due, or undefined when idle. */
  nextDue(): number | undefined {
    if (this.queue.size > 0) return this.options.clock().getTime();
    const row = this.options.db.select().from(scheduleTable).orderBy(asc(scheduleTable.due)).limit(1).get();
    return row?.due;
  }

  /** Works through due items until the queue is empty or `budgetMs` is spent. */
  async run(budgetMs = 5_000): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const started = Date.now();
      this.promoteDue();
      while (this.queue.size > 0 && Date.now() - started < budgetMs) {
        const item = this.queue.values().next().value as string;
        this.queue.delete(item);
        const [name, key] = item.split(SEP);
        const controller = this.byName.get(name);
        if (controller) await this.reconcileOne(controller, key);
      }
    } finally {
      this.running = false;
    }
  }

  private promoteDue(): void {
    const now = this.options.clock().getTime();
    const db = this.options.db;
    const due = db.select().from(scheduleTable).where(lte(scheduleTable.due, now)).all();
    for (const row of due) {
      db.delete(scheduleTable)
        .where(and(eq(scheduleTable.controller, row.controller), eq(scheduleTable.key, row.key)))
        .run();
      this.queue.add(row.controller + SEP + row.key);
    }
  }

  private async reconcileOne(controller: Controller, key: string): Promise<void> {
    const item = controller.name + SEP + key;
    const ctx: ControllerContext = {
      cluster: this.options.cluster,
      namespace: this.options.namespace,
      now: this.options.clock,
      objects: this.options.objects,
      clusterReader: this.options.clusterReader,
      requeueAfter: (ms) => this.schedule(controller.name, key, this.options.clock().getTime() + Math.max(0, ms)),
      recordEvent: (regarding, type, reason, message) =>
        recordEvent(this.options.objects, this.options.clock(), controller.name, regarding, type, reason, message),
    };
    try {
      await controller.reconcile(key, ctx);
      this.failures.delete(item);
    } catch (err) {
      const attempts = (this.failures.get(item) ?? 0) + 1;
      this.failures.set(item, attempts);
      const backoff = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (attempts - 1));
      console.error(
        `controller ${controller.name} failed on ${key} (attempt ${attempts}, retry in ${backoff} ms)`,
        err,
      );
      this.schedule(controller.name, key, this.options.clock().getTime() + backoff);
    }
  }
}
