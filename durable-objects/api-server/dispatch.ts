// Maps an HTTP request on a resource path to the generic verb that serves it.
import { methodNotAllowed, pathNotFound } from "../../api/errors.ts";
import type { ResourceDef } from "../../api/registry/types.ts";
import type { ResourcePath } from "../../api/request/route.ts";
import { resourceKey } from "../../api/registry/index.ts";
import { errorResponse } from "./respond.ts";
import type { StoreRuntime } from "./runtime.ts";
import type { VerbRequest } from "./verb-request.ts";
import { createBinding } from "./verbs/binding.ts";
import { createObject } from "./verbs/create.ts";
import { createEviction } from "./verbs/eviction.ts";
import { deleteCollection, deleteObject } from "./verbs/delete.ts";
import { getObject } from "./verbs/get.ts";
import { listObjects } from "./verbs/list.ts";
import { patchObject, updateObject } from "./verbs/update.ts";
import { watchObjects } from "./verbs/watch.ts";

/** Subresources the generic store serves; others (log, exec, binding…) are routed elsewhere. */
const STORED_SUBRESOURCES = new Set(["status", "scale", "ephemeralcontainers"]);

const isWatch = (query: URLSearchParams) => {
  const watch = query.get("watch");
  return watch === "true" || watch === "1";
};

export async function dispatch(
  rt: StoreRuntime,
  request: Request,
  def: ResourceDef,
  path: ResourcePath,
): Promise<Response> {
  try {
    const url = new URL(request.url);
    const v: VerbRequest = {
      rt,
      def,
      key: resourceKey(def),
      namespace: def.namespaced ? path.namespace : "",
      name: path.name,
      subresource: path.subresource,
      request,
      query: url.searchParams,
    };
    // pods/binding and pods/eviction: POST-only subresources with their own verbs.
    const podAction =
      def.group === "" && def.resource === "pods" && path.name !== undefined ? path.subresource : undefined;
    if (podAction === "binding" || podAction === "eviction") {
      if (request.method.toUpperCase() !== "POST")
        throw methodNotAllowed(`the server does not allow this method on the requested resource`);
      return await (podAction === "binding" ? createBinding(v) : createEviction(v));
    }
    if (
      path.subresource !== undefined &&
      (!STORED_SUBRESOURCES.has(path.subresource) || !def.subresources.includes(path.subresource as "status"))
    ) {
      throw pathNotFound();
    }
    const method = request.method.toUpperCase();
    if (path.name === undefined) {
      if (method === "GET") return await (isWatch(v.query) ? watchObjects(v) : listObjects(v));
      if (method === "POST") return await createObject(v);
      if (method === "DELETE") return await deleteCollection(v);
      throw methodNotAllowed(`the server does not allow this method on the requested resource`);
    }
    if (method === "GET") return await getObject(v);
    if (method === "PUT") return await updateObject(v);
    if (method === "PATCH") return await patchObject(v);
    if (method === "DELETE" && path.subresource === undefined) return await deleteObject(v);
    throw methodNotAllowed(`the server does not allow this method on the requested resource`);
  } catch (err) {
    return errorResponse(err);
  }
}
