// Pull-mode federation members: the agent (`flotilla agent`, started in-process here) runs next
// to a member the federation cannot call, dials out to the federation with the federation's
// admin token, registers the member's Cluster and keeps it Ready with heartbeats, and applies
// the Works the federation writes for it. The member is another logical cluster of this
// deployment, reached over HTTPS through its kubeconfig like any stranger's API server.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { stringify } from "yaml";
import { connectionFromKubeconfig } from "../../federation-agent/config.ts";
import { startFederationAgent, type FederationAgent } from "../../federation-agent/agent.ts";
import { realClock, type Clock } from "../../node-daemon/clock.ts";
import { consoleLogger, silentLogger } from "../../node-daemon/log.ts";
import { call, kubeconfigFor, rootClient } from "./clusters.ts";
import { eventually, kubectl, kubectlOk, type KubectlOptions } from "./kubectl.ts";

const FED = "pull-fed";
const MEMBER = "pull-edge";
const NS = "pull-shop";
const MANAGED_BY = "federation.flotilla.dev/managed-by";
const CLUSTER_LABEL = "federation.flotilla.dev/cluster";
const FINALIZER = "federation.flotilla.dev/agent-cleanup";

let fedToken: string;
let memberToken: string;
let fed: KubectlOptions;
let member: KubectlOptions;
let agent: FederationAgent | undefined;

/** The real clock, counting the timers the agent has pending: a stopped agent must leave none. */
const liveTimers = new Set<number>();
let nextTimer = 0;
const countingClock: Clock = {
  now: () => realClock.now(),
  setTimer(ms, fn) {
    const id = nextTimer++;
    liveTimers.add(id);
    const cancel = realClock.setTimer(ms, () => {
      liveTimers.delete(id);
      fn();
    });
    return () => {
      liveTimers.delete(id);
      cancel();
    };
  },
};

const inFed = (method: string, path: string, body?: unknown, contentType?: string) =>
  call(method, `/clusters/${FED}${path}`, { token: fedToken, body, contentType });
const inMember = (method: string, path: string, body?: unknown) =>
  call(method, `/clusters/${MEMBER}${path}`, { token: memberToken, body });

const WORKS = `/apis/work.karmada.io/v1alpha1/namespaces/${NS}/works`;
const configMap = (name: string, data: Record<string, string>, managedBy?: string) => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name, namespace: NS, ...(managedBy ? { annotations: { [MANAGED_BY]: managedBy } } : {}) },
  data,
});
const work = (name: string, manifests: object[]) => ({
  apiVersion: "work.karmada.io/v1alpha1",
  kind: "Work",
  metadata: { name: `${name}.${MEMBER}`, namespace: NS, labels: { [CLUSTER_LABEL]: MEMBER }, finalizers: [FINALIZER] },
  spec: { workload: { manifests } },
});
const appliedOf = (body: any) => body?.status?.conditions?.find((c: { type: string }) => c.type === "Applied");

beforeAll(async () => {
  const root = rootClient();
  await root.createCluster(FED, "Federation");
  await root.createCluster(MEMBER);
  fedToken = await root.mintToken(FED, "admin");
  memberToken = await root.mintToken(MEMBER, "admin");
  fed = { kubeconfig: kubeconfigFor(FED, fedToken) };
  member = { kubeconfig: kubeconfigFor(MEMBER, memberToken) };
  const kubeconfigPath = member.kubeconfig!;
  agent = startFederationAgent({
    federation: { server: `${inject("server")}/clusters/${FED}`, token: fedToken },
    member: connectionFromKubeconfig(readFileSync(kubeconfigPath, "utf8"), {
      path: kubeconfigPath,
      readFile: (path) => readFileSync(path, "utf8"),
    }),
    clusterName: MEMBER,
    registration: { region: "edge-eu", provider: "onprem", labels: { mode: "pull" } },
    clock: countingClock,
    logger: process.env.AGENT_LOG ? consoleLogger("agent") : silentLogger,
    // Status re-reads sooner than the defaults so the suite does not wait on them.
    timing: { settlingMs: 1000, steadyMs: 3000 },
  });
  expect((await inFed("POST", "/api/v1/namespaces", { metadata: { name: NS } })).status).toBe(201);
}, 120_000);

afterAll(async () => {
  await agent?.stop();
  await rootClient()
    .deleteCluster(MEMBER)
    .catch(() => {});
  await rootClient()
    .deleteCluster(FED)
    .catch(() => {});
}, 120_000);

describe("a Pull-mode member's agent", () => {
  it(
    "registers the member's Cluster in Pull mode and keeps it Ready with heartbeats",
    { timeout: 60_000 },
    async () => {
      let cluster: any;
      await eventually(
        async () => {
          cluster = (await inFed("GET", `/apis/cluster.karmada.io/v1alpha1/clusters/${MEMBER}`)).body;
          const stamped = cluster?.metadata?.annotations?.["federation.flotilla.dev/agent-heartbeat"] !== undefined;
          return stamped && cluster?.status?.conditions?.some((c: any) => c.type === "Ready" && c.status === "True");
        },
        30_000,
        "the Cluster Ready",
      );
      expect(cluster.spec).toMatchObject({ syncMode: "Pull", region: "edge-eu", provider: "onprem" });
      expect(cluster.metadata.labels).toMatchObject({ mode: "pull" });
      expect(cluster.status.kubernetesVersion).toMatch(/^v1\./);
      expect(cluster.status.nodeSummary).toEqual({ totalNum: 0, readyNum: 0 });
      const stamp = Date.parse(cluster.metadata.annotations?.["federation.flotilla.dev/agent-heartbeat"]);
      expect(Math.abs(Date.now() - stamp)).toBeLessThan(30_000);
      expect(await kubectlOk(["get", "clusters"], fed)).toMatch(new RegExp(`${MEMBER}\\s+v1\\.\\S+\\s+Pull\\s+True`));
    },
  );

  it(
    "applies a Work's manifests, reports their status, refuses what it does not own, and cleans up on deletion",
    { timeout: 60_000 },
    async () => {
      // One the agent may apply, one that takes a same-named object the member made itself,
      // and one the member has no kind for.
      expect((await inMember("POST", "/api/v1/namespaces", { metadata: { name: NS } })).status).toBe(201);
      const foreign = configMap("foreign", { owner: "member" });
      expect((await inMember("POST", `/api/v1/namespaces/${NS}/configmaps`, foreign)).status).toBe(201);
      const ours = configMap("hand", { color: "blue" }, "test/hand");
      const taken = configMap("foreign", { owner: "federation" }, "test/foreign");
      const unknown = {
        apiVersion: "example.com/v1",
        kind: "Gadget",
        metadata: { name: "g", namespace: NS, annotations: { [MANAGED_BY]: "test/g" } },
      };
      expect((await inFed("POST", WORKS, work("hand", [ours]))).status).toBe(201);
      expect((await inFed("POST", WORKS, work("mixed", [taken, unknown]))).status).toBe(201);

      let hand: any;
      await eventually(
        async () => {
          hand = (await inFed("GET", `${WORKS}/hand.${MEMBER}`)).body;
          return appliedOf(hand)?.status === "True";
        },
        20_000,
        "the hand Work applied",
      );
      expect(appliedOf(hand)).toMatchObject({ reason: "AppliedSuccessful" });
      expect(hand.status.manifestStatuses).toEqual([
        {
          identifier: { group: "", version: "v1", kind: "ConfigMap", namespace: NS, name: "hand", ordinal: 0 },
          health: "Healthy",
        },
      ]);
      const copy = (await inMember("GET", `/api/v1/namespaces/${NS}/configmaps/hand`)).body;
      expect(copy.data).toEqual({ color: "blue" });
      expect(copy.metadata.annotations[MANAGED_BY]).toBe("test/hand");
      expect(copy.metadata.managedFields.map((f: any) => f.manager)).toContain("karmada-agent");

      let mixed: any;
      await eventually(
        async () => {
          mixed = (await inFed("GET", `${WORKS}/mixed.${MEMBER}`)).body;
          return appliedOf(mixed)?.status === "False";
        },
        20_000,
        "the mixed Work refused",
      );
      expect(appliedOf(mixed)).toMatchObject({ reason: "AppliedFailed" });
      expect(appliedOf(mixed).message).toContain(
        "ConfigMap foreign already exists in the member and is not managed by this federation",
      );
      expect(appliedOf(mixed).message).toContain("the member does not serve Gadget in example.com/v1");
      expect((await inMember("GET", `/api/v1/namespaces/${NS}/configmaps/foreign`)).body.data).toEqual({
        owner: "member",
      });

      // A changed manifest is applied again.
      const changed = {
        ...work("hand", [configMap("hand", { color: "green" }, "test/hand")]),
        metadata: hand.metadata,
      };
      expect((await inFed("PUT", `${WORKS}/hand.${MEMBER}`, changed)).status).toBe(200);
      await eventually(
        async () => (await inMember("GET", `/api/v1/namespaces/${NS}/configmaps/hand`)).body?.data?.color === "green",
        20_000,
        "the changed manifest applied",
      );

      // Deleting a Work removes the agent's copies, never the member's own object, then the finalizer.
      expect((await inFed("DELETE", `${WORKS}/hand.${MEMBER}`)).status).toBeLessThan(300);
      expect((await inFed("DELETE", `${WORKS}/mixed.${MEMBER}`)).status).toBeLessThan(300);
      await eventually(
        async () =>
          (await inFed("GET", `${WORKS}/hand.${MEMBER}`)).status === 404 &&
          (await inFed("GET", `${WORKS}/mixed.${MEMBER}`)).status === 404,
        20_000,
        "both Works gone",
      );
      expect((await inMember("GET", `/api/v1/namespaces/${NS}/configmaps/hand`)).status).toBe(404);
      expect((await inMember("GET", `/api/v1/namespaces/${NS}/configmaps/foreign`)).status).toBe(200);
    },
  );

  it(
    "receives a PropagationPolicy's Deployment and ConfigMap; the bindings report them applied",
    { timeout: 90_000 },
    async () => {
      const manifests = [
        {
          apiVersion: "policy.karmada.io/v1alpha1",
          kind: "PropagationPolicy",
          metadata: { name: "edge", namespace: NS },
          spec: {
            resourceSelectors: [
              { apiVersion: "apps/v1", kind: "Deployment", name: "web" },
              { apiVersion: "v1", kind: "ConfigMap", name: "settings" },
            ],
            placement: { clusterAffinity: { clusterNames: [MEMBER] } },
          },
        },
        { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "settings", namespace: NS }, data: { color: "red" } },
        {
          apiVersion: "apps/v1",
          kind: "Deployment",
          metadata: { name: "web", namespace: NS },
          spec: {
            replicas: 2,
            selector: { matchLabels: { app: "web" } },
            template: {
              metadata: { labels: { app: "web" } },
              spec: { containers: [{ name: "web", image: "example/web:1" }] },
            },
          },
        },
      ];
      await kubectlOk(["apply", "-f", "-"], { ...fed, input: manifests.map((m) => stringify(m)).join("---\n") });

      await eventually(
        async () =>
          (await inMember("GET", `/apis/apps/v1/namespaces/${NS}/deployments/web`)).status === 200 &&
          (await inMember("GET", `/api/v1/namespaces/${NS}/configmaps/settings`)).status === 200,
        30_000,
        "the Deployment and ConfigMap in the member",
      );
      const copy = (await inMember("GET", `/apis/apps/v1/namespaces/${NS}/deployments/web`)).body;
      expect(copy.spec.replicas).toBe(2);
      expect(copy.metadata.annotations[MANAGED_BY]).toBeTruthy();

      // The federation reads the agent's report from the Work into the binding.
      const bindingPath = (name: string) => `/apis/work.karmada.io/v1alpha2/namespaces/${NS}/resourcebindings/${name}`;
      await eventually(
        async () => {
          const [web, settings] = await Promise.all([
            inFed("GET", bindingPath("web-deployment")),
            inFed("GET", bindingPath("settings-configmap")),
          ]);
          const item = (b: any) => b.body?.status?.aggregatedStatus?.find((i: any) => i.clusterName === MEMBER);
          return (
            item(web)?.applied === true && item(settings)?.applied === true && item(settings)?.health === "Healthy"
          );
        },
        30_000,
        "the bindings report the member's copies applied",
      );

      // Deleting the template removes the member's copy through the Work's cleanup.
      await kubectlOk(["delete", "deployment", "web", "-n", NS, "--wait=true"], fed);
      await eventually(
        async () => (await inMember("GET", `/apis/apps/v1/namespaces/${NS}/deployments/web`)).status === 404,
        30_000,
        "web gone from the member",
      );
      await kubectl(["delete", "-n", NS, "cm/settings", "pp/edge"], fed);
    },
  );

  it("stops without leaving timers behind", async () => {
    await agent!.stop();
    expect(agent!.scheduledTimers).toBe(0);
    expect(liveTimers.size).toBe(0);
    await agent!.stop(); // stopping twice is fine
  });
});
