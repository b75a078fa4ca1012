// Federation as users drive it: the `flotilla` CLI makes a Federation cluster and joins two member
// clusters to it; real kubectl applies Karmada manifests to the federation; a process node in one
// member runs the propagated Deployment, and `kubectl rollout status` on the federation's template
// follows the members' rollout.
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { CoreV1Api, CustomObjectsApi, KubeConfig } from "@kubernetes/client-node";
import { inject } from "vitest";
import { call, kubeconfigFor, rootClient } from "./clusters.ts";
import { eventually, kubectl, kubectlOk, type KubectlOptions } from "./kubectl.ts";
import { runFlotilla, runFlotillaOk } from "./flotilla-cli.ts";
import { startProcessNode, type ProcessNode } from "./process-node.ts";

const FED = "fed-e2e";
const EAST = "fed-east";
const WEST = "fed-west";
const NS = "shop";
const VERSIONS = (process.env.E2E_KUBECTL_VERSIONS ?? "1.30,1.33").split(",");

let east: ProcessNode;
let fed: KubectlOptions;
let west: KubectlOptions;
/** The CLI's home for this file (its kubeconfig and state). */
let home: string;

const flotillaOk = (args: string[], home: string) => runFlotillaOk(home, args);

const policy = (name: string, selectors: object[], placement: object) => ({
  apiVersion: "policy.karmada.io/v1alpha1",
  kind: "PropagationPolicy",
  metadata: { name, namespace: NS },
  spec: { resourceSelectors: selectors, placement },
});

const web = (replicas: number, image: string) => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", namespace: NS },
  spec: {
    replicas,
    selector: { matchLabels: { app: "web" } },
    template: {
      metadata: { labels: { app: "web" } },
      spec: {
        terminationGracePeriodSeconds: 2,
        containers: [
          {
            name: "web",
            image,
            command: ["sh", "-c", "sleep 3600"],
            readinessProbe: { exec: { command: ["true"] }, periodSeconds: 1 },
          },
        ],
      },
    },
  },
});

const yamlDocs = (...objects: object[]) => objects.map((o) => stringify(o)).join("---\n");

beforeAll(async () => {
  home = mkdtempSync(join(inject("workDir"), "fed-"));
  east = await startProcessNode(EAST, "fed-east-node", "10.87.9.0/24");
  expect(await flotillaOk(["cluster", "create", FED, "--federation"], home)).toContain(`cluster "${FED}" created`);
  await flotillaOk(["cluster", "create", WEST], home);
  await flotillaOk(["cluster", "join", EAST, "--federation", FED, "--region", "us-east", "--label", "tier=gold"], home);
  await flotillaOk(["cluster", "join", WEST, "--federation", FED, "--region", "us-west"], home);
  const root = rootClient();
  fed = { kubeconfig: kubeconfigFor(FED, await root.mintToken(FED, "admin")) };
  west = { kubeconfig: kubeconfigFor(WEST, await root.mintToken(WEST, "admin")) };
  const registry = await call("GET", `/apis/tenancy.flotilla.dev/v1alpha1/logicalclusters/${FED}`, {
    token: inject("rootToken"),
  });
  expect(registry.body.spec).toEqual({ type: "Federation" });
}, 120_000);

afterAll(async () => {
  await kubectl(["delete", "ns", NS, "--ignore-not-found", "--timeout=60s"], fed).catch(() => {});
  await east?.stop([NS]);
  await rootClient()
    .deleteCluster(WEST)
    .catch(() => {});
  await rootClient()
    .deleteCluster(FED)
    .catch(() => {});
}, 120_000);

describe.each(VERSIONS)("federation with kubectl %s", (version) => {
  const ok = (args: string[], options: KubectlOptions, input?: string) =>
    kubectlOk(args, { ...options, version, input });

  it("kubectl get clusters shows both members Ready, with their version", { timeout: 60_000 }, async () => {
    await eventually(
      async () => {
        const out = await ok(["get", "clusters"], fed);
        return (
          new RegExp(`${EAST}\\s+v1\\.\\S+\\s+Push\\s+True`).test(out) &&
          new RegExp(`${WEST}\\s+v1\\.\\S+\\s+Push\\s+True`).test(out)
        );
      },
      40_000,
      "both members Ready",
    );
  });

  it(
    "propagates a Deployment by policy; rollout status follows the members; deletion cleans up",
    { timeout: 120_000 },
    async () => {
      await kubectl(["create", "ns", NS], { ...fed, version });
      await ok(
        ["apply", "-f", "-"],
        fed,
        yamlDocs(
          policy("web", [{ apiVersion: "apps/v1", kind: "Deployment", name: "web" }], {
            clusterAffinity: { labelSelector: { matchLabels: { tier: "gold" } } },
          }),
          policy("settings", [{ apiVersion: "v1", kind: "ConfigMap", name: "settings" }], {
            clusterAffinity: { clusterNames: [EAST, WEST] },
          }),
          {
            apiVersion: "v1",
            kind: "ConfigMap",
            metadata: { name: "settings", namespace: NS },
            data: { color: "blue" },
          },
          web(2, "example/web:1"),
        ),
      );
      // The federation runs no pods; the member with the node runs both replicas.
      await ok(["rollout", "status", "deployment/web", "-n", NS, "--timeout=90s"], fed);
      expect(await ok(["get", "pods", "-n", NS, "-o", "name"], fed)).toBe("");
      const pods = await ok(
        ["get", "pods", "-n", NS, "-l", "app=web", "-o", "jsonpath={.items[*].status.phase}"],
        east.options,
      );
      expect(pods.split(" ")).toEqual(["Running", "Running"]);
      const template = JSON.parse(await ok(["get", "deployment", "web", "-n", NS, "-o", "json"], fed));
      expect(template.status).toMatchObject({ replicas: 2, readyReplicas: 2, availableReplicas: 2 });
      expect(template.metadata.labels).toMatchObject({ "propagationpolicy.karmada.io/name": "web" });

      // The ConfigMap went to both members; the Deployment only to the gold one.
      await eventually(
        async () => (await kubectl(["get", "cm", "settings", "-n", NS], { ...west, version })).code === 0,
        20_000,
        "settings in west",
      );
      expect((await kubectl(["get", "deployment", "web", "-n", NS], { ...west, version })).code).not.toBe(0);
      const bindings = await ok(["get", "resourcebindings", "-n", NS], fed);
      expect(bindings).toMatch(/web-deployment\s+True\s+True/);

      // A new image rolls out through the federation.
      await ok(["set", "image", "deployment/web", "web=example/web:2", "-n", NS], fed);
      await ok(["rollout", "status", "deployment/web", "-n", NS, "--timeout=90s"], fed);
      const image = await ok(
        ["get", "deployment", "web", "-n", NS, "-o", "jsonpath={.spec.template.spec.containers[0].image}"],
        east.options,
      );
      expect(image).toBe("example/web:2");

      await ok(["delete", "deployment", "web", "-n", NS, "--wait=true"], fed);
      await eventually(
        async () => (await kubectl(["get", "deployment", "web", "-n", NS], east.options)).code !== 0,
        30_000,
        "web gone from east",
      );
      await ok(["delete", "-n", NS, "cm/settings", "pp/web", "pp/settings"], fed);
      await eventually(
        async () => (await kubectl(["get", "cm", "settings", "-n", NS], west)).code !== 0,
        30_000,
        "settings gone from west",
      );
    },
  );
});

describe("federation with @kubernetes/client-node", () => {
  it(
    "creates Karmada policies with CustomObjectsApi and reads the bindings they make",
    { timeout: 60_000 },
    async () => {
      const kc = new KubeConfig();
      kc.loadFromFile(fed.kubeconfig ?? "");
      const custom = kc.makeApiClient(CustomObjectsApi);
      const core = kc.makeApiClient(CoreV1Api);
      const ns = "client-node-fed";
      await core.createNamespace({ body: { metadata: { name: ns } } });
      await custom.createNamespacedCustomObject({
        group: "policy.karmada.io",
        version: "v1alpha1",
        namespace: ns,
        plural: "propagationpolicies",
        body: {
          apiVersion: "policy.karmada.io/v1alpha1",
          kind: "PropagationPolicy",
          metadata: { name: "cm" },
          spec: {
            resourceSelectors: [{ apiVersion: "v1", kind: "ConfigMap" }],
            placement: { clusterAffinity: { clusterNames: [WEST] } },
          },
        },
      });
      await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: "hello" }, data: { a: "1" } } });
      await eventually(
        async () => {
          const list = (await custom.listNamespacedCustomObject({
            group: "work.karmada.io",
            version: "v1alpha2",
            namespace: ns,
            plural: "resourcebindings",
          })) as {
            items: Array<{ metadata: { name: string }; status?: { aggregatedStatus?: Array<{ applied?: boolean }> } }>;
          };
          const found = list.items.find((b) => b.metadata.name === "hello-configmap");
          return found?.status?.aggregatedStatus?.[0]?.applied === true;
        },
        30_000,
        "the binding applied",
      );
      expect((await kubectl(["get", "cm", "hello", "-n", ns, "-o", "name"], west)).stdout.trim()).toBe(
        "configmap/hello",
      );
      await kubectl(["delete", "ns", ns, "--timeout=60s"], fed);
    },
  );
});

describe("flotilla cluster join and unjoin", () => {
  it("join refuses a federation that does not exist or is not one, before writing anything", async () => {
    const missing = await runFlotilla(home, ["cluster", "join", EAST, "--federation", "no-such-fed"]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('federation "no-such-fed" does not exist');
    const standard = await runFlotilla(home, ["cluster", "join", EAST, "--federation", WEST]);
    expect(standard.code).not.toBe(0);
    expect(standard.stderr).toContain(`cluster "${WEST}" is not a federation`);
    expect((await kubectl(["get", "ns", "karmada-cluster"], west)).code).not.toBe(0);
  });

  it(
    "takes the federation's copies off the member, then removes its Cluster and Secret",
    { timeout: 60_000 },
    async () => {
      await kubectl(["create", "ns", "unjoin"], fed);
      await kubectlOk(["apply", "-f", "-"], {
        ...fed,
        input: yamlDocs(
          policy("leaving", [{ apiVersion: "v1", kind: "ConfigMap", name: "leaving" }], {
            clusterAffinity: { clusterNames: [WEST] },
          }),
          { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "leaving", namespace: "unjoin" }, data: { a: "1" } },
        ).replaceAll(`namespace: ${NS}`, "namespace: unjoin"),
      });
      await eventually(
        async () => (await kubectl(["get", "cm", "leaving", "-n", "unjoin"], west)).code === 0,
        20_000,
        "leaving in west",
      );
      expect(await flotillaOk(["cluster", "unjoin", WEST, "--federation", FED], home)).toContain(
        `left federation "${FED}"`,
      );
      expect((await kubectl(["get", "cm", "leaving", "-n", "unjoin"], west)).code).not.toBe(0);
      expect(await kubectlOk(["get", "clusters", "-o", "name"], fed)).not.toContain(WEST);
      expect((await kubectl(["get", "secret", WEST, "-n", "karmada-cluster"], fed)).code).not.toBe(0);
    },
  );
});
