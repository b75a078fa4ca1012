// The load generator: N clients over one keep-alive undici Pool, each in a tight loop
// (send, read the whole answer, send the next) until the phase's operation count is spent.
import { Pool } from "undici";
import { startCpuMeter, type CpuUsage } from "./cpu.ts";
import { summarize, type Summary } from "./stats.ts";

export interface Operation {
  method: "GET" | "POST" | "PUT";
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadResult {
  ops: number;
  errors: number;
  /** The first few failures, for the report. */
  failures: string[];
  seconds: number;
  rate: number;
  latency: Summary;
  cpu: CpuUsage;
}

export function openPool(origin: string, connections: number): Pool {
  return new Pool(origin, {
    connections,
    pipelining: 1,
    keepAliveTimeout: 120_000,
    keepAliveMaxTimeout: 120_000,
    headersTimeout: 120_000,
    bodyTimeout: 120_000,
  });
}

export async function sendOne(pool: Pool, op: Operation): Promise<{ status: number; text: string; elapsedMs: number }> {
  const started = performance.now();
  const { statusCode, body } = await pool.request({
    method: op.method,
    path: op.path,
    headers: op.headers,
    body: op.body,
  });
  const text = await body.text();
  return { status: statusCode, text, elapsedMs: performance.now() - started };
}

/**
 * Runs `ops` operations (`make(i)` builds operation i) with `clients` concurrent loops.
 * A status outside 2xx counts as an error; its latency is still recorded. `serverPids`: the
 * processes whose CPU time is charged to the phase. After `deadlineMs` no new operation starts
 * (a guard for a very busy machine): `ops` is then the number actually done, operations 0…ops-1.
 */
export async function runLoad(
  pool: Pool,
  clients: number,
  ops: number,
  make: (i: number) => Operation,
  serverPids: number[] = [],
  deadlineMs = Infinity,
): Promise<LoadResult> {
  const latencies: number[] = [];
  const failures: string[] = [];
  let errors = 0;
  let next = 0;
  const meter = startCpuMeter(serverPids);
  const started = performance.now();
  let done = 0;
  const client = async () => {
    for (;;) {
      if (performance.now() - started > deadlineMs) return;
      const i = next++;
      if (i >= ops) return;
      const op = make(i);
      try {
        const result = await sendOne(pool, op);
        latencies.push(result.elapsedMs);
        if (result.status < 200 || result.status > 299) {
          errors += 1;
          if (failures.length < 3)
            failures.push(`${op.method} ${op.path}: ${result.status} ${result.text.slice(0, 200)}`);
        }
      } catch (err) {
        errors += 1;
        if (failures.length < 3) failures.push(`${op.method} ${op.path}: ${String(err)}`);
      }
      done += 1;
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  const seconds = (performance.now() - started) / 1000;
  const cpu = meter();
  return { ops: done, errors, failures, seconds, rate: done / seconds, latency: summarize(latencies), cpu };
}
