// What each subresource looks like in discovery: its response kind and the verbs it serves.
import type { ResourceDef } from "../registry/types.ts";

export type Subresource = ResourceDef["subresources"][number];

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export interface SubresourceInfo {
  subresource: Subresource;
  responseKind: GroupVersionKind;
  verbs: string[];
}

const CONNECT_VERBS = ["create", "get"];

const describe = (def: ResourceDef, sub: Subresource): Omit<SubresourceInfo, "subresource"> => {
  const own = (kind: string) => ({ group: def.group, version: def.version, kind });
  switch (sub) {
    case "status":
    case "ephemeralcontainers":
      return { responseKind: own(def.kind), verbs: ["get", "patch", "update"] };
    case "scale":
      return {
        responseKind: { group: "autoscaling", version: "v1", kind: "Scale" },
        verbs: ["get", "patch", "update"],
      };
    case "log":
      return { responseKind: own(def.kind), verbs: ["get"] };
    case "exec":
      return { responseKind: own(`${def.kind}ExecOptions`), verbs: CONNECT_VERBS };
    case "attach":
      return { responseKind: own(`${def.kind}AttachOptions`), verbs: CONNECT_VERBS };
    case "portforward":
      return { responseKind: own(`${def.kind}PortForwardOptions`), verbs: CONNECT_VERBS };
    case "proxy":
      return { responseKind: own(`${def.kind}ProxyOptions`), verbs: ["create", "delete", "get", "patch", "update"] };
    case "binding":
      return { responseKind: own("Binding"), verbs: ["create"] };
    case "eviction":
      return { responseKind: { group: "policy", version: "v1", kind: "Eviction" }, verbs: ["create"] };
  }
};

/** The def's subresources, sorted by name, with their discovery facts. */
export const subresourcesOf = (def: ResourceDef): SubresourceInfo[] =>
  [...new Set(def.subresources)].sort().map((subresource) => ({ subresource, ...describe(def, subresource) }));
