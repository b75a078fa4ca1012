// Authorization: what a credential may do in its cluster. Admins may do everything; a node's
// credential is limited by the node authorizer (api/nodes/authorizer.ts). The Worker decides
// what the path and, for creates, the body show; a pod's binding is checked by its store.
import { forbidden } from "../api/errors.ts";
import { authorizeNode, forbiddenFor, nodeUserName, requestAttributes, USER_HEADERS } from "../api/nodes/authorizer.ts";
import type { ResourceDef } from "../api/registry/types.ts";
import type { ResourcePath } from "../api/request/route.ts";
import type { Credential } from "../api/tenancy/logical-cluster.ts";
import { isObject } from "../api/types.ts";
import { userInfo, type Asker } from "../api/authz/self-reviews.ts";

export interface Authorized {
  /** The request body, when authorization had to read it (forward this instead of the stream). */
  bodyText?: string;
}

/** The user name Kubernetes would show for this credential. */
export const userName = (credential: Credential) => userInfo(askerOf(credential)).username;

/** The credential as the self-review APIs see it. */
export const askerOf = (credential: Credential): Asker => ({
  role: credential.role,
  ...(credential.subject ? { node: credential.subject } : {}),
});

function nameInBody(text: string): string | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (isObject(value) && isObject(value.metadata) && typeof value.metadata.name === "string")
      return value.metadata.name;
  } catch {
    // Not JSON: no name we can vouch for.
  }
  return undefined;
}

/** Throws 403 Forbidden unless `credential` may make this request. */
export async function authorize(
  credential: Credential,
  request: Request,
  def: ResourceDef,
  path: ResourcePath,
): Promise<Authorized> {
  if (credential.role === "admin") return {};
  const node = credential.subject;
  if (credential.role !== "node" || !node) throw forbidden("this credential has no role in the cluster");
  const attrs = requestAttributes(request.method, new URL(request.url).searchParams, def, path);
  const decision = authorizeNode(node, attrs);
  if (decision === "allow" || decision === "if-pod-bound-here") return {};
  if (decision === "if-named-after-node") {
    const bodyText = await request.text();
    const name = nameInBody(bodyText);
    if (name === node) return { bodyText };
    throw forbiddenFor(nodeUserName(node), name === undefined ? attrs : { ...attrs, name });
  }
  await request.arrayBuffer().catch(() => undefined);
  throw forbiddenFor(nodeUserName(node), attrs);
}

/** Sets the identity headers a store trusts (after removing any a client sent). */
export function setIdentityHeaders(headers: Headers, credential: Credential): void {
  headers.delete(USER_HEADERS.role);
  headers.delete(USER_HEADERS.subject);
  headers.set(USER_HEADERS.role, credential.role);
  if (credential.subject) headers.set(USER_HEADERS.subject, credential.subject);
}
