import { describe, expect, it } from "vitest";
import { ApiError } from "../../node-daemon/api/errors.ts";
import { splitLines } from "../../node-daemon/api/lines.ts";
import { ManualClock } from "../../node-daemon/clock.ts";
import {
  Informer,
  type ListWatchSource,
  type Versioned,
  type WatchEvent,
} from "../../node-daemon/informer/informer.ts";
import { silentLogger } from "../../node-daemon/log.ts";

interface Obj extends Versioned {
  metadata: { uid: string; name: string; resourceVersion: string };
}

const obj = (uid: string, rv: number): Obj => ({ metadata: { uid, name: uid, resourceVersion: String(rv) } });

/** A scripted server: each watch call takes the next script; lists answer the current objects. */
class FakeSource implements ListWatchSource<Obj> {
  objects = new Map<string, Obj>();
  rv = 0;
  lists = 0;
  watches: string[] = [];
  scripts: Array<(push: (e: WatchEvent<Obj>) => void, end: (err?: unknown) => void) => void> = [];

  async list() {
    this.lists++;
    return { items: [...this.objects.values()], resourceVersion: String(this.rv) };
  }

  async watch(resourceVersion: string, signal: AbortSignal): Promise<AsyncIterable<WatchEvent<Obj>>> {
    this.watches.push(resourceVersion);
    const script = this.scripts.shift();
    const queue: WatchEvent<Obj>[] = [];
    let done = false;
    let failure: unknown;
    let wake: (() => void) | undefined;
    const push = (e: WatchEvent<Obj>) => {
      queue.push(e);
      wake?.();
    };
    const end = (err?: unknown) => {
      done = true;
      failure = err;
      wake?.();
    };
    signal.addEventListener("abort", () => end(new Error("aborted")));
    if (script) script(push, end);
    return {
      async *[Symbol.asyncIterator]() {
        for (;;) {
          while (queue.length > 0) yield queue.shift()!;
          if (done) {
            if (failure) throw failure;
            return;
          }
          await new Promise<void>((resolve) => (wake = resolve));
        }
      },
    };
  }
}

function recorder() {
  const log: string[] = [];
  return {
    log,
    handlers: {
      onAdd: (o: Obj) => log.push(`add ${o.metadata.uid}@${o.metadata.resourceVersion}`),
      onUpdate: (_p: Obj, o: Obj) => log.push(`update ${o.metadata.uid}@${o.metadata.resourceVersion}`),
      onDelete: (o: Obj) => log.push(`delete ${o.metadata.uid}`),
      onResync: (items: Obj[]) => log.push(`resync ${items.length}`),
    },
  };
}

describe("informer", () => {
  it("lists, then watches from the list's resourceVersion and applies events", async () => {
    const clock = new ManualClock();
    const source = new FakeSource();
    source.objects.set("a", obj("a", 1));
    source.rv = 5;
    let push!: (e: WatchEvent<Obj>) => void;
    source.scripts.push((p) => (push = p));
    const { log, handlers } = recorder();
    const informer = new Informer(source, handlers, { clock, logger: silentLogger, random: () => 0.5 });
    informer.start();
    await informer.synced;
    await clock.advance(0);
    expect(source.watches).toEqual(["5"]);
    push({ type: "ADDED", object: obj("b", 6) });
    push({ type: "MODIFIED", object: obj("a", 7) });
    push({ type: "BOOKMARK", object: obj("", 9) });
    push({ type: "DELETED", object: obj("b", 10) });
    await clock.advance(0);
    expect(log).toEqual(["add a@1", "resync 1", "add b@6", "update a@7", "delete b"]);
    expect(informer.lastResourceVersion).toBe("10");
    await informer.stop();
  });

  it("re-lists after 410 Expired and reports what changed meanwhile", async () => {
    const clock = new ManualClock();
    const source = new FakeSource();
    source.objects.set("a", obj("a", 1));
    source.objects.set("b", obj("b", 2));
    source.rv = 2;
    source.scripts.push((push, end) => {
      source.objects.delete("b");
      source.objects.set("a", obj("a", 8));
      source.objects.set("c", obj("c", 9));
      source.rv = 9;
      push({ type: "ERROR", object: { metadata: {}, code: 410, message: "too old" } as unknown as Obj });
      end();
    });
    source.scripts.push(() => {});
    const { log, handlers } = recorder();
    const informer = new Informer(source, handlers, { clock, logger: silentLogger });
    informer.start();
    await clock.advance(0);
    await clock.advance(0);
    expect(source.lists).toBe(2);
    expect(log).toEqual(["add a@1", "add b@2", "resync 2", "update a@8", "add c@9", "delete b", "resync 2"]);
    expect(source.watches).toEqual(["2", "9"]);
    await informer.stop();
  });

  it("reconnects with jittered back-off and resumes from the last resourceVersion", async () => {
    const clock = new ManualClock();
    const source = new FakeSource();
    source.rv = 3;
    source.scripts.push((push, end) => {
      push({ type: "ADDED", object: obj("a", 4) });
      end(new Error("connection reset"));
    });
    source.scripts.push((_push, end) => end(new ApiError(503, "unavailable")));
    source.scripts.push(() => {});
    const { handlers } = recorder();
    const informer = new Informer(source, handlers, {
      clock,
      logger: silentLogger,
      random: () => 0.5,
      backoffInitialMs: 500,
    });
    informer.start();
    await clock.advance(0);
    expect(source.watches).toEqual(["3"]);
    await clock.advance(499);
    expect(source.watches).toEqual(["3"]);
    await clock.advance(1);
    expect(source.watches).toEqual(["3", "4"]);
    await clock.advance(1000); // second failure: 1 s
    expect(source.watches).toEqual(["3", "4", "4"]);
    expect(source.lists).toBe(1);
    await informer.stop();
  });

  it("re-lists periodically even while the watch is quiet", async () => {
    const clock = new ManualClock();
    const source = new FakeSource();
    source.scripts.push(() => {});
    source.scripts.push(() => {});
    const { handlers } = recorder();
    const informer = new Informer(source, handlers, {
      clock,
      logger: silentLogger,
      relistMs: 60_000,
      random: () => 0.5,
    });
    informer.start();
    await clock.advance(0);
    expect(source.lists).toBe(1);
    await clock.advance(60_000);
    expect(source.lists).toBe(2);
    expect(source.watches.length).toBe(2);
    await informer.stop();
  });
});

describe("line splitting", () => {
  it("splits chunked watch bodies at newlines, across chunk boundaries", async () => {
    async function* chunks() {
      yield new TextEncoder().encode('{"a":1}\n{"b"');
      yield ":2}\n\n";
      yield '{"c":3}';
    }
    const lines: string[] = [];
    for await (const line of splitLines(chunks())) lines.push(line);
    expect(lines).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
  });
});
