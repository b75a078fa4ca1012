// Watch delivery latency: W watchers on one namespace (one connection each), a writer creating
// objects at a fixed rate, each object carrying its send time in an annotation; every watcher
// notes when each event arrives. Writer and watchers share one clock (this process).
import { setTimeout as sleep } from "node:timers/promises";
import { Client } from "undici";
import { startCpuMeter, type CpuUsage } from "./cpu.ts";
import { openPool, sendOne } from "./load.ts";
import { summarize, type Summary } from "./stats.ts";

export const SENT_AT = "bench.flotilla.dev/sent-at";
const SENT_AT_PATTERN = new RegExp(`"${SENT_AT.replace(/[./]/g, "\\$&")}":"([0-9.]+)"`);

export interface WatchResult {
  watchers: number;
  writes: number;
  writeRate: number;
  writeErrors: number;
  /** Events expected (writes × watchers) and received. */
  expected: number;
  delivered: number;
  /** Time from the write being sent to the event arriving at a watcher. */
  delivery: Summary;
  /** The writes' own latency (create answered), for comparison. */
  write: Summary;
  /** CPU over the write schedule (server: the processes named in `serverPids`). */
  cpu: CpuUsage;
}

export interface WatchBenchOptions {
  origin: string;
  headers: Record<string, string>;
  /** List path of the watched collection, e.g. /clusters/c/api/v1/namespaces/w/configmaps */
  collection: string;
  watchers: number;
  writes: number;
  /** Writes per second (each write is sent on schedule, without waiting for the previous one). */
  rate: number;
  body: (i: number, sentAt: string) => string;
  serverPids?: number[];
}

export async function runWatchBench(options: WatchBenchOptions): Promise<WatchResult> {
  const clients = Array.from(
    { length: options.watchers },
    () => new Client(options.origin, { bodyTimeout: 0, headersTimeout: 30_000, keepAliveTimeout: 120_000 }),
  );
  const abort = new AbortController();
  const deliveries: number[] = [];
  const received = new Array<number>(options.watchers).fill(0);
  let allReceived: () => void = () => {};
  const done = new Promise<void>((resolve) => (allReceived = resolve));
  let complete = 0;

  // Open every watch and wait for its response headers: the server registers a watcher before
  // it answers, so after this every write reaches every watcher.
  const streams = await Promise.all(
    clients.map(async (client, w) => {
      const { statusCode, body } = await client.request({
        method: "GET",
        path: `${options.collection}?watch=true`,
        headers: options.headers,
        signal: abort.signal,
      });
      if (statusCode !== 200) throw new Error(`watch ${w} answered ${statusCode}: ${await body.text()}`);
      return { w, body };
    }),
  );
  const readers = streams.map(async ({ w, body }) => {
    let pending = "";
    try {
      for await (const chunk of body) {
        const arrived = performance.now();
        pending += (chunk as Buffer).toString("utf8");
        let newline: number;
        while ((newline = pending.indexOf("\n")) >= 0) {
          const line = pending.slice(0, newline);
          pending = pending.slice(newline + 1);
          const match = SENT_AT_PATTERN.exec(line);
          if (!match) continue;
          deliveries.push(arrived - Number(match[1]));
          received[w] += 1;
          if (received[w] === options.writes && ++complete === options.watchers) allReceived();
        }
      }
    } catch {
      // Aborted at the end of the run.
    }
  });

  const writer = openPool(options.origin, 16);
  const writeLatencies: number[] = [];
  let writeErrors = 0;
  const interval = 1000 / options.rate;
  const meter = startCpuMeter(options.serverPids ?? []);
  const start = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < options.writes; i++) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    const sentAt = performance.now();
    inFlight.push(
      sendOne(writer, {
        method: "POST",
        path: options.collection,
        headers: options.headers,
        body: options.body(i, sentAt.toFixed(3)),
      }).then(
        (result) => {
          writeLatencies.push(result.elapsedMs);
          if (result.status !== 201) writeErrors += 1;
        },
        () => {
          writeErrors += 1;
        },
      ),
    );
  }
  await Promise.all(inFlight);
  const writeSeconds = (performance.now() - start) / 1000;
  // Give stragglers up to 10 s, then stop.
  await Promise.race([done, sleep(10_000)]);
  const cpu = meter();
  abort.abort();
  await Promise.allSettled(readers);
  await Promise.allSettled([writer.close(), ...clients.map((client) => client.destroy())]);

  return {
    watchers: options.watchers,
    writes: options.writes,
    writeRate: options.writes / writeSeconds,
    writeErrors,
    expected: options.writes * options.watchers,
    delivered: deliveries.length,
    delivery: summarize(deliveries),
    write: summarize(writeLatencies),
    cpu,
  };
}
