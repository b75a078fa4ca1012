// The workerd isolate through its V8 inspector (startLocalRuntime's inspectorPort): its JS heap
// after a garbage collection (the memory figures), and CPU profiles summarised by function (for
// finding where a benchmark's server CPU goes; not part of the figures).
import WebSocket from "ws";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface Profiler {
  stop: () => Promise<Profile>;
}

/**
 * A connection to the inspector of one workerd isolate (Chrome DevTools protocol): the worker
 * `worker` of cli/local-runtime.ts ("flotilla", or the ClusterStore's own when it runs apart).
 */
async function connect(
  port: number,
  worker = "flotilla",
): Promise<{ send: (method: string, params?: object) => Promise<any>; close: () => void }> {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json`)).json()) as Array<{
    webSocketDebuggerUrl: string;
    id?: string;
  }>;
  const target = targets.find((t) => t.id === `core:user:${worker}`);
  if (!target) throw new Error(`no inspector target for the worker ${worker}`);
  const socket = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
  let nextId = 1;
  const pending = new Map<number, (result: any) => void>();
  socket.on("message", (data) => {
    const message = JSON.parse(String(data)) as { id?: number; result?: unknown };
    if (message.id !== undefined) pending.get(message.id)?.(message.result);
  });
  const send = (method: string, params: object = {}) =>
    new Promise<any>((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      socket.send(JSON.stringify({ id, method, params }));
    });
  return { send, close: () => socket.close() };
}

/**
 * The isolate's JS heap in use after a full garbage collection: what the Workers memory limit
 * (128 MB per isolate) applies to, unlike the process RSS (SQLite caches, workerd's buffers).
 * workerd runs an inspector command only when the isolate is next entered, so `poke` (any
 * request to the Worker) lets the collection happen; heap usage it answers at once.
 */
export async function heapUsedAfterGc(port: number, poke: () => Promise<unknown>, worker?: string): Promise<number> {
  const inspector = await connect(port, worker);
  try {
    await inspector.send("HeapProfiler.enable");
    const collected = inspector.send("HeapProfiler.collectGarbage");
    await poke();
    await collected;
    const usage = (await inspector.send("Runtime.getHeapUsage")) as { usedSize: number };
    return usage.usedSize;
  } finally {
    inspector.close();
  }
}

/** Starts sampling one isolate (see `connect`) every `intervalMicros`. */
export async function startProfiler(port: number, worker?: string, intervalMicros = 200): Promise<Profiler> {
  const inspector = await connect(port, worker);
  await inspector.send("Profiler.enable");
  await inspector.send("Profiler.setSamplingInterval", { interval: intervalMicros });
  await inspector.send("Profiler.start");
  return {
    stop: async () => {
      const { profile } = (await inspector.send("Profiler.stop")) as { profile: Profile };
      inspector.close();
      return profile;
    },
  };
}

/**
 * Each sample's weight in microseconds. V8 samples an isolate only while it runs on workerd's
 * thread, so a sample's time delta also spans whatever ran in between (other isolates, the event
 * loop). A sample counts for its delta but at most twice the median delta (the sampling interval
 * in practice), so that a gap is not charged to the function that happened to run after it.
 */
function sampleWeights(profile: Profile): number[] {
  const sorted = Float64Array.from(profile.timeDeltas).sort();
  const cap = 2 * (sorted[Math.floor(sorted.length / 2)] ?? 0);
  return profile.timeDeltas.map((delta) => Math.min(delta, cap));
}

/** The CPU time the isolate spent, in microseconds: every sample but "(idle)" (see sampleWeights). */
export function busyMicros(profile: Profile): number {
  const idle = new Set(profile.nodes.filter((node) => node.callFrame.functionName === "(idle)").map((node) => node.id));
  const weights = sampleWeights(profile);
  let busy = 0;
  profile.samples.forEach((id, i) => {
    if (!idle.has(id)) busy += weights[i] ?? 0;
  });
  return busy;
}

/** The `top` functions by self time, as lines "share  ms  function  file:line". */
export function topSelfTime(profile: Profile, top = 40): string[] {
  const self = new Map<number, number>();
  const weights = sampleWeights(profile);
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (weights[i] ?? 0)));
  const byFunction = new Map<string, number>();
  let total = 0;
  for (const node of profile.nodes) {
    const micros = self.get(node.id) ?? 0;
    total += micros;
    const { functionName, url, lineNumber } = node.callFrame;
    const key = `${functionName || "(anonymous)"}  ${url.split("/").pop()}:${lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + micros);
  }
  return [...byFunction.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(
      ([key, micros]) =>
        `${((micros / total) * 100).toFixed(1).padStart(5)}%  ${(micros / 1000).toFixed(0).padStart(6)} ms  ${key}`,
    );
}

/** The `top` functions by total (inclusive) time: each sample counts once per function on its stack. */
export function topTotalTime(profile: Profile, top = 60): string[] {
  const parent = new Map<number, number>();
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const label = (node: ProfileNode) =>
    `${node.callFrame.functionName || "(anonymous)"}  ${node.callFrame.url.split("/").pop()}:${node.callFrame.lineNumber + 1}`;
  const totals = new Map<string, number>();
  const weights = sampleWeights(profile);
  let total = 0;
  profile.samples.forEach((id, i) => {
    const micros = weights[i] ?? 0;
    total += micros;
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const key = label(byId.get(at)!);
      if (seen.has(key)) continue;
      seen.add(key);
      totals.set(key, (totals.get(key) ?? 0) + micros);
    }
  });
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(
      ([key, micros]) =>
        `${((micros / total) * 100).toFixed(1).padStart(5)}%  ${(micros / 1000).toFixed(0).padStart(6)} ms  ${key}`,
    );
}

/** Who calls `functionName` (at `line` in the bundle), by total time: the direct callers' share. */
export function callersOf(profile: Profile, functionName: string, line: number): string[] {
  const parent = new Map<number, number>();
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const totals = new Map<string, number>();
  const weights = sampleWeights(profile);
  profile.samples.forEach((id, i) => {
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)!.callFrame;
      if (frame.functionName !== functionName || frame.lineNumber + 1 !== line) continue;
      const caller = byId.get(parent.get(at) ?? -1)?.callFrame;
      const key = caller ? `${caller.functionName || "(anonymous)"}:${caller.lineNumber + 1}` : "(none)";
      totals.set(key, (totals.get(key) ?? 0) + (weights[i] ?? 0));
      break;
    }
  });
  return [...totals.entries()].sort((a, b) => b[1] - a[1]).map(([key, us]) => `${(us / 1000).toFixed(0)} ms  ${key}`);
}
