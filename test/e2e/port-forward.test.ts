// `kubectl port-forward` through the node's tunnel, with real kubectl (1.31+ tunnels SPDY in a
// WebSocket) and an in-process node daemon on the process runtime (as root: the pod gets a
// network namespace of its own). The pod serves HTTP with busybox httpd. The file has a logical
// cluster of its own so no other file's nodes take its pods.
import { request } from "node:http";
import { PassThrough } from "node:stream";
import { KubeConfig, PortForward } from "@kubernetes/client-node";
import { mkdtempSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { startNodeDaemon, type NodeDaemon } from "../../node-daemon/daemon.ts";
import { silentLogger } from "../../node-daemon/log.ts";
import type { ProcessRuntime } from "../../node-daemon/runtime/process/runtime.ts";
import { call, kubeconfigFor, rootClient } from "./clusters.ts";
import {
  createNamespace,
  eventually,
  kubectl,
  kubectlOk,
  kubectlStream,
  stopAllStreams,
  type KubectlOptions,
  type KubectlStream,
} from "./kubectl.ts";

const CLUSTER = "port-forward";
const NAMESPACE = "pf";
const NODE = "pf-node";
const IMAGE = "local/busybox:1";
const isRoot = process.getuid?.() === 0;

let options: KubectlOptions;
let daemon: NodeDaemon | undefined;

const web = JSON.stringify({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "web" },
  spec: {
    nodeName: NODE,
    terminationGracePeriodSeconds: 1,
    containers: [
      {
        name: "web",
        image: IMAGE,
        command: [
          "sh",
          "-c",
          "mkdir -p /tmp/www; echo hello through the tunnel > /tmp/www/index.html; yes 0123456789abcde | head -c 1048576 > /tmp/www/big.txt; exec httpd -f -p 8080 -h /tmp/www",
        ],
        readinessProbe: { httpGet: { path: "/index.html", port: 8080 }, periodSeconds: 1 },
      },
    ],
  },
});

beforeAll(async () => {
  await rootClient().createCluster(CLUSTER);
  options = { kubeconfig: kubeconfigFor(CLUSTER, await rootClient().mintToken(CLUSTER, "admin")) };
  await createNamespace(NAMESPACE, options);
  if (!isRoot) return;
  daemon = await startNodeDaemon({
    server: `${inject("server")}/clusters/${CLUSTER}`,
    token: await rootClient().mintToken(CLUSTER, "node", NODE),
    nodeName: NODE,
    runtime: "process",
    stateDir: mkdtempSync(join(inject("workDir"), "pf-")),
    address: "127.0.0.1",
    // A pod network of its own: no two end-to-end files share a bridge range.
    podCIDR: "10.87.5.0/24",
    logger: silentLogger,
  });
  await kubectlOk(["-n", NAMESPACE, "create", "-f", "-"], { ...options, input: web });
  await eventually(
    async () => {
      const pod = JSON.parse(await kubectlOk(["-n", NAMESPACE, "get", "pod", "web", "-o", "json"], options));
      return pod.status?.conditions?.some(
        (c: { type: string; status: string }) => c.type === "Ready" && c.status === "True",
      );
    },
    60_000,
    "web Ready",
  );
}, 120_000);

afterEach(stopAllStreams);

afterAll(async () => {
  await stopAllStreams();
  if (!daemon) return;
  await kubectl(["-n", NAMESPACE, "delete", "pod", "web", "--grace-period=1", "--wait=false"], options);
  await eventually(async () => (await daemon!.runtime.listSandboxes()).length === 0, 30_000, "sandboxes removed").catch(
    () => {},
  );
  await daemon.stop();
  await (daemon.runtime as ProcessRuntime).removeNetwork().catch(() => {});
}, 60_000);

/** A GET on a fresh TCP connection (each one is a new forwarded connection). */
function get(port: number, path = "/index.html"): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

/** Starts `kubectl port-forward` and answers the local port it chose (`:8080` lets it pick). */
async function forward(target: string, version?: string): Promise<{ stream: KubectlStream; port: number }> {
  const stream = kubectlStream(["-n", NAMESPACE, "port-forward", "pod/web", target], { ...options, version });
  let port = 0;
  await eventually(
    () => {
      const line = stream.lines.find((l) => l.startsWith("Forwarding from 127.0.0.1:"));
      port = line ? Number(/127\.0\.0\.1:(\d+)/.exec(line)![1]) : 0;
      return port > 0 || stream.child.exitCode !== null;
    },
    20_000,
    "Forwarding from",
  );
  if (!port) throw new Error(`kubectl port-forward exited: ${stream.errLines.join("\n")}`);
  return { stream, port };
}

describe.skipIf(!isRoot)("kubectl port-forward on the process runtime", () => {
  it.each([undefined, "1.31", "1.33"])(
    "forwards HTTP requests, one after another and at once (kubectl %s)",
    async (version) => {
      const { stream, port } = await forward(":8080", version);
      for (let i = 0; i < 3; i++) expect(await get(port)).toEqual({ status: 200, body: "hello through the tunnel\n" });
      const together = await Promise.all(Array.from({ length: 8 }, () => get(port)));
      expect(together.every((r) => r.status === 200 && r.body === "hello through the tunnel\n")).toBe(true);
      // A megabyte crosses in many frames and tunnel messages, in order.
      const big = await get(port, "/big.txt");
      expect(big.body.length).toBe(1048576);
      expect(big.body).toBe("0123456789abcde\n".repeat(65536));
      expect(stream.lines.filter((l) => l.startsWith("Handling connection for")).length).toBe(12);
      // Ctrl-C: kubectl closes its listeners and the connection, and exits 0.
      stream.child.kill("SIGINT");
      expect(await stream.exited).toBe(0);
      expect(stream.errLines.filter((l) => /^E\d{4}/.test(l))).toEqual([]);
    },
  );

  it("a port nothing listens on: kubectl prints the node's error; the tunnel keeps serving", async () => {
    const { stream, port } = await forward(":8081");
    await expect(get(port)).rejects.toThrow();
    await eventually(
      () => stream.errLines.some((l) => l.includes("error forwarding port 8081 to pod web_pf")),
      20_000,
      "the error",
    );
    const error = stream.errLines.find((l) => l.includes("error forwarding port 8081"))!;
    expect(error).toContain("connect: connection refused");
    // kubectl (client-go since 1.23) ends its session once the pod reported an error.
    expect(await stream.exited).toBe(1);
    expect(stream.errLines.join("\n")).toContain("lost connection to pod");
    const again = await forward(":8080");
    expect(await get(again.port)).toEqual({ status: 200, body: "hello through the tunnel\n" });
  });

  it("kubectl 1.30 (plain SPDY) gets a clear error", async () => {
    const result = await kubectl(["-n", NAMESPACE, "port-forward", "pod/web", ":8080"], {
      ...options,
      version: "1.30",
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("error upgrading connection: port-forward needs kubectl 1.31 or newer");
  });
});

describe.skipIf(!isRoot)("@kubernetes/client-node PortForward (v4.channel.k8s.io)", () => {
  it("carries one connection per WebSocket: the port comes first, then the pod's answer", async () => {
    const kc = new KubeConfig();
    kc.loadFromFile(options.kubeconfig!);
    const output = new PassThrough();
    const errors = new PassThrough();
    const input = new PassThrough();
    let received = "";
    output.on("data", (chunk: Buffer) => (received += chunk.toString("utf8")));
    const socket = await new PortForward(kc).portForward(NAMESPACE, "web", [8080], output, errors, input);
    input.write("GET /index.html HTTP/1.0\r\n\r\n");
    await eventually(() => received.includes("hello through the tunnel"), 20_000, "the answer");
    expect(received).toMatch(/^HTTP\/1\.[01] 200 OK/);
    // httpd closes the connection after its answer: the session (and WebSocket) ends.
    await eventually(() => (socket as { readyState: number }).readyState === 3, 20_000, "the WebSocket closed");
  });
});

describe("errors", () => {
  it("answers 403 without create on pods/portforward, 404 for a missing pod", async () => {
    const nodeToken = await rootClient().mintToken(CLUSTER, "node", "some-node");
    const path = `/clusters/${CLUSTER}/api/v1/namespaces/${NAMESPACE}/pods/web/portforward?ports=80`;
    const denied = await call("GET", path, { token: nodeToken });
    expect(denied.status).toBe(403);
    expect(denied.body.message).toBe(
      `pods "web" is forbidden: User "system:node:some-node" cannot create resource "pods/portforward" in API group "" in the namespace "${NAMESPACE}"`,
    );
    const missing = await kubectl(["-n", NAMESPACE, "port-forward", "pod/absent", "8080"], options);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`pods "absent" not found`);
  });
});
