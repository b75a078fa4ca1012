// LIST: selectors, pagination with continue tokens, Table/metadata-only shapes.
import { settled } from "../runtime.ts";
import { encodeContinue } from "../../../api/list/continue-token.ts";
import { parseListQuery, type ListQuery } from "../../../api/list/query.ts";
import { apiVersionOf } from "../../../api/registry/types.ts";
import { negotiateShape } from "../../../api/request/accept.ts";
import { objectFilter } from "../../../api/selectors/object-filter.ts";
import { buildTable, includeObjectParam, partialObjectMetadata } from "../../../api/table/build.ts";
import type { KubeObject } from "../../../api/types.ts";
import type { StoredValue } from "../../storage/object-store.ts";
import { json, jsonText } from "../respond.ts";
import { expiredContinue } from "../../../api/errors.ts";
import { currentRows, scanAtRevision, SnapshotGone } from "./list-snapshot.ts";
import type { VerbRequest } from "../verb-request.ts";

const PAGE_SCAN = 1000;

export interface Selection {
  rows: StoredValue[];
  objects?: KubeObject[]; // parsed, when filtering needed them
  continueKey?: { namespace: string; name: string };
  revision: number;
}

/**
 * The objects a list (or deletecollection) selects, in key order, at most `limit`. A continue
 * token whose snapshot the log no longer holds is 410 Expired, with a token that goes on from the
 * current state.
 */
export function selectObjects(v: VerbRequest, query: ListQuery): Selection {
  try {
    return selectFrom(v, query);
  } catch (err) {
    if (!(err instanceof SnapshotGone) || !query.continue) throw err;
    throw expiredContinue(encodeContinue({ rv: 0, start: query.continue.start }));
  }
}

function selectFrom(v: VerbRequest, query: ListQuery): Selection {
  const filter = objectFilter(v.def, query.labelSelector, query.fieldSelector);
  // A continue token's revision (0: an inconsistent token, which reads the current state).
  const snapshotAt = query.continue && query.continue.rv > 0 ? query.continue.rv : undefined;
  const revision = snapshotAt ?? v.rt.listRevision();
  const scan =
    snapshotAt === undefined
      ? currentRows(v.rt.objects, v.key, v.namespace)
      : scanAtRevision(v.rt.objects, v.key, v.namespace, snapshotAt);
  let after = query.continue ? splitKey(query.continue.start) : undefined;
  const limit = query.limit && query.limit > 0 ? query.limit : undefined;
  const rows: StoredValue[] = [];
  const objects: KubeObject[] = [];
  for (;;) {
    const batch = scan(after, limit === undefined ? undefined : Math.max(PAGE_SCAN, limit + 1));
    for (const row of batch) {
      if (!filter.always) {
        const obj = JSON.parse(row.value) as KubeObject;
        if (!filter(obj)) continue;
        objects.push(obj);
      }
      if (limit !== undefined && rows.length === limit) {
        const last = rows[rows.length - 1];
        return {
          rows,
          objects: filter.always ? undefined : objects.slice(0, limit),
          continueKey: { namespace: last.namespace, name: last.name },
          revision,
        };
      }
      rows.push(row);
    }
    if (limit === undefined || batch.length === 0 || batch.length < Math.max(PAGE_SCAN, limit + 1)) break;
    const last = batch[batch.length - 1];
    after = { namespace: last.namespace, name: last.name };
  }
  return { rows, objects: filter.always ? undefined : objects, revision };
}

type Key = { namespace: string; name: string };

const joinKey = (key: Key) => `${key.namespace}/${key.name}`;
function splitKey(key: string): Key {
  const slash = key.indexOf("/");
  return slash < 0 ? { namespace: "", name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

export async function listObjects(v: VerbRequest): Promise<Response> {
  const query = parseListQuery(v.query);
  await settled(v.rt);
  const selection = selectObjects(v, query);
  const resourceVersion = String(selection.revision);
  const continueToken = selection.continueKey
    ? encodeContinue({ rv: selection.revision, start: joinKey(selection.continueKey) })
    : undefined;
  const shape = negotiateShape(v.request.headers.get("accept"));
  if (shape === "object") {
    const metadata: Record<string, string> = { resourceVersion };
    if (continueToken) metadata.continue = continueToken;
    const head = `{"kind":${JSON.stringify(v.def.listKind)},"apiVersion":${JSON.stringify(apiVersionOf(v.def))},"metadata":${JSON.stringify(metadata)},"items":[`;
    return jsonText(head + selection.rows.map((row) => row.value).join(",") + "]}");
  }
  const objects = selection.objects ?? selection.rows.map((row) => JSON.parse(row.value) as KubeObject);
  if (shape === "PartialObjectMetadata") {
    return json({
      kind: "PartialObjectMetadataList",
      apiVersion: "meta.k8s.io/v1",
      metadata: continueToken ? { resourceVersion, continue: continueToken } : { resourceVersion },
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
