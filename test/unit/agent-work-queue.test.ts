import { describe, expect, it } from "vitest";
import { ManualClock } from "../../node-daemon/clock.ts";
import { silentLogger } from "../../node-daemon/log.ts";
import { WorkQueue } from "../../federation-agent/work-queue.ts";

const half = () => 0.5; // no jitter: delays are exact

describe("WorkQueue", () => {
  it("reconciles an added key once, and again after the delay it asks for", async () => {
    const clock = new ManualClock();
    const seen: string[] = [];
    const queue = new WorkQueue(
      async (key) => {
        seen.push(key);
        return 5000;
      },
      { clock, logger: silentLogger, random: half },
    );
    queue.start();
    queue.add("a");
    queue.add("a");
    await clock.advance(0);
    expect(seen).toEqual(["a"]);
    await clock.advance(4999);
    expect(seen).toEqual(["a"]);
    await clock.advance(1);
    expect(seen).toEqual(["a", "a"]);
    await queue.stop();
    expect(clock.pending).toBe(0);
  });

  it("retries a failing key with exponential backoff and resets it on success", async () => {
    const clock = new ManualClock();
    const times: number[] = [];
    let failuresLeft = 3;
    const queue = new WorkQueue(
      async () => {
        times.push(clock.now());
        if (failuresLeft-- > 0) throw new Error("member unreachable");
        return undefined;
      },
      { clock, logger: silentLogger, random: half, backoffInitialMs: 1000, backoffMaxMs: 60_000 },
    );
    queue.start();
    const start = clock.now();
    queue.add("w");
    await clock.advance(10_000);
    expect(times.map((t) => t - start)).toEqual([0, 1000, 3000, 7000]);
    expect(queue.scheduled).toBe(0);
    await queue.stop();
  });

  it("forget drops a key's schedule; stop leaves no timers and ignores later adds", async () => {
    const clock = new ManualClock();
    const seen: string[] = [];
    const queue = new WorkQueue(
      async (key) => {
        seen.push(key);
        return 15_000;
      },
      { clock, logger: silentLogger, random: half },
    );
    queue.start();
    queue.add("a");
    queue.add("b");
    await clock.advance(0);
    expect(queue.scheduled).toBe(2);
    queue.forget("a");
    expect(queue.scheduled).toBe(1);
    await queue.stop();
    expect(clock.pending).toBe(0);
    queue.add("c");
    await clock.advance(30_000);
    expect(seen).toEqual(["a", "b"]);
  });
});
