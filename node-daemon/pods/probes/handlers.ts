// Runs one probe or lifecycle handler against a container: exec inside it, an HTTP GET or a TCP
// connect to the pod's address, or a sleep. Answers success and the message kubelet would log.
import { connect } from "node:net";
import http from "node:http";
import https from "node:https";
import type { Container, ExecAction, HTTPGetAction, TCPSocketAction } from "kubernetes-types/core/v1";
import { KUBE_MAJOR, KUBE_MINOR } from "../../../api/discovery/version.ts";
import { sleep, type Clock } from "../../clock.ts";
import { errorMessage } from "../../log.ts";
import type { ContainerRuntime } from "../../runtime/types.ts";

export interface HandlerTarget {
  runtime: ContainerRuntime;
  containerId: string;
  container: Container;
  podIP: string;
  clock: Clock;
}

export interface HandlerResult {
  success: boolean;
  message: string;
}

export interface Action {
  exec?: ExecAction;
  httpGet?: HTTPGetAction;
  tcpSocket?: TCPSocketAction;
  sleep?: { seconds: number };
  grpc?: { port: number; service?: string };
}

/** A named port resolves through the container's ports. */
export function resolvePort(port: number | string | undefined, container: Container): number | undefined {
  if (typeof port === "number") return port;
  if (port === undefined) return undefined;
  if (/^\d+$/.test(port)) return Number(port);
  return container.ports?.find((p) => p.name === port)?.containerPort;
}

export async function runAction(action: Action, target: HandlerTarget, timeoutMs: number): Promise<HandlerResult> {
  try {
    if (action.exec) return await runExec(action.exec, target, timeoutMs);
    if (action.httpGet) return await runHttpGet(action.httpGet, target, timeoutMs);
    if (action.tcpSocket) return await runTcp(action.tcpSocket, target, timeoutMs);
    if (action.sleep) {
      await sleep(target.clock, action.sleep.seconds * 1000);
      return { success: true, message: "" };
    }
    if (action.grpc) return { success: false, message: "gRPC probes are not supported by this node" };
    return { success: false, message: "the handler names no action" };
  } catch (err) {
    return { success: false, message: errorMessage(err) };
  }
}

async function runExec(action: ExecAction, target: HandlerTarget, timeoutMs: number): Promise<HandlerResult> {
  const command = action.command ?? [];
  const result = await target.runtime.exec(target.containerId, command, { timeoutMs });
  if (result.timedOut) return { success: false, message: `command ${JSON.stringify(command.join(" "))} timed out` };
  return { success: result.exitCode === 0, message: result.output.trim() };
}

function runHttpGet(action: HTTPGetAction, target: HandlerTarget, timeoutMs: number): Promise<HandlerResult> {
  const port = resolvePort(action.port, target.container);
  const scheme = (action.scheme ?? "HTTP").toLowerCase();
  const host = action.host || target.podIP;
  const path = action.path ? (action.path.startsWith("/") ? action.path : `/${action.path}`) : "/";
  const url = `${scheme}://${host.includes(":") ? `[${host}]` : host}:${port}${path}`;
  if (port === undefined) return Promise.resolve({ success: false, message: `unknown port ${action.port}` });
  const headers: Record<string, string> = {
    "user-agent": `kube-probe/${KUBE_MAJOR}.${KUBE_MINOR}`,
    accept: "*/*",
  };
  for (const header of action.httpHeaders ?? []) headers[header.name.toLowerCase()] = header.value;
  return new Promise((resolve) => {
    const client = scheme === "https" ? https : http;
    const request = client.get(
      url,
      { headers, agent: false, timeout: timeoutMs, ...(scheme === "https" ? { rejectUnauthorized: false } : {}) },
      (response) => {
        response.resume();
        const code = response.statusCode ?? 0;
        if (code >= 200 && code < 400) resolve({ success: true, message: "" });
        else resolve({ success: false, message: `HTTP probe failed with statuscode: ${code}` });
      },
    );
    request.on("timeout", () => {
      request.destroy();
      resolve({
        success: false,
        message: `Get "${url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`,
      });
    });
    request.on("error", (err) =>
      resolve({ success: false, message: `Get "${url}": ${describeNetError(err, host, port)}` }),
    );
  });
}

function runTcp(action: TCPSocketAction, target: HandlerTarget, timeoutMs: number): Promise<HandlerResult> {
  const port = resolvePort(action.port, target.container);
  const host = action.host || target.podIP;
  if (port === undefined) return Promise.resolve({ success: false, message: `unknown port ${action.port}` });
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: timeoutMs });
    socket.once("connect", () => {
      socket.destroy();
      resolve({ success: true, message: "" });
    });
    socket.once("timeout", () => {
      socket.destroy();
      resolve({ success: false, message: `dial tcp ${host}:${port}: i/o timeout` });
    });
    socket.once("error", (err) => resolve({ success: false, message: describeNetError(err, host, port) }));
  });
}

function describeNetError(err: Error & { code?: string }, host: string, port: number): string {
  if (err.code === "ECONNREFUSED") return `dial tcp ${host}:${port}: connect: connection refused`;
  if (err.code === "EHOSTUNREACH") return `dial tcp ${host}:${port}: connect: no route to host`;
  return err.message;
}
