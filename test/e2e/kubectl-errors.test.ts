// Bad requests get Kubernetes Status errors (kubectl prints them its usual way) and change nothing.
import { beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { call, kubeconfigFor, rootClient } from "./clusters.ts";
import { configMap, createNamespace, kubectl, kubectlFails, kubectlOk } from "./kubectl.ts";

const ns = "errors";
const version = "1.33";

/**
 * Names and resourceVersions of the namespace's ConfigMaps: the "nothing changed" witness (the
 * ones controllers keep, such as kube-root-ca.crt, may change on their own and are left out).
 */
const snapshot = async () =>
  JSON.parse(await kubectlOk(["get", "cm", "-n", ns, "-o", "json"], { version }))
    .items.filter((item: any) => !item.metadata.name.startsWith("kube-"))
    .map((item: any) => `${item.metadata.name}@${item.metadata.resourceVersion}`);

beforeAll(async () => {
  await createNamespace(ns, { version });
  await kubectlOk(["create", "-n", ns, "-f", "-"], { version, input: configMap("present", { a: "1" }) });
});

describe("kubectl errors", () => {
  it("an invalid name is Invalid (422) and creates nothing", async () => {
    const before = await snapshot();
    const err = await kubectlFails(["create", "-n", ns, "-f", "-"], { version, input: configMap("Bad_Name") });
    expect(err).toContain('The ConfigMap "Bad_Name" is invalid');
    expect(err).toContain('metadata.name: Invalid value: "Bad_Name"');
    expect(await snapshot()).toEqual(before);
  });

  it("several invalid fields are each listed", async () => {
    const err = await kubectlFails(["create", "-n", ns, "-f", "-"], {
      version,
      input: JSON.stringify({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "bad-labels", labels: { "bad key!": "x", ok: "bad value!" } },
      }),
    });
    expect(err).toContain('The ConfigMap "bad-labels" is invalid');
    expect(err).toContain("metadata.labels");
    expect(err).toContain("bad key!");
    expect(err).toContain("bad value!");
  });

  it("get of a missing object is NotFound", async () => {
    expect(await kubectlFails(["get", "cm", "missing", "-n", ns], { version })).toContain(
      'Error from server (NotFound): configmaps "missing" not found',
    );
    expect(await kubectlFails(["get", "deploy", "missing", "-n", ns], { version })).toContain(
      'Error from server (NotFound): deployments.apps "missing" not found',
    );
    expect(await kubectlFails(["get", "ns", "missing-namespace"], { version })).toContain(
      'Error from server (NotFound): namespaces "missing-namespace" not found',
    );
  });

  it("creating a duplicate is AlreadyExists and keeps the original", async () => {
    const before = await snapshot();
    const err = await kubectlFails(["create", "-n", ns, "-f", "-"], {
      version,
      input: configMap("present", { a: "2" }),
    });
    expect(err).toContain(
      'Error from server (AlreadyExists): error when creating "STDIN": configmaps "present" already exists',
    );
    expect(await kubectlOk(["get", "cm", "present", "-n", ns, "-o", "jsonpath={.data.a}"], { version })).toBe("1");
    expect(await snapshot()).toEqual(before);
  });

  it("an invalid label selector is BadRequest", async () => {
    for (const selector of ["a=(b", "a in b", "!!!"]) {
      expect(await kubectlFails(["get", "cm", "-n", ns, "-l", selector], { version })).toContain(
        "Error from server (BadRequest)",
      );
    }
  });

  it("an unsupported field selector is BadRequest", async () => {
    expect(await kubectlFails(["get", "cm", "-n", ns, "--field-selector", "spec.nothing=x"], { version })).toContain(
      "Error from server (BadRequest)",
    );
  });

  it("an update with a stale resourceVersion is a Conflict and changes nothing", async () => {
    const current = JSON.parse(await kubectlOk(["get", "cm", "present", "-n", ns, "-o", "json"], { version }));
    const before = await snapshot();
    const stale = { ...current, metadata: { ...current.metadata, resourceVersion: "1" }, data: { a: "stale" } };
    const err = await kubectlFails(["replace", "-n", ns, "-f", "-"], { version, input: JSON.stringify(stale) });
    expect(err).toContain("Error from server (Conflict)");
    expect(await snapshot()).toEqual(before);
  });

  it("the system namespaces cannot be deleted", async () => {
    for (const name of ["default", "kube-system", "kube-public"]) {
      expect(await kubectlFails(["delete", "namespace", name], { version })).toContain(
        `Error from server (Forbidden): namespaces "${name}" is forbidden: this namespace may not be deleted`,
      );
      expect(await kubectlOk(["get", "namespace", name, "-o", "jsonpath={.status.phase}"], { version })).toBe("Active");
    }
  });

  it("the raw errors are Kubernetes Status objects", async () => {
    const token = await rootClient().mintToken("default", "admin");
    const missing = await call("GET", `/clusters/default/api/v1/namespaces/${ns}/configmaps/missing`, { token });
    expect(missing.status).toBe(404);
    expect(missing.contentType).toMatch(/^application\/json/);
    expect(missing.body).toMatchObject({
      kind: "Status",
      apiVersion: "v1",
      status: "Failure",
      reason: "NotFound",
      code: 404,
      message: 'configmaps "missing" not found',
      details: { name: "missing", kind: "configmaps" },
    });
    const invalid = await call("POST", `/clusters/default/api/v1/namespaces/${ns}/configmaps`, {
      token,
      body: JSON.parse(configMap("Bad_Name")),
    });
    expect(invalid.status).toBe(422);
    expect(invalid.body).toMatchObject({
      kind: "Status",
      reason: "Invalid",
      code: 422,
      details: { kind: "ConfigMap" },
    });
    expect(invalid.body.details.causes).toContainEqual(expect.objectContaining({ field: "metadata.name" }));
    const unknownPath = await call("GET", "/clusters/default/api/v1/nothings", { token });
    expect(unknownPath.status).toBe(404);
    expect(unknownPath.body).toMatchObject({ kind: "Status", code: 404 });
  });

  it("a wrong token is Unauthorized and changes nothing", async () => {
    const kubeconfig = kubeconfigFor("default", "flt_not-a-real-token");
    const before = await snapshot();
    for (const args of [
      ["get", "cm", "-n", ns],
      // Without --validate=false kubectl stops at downloading the OpenAPI document (also a 401).
      ["create", "-n", ns, "-f", "-", "--validate=false"],
    ]) {
      const result = await kubectl(args, { version, kubeconfig, input: configMap("intruder") });
      expect(result.code).not.toBe(0);
      // kubectl names the failed step for writes: "(error when creating "STDIN": Unauthorized)".
      expect(result.stderr).toMatch(/You must be logged in to the server \((.*: )?Unauthorized\)/);
    }
    expect(await snapshot()).toEqual(before);
    const raw = await call("GET", `/clusters/default/api/v1/namespaces/${ns}/configmaps`, { token: "bogus" });
    expect(raw.status).toBe(401);
    expect(raw.body).toMatchObject({ kind: "Status", reason: "Unauthorized", code: 401 });
    const none = await call("GET", `/clusters/default/api/v1/namespaces/${ns}/configmaps`);
    expect(none.status).toBe(401);
  });

  it("a token of another cluster is Unauthorized here", async () => {
    const created = await call("POST", "/apis/tenancy.flotilla.dev/v1alpha1/logicalclusters", {
      token: inject("rootToken"),
      body: { apiVersion: "tenancy.flotilla.dev/v1alpha1", kind: "LogicalCluster", metadata: { name: "other" } },
    });
    expect([201, 409]).toContain(created.status);
    const minted = await call("POST", "/apis/tenancy.flotilla.dev/v1alpha1/logicalclusters/other/token", {
      token: inject("rootToken"),
      body: { spec: { role: "admin" } },
    });
    expect(minted.status).toBe(201);
    const otherToken: string = minted.body.status.token;
    expect(otherToken).toBeTruthy();

    // The token works in its own cluster …
    const own = kubeconfigFor("other", otherToken);
    expect(await kubectlOk(["get", "ns", "default", "-o", "name"], { version, kubeconfig: own })).toBe(
      "namespace/default\n",
    );
    await kubectlOk(["create", "-n", "default", "-f", "-"], { version, kubeconfig: own, input: configMap("in-other") });

    // … and nowhere else: a kubeconfig for cluster "default" carrying the other cluster's token.
    const before = await snapshot();
    const foreign = kubeconfigFor("default", otherToken);
    for (const args of [
      ["get", "cm", "-n", ns],
      ["create", "-n", ns, "-f", "-", "--validate=false"],
      ["delete", "cm", "present", "-n", ns],
    ]) {
      const result = await kubectl(args, { version, kubeconfig: foreign, input: configMap("from-other") });
      expect(result.code).not.toBe(0);
      // kubectl names the failed step for writes: "(error when creating "STDIN": Unauthorized)".
      expect(result.stderr).toMatch(/You must be logged in to the server \((.*: )?Unauthorized\)/);
    }
    expect(await snapshot()).toEqual(before);
    // The clusters do not share objects either.
    const here = await kubectl(["get", "cm", "in-other", "-n", "default"], { version });
    expect(here.stderr).toContain("(NotFound)");
  });

  it("a cluster token cannot reach the cluster registry", async () => {
    const token = await rootClient().mintToken("default", "admin");
    const listed = await call("GET", "/apis/tenancy.flotilla.dev/v1alpha1/logicalclusters", { token });
    expect([401, 403]).toContain(listed.status);
    expect(listed.body).toMatchObject({ kind: "Status" });
  });

  it("an unknown cluster is NotFound or Unauthorized, never served", async () => {
    const token = await rootClient().mintToken("default", "admin");
    const result = await call("GET", "/clusters/no-such-cluster/api/v1/namespaces", { token });
    expect([401, 403, 404]).toContain(result.status);
    expect(result.body).toMatchObject({ kind: "Status" });
  });
});
