// Shared by the store objects: resolve the resource a forwarded request addresses.
import { pathNotFound } from "../api/errors.ts";
import type { ResourceDef } from "../api/registry/types.ts";
import { parseResourcePath, type ResourcePath } from "../api/request/route.ts";

export type FindResource = (group: string, version: string, resource: string) => Promise<ResourceDef | undefined>;

export async function resolveResource(
  request: Request,
  find: FindResource,
): Promise<{ path: ResourcePath; def: ResourceDef }> {
  const path = parseResourcePath(new URL(request.url).pathname);
  const def = path && (await find(path.group, path.version, path.resource));
  if (!path || !def) throw pathNotFound();
  return { path, def };
}
