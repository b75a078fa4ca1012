// Shared by the store objects: resolve the resource a forwarded request addresses.
import { pathNotFound } from "../api/errors.ts";
import { findResource } from "../api/registry/index.ts";
import type { ResourceDef } from "../api/registry/types.ts";
import { parseResourcePath, type ResourcePath } from "../api/request/route.ts";

export function resolveResource(request: Request): { path: ResourcePath; def: ResourceDef } {
  const path = parseResourcePath(new URL(request.url).pathname);
  const def = path && findResource(path.group, path.version, path.resource);
  if (!path || !def) throw pathNotFound();
  return { path, def };
}
