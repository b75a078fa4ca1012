// The scheduling queue: pending pods in PrioritySort order (activeQ), pods that failed and wait
// for a cluster change that could help them (unschedulable), and pods backing off after a
// failure (1 s doubling to 10 s). Retries are driven by cluster events, not by polling.
import { less, type QueuedPod } from "./plugins/priority-sort.ts";
import { NAME as NODE_AFFINITY } from "./plugins/node-affinity.ts";
import type { PodInfo } from "./types.ts";

export const INITIAL_BACKOFF_MS = 1000;
export const MAX_BACKOFF_MS = 10_000;

/** Cluster changes that may make an unschedulable pod schedulable. */
export type ClusterEvent =
  | "NodeAdd"
  | "NodeUpdate"
  | "AssignedPodAdd"
  | "AssignedPodUpdate"
  | "AssignedPodDelete"
  /** A PersistentVolumeClaim, PersistentVolume or StorageClass changed. */
  | "StorageChange";

/** Which plugins' rejections an event can undo (kube's queueing hints, coarsely). */
const RESOLVES: Record<ClusterEvent, ReadonlySet<string> | "all"> = {
  NodeAdd: "all",
  NodeUpdate: "all",
  AssignedPodAdd: new Set(["InterPodAffinity", "PodTopologySpread"]),
  AssignedPodUpdate: new Set(["InterPodAffinity", "PodTopologySpread"]),
  AssignedPodDelete: new Set(["NodeResourcesFit", "NodePorts", "InterPodAffinity", "PodTopologySpread"]),
  StorageChange: new Set(["VolumeBinding"]),
};

const onlyNodeAffinity = (plugins: ReadonlySet<string>) => plugins.size === 1 && plugins.has(NODE_AFFINITY);

type State = "active" | "backoff" | "unschedulable" | "inFlight";

interface Entry extends QueuedPod {
  state: State;
  attempts: number;
  backoffUntil: number;
  /** Bumped whenever the entry is (re)pushed to the heap; stale heap items are skipped. */
  version: number;
  /** The move-request counter when the pod was popped (a move during its cycle means "retry soon"). */
  poppedAtMove: number;
  unschedulablePlugins: ReadonlySet<string>;
}

interface HeapItem {
  entry: Entry;
  version: number;
}

export class SchedulingQueue {
  private readonly clock: () => number;
  private readonly entries = new Map<string, Entry>();
  private heap: HeapItem[] = [];
  /** Entries by state, so events and backoff flushes never walk the whole queue. */
  private readonly waiting = new Set<Entry>();
  private readonly backingOff = new Set<Entry>();
  /** A lower bound of the backing-off pods' expiry (exact after every flush). */
  private earliestBackoff = Infinity;
  private moveRequests = 0;
  private activeCount = 0;

  constructor(clock: () => number) {
    this.clock = clock;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Pods waiting for their backoff to expire. */
  get backingOffCount(): number {
    return this.backingOff.size;
  }

  /** Pods ready to be popped now. */
  get active(): number {
    return this.activeCount;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  get(key: string): PodInfo | undefined {
    return this.entries.get(key)?.pod;
  }

  /** A new pending pod, or a change to one (an update may make it schedulable: retry it). */
  add(pod: PodInfo): void {
    const entry = this.entries.get(pod.key);
    if (!entry) {
      const fresh: Entry = {
        pod,
        timestamp: this.clock(),
        state: "active",
        attempts: 0,
        backoffUntil: 0,
        version: 0,
        poppedAtMove: 0,
        unschedulablePlugins: new Set(),
      };
      this.entries.set(pod.key, fresh);
      this.push(fresh);
      return;
    }
    // Only a change to what scheduling looks at (not our own status writes) warrants a retry.
    const changed = entry.pod.signature === undefined || entry.pod.signature !== pod.signature;
    entry.pod = pod;
    if (!changed) return;
    if (entry.state === "inFlight") this.moveRequests++;
    else if (entry.state === "unschedulable") this.activate(entry);
  }

  remove(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    if (entry.state === "active") this.activeCount--;
    this.setState(entry, "inFlight");
    this.entries.delete(key);
  }

  /** The next pod to schedule (highest priority, longest waiting); it is in flight until done(). */
  pop(): PodInfo | undefined {
    while (this.heap.length > 0) {
      const item = this.popHeap();
      const entry = item.entry;
      if (entry.state !== "active" || entry.version !== item.version || this.entries.get(entry.pod.key) !== entry)
        continue;
      this.setState(entry, "inFlight");
      entry.poppedAtMove = this.moveRequests;
      this.activeCount--;
      return entry.pod;
    }
    return undefined;
  }

  /** The pod was bound (or handed to the binder): it leaves the queue. */
  scheduled(key: string): void {
    this.remove(key);
  }

  /** The pod fits nowhere: it waits for an event that could help, with backoff. */
  unschedulable(key: string, plugins: ReadonlySet<string>): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    entry.attempts++;
    entry.unschedulablePlugins = plugins;
    entry.backoffUntil = this.clock() + Math.min(MAX_BACKOFF_MS, INITIAL_BACKOFF_MS * 2 ** (entry.attempts - 1));
    // Something changed while it was being scheduled: retry after its backoff instead of waiting.
    this.setState(entry, entry.poppedAtMove !== this.moveRequests ? "backoff" : "unschedulable");
  }

  /** A scheduling or binding error: retry after backoff. */
  failed(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    entry.attempts++;
    entry.backoffUntil = this.clock() + Math.min(MAX_BACKOFF_MS, INITIAL_BACKOFF_MS * 2 ** (entry.attempts - 1));
    this.setState(entry, "backoff");
  }

  /** A pod whose binding failed comes back, to be retried after backoff. */
  retry(pod: PodInfo): void {
    if (!this.entries.has(pod.key)) this.add(pod);
    const entry = this.entries.get(pod.key)!;
    if (entry.state === "active") {
      this.activeCount--;
      entry.version++;
    }
    this.setState(entry, "inFlight");
    this.failed(pod.key);
  }

  /**
   * Moves unschedulable pods that `event` may help to active (or backoff, if still backing off).
   * `nodeMatches` (node events): kube's NodeAffinity queueing hint — a pod only its node
   * affinity/selector kept out stays put unless the added or changed node now matches it, so
   * labelling many nodes one by one does not re-run every pending pod each time.
   */
  onEvent(event: ClusterEvent, nodeMatches?: (pod: PodInfo) => boolean): number {
    this.moveRequests++;
    const resolves = RESOLVES[event];
    let moved = 0;
    for (const entry of [...this.waiting]) {
      if (resolves !== "all" && entry.unschedulablePlugins.size > 0) {
        let helps = false;
        for (const plugin of entry.unschedulablePlugins) if (resolves.has(plugin)) helps = true;
        if (!helps) continue;
      }
      if (nodeMatches && onlyNodeAffinity(entry.unschedulablePlugins) && !nodeMatches(entry.pod)) continue;
      this.setState(entry, "backoff");
      moved++;
    }
    if (moved > 0) this.flushBackoff();
    return moved;
  }

  /** Backoff that has expired: to active. Cheap when nothing has expired (called on every change). */
  flushBackoff(): void {
    if (this.backingOff.size === 0) return;
    const now = this.clock();
    if (now < this.earliestBackoff) return;
    let earliest = Infinity;
    for (const entry of [...this.backingOff]) {
      if (entry.backoffUntil <= now) this.activate(entry);
      else earliest = Math.min(earliest, entry.backoffUntil);
    }
    this.earliestBackoff = earliest;
  }

  /** When the earliest backing-off pod becomes ready (ms), if any. */
  nextBackoffExpiry(): number | undefined {
    return this.backingOff.size === 0 || this.earliestBackoff === Infinity ? undefined : this.earliestBackoff;
  }

  /** Every queued pod and its state (tests, debugging). */
  states(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [key, entry] of this.entries) out[key] = entry.state;
    return out;
  }

  private setState(entry: Entry, state: State): void {
    if (entry.state === "unschedulable") this.waiting.delete(entry);
    else if (entry.state === "backoff") this.backingOff.delete(entry);
    entry.state = state;
    if (state === "unschedulable") this.waiting.add(entry);
    else if (state === "backoff") {
      this.backingOff.add(entry);
      this.earliestBackoff = Math.min(this.earliestBackoff, entry.backoffUntil);
    }
  }

  private activate(entry: Entry): void {
    if (entry.backoffUntil > this.clock()) {
      this.setState(entry, "backoff");
      return;
    }
    this.setState(entry, "active");
    this.push(entry);
  }

  private push(entry: Entry): void {
    entry.version++;
    this.activeCount++;
    const heap = this.heap;
    heap.push({ entry, version: entry.version });
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!less(heap[i]!.entry, heap[parent]!.entry)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  private popHeap(): HeapItem {
    const heap = this.heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let best = i;
        if (l < heap.length && less(heap[l]!.entry, heap[best]!.entry)) best = l;
        if (r < heap.length && less(heap[r]!.entry, heap[best]!.entry)) best = r;
        if (best === i) break;
        [heap[i], heap[best]] = [heap[best]!, heap[i]!];
        i = best;
      }
    }
    return top;
  }
}
