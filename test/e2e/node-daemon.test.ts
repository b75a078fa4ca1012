// The node daemon against the suite's control plane, with real containers: Docker (when an
// engine answers and the test image local/busybox:1 is present) and host processes (as root,
// each pod in its own network namespace). Pods are bound with spec.nodeName directly.
import type { Pod } from "kubernetes-types/core/v1";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import http from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { ApiClient } from "../../node-daemon/api/client.ts";
import { ApiError, isNotFound } from "../../node-daemon/api/errors.ts";
import { startNodeDaemon, type NodeDaemon } from "../../node-daemon/daemon.ts";
import { silentLogger } from "../../node-daemon/log.ts";
import type { ProcessRuntime } from "../../node-daemon/runtime/process/runtime.ts";
import type { RuntimeName } from "../../node-daemon/runtime/types.ts";
import { rootClient } from "./clusters.ts";
import { eventually, kubectl } from "./kubectl.ts";

const NAMESPACE = "node-e2e";
const IMAGE = "local/busybox:1";

const dockerReady =
  spawnSync("docker", ["image", "inspect", IMAGE], { stdio: "ignore" }).status === 0 &&
  existsSync("/var/run/docker.sock");
const isRoot = process.getuid?.() === 0;

let admin: ApiClient;

beforeAll(async () => {
  const token = await rootClient().mintToken("default", "admin");
  admin = new ApiClient({ server: `${inject("server")}/clusters/default`, token });
  try {
    await admin.post("/api/v1/namespaces", { apiVersion: "v1", kind: "Namespace", metadata: { name: NAMESPACE } });
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 409)) throw err;
  }
});

afterAll(async () => {
  await admin.close();
});

async function startNode(name: string, runtime: RuntimeName, stateDir: string): Promise<NodeDaemon> {
  const token = await rootClient().mintToken("default", "node", name);
  return startNodeDaemon({
    server: `${inject("server")}/clusters/default`,
    token,
    nodeName: name,
    runtime,
    stateDir,
    address: "127.0.0.1",
    // A pod network of its own: no two end-to-end files share a bridge range.
    podCIDR: "10.87.4.0/24",
    logger: silentLogger,
    // This file binds its pods with spec.nodeName. The taint keeps the scheduler from placing other
    // files' pending pods here (this is the shared default cluster): they would outlive the file.
    taints: [{ key: "flotilla.dev/e2e-node", value: "node-daemon", effect: "NoSchedule" }],
  });
}

/**
 * A stopped node still looks Ready until its lease expires: the scheduler would bind the next
 * files' pods (this is the shared default cluster) to it, and they would never run or finish
 * terminating. Its Node goes with it.
 */
async function forgetNode(name: string): Promise<void> {
  try {
    await admin.delete(`/api/v1/nodes/${name}`);
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

const podPath = (name: string) => `/api/v1/namespaces/${NAMESPACE}/pods/${name}`;

async function getPod(name: string): Promise<Pod | undefined> {
  try {
    return await admin.get<Pod>(podPath(name));
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

async function createPod(pod: Pod): Promise<Pod> {
  return admin.post<Pod>(`/api/v1/namespaces/${NAMESPACE}/pods`, { apiVersion: "v1", kind: "Pod", ...pod });
}

async function waitForPod(name: string, check: (pod: Pod) => boolean, what: string, timeoutMs = 30_000): Promise<Pod> {
  let last: Pod | undefined;
  await eventually(
    async () => {
      last = await getPod(name);
      return last !== undefined && check(last);
    },
    timeoutMs,
    `${name}: ${what}`,
  ).catch((err) => {
    throw new Error(`${err.message}; last status: ${JSON.stringify(last?.status)}`);
  });
  return last!;
}

const ready = (pod: Pod) => pod.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;

function httpGet(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { timeout: 3000, agent: false }, (response) => {
        let body = "";
        response.on("data", (chunk) => (body += chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
      })
      .on("error", reject)
      .on("timeout", function (this: http.ClientRequest) {
        this.destroy(new Error(`GET ${url} timed out`));
      });
  });
}

async function events(name: string): Promise<string[]> {
  const list = await admin.get(
    `/api/v1/namespaces/${NAMESPACE}/events?fieldSelector=${encodeURIComponent(`involvedObject.name=${name}`)}`,
  );
  return (list.items as Array<{ reason: string; message: string }>).map((e) => `${e.reason}: ${e.message}`);
}

function httpdPod(name: string, nodeName: string, extra: Partial<Pod["spec"]> = {}): Pod {
  return {
    metadata: { name, namespace: NAMESPACE, labels: { app: name } },
    spec: {
      nodeName,
      terminationGracePeriodSeconds: 5,
      containers: [
        {
          name: "web",
          image: IMAGE,
          command: [
            "sh",
            "-c",
            `mkdir -p /tmp/$(NAME); echo hello from $(NAME) > /tmp/$(NAME)/index.html; exec httpd -f -p 8080 -h /tmp/$(NAME)`,
          ],
          env: [{ name: "NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } }],
          readinessProbe: { httpGet: { path: "/index.html", port: 8080 }, periodSeconds: 1 },
        },
      ],
      ...extra,
    },
  };
}

async function deletePod(name: string, gracePeriodSeconds?: number): Promise<void> {
  try {
    await admin.delete(
      podPath(name) + (gracePeriodSeconds === undefined ? "" : `?gracePeriodSeconds=${gracePeriodSeconds}`),
    );
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  await eventually(async () => (await getPod(name)) === undefined, 30_000, `${name} deleted`);
}

describe.skipIf(!dockerReady)("node daemon with the docker runtime", () => {
  const node = "e2e-docker";
  let daemon: NodeDaemon;
  let stateDir: string;

  const dockerContainers = (pod: Pod) =>
    spawnSync("docker", ["ps", "-aq", "--filter", `label=io.kubernetes.pod.uid=${pod.metadata?.uid}`], {
      encoding: "utf8",
    }).stdout.trim();

  beforeAll(async () => {
    stateDir = mkdtempSync(join(inject("workDir"), "node-docker-"));
    daemon = await startNode(node, "docker", stateDir);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(
      // A short grace: the containers' shells ignore SIGTERM, and cleanup need not wait 30 s for each.
      ["web", "gated", "live", "crash", "cfg", "adopt", "away"].map((name) => deletePod(name, 1).catch(() => {})),
    );
    if (!daemon) return;
    // The pods are gone from the API a moment before the daemon has removed their containers.
    // Cleanup is not what this suite checks (a test above does): on a loaded machine Docker can
    // take longer, so whatever is left is removed by force.
    await eventually(
      async () => (await daemon.runtime.listSandboxes()).length === 0,
      30_000,
      "sandboxes removed",
    ).catch(() => {});
    await daemon.stop();
    await forgetNode(node);
    for (const id of spawnSync("docker", ["ps", "-aq", "--filter", `label=io.kubernetes.pod.namespace=${NAMESPACE}`], {
      encoding: "utf8",
    })
      .stdout.split("\n")
      .filter((line) => line !== "")) {
      spawnSync("docker", ["rm", "-f", id], { stdio: "ignore" });
    }
  }, 90_000);

  it("registers the Node and renews its Lease", async () => {
    const registered = await admin.get(`/api/v1/nodes/${node}`);
    expect(registered.metadata.labels).toMatchObject({ "kubernetes.io/hostname": node, "kubernetes.io/os": "linux" });
    expect(registered.status.nodeInfo.containerRuntimeVersion).toMatch(/^docker:\/\//);
    expect(registered.status.conditions.find((c: { type: string }) => c.type === "Ready").status).toBe("True");
    const lease = await admin.get(`/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${node}`);
    expect(lease.spec.holderIdentity).toBe(node);
  });

  it("runs a pod: Running and Ready, its IP answers HTTP, with kubelet's events", async () => {
    await createPod(httpdPod("web", node));
    const pod = await waitForPod("web", (p) => p.status?.phase === "Running" && ready(p), "Running and Ready");
    const status = pod.status!.containerStatuses![0];
    expect(status.containerID).toMatch(/^docker:\/\//);
    expect(status.imageID).toMatch(/^docker/);
    expect(pod.status?.podIP).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(pod.status?.qosClass).toBe("BestEffort");
    expect((await httpGet(`http://${pod.status!.podIP}:8080/index.html`)).body).toBe("hello from web\n");
    await eventually(async () => (await events("web")).some((e) => e.startsWith("Started:")), 10_000, "events");
    expect(await events("web")).toEqual(
      expect.arrayContaining([
        `Pulled: Container image "${IMAGE}" already present on machine`,
        "Created: Created container web",
        "Started: Started container web",
      ]),
    );
  });

  it("gates Ready on the readiness probe", async () => {
    await createPod({
      metadata: { name: "gated", namespace: NAMESPACE },
      spec: {
        nodeName: node,
        terminationGracePeriodSeconds: 1,
        containers: [
          {
            name: "app",
            image: IMAGE,
            command: ["sh", "-c", "trap 'exit 0' TERM; sleep 600 & wait"],
            readinessProbe: { exec: { command: ["cat", "/tmp/ready"] }, periodSeconds: 1 },
          },
        ],
      },
    });
    const running = await waitForPod("gated", (p) => p.status?.phase === "Running", "Running");
    expect(ready(running)).toBe(false);
    expect(running.status?.conditions?.find((c) => c.type === "Ready")?.reason).toBe("ContainersNotReady");
    const id = running.status!.containerStatuses![0].containerID!.replace("docker://", "");
    spawnSync("docker", ["exec", id, "touch", "/tmp/ready"]);
    await waitForPod("gated", ready, "Ready after the probe passes");
    spawnSync("docker", ["exec", id, "rm", "/tmp/ready"]);
    await waitForPod("gated", (p) => !ready(p), "not Ready after the probe fails");
  });

  it("restarts a container whose liveness probe fails", async () => {
    await createPod({
      metadata: { name: "live", namespace: NAMESPACE },
      spec: {
        nodeName: node,
        terminationGracePeriodSeconds: 1,
        containers: [
          {
            name: "app",
            image: IMAGE,
            command: ["sh", "-c", "touch /tmp/healthy; sleep 2; rm /tmp/healthy; sleep 600"],
            livenessProbe: { exec: { command: ["cat", "/tmp/healthy"] }, periodSeconds: 1, failureThreshold: 2 },
          },
        ],
      },
    });
    const restarted = await waitForPod(
      "live",
      (p) => (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1,
      "restarted by the liveness probe",
    );
    expect(restarted.status!.containerStatuses![0].lastState?.terminated).toBeDefined();
    const log = await events("live");
    expect(log).toContain("Killing: Container app failed liveness probe, will be restarted");
    expect(log.some((e) => e.startsWith("Unhealthy: Liveness probe failed:"))).toBe(true);
  });

  it("backs a crashing container off: CrashLoopBackOff with growing delays", async () => {
    await createPod({
      metadata: { name: "crash", namespace: NAMESPACE },
      spec: { nodeName: node, containers: [{ name: "app", image: IMAGE, command: ["sh", "-c", "echo bye; exit 3"] }] },
    });
    const messages: string[] = [];
    await waitForPod(
      "crash",
      (p) => {
        const message = p.status?.containerStatuses?.[0]?.state?.waiting?.message;
        if (message && !messages.includes(message)) messages.push(message);
        return messages.some((m) => m.startsWith("back-off 20s"));
      },
      "back-off 20s",
      45_000,
    );
    expect(messages.find((m) => m.startsWith("back-off 10s"))).toMatch(
      /^back-off 10s restarting failed container=app pod=crash_node-e2e\(/,
    );
    const pod = (await getPod("crash"))!;
    const status = pod.status!.containerStatuses![0];
    expect(pod.status?.phase).toBe("Running");
    expect(status.state?.waiting?.reason).toBe("CrashLoopBackOff");
    expect(status.lastState?.terminated).toMatchObject({ exitCode: 3, reason: "Error" });
    expect(status.restartCount).toBeGreaterThanOrEqual(2);
  }, 60_000);

  it("mounts a ConfigMap volume that follows updates, and fills env from it", async () => {
    await admin.post(`/api/v1/namespaces/${NAMESPACE}/configmaps`, {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "settings" },
      data: { color: "blue" },
    });
    await createPod({
      metadata: { name: "cfg", namespace: NAMESPACE },
      spec: {
        nodeName: node,
        terminationGracePeriodSeconds: 1,
        volumes: [{ name: "config", configMap: { name: "settings" } }],
        containers: [
          {
            name: "app",
            image: IMAGE,
            command: ["sh", "-c", "trap 'exit 0' TERM; sleep 600 & wait"],
            env: [{ name: "COLOR", valueFrom: { configMapKeyRef: { name: "settings", key: "color" } } }],
            volumeMounts: [{ name: "config", mountPath: "/etc/config" }],
          },
        ],
      },
    });
    const pod = await waitForPod("cfg", (p) => p.status?.phase === "Running", "Running");
    const id = pod.status!.containerStatuses![0].containerID!.replace("docker://", "");
    const read = () => spawnSync("docker", ["exec", id, "cat", "/etc/config/color"], { encoding: "utf8" }).stdout;
    expect(read()).toBe("blue");
    expect(spawnSync("docker", ["exec", id, "sh", "-c", "echo $COLOR"], { encoding: "utf8" }).stdout).toBe("blue\n");
    await admin.mergePatch(`/api/v1/namespaces/${NAMESPACE}/configmaps/settings`, { data: { color: "green" } });
    await eventually(() => read() === "green", 40_000, "the volume to show the update");
  }, 60_000);

  it("deletes a pod gracefully and removes its containers", async () => {
    const pod = (await getPod("web"))!;
    expect(dockerContainers(pod)).not.toBe("");
    await deletePod("web");
    await eventually(() => dockerContainers(pod) === "", 10_000, "containers removed");
    // The pod directory goes last, after the sandbox and the volumes are torn down.
    const podDir = join(stateDir, "pods", pod.metadata!.uid!);
    await eventually(() => !existsSync(podDir), 10_000, "the pod's state directory removed");
  });

  it("re-adopts running containers after a restart, and cleans up pods deleted meanwhile", async () => {
    await createPod(httpdPod("adopt", node));
    await createPod(httpdPod("away", node));
    const before = await waitForPod("adopt", ready, "Ready");
    const away = await waitForPod("away", ready, "Ready");
    await daemon.stop();
    // Deleted while the node is away: force (gone at once) — the returning daemon must clean up.
    await admin.delete(podPath("away"), { gracePeriodSeconds: 0 });
    daemon = await startNode(node, "docker", stateDir);
    await eventually(() => dockerContainers(away) === "", 20_000, "the away pod's containers removed");
    const after = (await getPod("adopt"))!;
    const [was, is] = [before.status!.containerStatuses![0], after.status!.containerStatuses![0]];
    expect(is.containerID).toBe(was.containerID);
    expect(is.restartCount).toBe(0);
    expect(is.state?.running?.startedAt).toBe(was.state?.running?.startedAt);
    expect(ready(after)).toBe(true);
    expect((await httpGet(`http://${after.status!.podIP}:8080/index.html`)).body).toBe("hello from adopt\n");
  }, 60_000);
});

describe.skipIf(!isRoot)("node daemon with the process runtime", () => {
  const node = "e2e-process";
  let daemon: NodeDaemon;
  let stateDir: string;

  beforeAll(async () => {
    stateDir = mkdtempSync(join(inject("workDir"), "node-process-"));
    daemon = await startNode(node, "process", stateDir);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(["p1", "p2"].map((name) => deletePod(name).catch(() => {})));
    if (!daemon) return;
    // The pod is gone from the API a moment before the daemon has removed its sandbox.
    await eventually(async () => (await daemon.runtime.listSandboxes()).length === 0, 10_000, "sandboxes removed");
    await daemon.stop();
    await (daemon.runtime as ProcessRuntime).removeNetwork();
    await forgetNode(node);
  }, 60_000);

  it("runs two pods listening on the same port, each at its own IP", async () => {
    await createPod(httpdPod("p1", node));
    await createPod(httpdPod("p2", node));
    const [p1, p2] = [await waitForPod("p1", ready, "Ready"), await waitForPod("p2", ready, "Ready")];
    expect(p1.status?.podIP).not.toBe(p2.status?.podIP);
    expect(p1.status?.podIP).toMatch(/^10\.87\.4\.\d+$/);
    expect(p1.status!.containerStatuses![0].containerID).toMatch(/^process:\/\//);
    expect((await httpGet(`http://${p1.status!.podIP}:8080/index.html`)).body).toBe("hello from p1\n");
    expect((await httpGet(`http://${p2.status!.podIP}:8080/index.html`)).body).toBe("hello from p2\n");
    const log = readdirSync(join(stateDir, "pods", p1.metadata!.uid!, "logs", "web"));
    expect(log).toEqual(["0.log"]);
  });

  it("serves kubectl logs, exec (exit codes, stdin) and top through the node's tunnel", async () => {
    await waitForPod("p2", ready, "Ready");
    const run = (args: string[], input?: string) => kubectl(["-n", NAMESPACE, ...args], { input });
    const logs = await run(["logs", "p2"]);
    expect(logs.code, logs.stderr).toBe(0);
    const exec = await run(["exec", "p2", "--", "sh", "-c", "echo out; echo err >&2; exit 3"]);
    expect(exec.code).toBe(3);
    expect(exec.stdout).toBe("out\n");
    expect(exec.stderr).toContain("err\n");
    const stdin = await run(["exec", "-i", "p2", "--", "cat"], "piped through\n");
    expect(stdin.stdout).toBe("piped through\n");
    const missing = await run(["logs", "p2", "-c", "nope"]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain("nope");
    await eventually(
      async () => (await run(["top", "pod", "p2", "--no-headers"])).stdout.startsWith("p2"),
      20_000,
      "kubectl top pod",
    );
    const top = await kubectl(["top", "node", node, "--no-headers"]);
    expect(top.stdout).toMatch(new RegExp(`^${node}\\s+\\d+m`));
  }, 60_000);

  it("re-adopts its processes after a restart, and leaves nothing behind on delete", async () => {
    const before = (await getPod("p1"))!;
    await daemon.stop();
    daemon = await startNode(node, "process", stateDir);
    await eventually(async () => ready((await getPod("p1"))!), 10_000, "p1 Ready after the restart");
    const after = (await getPod("p1"))!;
    expect(after.status!.containerStatuses![0].containerID).toBe(before.status!.containerStatuses![0].containerID);
    expect(after.status!.containerStatuses![0].restartCount).toBe(0);
    await deletePod("p1");
    const netnsKey = before.metadata!.uid!.replace(/-/g, "").slice(0, 16);
    const netns = () => (existsSync("/run/netns") ? readdirSync("/run/netns") : []);
    await eventually(() => !netns().some((n) => n.endsWith(netnsKey)), 10_000, "the pod's network namespace removed");
    await eventually(
      () => !readdirSync(join(stateDir, "pods")).includes(before.metadata!.uid!),
      10_000,
      "the pod's directory removed",
    );
    expect(readdirSync(join(stateDir, "runtime", "process", "containers")).length).toBe(1);
  }, 60_000);
});
