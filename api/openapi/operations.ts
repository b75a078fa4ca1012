// The REST operations of each served resource, independent of the OpenAPI version.
import { subresourcesOf, type Subresource } from "../discovery/subresources.ts";
import type { ResourceDef } from "../registry/types.ts";
import { kindSchemaName, listSchemaName } from "./kinds.ts";
import { DELETE_OPTIONS, PATCH, schemaName, STATUS } from "./names.ts";
import { CREATE_PARAMS, DELETE_PARAMS, LIST_PARAMS, P, PATCH_PARAMS, type ParamSpec } from "./parameters.ts";
import type { GVK } from "./schema.ts";

export type Method = "get" | "put" | "post" | "delete" | "patch";

export interface Operation {
  path: string;
  method: Method;
  operationId: string;
  description: string;
  tag: string;
  action: string; // x-kubernetes-action
  gvk: GVK;
  params: ParamSpec[];
  /** Request body: a schema name and the media types accepted. */
  body?: { schema: string; mediaTypes: string[] };
  /** Response status codes with the schema name returned; `text` responses are plain strings. */
  responses: Array<{ code: string; schema?: string; text?: boolean }>;
}

const JSON_BODY = ["application/json", "application/yaml"];
// No application/strategic-merge-patch+json on purpose: kubectl apply/diff compute strategic merge
// patches from the OpenAPI v3 schema when a PATCH operation lists it, and fail (with a warning) on
// any field our schemas do not spell out. Without it kubectl uses its compiled-in types, which are
// exact for built-in kinds, and still sends strategic merge patches, which the server accepts.
const PATCH_BODY = ["application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml"];

const OK = (schema: string) => ({ code: "200", schema });
const CREATED = (schema: string) => ({ code: "201", schema });
const ACCEPTED = (schema: string) => ({ code: "202", schema });

const camel = (s: string) => (s ? s[0]!.toUpperCase() + s.slice(1) : s);

/** "rbac.authorization.k8s.io" → "RbacAuthorization", "" → "Core", as in kube operation IDs. */
const groupWord = (group: string) =>
  group
    ? group
        .replace(/\.k8s\.io$/, "")
        .split(/[.-]/)
        .map(camel)
        .join("")
    : "Core";

export const groupTag = (group: string, version: string) =>
  `${group ? group.replace(/\.k8s\.io$/, "").replace(/[.-]/g, "") : "core"}_${version}`;

const CONNECT_PARAMS: Partial<Record<Subresource, ParamSpec[]>> = {
  exec: [P.command, P.container, P.stderr, P.stdin, P.stdout, P.tty],
  attach: [P.container, P.stderr, P.stdin, P.stdout, P.tty],
  portforward: [P.ports],
  proxy: [P.path],
};

/** All operations of one resource, its subresources included. */
export const resourceOperations = (def: ResourceDef): Operation[] => {
  const prefix = def.group ? `/apis/${def.group}/${def.version}` : `/api/${def.version}`;
  const scope = def.namespaced ? `${prefix}/namespaces/{namespace}/${def.resource}` : `${prefix}/${def.resource}`;
  const scopeParams = def.namespaced ? [P.namespace] : [];
  const itemParams = [P.name, ...scopeParams];
  const ns = def.namespaced ? "Namespaced" : "";
  const idBase = `${groupWord(def.group)}${camel(def.version)}`;
  const gvk: GVK = { group: def.group, version: def.version, kind: def.kind };
  const kindName = kindSchemaName(def);
  const listName = listSchemaName(def);
  const tag = groupTag(def.group, def.version);
  const can = (verb: string) => def.verbs.includes(verb);
  const ops: Operation[] = [];
  const op = (o: Omit<Operation, "tag" | "gvk"> & { gvk?: GVK }) => ops.push({ tag, gvk, ...o });

  if (can("list")) {
    op({
      path: scope,
      method: "get",
      operationId: `list${idBase}${ns}${def.kind}`,
      description: `List or watch ${def.kind} objects${def.namespaced ? " in a namespace" : ""}.`,
      action: "list",
      params: [...scopeParams, ...LIST_PARAMS],
      responses: [OK(listName)],
    });
    if (def.namespaced)
      op({
        path: `${prefix}/${def.resource}`,
        method: "get",
        operationId: `list${idBase}${def.kind}ForAllNamespaces`,
        description: `List or watch ${def.kind} objects across all namespaces.`,
        action: "list",
        params: LIST_PARAMS,
        responses: [OK(listName)],
      });
  }
  if (can("create"))
    op({
      path: scope,
      method: "post",
      operationId: `create${idBase}${ns}${def.kind}`,
      description: `Create a ${def.kind}.`,
      action: "post",
      params: [...scopeParams, ...CREATE_PARAMS],
      body: { schema: kindName, mediaTypes: JSON_BODY },
      responses: [OK(kindName), CREATED(kindName), ACCEPTED(kindName)],
    });
  if (can("deletecollection"))
    op({
      path: scope,
      method: "delete",
      operationId: `deleteCollection${idBase}${ns}${def.kind}`,
      description: `Delete every matching ${def.kind}.`,
      action: "deletecollection",
      params: [...scopeParams, ...DELETE_PARAMS, ...LIST_PARAMS.filter((p) => p.name !== "pretty")],
      body: { schema: DELETE_OPTIONS, mediaTypes: JSON_BODY },
      responses: [OK(STATUS)],
    });
  const item = `${scope}/{name}`;
  if (can("get"))
    op({
      path: item,
      method: "get",
      operationId: `read${idBase}${ns}${def.kind}`,
      description: `Read one ${def.kind}.`,
      action: "get",
      params: [...itemParams, P.pretty],
      responses: [OK(kindName)],
    });
  if (can("update"))
    op({
      path: item,
      method: "put",
      operationId: `replace${idBase}${ns}${def.kind}`,
      description: `Replace a ${def.kind}.`,
      action: "put",
      params: [...itemParams, ...CREATE_PARAMS],
      body: { schema: kindName, mediaTypes: JSON_BODY },
      responses: [OK(kindName), CREATED(kindName)],
    });
  if (can("patch"))
    op({
      path: item,
      method: "patch",
      operationId: `patch${idBase}${ns}${def.kind}`,
      description: `Partially update a ${def.kind}.`,
      action: "patch",
      params: [...itemParams, ...PATCH_PARAMS],
      body: { schema: PATCH, mediaTypes: PATCH_BODY },
      responses: [OK(kindName), CREATED(kindName)],
    });
  if (can("delete"))
    op({
      path: item,
      method: "delete",
      operationId: `delete${idBase}${ns}${def.kind}`,
      description: `Delete a ${def.kind}.`,
      action: "delete",
      params: [...itemParams, ...DELETE_PARAMS],
      body: { schema: DELETE_OPTIONS, mediaTypes: JSON_BODY },
      responses: [OK(STATUS), ACCEPTED(STATUS)],
    });

  for (const sub of subresourcesOf(def)) {
    const path = `${item}/${sub.subresource}`;
    const subGvk = sub.responseKind;
    const subSchema = schemaName(subGvk.group, subGvk.version, subGvk.kind);
    const id = (verb: string) => `${verb}${idBase}${ns}${def.kind}${camel(sub.subresource)}`;
    switch (sub.subresource) {
      case "status":
      case "scale":
      case "ephemeralcontainers": {
        const noun =
          sub.subresource === "ephemeralcontainers"
            ? `the ephemeral containers of a ${def.kind}`
            : `the ${sub.subresource} of a ${def.kind}`;
        op({
          path,
          method: "get",
          operationId: id("read"),
          description: `Read ${noun}.`,
          action: "get",
          gvk: subGvk,
          params: [...itemParams, P.pretty],
          responses: [OK(subSchema)],
        });
        op({
          path,
          method: "put",
          operationId: id("replace"),
          description: `Replace ${noun}.`,
          action: "put",
          gvk: subGvk,
          params: [...itemParams, ...CREATE_PARAMS],
          body: { schema: subSchema, mediaTypes: JSON_BODY },
          responses: [OK(subSchema), CREATED(subSchema)],
        });
        op({
          path,
          method: "patch",
          operationId: id("patch"),
          description: `Partially update ${noun}.`,
          action: "patch",
          gvk: subGvk,
          params: [...itemParams, ...PATCH_PARAMS],
          body: { schema: PATCH, mediaTypes: PATCH_BODY },
          responses: [OK(subSchema), CREATED(subSchema)],
        });
        break;
      }
      case "binding":
      case "eviction":
        op({
          path,
          method: "post",
          operationId: id("create"),
          description: `Create a ${subGvk.kind} for a ${def.kind}.`,
          action: "post",
          gvk: subGvk,
          params: [...itemParams, ...CREATE_PARAMS],
          body: { schema: subSchema, mediaTypes: JSON_BODY },
          responses: [OK(subSchema), CREATED(subSchema), ACCEPTED(subSchema)],
        });
        break;
      case "log":
        op({
          path,
          method: "get",
          operationId: id("read"),
          description: `Read the log of a ${def.kind}'s container.`,
          action: "get",
          gvk: subGvk,
          params: [
            ...itemParams,
            P.container,
            P.follow,
            P.limitBytes,
            P.pretty,
            P.previous,
            P.sinceSeconds,
            P.tailLines,
            P.timestamps,
          ],
          responses: [{ code: "200", text: true }],
        });
        break;
      default: {
        const params = [...itemParams, ...(CONNECT_PARAMS[sub.subresource] ?? [])];
        for (const method of ["get", "post"] as const)
          op({
            path,
            method,
            operationId: `connect${idBase}${camel(method)}${ns}${def.kind}${camel(sub.subresource)}`,
            description: `Connect to the ${sub.subresource} endpoint of a ${def.kind}.`,
            action: "connect",
            gvk: subGvk,
            params,
            responses: [{ code: "200", text: true }],
          });
      }
    }
  }
  return ops;
};
