// The per-node pod feed, served by the ClusterStore: `GET /api/v1/pods?fieldSelector=spec.nodeName=<n>`
// lists and watches exactly the pods bound to a node across every namespace, from the nodeName
// index; a watch asked for with `Upgrade: websocket` streams the same events as WebSocket text
// messages (one JSON event each). Resume after a disconnect with `resourceVersion`.
import { encodeContinue } from "../../api/list/continue-token.ts";
import { parseListQuery } from "../../api/list/query.ts";
import { resourceKey } from "../../api/registry/index.ts";
import { apiVersionOf, type ResourceDef } from "../../api/registry/types.ts";
import { negotiateShape } from "../../api/request/accept.ts";
import type { ResourcePath } from "../../api/request/route.ts";
import { objectFilter } from "../../api/selectors/object-filter.ts";
import { buildTable, includeObjectParam, partialObjectMetadata } from "../../api/table/build.ts";
import type { KubeObject } from "../../api/types.ts";
import { json, jsonText } from "../api-server/respond.ts";
import type { StoreRuntime } from "../api-server/runtime.ts";
import type { VerbRequest } from "../api-server/verb-request.ts";
import { watchObjects } from "../api-server/verbs/watch.ts";

const isWatch = (query: URLSearchParams) => {
  const watch = query.get("watch");
  return watch === "true" || watch === "1";
};

export const isWebSocketUpgrade = (request: Request) =>
  (request.headers.get("upgrade") ?? "").toLowerCase() === "websocket";

/** The node a pods request is scoped to by `spec.nodeName=<n>` (or `==`), if any. */
export function feedNode(def: ResourceDef, path: ResourcePath, query: URLSearchParams): string | undefined {
  if (def.group !== "" || def.resource !== "pods" || path.namespace !== undefined || path.name !== undefined)
    return undefined;
  const selector = query.get("fieldSelector");
  if (!selector) return undefined;
  const { fieldSelector } = parseListQuery(new URLSearchParams({ fieldSelector: selector }));
  const term = fieldSelector?.find((r) => r.field === "spec.nodeName" && r.op === "=");
  return term && term.value !== "" ? term.value : undefined;
}

/**
 * Serves what the generic verbs would, faster or over another transport: the node feed (list and
 * watch from the nodeName index) and any watch over WebSocket. Undefined: not ours, dispatch it.
 */
export async function serveFeed(
  rt: StoreRuntime,
  request: Request,
  def: ResourceDef,
  path: ResourcePath,
): Promise<Response | undefined> {
  if (request.method.toUpperCase() !== "GET" || path.name !== undefined || path.subresource !== undefined)
    return undefined;
  const query = new URL(request.url).searchParams;
  const node = feedNode(def, path, query);
  const watch = isWatch(query);
  const upgrade = isWebSocketUpgrade(request);
  if (node === undefined && !(watch && upgrade)) return undefined;
  const v: VerbRequest = {
    rt,
    def,
    key: resourceKey(def),
    namespace: def.namespaced ? path.namespace : "",
    request,
    query,
  };
  if (!watch) return listNodePods(v, node!);
  const response = await watchObjects(v, node === undefined ? {} : { nodeName: node });
  return upgrade ? overWebSocket(response) : response;
}

/** The pods bound to `node` (index lookup), filtered by the remaining selectors, paginated. */
async function listNodePods(v: VerbRequest, node: string): Promise<Response> {
  const query = parseListQuery(v.query);
  await v.rt.settle();
  const filter = objectFilter(v.def, query.labelSelector, query.fieldSelector);
  const revision = query.continue?.rv ?? v.rt.listRevision();
  const start = query.continue?.start;
  const rows = v.rt.objects
    .listByNode(node)
    .map((row) => ({ row, key: `${row.namespace}/${row.name}` }))
    .filter((entry) => start === undefined || entry.key > start)
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const selected: Array<{ value: string; key: string; obj?: KubeObject }> = [];
  let more = false;
  for (const { row, key } of rows) {
    const obj = JSON.parse(row.value) as KubeObject;
    if (!filter(obj)) continue;
    if (query.limit !== undefined && selected.length === query.limit) {
      more = true;
      break;
    }
    selected.push({ value: row.value, key, obj });
  }
  const resourceVersion = String(revision);
  const last = selected[selected.length - 1];
  const continueToken = more && last ? encodeContinue({ rv: revision, start: last.key }) : undefined;
  const metadata: Record<string, string> = { resourceVersion };
  if (continueToken) metadata.continue = continueToken;
  const shape = negotiateShape(v.request.headers.get("accept"));
  if (shape === "object") {
    const head = `{"kind":${JSON.stringify(v.def.listKind)},"apiVersion":${JSON.stringify(apiVersionOf(v.def))},"metadata":${JSON.stringify(metadata)},"items":[`;
    return jsonText(head + selected.map((s) => s.value).join(",") + "]}");
  }
  const objects = selected.map((s) => s.obj!);
  if (shape === "PartialObjectMetadata") {
    return json({
      kind: "PartialObjectMetadataList",
      apiVersion: "meta.k8s.io/v1",
      metadata,
      items: objects.map(partialObjectMetadata),
    });
  }
  return json(
    buildTable(v.def, objects, v.rt.now(), {
      include: includeObjectParam(v.query),
      resourceVersion,
      continue: continueToken,
    }),
  );
}

/** Re-sends a chunked watch response's events as WebSocket text messages, one event each. */
export function overWebSocket(response: Response): Response {
  if (response.status !== 200 || !response.body) return response;
  const pair = new WebSocketPair();
  const [client, server] = Object.values(pair) as [WebSocket, WebSocket];
  server.accept();
  const reader = response.body.getReader();
  let open = true;
  const close = (code: number, reason: string) => {
    if (!open) return;
    open = false;
    try {
      server.close(code, reason);
    } catch {
      // Already closing.
    }
  };
  server.addEventListener("close", () => {
    open = false;
    void reader.cancel().catch(() => {});
  });
  server.addEventListener("error", () => {
    open = false;
    void reader.cancel().catch(() => {});
  });
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done || !open) break;
        buffer += decoder.decode(value, { stream: true });
        let newline: number;
        while ((newline = buffer.indexOf("\n")) >= 0) {
          const line = buffer.slice(0, newline);
          buffer = buffer.slice(newline + 1);
          // Blank lines are the HTTP stream's keepalives; WebSocket has its own.
          if (line.trim() !== "" && open) server.send(line);
        }
      }
      if (buffer.trim() !== "" && open) server.send(buffer);
      close(1000, "watch ended");
    } catch {
      close(1011, "watch failed");
    }
  })();
  return new Response(null, { status: 101, webSocket: client });
}
