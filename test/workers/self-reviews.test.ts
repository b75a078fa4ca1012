// `kubectl auth can-i` / `can-i --list` / `auth whoami`: self reviews answered from the credential.
import { describe, expect, it } from "vitest";
import { createCluster, type Client } from "./helpers.ts";
import { nodeToken } from "./scheduler-fixtures.ts";

const SSAR = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";
const SSRR = "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews";
const SSR = "/apis/authentication.k8s.io/v1/selfsubjectreviews";

const canI = (c: Client, resourceAttributes: Record<string, string>) =>
  c.create(SSAR, {
    apiVersion: "authorization.k8s.io/v1",
    kind: "SelfSubjectAccessReview",
    spec: { resourceAttributes },
  });

describe("self reviews", () => {
  it("an admin may do everything and is told so", async () => {
    const admin = await createCluster("ssar-admin");
    const review = await canI(admin, { verb: "delete", resource: "nodes" });
    expect(review.status, JSON.stringify(review.body)).toBe(201);
    expect(review.body).toMatchObject({
      kind: "SelfSubjectAccessReview",
      apiVersion: "authorization.k8s.io/v1",
      spec: { resourceAttributes: { verb: "delete", resource: "nodes" } },
      status: { allowed: true },
    });
    const rules = await admin.create(SSRR, { kind: "SelfSubjectRulesReview", spec: { namespace: "default" } });
    expect(rules.body).toMatchObject({
      status: { resourceRules: [{ verbs: ["*"], apiGroups: ["*"], resources: ["*"] }], incomplete: false },
    });
    const whoami = await admin.create(SSR, { apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview" });
    expect(whoami.status).toBe(201);
    expect(whoami.body).toMatchObject({
      status: { userInfo: { username: "flotilla:admin", groups: ["system:masters", "system:authenticated"] } },
    });
  });

  it("a node's credential is answered by the node authorizer", async () => {
    const admin = await createCluster("ssar-node");
    const n1 = admin.withToken(await nodeToken(admin, "n1"));
    const allowed = async (attrs: Record<string, string>) =>
      ((await canI(n1, attrs)).body as unknown as { status: { allowed: boolean } }).status.allowed;
    expect(await allowed({ verb: "list", resource: "pods" })).toBe(true);
    expect(await allowed({ verb: "create", resource: "nodes", name: "n1" })).toBe(true);
    expect(await allowed({ verb: "create", resource: "nodes", name: "n2" })).toBe(false);
    expect(await allowed({ verb: "create", resource: "configmaps", namespace: "default" })).toBe(false);
    const whoami = await n1.create(SSR, { kind: "SelfSubjectReview" });
    expect(whoami.body).toMatchObject({ status: { userInfo: { username: "system:node:n1" } } });
  });

  it("needs exactly one of resourceAttributes and nonResourceAttributes (422), and JSON (400)", async () => {
    const admin = await createCluster("ssar-bad");
    const neither = await admin.create(SSAR, { kind: "SelfSubjectAccessReview", spec: {} });
    expect(neither.status).toBe(422);
    expect(neither.body).toMatchObject({
      kind: "Status",
      reason: "Invalid",
      message:
        'SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: "null": ' +
        "exactly one of nonResourceAttributes or resourceAttributes must be specified",
    });
    const both = await admin.create(SSAR, {
      kind: "SelfSubjectAccessReview",
      spec: { resourceAttributes: { verb: "get" }, nonResourceAttributes: { path: "/api", verb: "get" } },
    });
    expect(both.status).toBe(422);
    const rules = await admin.create(SSRR, { kind: "SelfSubjectRulesReview", spec: {} });
    expect(rules.status).toBe(422);
    const wrongKind = await admin.create(SSAR, { kind: "Pod", spec: {} });
    expect(wrongKind.status).toBe(400);
  });

  it("discovery lists the reviews as create-only", async () => {
    const admin = await createCluster("ssar-disc");
    const list = await admin.mustGet<{ resources: Array<{ name: string; verbs: string[] }> }>(
      "/apis/authorization.k8s.io/v1",
    );
    expect(list.resources.map((r) => [r.name, r.verbs])).toEqual([
      ["selfsubjectaccessreviews", ["create"]],
      ["selfsubjectrulesreviews", ["create"]],
    ]);
  });
});
