// WATCH over chunked HTTP: initial state or replay from a resourceVersion, then live events.
// Replay and registration happen in one synchronous step, so no event falls between them.
import { settled } from "../runtime.ts";
import { tooOldResourceVersion } from "../../../api/errors.ts";
import { parseListQuery } from "../../../api/list/query.ts";
import { parseResourceVersion } from "../../../api/meta/resource-version.ts";
import { apiVersionOf } from "../../../api/registry/types.ts";
import { negotiateShape } from "../../../api/request/accept.ts";
import { objectFilter } from "../../../api/selectors/object-filter.ts";
import { includeObjectParam } from "../../../api/table/build.ts";
import { deliver, Watcher, type WatchSpec } from "../../watch/watch-hub.ts";
import { WatchStream } from "../../watch/watch-stream.ts";
import type { VerbRequest } from "../verb-request.ts";

const REPLAY_BATCH = 5000;

export interface WatchScope {
  /** Only pods bound to this node (the node daemon's feed). */
  nodeName?: string;
}

export async function watchObjects(v: VerbRequest, scope: WatchScope = {}): Promise<Response> {
  const query = parseListQuery(v.query);
  const fromRevision = parseResourceVersion(query.resourceVersion);
  const spec: WatchSpec = {
    def: v.def,
    resourceKey: v.key,
    namespace: v.namespace,
    nodeName: scope.nodeName,
    filter: objectFilter(v.def, query.labelSelector, query.fieldSelector),
    shape: negotiateShape(v.request.headers.get("accept")),
    include: includeObjectParam(v.query),
  };
  await settled(v.rt);

  const rt = v.rt;
  let watcher: Watcher | undefined = undefined;
  const stream = new WatchStream({
    keepaliveMs: rt.watchTiming.keepaliveMs,
    timeoutMs: query.timeoutSeconds !== undefined ? query.timeoutSeconds * 1000 : undefined,
    onClose: () => {
      if (watcher) rt.hub.remove(watcher);
    },
    bookmark: query.allowWatchBookmarks
      ? () => bookmarkLine(v, Math.max(watcher?.lastRevision ?? 0, rt.listRevision()))
      : undefined,
    bookmarkMs: rt.watchTiming.bookmarkMs,
  });
  const response = new Response(stream.readable, {
    status: 200,
    headers: {
      "content-type": "application/json",
      "cache-control": "no-cache, private",
      "x-content-type-options": "nosniff",
      // Cloudflare (and Miniflare) gzip JSON for clients that accept it, and the compressor holds
      // a stream's events back. Watch events must leave as they happen.
      "content-encoding": "identity",
    },
  });

  const now = rt.now();
  if (query.sendInitialEvents || fromRevision === undefined || fromRevision === 0) {
    // Start with the current state as ADDED events, then everything after it.
    const revision = rt.listRevision();
    watcher = new Watcher(spec, stream, revision);
    for (const row of scope.nodeName !== undefined
      ? rt.objects.listByNode(scope.nodeName)
      : rt.objects.list(v.key, v.namespace)) {
      if (spec.filter.always) watcher.send("ADDED", row.value, now);
      else {
        const obj = JSON.parse(row.value);
        if (spec.filter(obj)) watcher.send("ADDED", row.value, now, obj);
      }
    }
    // Watch-list: a bookmark marks the end of the initial state (the client's "list" is done).
    if (query.sendInitialEvents) stream.write(bookmarkLine(v, revision, { "k8s.io/initial-events-end": "true" }));
  } else {
    const compacted = rt.objects.compactedThrough();
    if (fromRevision < compacted) {
      stream.fail(JSON.stringify(tooOldResourceVersion(fromRevision, compacted + 1).toStatus()));
      return response;
    }
    watcher = new Watcher(spec, stream, fromRevision);
    for (let after = fromRevision; ;) {
      const events = rt.objects.eventsAfter(after, v.key, REPLAY_BATCH);
      for (const event of events) deliver(watcher, event, now);
      if (events.length < REPLAY_BATCH) break;
      after = events[events.length - 1].rv ?? after;
    }
  }
  if (!stream.isClosed) rt.hub.add(watcher);
  return response;
}

function bookmarkLine(v: VerbRequest, revision: number, annotations?: Record<string, string>): string {
  const metadata = { resourceVersion: String(revision), ...(annotations ? { annotations } : {}) };
  const object = { kind: v.def.kind, apiVersion: apiVersionOf(v.def), metadata };
  return JSON.stringify({ type: "BOOKMARK", object }) + "\n";
}
