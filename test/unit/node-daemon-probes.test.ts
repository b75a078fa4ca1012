import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { realClock } from "../../node-daemon/clock.ts";
import { resolvePort, runAction, type HandlerTarget } from "../../node-daemon/pods/probes/handlers.ts";
import { ProbeTracker } from "../../node-daemon/pods/probes/tracker.ts";
import type { ContainerRuntime, ExecResult } from "../../node-daemon/runtime/types.ts";

describe("probe thresholds", () => {
  it("readiness flips after successThreshold successes and failureThreshold failures", () => {
    const readiness = new ProbeTracker({ successThreshold: 2, failureThreshold: 3, initial: false });
    expect(readiness.record(true)).toBe(false);
    expect(readiness.record(true)).toBe(true);
    expect(readiness.ok).toBe(true);
    expect(readiness.record(false)).toBe(false);
    expect(readiness.record(true)).toBe(false); // a success resets the failure count
    expect(readiness.record(false)).toBe(false);
    expect(readiness.record(false)).toBe(false);
    expect(readiness.record(false)).toBe(true);
    expect(readiness.ok).toBe(false);
  });

  it("liveness starts healthy and counts consecutive failures", () => {
    const liveness = new ProbeTracker({ failureThreshold: 2, initial: true });
    expect(liveness.record(false)).toBe(false);
    expect(liveness.consecutiveFailures).toBe(1);
    expect(liveness.record(false)).toBe(true);
    expect(liveness.ok).toBe(false);
  });
});

describe("probe handlers", () => {
  let server: http.Server;
  let port: number;
  let closedPort: number;

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      if (request.url === "/healthz") response.writeHead(200).end("ok");
      else if (request.url === "/moved") response.writeHead(302, { location: "/healthz" }).end();
      else if (request.url === "/agent")
        response.writeHead(request.headers["user-agent"]?.startsWith("kube-probe/") ? 200 : 500).end();
      else if (request.url === "/header") response.writeHead(request.headers["x-probe"] === "yes" ? 200 : 500).end();
      else if (request.url === "/slow") setTimeout(() => response.writeHead(200).end(), 2000);
      else response.writeHead(500).end("broken");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    closedPort = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const execResults: ExecResult[] = [];
  const runtime = {
    exec: async () => execResults.shift() ?? { exitCode: 0, output: "", timedOut: false },
  } as unknown as ContainerRuntime;
  const target = (): HandlerTarget => ({
    runtime,
    containerId: "c1",
    container: { name: "app", ports: [{ name: "http", containerPort: port }] },
    podIP: "127.0.0.1",
    clock: realClock,
  });

  it("httpGet: 2xx and 3xx succeed, others fail with kubelet's message", async () => {
    expect(await runAction({ httpGet: { path: "/healthz", port } }, target(), 1000)).toEqual({
      success: true,
      message: "",
    });
    expect((await runAction({ httpGet: { path: "/moved", port: "http" } }, target(), 1000)).success).toBe(true);
    expect(await runAction({ httpGet: { path: "/broken", port } }, target(), 1000)).toEqual({
      success: false,
      message: "HTTP probe failed with statuscode: 500",
    });
    expect((await runAction({ httpGet: { path: "/agent", port } }, target(), 1000)).success).toBe(true);
    expect(
      (
        await runAction(
          { httpGet: { path: "/header", port, httpHeaders: [{ name: "X-Probe", value: "yes" }] } },
          target(),
          1000,
        )
      ).success,
    ).toBe(true);
  });

  it("httpGet: timeouts and refused connections fail", async () => {
    const slow = await runAction({ httpGet: { path: "/slow", port } }, target(), 200);
    expect(slow.success).toBe(false);
    expect(slow.message).toContain("Client.Timeout exceeded");
    const refused = await runAction({ httpGet: { path: "/", port: closedPort } }, target(), 1000);
    expect(refused.message).toBe(
      `Get "http://127.0.0.1:${closedPort}/": dial tcp 127.0.0.1:${closedPort}: connect: connection refused`,
    );
  });

  it("tcpSocket connects or reports why not", async () => {
    expect((await runAction({ tcpSocket: { port } }, target(), 1000)).success).toBe(true);
    expect(await runAction({ tcpSocket: { port: closedPort } }, target(), 1000)).toEqual({
      success: false,
      message: `dial tcp 127.0.0.1:${closedPort}: connect: connection refused`,
    });
  });

  it("exec succeeds on exit code 0 and reports output or a timeout", async () => {
    execResults.push({ exitCode: 1, output: "cat: can't open '/tmp/healthy'\n", timedOut: false });
    expect(await runAction({ exec: { command: ["cat", "/tmp/healthy"] } }, target(), 1000)).toEqual({
      success: false,
      message: "cat: can't open '/tmp/healthy'",
    });
    execResults.push({ exitCode: -1, output: "", timedOut: true });
    expect((await runAction({ exec: { command: ["sleep", "9"] } }, target(), 1000)).message).toBe(
      'command "sleep 9" timed out',
    );
    expect((await runAction({ exec: { command: ["true"] } }, target(), 1000)).success).toBe(true);
  });

  it("resolves named ports through the container", () => {
    const container = { name: "a", ports: [{ name: "web", containerPort: 8080 }] };
    expect(resolvePort("web", container)).toBe(8080);
    expect(resolvePort("9090", container)).toBe(9090);
    expect(resolvePort(81, container)).toBe(81);
    expect(resolvePort("nope", container)).toBeUndefined();
  });
});
