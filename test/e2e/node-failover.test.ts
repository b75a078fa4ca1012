// Issue #6's failover acceptance (and issue #4's node lifecycle) with two real node daemons running
// pods as host processes: a daemon that dies without a word leaves its Node NotReady and tainted
// unreachable, its pod turns NotReady and is evicted after its tolerationSeconds, and the Deployment
// is whole again on the other node; the daemon's return clears the taints and cleans up what it left
// running. `kubectl delete node` of a node with pods: the pod GC removes them after its quarantine
// and the Deployment brings them back elsewhere. Real time throughout (the defaults: 40 s grace,
// 40 s quarantine). The file has a logical cluster of its own.
import type { Node, Pod } from "kubernetes-types/core/v1";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ApiClient } from "../../node-daemon/api/client.ts";
import { isNotFound } from "../../node-daemon/api/errors.ts";
import { startNodeDaemon, type NodeDaemon } from "../../node-daemon/daemon.ts";
import { silentLogger } from "../../node-daemon/log.ts";
import { isAlive } from "../../node-daemon/runtime/process/proc.ts";
import type { ProcessRuntime } from "../../node-daemon/runtime/process/runtime.ts";
import { kubeconfigFor, rootClient } from "./clusters.ts";
import { createNamespace, eventually, kubectl, kubectlOk, type KubectlOptions } from "./kubectl.ts";
import { drainRuntime } from "./node-cleanup.ts";

const CLUSTER = "node-failover";
const NS = "failover";
const A = "fo-a";
const B = "fo-b";
/** Each node's pod network on this host (set, so two bridges never pick the same default range). */
const POD_CIDRS: Record<string, string> = { [A]: "10.87.1.0/24", [B]: "10.87.2.0/24" };
const TOLERATION_SECONDS = 5;
const UNREACHABLE = "node.kubernetes.io/unreachable";
const NOT_READY = "node.kubernetes.io/not-ready";
const isRoot = process.getuid?.() === 0;

interface RunningNode {
  stateDir: string;
  daemon?: NodeDaemon;
}
const nodes = new Map<string, RunningNode>();
let admin: ApiClient;
let options: KubectlOptions;

const ok = (args: string[], input?: string) => kubectlOk(args, { ...options, input });

async function startNode(name: string): Promise<NodeDaemon> {
  const node = nodes.get(name)!;
  node.daemon = await startNodeDaemon({
    server: `${inject("server")}/clusters/${CLUSTER}`,
    token: await rootClient().mintToken(CLUSTER, "node", name),
    nodeName: name,
    runtime: "process",
    stateDir: node.stateDir,
    podCIDR: POD_CIDRS[name],
    address: "127.0.0.1",
    logger: silentLogger,
  });
  return node.daemon;
}

/** As a SIGKILL'd daemon: heartbeats and watches stop, the Node is left as it was, pods keep running. */
async function crashNode(name: string): Promise<void> {
  const node = nodes.get(name)!;
  const daemon = node.daemon!;
  node.daemon = undefined;
  await daemon.stop();
}

const runtimeOf = (name: string) => nodes.get(name)!.daemon!.runtime;

async function getNode(name: string): Promise<Node | undefined> {
  try {
    return await admin.get<Node>(`/api/v1/nodes/${name}`);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

async function getPod(name: string): Promise<Pod | undefined> {
  try {
    return await admin.get<Pod>(`/api/v1/namespaces/${NS}/pods/${name}`);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

const condition = (conditions: Array<{ type: string; status: string }> | undefined, type: string) =>
  conditions?.find((c) => c.type === type);
const nodeReady = (node: Node | undefined) => condition(node?.status?.conditions, "Ready")?.status;
const podReady = (pod: Pod | undefined) => condition(pod?.status?.conditions, "Ready")?.status;
const taintsOf = (node: Node | undefined) => (node?.spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`).sort();

/** The Deployment's pods that are not being deleted. */
async function livePods(): Promise<Pod[]> {
  const list = await admin.get<{ items: Pod[] }>(`/api/v1/namespaces/${NS}/pods?labelSelector=app%3Dweb`);
  return list.items.filter((p) => !p.metadata?.deletionTimestamp);
}

/** `kubectl get pods -o wide`, as name → {status, node} (columns found by the header's offsets). */
async function podsWide(): Promise<Map<string, { ready: string; status: string; node: string }>> {
  const [header, ...rows] = (await ok(["get", "pods", "-n", NS, "-l", "app=web", "-o", "wide"])).trimEnd().split("\n");
  const column = (row: string, name: string, next: string) =>
    row.slice(header!.indexOf(name), header!.indexOf(next)).trim();
  const out = new Map<string, { ready: string; status: string; node: string }>();
  for (const row of rows) {
    out.set(row.split(/\s+/)[0]!, {
      ready: column(row, "READY", "STATUS"),
      status: column(row, "STATUS", "RESTARTS"),
      node: column(row, "NODE", "NOMINATED NODE"),
    });
  }
  return out;
}

/** PIDs (with start times) of the running containers the process runtime recorded for a pod. */
function recordedProcesses(stateDir: string, podUid: string): Array<{ pid: number; pidStart?: string }> {
  const dir = join(stateDir, "runtime", "process", "containers");
  const found: Array<{ pid: number; pidStart?: string }> = [];
  for (const id of existsSync(dir) ? readdirSync(dir) : []) {
    const file = join(dir, id, "record.json");
    if (!existsSync(file)) continue;
    const record = JSON.parse(readFileSync(file, "utf8"));
    if (record.pod?.uid === podUid && record.state === "running" && typeof record.pid === "number")
      found.push({ pid: record.pid, pidStart: record.pidStart });
  }
  return found;
}

const rolledOut = () => ok(["rollout", "status", "deployment/web", "-n", NS, "--timeout=90s"]);

const deployment = {
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web" },
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: "web" } },
    template: {
      metadata: { labels: { app: "web" } },
      spec: {
        terminationGracePeriodSeconds: 2,
        // Leave a lost node after 5 s instead of the default 300 s.
        tolerations: [UNREACHABLE, NOT_READY].map((key) => ({
          key,
          operator: "Exists",
          effect: "NoExecute",
          tolerationSeconds: TOLERATION_SECONDS,
        })),
        // One pod per node while both are healthy; a tainted node drops out of the spread (Honor),
        // so the replacement may join its sibling on the surviving node.
        topologySpreadConstraints: [
          {
            maxSkew: 1,
            topologyKey: "kubernetes.io/hostname",
            whenUnsatisfiable: "DoNotSchedule",
            nodeTaintsPolicy: "Honor",
            labelSelector: { matchLabels: { app: "web" } },
          },
        ],
        containers: [
          {
            name: "app",
            image: "example/web:1",
            command: ["sh", "-c", "sleep 3600"],
            readinessProbe: { exec: { command: ["true"] }, periodSeconds: 1 },
          },
        ],
      },
    },
  },
};

describe.skipIf(!isRoot)("node failover with two real nodes", () => {
  beforeAll(async () => {
    const root = rootClient();
    await root.createCluster(CLUSTER);
    const token = await root.mintToken(CLUSTER, "admin");
    options = { kubeconfig: kubeconfigFor(CLUSTER, token) };
    admin = new ApiClient({ server: `${inject("server")}/clusters/${CLUSTER}`, token });
    for (const name of [A, B]) nodes.set(name, { stateDir: mkdtempSync(join(inject("workDir"), `${name}-`)) });
    await Promise.all([A, B].map((name) => startNode(name)));
    await eventually(
      async () => nodeReady(await getNode(A)) === "True" && nodeReady(await getNode(B)) === "True",
      30_000,
      "both nodes Ready",
    );
    await createNamespace(NS, options);
  }, 90_000);

  afterAll(async () => {
    // A node a failed test left down comes back to stop what it still runs.
    for (const [name, node] of nodes) if (!node.daemon) await startNode(name).catch(() => {});
    await kubectl(["delete", "ns", NS, "--ignore-not-found", "--timeout=60s"], options);
    for (const node of nodes.values()) {
      const runtime = node.daemon?.runtime;
      if (!runtime) continue;
      await drainRuntime(runtime);
      await node.daemon!.stop();
      await (runtime as ProcessRuntime).removeNetwork();
    }
    await admin?.close();
    await rootClient().deleteCluster(CLUSTER);
  }, 180_000);

  it("a node whose daemon dies goes NotReady, its pod moves, and the daemon's return cleans up", async () => {
    await ok(["apply", "-n", NS, "-f", "-"], JSON.stringify(deployment));
    await rolledOut();
    const before = await livePods();
    expect(before.map((p) => p.spec?.nodeName).sort()).toEqual([A, B]);
    const wide = await podsWide();
    expect([...wide.values()].map((p) => p.node).sort()).toEqual([A, B]);
    const victim = before.find((p) => p.spec?.nodeName === B)!;
    const victimName = victim.metadata!.name!;
    const processes = recordedProcesses(nodes.get(B)!.stateDir, victim.metadata!.uid!);
    expect(processes.length).toBeGreaterThan(0);

    const crashedAt = Date.now();
    await crashNode(B);
    // Issue #4: NotReady within ~50 s (a 40 s grace after the last renewal, at most 10 s before).
    await eventually(async () => nodeReady(await getNode(B)) === "Unknown", 70_000, "fo-b Ready=Unknown");
    expect(Date.now() - crashedAt).toBeLessThan(60_000);
    const lost = (await getNode(B))!;
    expect(condition(lost.status?.conditions, "Ready")).toMatchObject({ reason: "NodeStatusUnknown" });
    await eventually(async () => taintsOf(await getNode(B)).length === 2, 20_000, "fo-b tainted unreachable");
    const tainted = (await getNode(B))!;
    expect(taintsOf(tainted)).toEqual([`${UNREACHABLE}:NoExecute`, `${UNREACHABLE}:NoSchedule`]);
    expect(nodeReady(await getNode(A))).toBe("True");

    await eventually(async () => podReady(await getPod(victimName)) === "False", 20_000, "the lost pod NotReady");
    await eventually(
      async () => (await getPod(victimName))?.metadata?.deletionTimestamp !== undefined,
      30_000,
      "the lost pod evicted",
    );
    const evicted = (await getPod(victimName))!;
    const disruption = condition(evicted.status?.conditions, "DisruptionTarget") as
      { status: string; reason?: string; lastTransitionTime?: string } | undefined;
    expect(disruption).toMatchObject({ status: "True", reason: "DeletionByTaintManager" });
    // Not before its tolerationSeconds ran out, counted from the NoExecute taint.
    const taintAdded = tainted.spec!.taints!.find((t) => t.effect === "NoExecute")!.timeAdded!;
    expect(Date.parse(disruption!.lastTransitionTime!) - Date.parse(taintAdded)).toBeGreaterThanOrEqual(
      TOLERATION_SECONDS * 1000,
    );

    // Whole again, on the surviving node.
    await rolledOut();
    await eventually(async () => (await livePods()).length === 2, 30_000, "2 live pods");
    const after = await livePods();
    expect(after.map((p) => p.spec?.nodeName)).toEqual([A, A]);
    expect(after.map(podReady)).toEqual(["True", "True"]);
    const running = [...(await podsWide()).values()].filter((p) => p.status === "Running");
    expect(running).toEqual([
      { ready: "1/1", status: "Running", node: A },
      { ready: "1/1", status: "Running", node: A },
    ]);

    // The daemon returns with its state: the node heals and the evicted pod's processes go.
    await startNode(B);
    await eventually(
      async () => {
        const node = await getNode(B);
        return nodeReady(node) === "True" && taintsOf(node).length === 0;
      },
      30_000,
      "fo-b Ready without taints",
    );
    await eventually(async () => (await getPod(victimName)) === undefined, 30_000, "the evicted pod finished");
    await eventually(async () => (await runtimeOf(B).listSandboxes()).length === 0, 30_000, "fo-b's sandboxes gone");
    for (const { pid, pidStart } of processes) expect(isAlive(pid, pidStart), `pid ${pid}`).toBe(false);
    // Nothing moves back: the Deployment is content where it is.
    await rolledOut();
    expect((await livePods()).map((p) => p.spec?.nodeName)).toEqual([A, A]);
  }, 240_000);

  it("kubectl delete node: the pod GC removes its pods after the quarantine, and they come back elsewhere", async () => {
    // Two more replicas: the spread puts both on fo-b.
    await ok(["scale", "deployment/web", "-n", NS, "--replicas=4"]);
    await rolledOut();
    await eventually(async () => (await livePods()).length === 4, 30_000, "4 live pods");
    const onB = (await livePods()).filter((p) => p.spec?.nodeName === B).map((p) => p.metadata!.name!);
    expect(onB).toHaveLength(2);

    const deletedAt = Date.now();
    expect(await ok(["delete", "node", B])).toContain(`node "${B}" deleted`);
    expect(await getNode(B)).toBeUndefined();
    // The pods stay through the quarantine (the node might register again)…
    for (const name of onB) expect((await getPod(name))?.metadata?.deletionTimestamp).toBeUndefined();
    // …then go at once, without waiting for a kubelet.
    await eventually(
      async () => (await Promise.all(onB.map(getPod))).every((p) => p === undefined),
      90_000,
      "fo-b's pods removed",
    );
    expect(Date.now() - deletedAt).toBeGreaterThanOrEqual(35_000);

    await rolledOut();
    await eventually(async () => (await livePods()).length === 4, 30_000, "4 live pods again");
    expect((await livePods()).map((p) => p.spec?.nodeName)).toEqual([A, A, A, A]);
    const wide = [...(await podsWide()).values()];
    expect(wide.filter((p) => p.status === "Running" && p.node === A)).toHaveLength(4);
    // The daemon of the deleted node, still running, stops the pods it was told are gone.
    await eventually(async () => (await runtimeOf(B).listSandboxes()).length === 0, 30_000, "fo-b's sandboxes gone");
  }, 180_000);
});
