// The parsed request every verb handler receives.
import { badRequest } from "../../api/errors.ts";
import type { ResourceDef } from "../../api/registry/types.ts";
import type { KubeObject } from "../../api/types.ts";
import type { StoreRuntime } from "./runtime.ts";

export interface VerbRequest {
  rt: StoreRuntime;
  def: ResourceDef;
  /** Storage key of the resource, e.g. "pods", "deployments.apps". */
  key: string;
  /** The object's namespace ("" for cluster-scoped); undefined for requests across all namespaces. */
  namespace: string | undefined;
  name?: string;
  subresource?: string;
  request: Request;
  query: URLSearchParams;
}

export const targetOf = (v: VerbRequest) => ({ group: v.def.group, resource: v.def.resource, name: v.name });

/** `dryRun=All` is the only value Kubernetes accepts. */
export function isDryRun(query: URLSearchParams): boolean {
  const values = query.getAll("dryRun");
  for (const value of values) {
    if (value !== "All") throw badRequest(`Invalid dryRun value: "${value}": supported values: "All"`);
  }
  return values.length > 0;
}

export const parseObject = (value: string) => JSON.parse(value) as KubeObject;
