// The "who am I, and may I" APIs kubectl uses: SelfSubjectAccessReview (`kubectl auth can-i`),
// SelfSubjectRulesReview (`auth can-i --list`), both authorization.k8s.io/v1, and SelfSubjectReview
// (`auth whoami`, authentication.k8s.io/v1). Nothing is stored: each answers about the credential
// that asks. An admin may do everything (as system:masters does); a node's credential is answered
// by the node authorizer that guards its requests.
import { badRequest, invalid } from "../errors.ts";
import { authorizeNode, nodeUserName, type RequestAttributes, type Verb } from "../nodes/authorizer.ts";
import { defineResource } from "../registry/define.ts";
import type { ResourceDef } from "../registry/types.ts";
import { isObject, type KubeObject } from "../types.ts";
import { invalidValue, required } from "../validation/field.ts";

export const AUTHORIZATION_GROUP = "authorization.k8s.io";
export const AUTHENTICATION_GROUP = "authentication.k8s.io";
const VERSION = "v1";

/** Who is asking: the requesting credential. */
export interface Asker {
  role: "admin" | "node";
  /** For a node's credential: the Node it acts as. */
  node?: string;
}

/** Discovery entries: create-only, never routed to a store. */
export const selfReviewResources: ResourceDef[] = [
  defineResource({
    group: AUTHORIZATION_GROUP,
    version: VERSION,
    resource: "selfsubjectaccessreviews",
    kind: "SelfSubjectAccessReview",
    namespaced: false,
    verbs: ["create"],
  }),
  defineResource({
    group: AUTHORIZATION_GROUP,
    version: VERSION,
    resource: "selfsubjectrulesreviews",
    kind: "SelfSubjectRulesReview",
    namespaced: false,
    verbs: ["create"],
  }),
  defineResource({
    group: AUTHENTICATION_GROUP,
    version: VERSION,
    resource: "selfsubjectreviews",
    kind: "SelfSubjectReview",
    namespaced: false,
    verbs: ["create"],
  }),
];

/** The user Kubernetes would report for the asker, with its groups. */
export function userInfo(asker: Asker): { username: string; groups: string[] } {
  return asker.role === "node"
    ? { username: nodeUserName(asker.node ?? ""), groups: ["system:nodes", "system:authenticated"] }
    : { username: "flotilla:admin", groups: ["system:masters", "system:authenticated"] };
}

/** Paths any authenticated user may GET (kube's system:discovery and system:public-info-viewer). */
const DISCOVERY_PATHS = ["/api", "/apis", "/version", "/healthz", "/readyz", "/livez", "/openapi"];

const VERBS: readonly string[] = ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"];

const str = (value: unknown) => (typeof value === "string" ? value : "");

function reviewOf(body: unknown, kind: string, group: string): KubeObject & { spec: Record<string, unknown> } {
  if (!isObject(body)) throw badRequest(`the body of a ${kind} must be a JSON object`);
  if (body.kind !== undefined && body.kind !== kind)
    throw badRequest(`the body's kind is ${JSON.stringify(body.kind)}, not ${kind}`);
  if (body.apiVersion !== undefined && body.apiVersion !== `${group}/${VERSION}`)
    throw badRequest(`the body's apiVersion is ${JSON.stringify(body.apiVersion)}, not ${group}/${VERSION}`);
  return {
    kind,
    apiVersion: `${group}/${VERSION}`,
    metadata: {
      ...(isObject(body.metadata) ? body.metadata : {}),
      creationTimestamp: null,
    } as unknown as KubeObject["metadata"],
    spec: isObject(body.spec) ? body.spec : {},
  };
}

/** A node's answer for resource attributes; conditional verdicts are settled where a review can. */
function nodeDecision(node: string, attrs: RequestAttributes): { allowed: boolean; reason?: string } {
  const decision = authorizeNode(node, attrs);
  if (decision === "allow") return { allowed: true };
  if (decision === "if-named-after-node" && attrs.name === node) return { allowed: true };
  if (decision === "if-pod-bound-here")
    return { allowed: false, reason: `allowed only for pods bound to node "${node}"; a review does not check that` };
  return { allowed: false, reason: `node "${node}" may not ${attrs.verb} ${attrs.resource}` };
}

/** POST …/selfsubjectaccessreviews: may the asker do what spec describes? */
export function selfSubjectAccessReview(body: unknown, asker: Asker): KubeObject {
  const review = reviewOf(body, "SelfSubjectAccessReview", AUTHORIZATION_GROUP);
  const resource = review.spec.resourceAttributes;
  const nonResource = review.spec.nonResourceAttributes;
  if (isObject(resource) === isObject(nonResource)) {
    throw invalid("SelfSubjectAccessReview", AUTHORIZATION_GROUP, "", [
      resource === undefined
        ? invalidValue(
            "spec.resourceAttributes",
            "null",
            "exactly one of nonResourceAttributes or resourceAttributes must be specified",
          )
        : invalidValue(
            "spec.nonResourceAttributes",
            nonResource,
            "cannot be specified in combination with resourceAttributes",
          ),
    ]);
  }
  let status: { allowed: boolean; reason?: string };
  if (asker.role === "admin") status = { allowed: true };
  else if (isObject(resource)) {
    const verb = str(resource.verb);
    status = VERBS.includes(verb)
      ? nodeDecision(asker.node ?? "", {
          verb: verb as Verb,
          group: str(resource.group),
          resource: str(resource.resource),
          ...(str(resource.subresource) ? { subresource: str(resource.subresource) } : {}),
          ...(str(resource.namespace) ? { namespace: str(resource.namespace) } : {}),
          ...(str(resource.name) ? { name: str(resource.name) } : {}),
        })
      : { allowed: false, reason: `nodes may not use the verb "${verb}"` };
  } else {
    const path = str((nonResource as Record<string, unknown>).path);
    const verb = str((nonResource as Record<string, unknown>).verb);
    const discovery = DISCOVERY_PATHS.some((p) => path === p || path.startsWith(`${p}/`));
    status = verb === "get" && discovery ? { allowed: true } : { allowed: false };
  }
  return { ...review, status };
}

/** POST …/selfsubjectrulesreviews: what the asker may do in spec.namespace. */
export function selfSubjectRulesReview(body: unknown, asker: Asker): KubeObject {
  const review = reviewOf(body, "SelfSubjectRulesReview", AUTHORIZATION_GROUP);
  if (str(review.spec.namespace) === "")
    throw invalid("SelfSubjectRulesReview", AUTHORIZATION_GROUP, "", [required("spec.namespace")]);
  const discovery = { verbs: ["get"], nonResourceURLs: DISCOVERY_PATHS.flatMap((p) => [p, `${p}/*`]) };
  const status =
    asker.role === "admin"
      ? {
          resourceRules: [{ verbs: ["*"], apiGroups: ["*"], resources: ["*"] }],
          nonResourceRules: [{ verbs: ["*"], nonResourceURLs: ["*"] }],
          incomplete: false,
        }
      : {
          resourceRules: [],
          nonResourceRules: [discovery],
          incomplete: true,
          evaluationError: "node authorizer does not support user rule resolution",
        };
  return { ...review, status };
}

/** POST …/selfsubjectreviews: who the asker is. */
export function selfSubjectReview(body: unknown, asker: Asker): KubeObject {
  const review = reviewOf(body, "SelfSubjectReview", AUTHENTICATION_GROUP);
  const { spec: _spec, ...rest } = review;
  return { ...rest, status: { userInfo: userInfo(asker) } };
}
