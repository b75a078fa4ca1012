// Server-side apply end to end: real kubectl 1.30 and 1.33 (`apply --server-side`, conflicts,
// `--force-conflicts`, `--show-managed-fields`), client-node's apply-patch calls, and the raw API.
import {
  ApiException,
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  setHeaderOptions,
  type V1ConfigMap,
  type V1Deployment,
} from "@kubernetes/client-node";
import { parse as parseYaml } from "yaml";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { call, rootClient } from "./clusters.ts";
import { createNamespace, kubectl, kubectlFails, kubectlOk } from "./kubectl.ts";

type Obj = Record<string, any>;

const deployment = (name: string, replicas: number, extra: { labels?: Record<string, string> } = {}) => `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels: ${JSON.stringify({ app: name, ...extra.labels })}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports: [{containerPort: 80}]
`;

/** `{manager → fieldsV1}` of an object's managedFields, plus each entry's operation. */
function entries(obj: Obj): Record<string, { operation: string; fieldsV1: Obj; apiVersion: string }> {
  const out: Record<string, { operation: string; fieldsV1: Obj; apiVersion: string }> = {};
  for (const entry of obj.metadata.managedFields ?? []) out[entry.manager] = entry;
  return out;
}

const CONFLICT_HELP = "Please review the fields above--they currently have other managers.";

describe.each(["1.30", "1.33"])("kubectl %s apply --server-side", (version) => {
  const ns = `ssa-${version.replace(".", "")}`;
  const kn = (args: string[], input?: string) => kubectlOk([...args, "-n", ns], { version, input });
  const getYaml = async (what: string[]) =>
    parseYaml(await kn(["get", ...what, "-o", "yaml", "--show-managed-fields"])) as Obj;

  beforeAll(async () => {
    await createNamespace(ns, { version });
  });

  it("creates (201), re-applies unchanged as a no-op, and shows the Apply entry", async () => {
    const result = await kubectl(["apply", "--server-side", "-f", "-", "-n", ns, "-v=6"], {
      version,
      input: deployment("web", 2),
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("deployment.apps/web serverside-applied");
    expect(result.stderr).toMatch(/PATCH.*deployments\/web\?fieldManager=kubectl.*201 Created/);

    const first = await getYaml(["deploy", "web"]);
    expect(await kn(["apply", "--server-side", "-f", "-"], deployment("web", 2))).toContain("serverside-applied");
    const second = await getYaml(["deploy", "web"]);
    expect(second.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
    expect(second.metadata.managedFields).toEqual(first.metadata.managedFields);

    const kubectlEntry = entries(second).kubectl;
    expect(kubectlEntry.operation).toBe("Apply");
    expect(kubectlEntry.apiVersion).toBe("apps/v1");
    expect(kubectlEntry.fieldsV1).toEqual({
      "f:metadata": { "f:labels": { "f:app": {} } },
      "f:spec": {
        "f:replicas": {},
        "f:selector": {},
        "f:template": {
          "f:metadata": { "f:labels": { "f:app": {} } },
          "f:spec": {
            "f:containers": {
              'k:{"name":"web"}': {
                ".": {},
                "f:image": {},
                "f:name": {},
                "f:ports": { 'k:{"containerPort":80,"protocol":"TCP"}': { ".": {}, "f:containerPort": {} } },
              },
            },
          },
        },
      },
    });
  });

  it("a Service it creates gets a cluster IP and node port, as a create would", async () => {
    const service = `apiVersion: v1
kind: Service
metadata: {name: front}
spec:
  type: NodePort
  selector: {app: front}
  ports: [{port: 80}]
`;
    expect(await kn(["apply", "--server-side", "-f", "-"], service)).toContain("service/front serverside-applied");
    const created = await getYaml(["svc", "front"]);
    expect(created.spec.clusterIP).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(created.spec.ports[0].nodePort).toBeGreaterThanOrEqual(30000);
  });

  it("a second manager changing spec.replicas gets the conflict; --force-conflicts takes it over", async () => {
    const stderr = await kubectlFails(["apply", "--server-side", "--field-manager=other", "-f", "-", "-n", ns], {
      version,
      input: deployment("web", 5),
    });
    expect(stderr).toContain('error: Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas');
    expect(stderr).toContain(CONFLICT_HELP);
    expect(await kn(["get", "deploy", "web", "-o", "jsonpath={.spec.replicas}"])).toBe("2");

    // A server-side dry run computes the forced apply and stores nothing.
    const dry = await kn(
      ["apply", "--server-side", "--field-manager=other", "--force-conflicts", "--dry-run=server", "-f", "-"],
      deployment("web", 5),
    );
    expect(dry).toContain("deployment.apps/web serverside-applied (server dry run)");
    expect(await kn(["get", "deploy", "web", "-o", "jsonpath={.spec.replicas}"])).toBe("2");

    const out = await kn(
      ["apply", "--server-side", "--field-manager=other", "--force-conflicts", "-f", "-"],
      deployment("web", 5),
    );
    expect(out).toContain("deployment.apps/web serverside-applied");
    const live = await getYaml(["deploy", "web"]);
    expect(live.spec.replicas).toBe(5);
    const owners = entries(live);
    expect(owners.other.fieldsV1["f:spec"]["f:replicas"]).toEqual({});
    // The field left kubectl's entry; the fields both apply with the same value stay shared.
    expect(owners.kubectl.fieldsV1["f:spec"]["f:replicas"]).toBeUndefined();
    expect(owners.kubectl.fieldsV1["f:spec"]["f:selector"]).toEqual({});
  });

  it("a field dropped from the manifest is removed when nobody else owns it", async () => {
    await kn(["apply", "--server-side", "-f", "-"], deployment("pruned", 1, { labels: { tier: "front" } }));
    expect(await kn(["get", "deploy", "pruned", "-o", "jsonpath={.metadata.labels.tier}"])).toBe("front");
    await kn(["apply", "--server-side", "-f", "-"], deployment("pruned", 1));
    const live = await getYaml(["deploy", "pruned"]);
    expect(live.metadata.labels).toEqual({ app: "pruned" });
  });

  it("fields set by client-side apply and kubectl label are Update entries later applies conflict with", async () => {
    await kn(["apply", "-f", "-"], deployment("csa", 1));
    await kn(["label", "deploy", "csa", "tier=back"]);
    const live = await getYaml(["deploy", "csa"]);
    const owners = entries(live);
    expect(owners["kubectl-client-side-apply"]).toMatchObject({ operation: "Update", apiVersion: "apps/v1" });
    expect(owners["kubectl-client-side-apply"].fieldsV1["f:spec"]["f:replicas"]).toEqual({});
    expect(owners["kubectl-label"]).toMatchObject({
      operation: "Update",
      fieldsV1: { "f:metadata": { "f:labels": { "f:tier": {} } } },
    });

    const stderr = await kubectlFails(["apply", "--server-side", "--field-manager=other", "-f", "-", "-n", ns], {
      version,
      input: deployment("csa", 3, { labels: { tier: "front" } }),
    });
    expect(stderr).toContain("error: Apply failed with 2 conflicts: conflicts with");
    expect(stderr).toContain('conflicts with "kubectl-client-side-apply" using apps/v1:\n- .spec.replicas');
    expect(stderr).toContain('conflicts with "kubectl-label" using apps/v1:\n- .metadata.labels.tier');
  });

  it("kubectl's own manager upgrades a client-side applied object without conflicts", async () => {
    await kn(["apply", "-f", "-"], deployment("upgrade", 1));
    expect(await kn(["apply", "--server-side", "-f", "-"], deployment("upgrade", 4))).toContain("serverside-applied");
    expect(await kn(["get", "deploy", "upgrade", "-o", "jsonpath={.spec.replicas}"])).toBe("4");
    // Back to client-side apply: the annotation was kept up to date.
    await kn(["apply", "-f", "-"], deployment("upgrade", 2));
    expect(await kn(["get", "deploy", "upgrade", "-o", "jsonpath={.spec.replicas}"])).toBe("2");
  });
});

describe("client-node server-side apply", () => {
  const kc = new KubeConfig();
  kc.loadFromFile(inject("kubeconfig"));
  const objects = KubernetesObjectApi.makeApiClient(kc);
  const apps = kc.makeApiClient(AppsV1Api);
  const core = kc.makeApiClient(CoreV1Api);
  const ns = "ssa-client-node";
  const applyPatch = setHeaderOptions("Content-Type", PatchStrategy.ServerSideApply);

  beforeAll(async () => {
    await core.createNamespace({ body: { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } } });
  });

  it("KubernetesObjectApi.patch with PatchStrategy.ServerSideApply creates, then conflicts, then forces", async () => {
    const spec = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "applied", namespace: ns },
      data: { a: "1" },
    };
    const created = await objects.patch<V1ConfigMap>(
      spec,
      undefined,
      undefined,
      "me",
      true,
      PatchStrategy.ServerSideApply,
    );
    expect(created.data).toEqual({ a: "1" });
    expect(created.metadata?.managedFields).toEqual([
      expect.objectContaining({ manager: "me", operation: "Apply", fieldsV1: { "f:data": { "f:a": {} } } }),
    ]);

    const changed = { ...spec, data: { a: "2" } };
    let conflict: ApiException<unknown> | undefined;
    try {
      await objects.patch(changed, undefined, undefined, "you", false, PatchStrategy.ServerSideApply);
    } catch (err) {
      if (!(err instanceof ApiException)) throw err;
      conflict = err;
    }
    expect(conflict?.code).toBe(409);
    const status = typeof conflict?.body === "string" ? JSON.parse(conflict.body) : conflict?.body;
    expect(status).toMatchObject({
      kind: "Status",
      reason: "Conflict",
      code: 409,
      message: 'Apply failed with 1 conflict: conflict with "me": .data.a',
      details: { causes: [{ reason: "FieldManagerConflict", message: 'conflict with "me"', field: ".data.a" }] },
    });

    const forced = await objects.patch<V1ConfigMap>(
      changed,
      undefined,
      undefined,
      "you",
      true,
      PatchStrategy.ServerSideApply,
    );
    expect(forced.data).toEqual({ a: "2" });
  });

  it("the typed API with the apply-patch content type", async () => {
    const body: V1Deployment = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "typed", namespace: ns },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: "typed" } },
        template: {
          metadata: { labels: { app: "typed" } },
          spec: { containers: [{ name: "web", image: "nginx:1.27" }] },
        },
      },
    };
    const created = await apps.patchNamespacedDeployment(
      { name: "typed", namespace: ns, body, fieldManager: "typed-client", force: true },
      applyPatch,
    );
    expect(created.metadata?.uid).toBeTruthy();
    // Another manager applies just the replicas: the rest stays as the first applier set it.
    const scaled = await apps.patchNamespacedDeployment(
      {
        name: "typed",
        namespace: ns,
        body: { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "typed" }, spec: { replicas: 3 } },
        fieldManager: "scaler",
        force: true,
      },
      applyPatch,
    );
    expect(scaled.spec?.replicas).toBe(3);
    expect(scaled.spec?.template.spec?.containers[0].image).toBe("nginx:1.27");
    const managers = (scaled.metadata?.managedFields ?? []).map((entry) => entry.manager);
    expect(managers.sort()).toEqual(["scaler", "typed-client"]);
  });
});

describe("apply over the raw API", () => {
  const path = "/clusters/default/api/v1/namespaces/default/configmaps/raw-applied";

  it("requires a field manager (422), answers 201 on create and 200 after", async () => {
    const body = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "raw-applied" }, data: { k: "v" } };
    const contentType = "application/apply-patch+yaml";
    const token = await rootClient().mintToken("default", "admin");
    const missing = await call("PATCH", path, { token, body, contentType });
    expect(missing.status).toBe(422);
    expect(missing.body.message).toBe(
      'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
    );
    const created = await call("PATCH", path + "?fieldManager=raw", { token, body, contentType });
    expect(created.status).toBe(201);
    const again = await call("PATCH", path + "?fieldManager=raw", { token, body, contentType });
    expect(again.status).toBe(200);
    expect(again.body.metadata.resourceVersion).toBe(created.body.metadata.resourceVersion);
  });
});
