// The store's half of the node authorizer: a node may write the status of, and delete, only
// the pods bound to it. The Worker forwards who is asking in USER_HEADERS (set by it alone).
import {
  authorizeNode,
  forbiddenFor,
  nodeUserName,
  requestAttributes,
  USER_HEADERS,
} from "../../api/nodes/authorizer.ts";
import type { ResourceDef } from "../../api/registry/types.ts";
import type { ResourcePath } from "../../api/request/route.ts";
import { isRecord } from "../../api/validation/shape.ts";
import type { StoreRuntime } from "../api-server/runtime.ts";

/** Throws 403 when a node's request touches a pod that is not bound to it. */
export async function guardNodeRequest(
  rt: StoreRuntime,
  request: Request,
  def: ResourceDef,
  path: ResourcePath,
): Promise<void> {
  if (request.headers.get(USER_HEADERS.role) !== "node") return;
  const node = request.headers.get(USER_HEADERS.subject) ?? "";
  const attrs = requestAttributes(request.method, new URL(request.url).searchParams, def, path);
  const decision = authorizeNode(node, attrs);
  const refuse = async () => {
    await request.arrayBuffer().catch(() => undefined);
    return forbiddenFor(nodeUserName(node), attrs);
  };
  if (decision === "deny") throw await refuse();
  if (decision !== "if-pod-bound-here" || path.name === undefined) return;
  await rt.settle();
  const row = rt.objects.get("pods", path.namespace ?? "", path.name);
  if (!row) return; // the verb answers 404
  const spec = (JSON.parse(row.value) as { spec?: unknown }).spec;
  if (!isRecord(spec) || spec.nodeName !== node) throw await refuse();
}
