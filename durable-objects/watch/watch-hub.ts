// The watchers of one store and the fan-out of committed events to them.
// Selector watches see transitions as Kubernetes' watch cache reports them: an object
// that starts matching is ADDED, one that stops matching is DELETED.
import type { ResourceDef } from "../../api/registry/types.ts";
import type { ResponseShape } from "../../api/request/accept.ts";
import type { ObjectFilter } from "../../api/selectors/object-filter.ts";
import { buildTable, partialObjectMetadata, type IncludeObject } from "../../api/table/build.ts";
import type { KubeObject, WatchEventType } from "../../api/types.ts";
import type { EventRow } from "../storage/schema.ts";
import type { WatchStream } from "./watch-stream.ts";

export interface WatchSpec {
  def: ResourceDef;
  resourceKey: string;
  namespace?: string; // undefined: every namespace
  /** The per-node pod feed: pods bound to this node, plus pods leaving it. */
  nodeName?: string;
  filter: ObjectFilter;
  shape: ResponseShape;
  include: IncludeObject;
}

export class Watcher {
  readonly spec: WatchSpec;
  readonly stream: WatchStream;
  private columnsSent = false;
  /** The newest revision this watcher has been sent (for bookmarks). */
  lastRevision: number;

  constructor(spec: WatchSpec, stream: WatchStream, fromRevision: number) {
    this.spec = spec;
    this.stream = stream;
    this.lastRevision = fromRevision;
  }

  /** Sends one event in the shape the client asked for. */
  send(type: WatchEventType, value: string, now: Date, parsed?: KubeObject): void {
    if (this.spec.shape === "object") {
      this.stream.send(type, value);
      return;
    }
    const obj = parsed ?? (JSON.parse(value) as KubeObject);
    if (this.spec.shape === "PartialObjectMetadata") {
      this.stream.send(type, JSON.stringify(partialObjectMetadata(obj)));
      return;
    }
    const table = buildTable(this.spec.def, [obj], now, { include: this.spec.include, withColumns: !this.columnsSent });
    this.columnsSent = true;
    this.stream.send(type, JSON.stringify(table));
  }
}

export class WatchHub {
  private readonly watchers = new Set<Watcher>();
  private readonly now: () => Date;

  constructor(now: () => Date) {
    this.now = now;
  }

  get size() {
    return this.watchers.size;
  }

  add(watcher: Watcher): void {
    this.watchers.add(watcher);
  }

  remove(watcher: Watcher): void {
    this.watchers.delete(watcher);
  }

  /** Fans out events that now carry their cluster revision, in revision order. */
  publish(events: EventRow[]): void {
    if (this.watchers.size === 0) return;
    const now = this.now();
    for (const event of events) {
      for (const watcher of this.watchers) {
        if (watcher.stream.isClosed) {
          this.watchers.delete(watcher);
          continue;
        }
        deliver(watcher, event, now);
      }
    }
  }

  closeAll(): void {
    for (const watcher of this.watchers) watcher.stream.close();
    this.watchers.clear();
  }
}

/** Sends `event` to `watcher` if it concerns it, translating selector transitions. */
export function deliver(watcher: Watcher, event: EventRow, now: Date): void {
  const spec = watcher.spec;
  if (event.resource !== spec.resourceKey || event.rv === null) return;
  if (spec.namespace !== undefined && event.namespace !== spec.namespace) return;
  if (event.rv <= watcher.lastRevision) return;
  watcher.lastRevision = event.rv;

  if (spec.nodeName !== undefined) {
    const onNode = event.nodeName === spec.nodeName;
    const wasOnNode = event.prevNodeName === spec.nodeName;
    if (!onNode && !wasOnNode) return;
    if (!onNode && event.type !== "DELETED") {
      watcher.send("DELETED", event.value, now);
      return;
    }
    if (onNode && !wasOnNode && event.type === "MODIFIED") {
      watcher.send("ADDED", event.value, now);
      return;
    }
  }

  if (spec.filter.always) {
    watcher.send(event.type, event.value, now);
    return;
  }
  const current = JSON.parse(event.value) as KubeObject;
  const matchesNow = spec.filter(current);
  if (event.type !== "MODIFIED") {
    if (matchesNow) watcher.send(event.type, event.value, now, current);
    return;
  }
  // No previous value recorded means nothing a selector looks at changed.
  const matchedBefore = event.prevValue === null ? matchesNow : spec.filter(JSON.parse(event.prevValue) as KubeObject);
  if (matchesNow && matchedBefore) watcher.send("MODIFIED", event.value, now, current);
  else if (matchesNow) watcher.send("ADDED", event.value, now, current);
  else if (matchedBefore) watcher.send("DELETED", event.value, now, current);
}
