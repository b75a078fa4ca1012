// Follows one namespace's pods on a single watch and notes, per pod, when the bench first saw it,
// bound to a node, in phase Running, and with its Ready condition True (performance.now() times).
import type { Pool } from "undici";
import { readWatchLines } from "./watch-stream.ts";

export interface PodTimes {
  /** First seen on the watch (created). */
  first?: number;
  scheduled?: number;
  running?: number;
  ready?: number;
  deleted?: number;
}

interface WatchedPod {
  metadata: { name: string };
  spec?: { nodeName?: string };
  status?: { phase?: string; conditions?: Array<{ type: string; status: string }> };
}

export interface PodWatch {
  pods: Map<string, PodTimes>;
  /** Resolves once `check` holds (checked after every chunk of events); rejects at the deadline. */
  until(check: () => boolean, timeoutMs: number, what: string): Promise<void>;
  stop(): void;
}

export function watchPods(pool: Pool, path: string, token: string, resourceVersion: string): PodWatch {
  const pods = new Map<string, PodTimes>();
  const abort = new AbortController();
  const waiters = new Set<() => void>();
  let failure: Error | undefined;
  const wakeAll = () => {
    for (const wake of [...waiters]) wake();
  };
  void (async () => {
    try {
      const response = await pool.request({
        method: "GET",
        path: `${path}?watch=true&allowWatchBookmarks=false&resourceVersion=${resourceVersion}`,
        headers: { authorization: `Bearer ${token}` },
        signal: abort.signal,
        bodyTimeout: 0,
      });
      if (response.statusCode !== 200)
        throw new Error(`watch: HTTP ${response.statusCode} ${await response.body.text()}`);
      await readWatchLines(
        response.body,
        (line, now) => {
          const event = JSON.parse(line) as { type: string; object: WatchedPod };
          if (event.type === "BOOKMARK" || event.type === "ERROR") return;
          const pod = event.object;
          let seen = pods.get(pod.metadata.name);
          if (!seen) pods.set(pod.metadata.name, (seen = { first: now }));
          if (event.type === "DELETED") seen.deleted ??= now;
          if (pod.spec?.nodeName) seen.scheduled ??= now;
          if (pod.status?.phase === "Running") seen.running ??= now;
          if (pod.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True")) seen.ready ??= now;
        },
        wakeAll,
      );
      throw new Error("the pod watch ended");
    } catch (err) {
      if (abort.signal.aborted) return;
      failure = err instanceof Error ? err : new Error(String(err));
      wakeAll();
    }
  })();
  const until = (check: () => boolean, timeoutMs: number, what: string) =>
    new Promise<void>((resolve, reject) => {
      const done = (err?: Error) => {
        clearTimeout(timer);
        waiters.delete(wake);
        if (err) reject(err);
        else resolve();
      };
      const timer = setTimeout(() => done(new Error(`timed out waiting for ${what}`)), timeoutMs);
      const wake = () => {
        if (failure) done(failure);
        else if (check()) done();
      };
      waiters.add(wake);
      wake();
    });
  return { pods, until, stop: () => abort.abort() };
}
