// `kubectl logs`, `exec` and `attach`: find the pod and its node, then hand the request to that
// node's tunnel (the node keeps an outbound WebSocket to the control plane).
import type { Context } from "hono";
import { badRequest, forbidden, notFound } from "../../api/errors.ts";
import { forbiddenFor } from "../../api/nodes/authorizer.ts";
import { logRequestFrom, type ExecRequest } from "../../api/tunnel/protocol.ts";
import { streamContainer } from "../../api/tunnel/stream-container.ts";
import type { KubeObject } from "../../api/types.ts";
import { nodeTunnel } from "../../durable-objects/env.ts";
import { userName } from "../authz.ts";
import { storeGet } from "../store-read.ts";
import type { WorkerEnv } from "../context.ts";

interface PodShape {
  spec?: { nodeName?: string };
}

export async function readPod(c: Context<WorkerEnv>, namespace: string, name: string): Promise<KubeObject & PodShape> {
  const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}`;
  const response = await storeGet(c, path, namespace);
  if (response.status === 404) throw notFound({ group: "", resource: "pods", name });
  if (!response.ok) throw badRequest(await response.text());
  return (await response.json()) as KubeObject & PodShape;
}

export async function podStream(
  c: Context<WorkerEnv>,
  namespace: string,
  name: string,
  kind: "log" | "exec" | "attach",
): Promise<Response> {
  // Kubernetes authorizes `get pods/log` and `create pods/exec|attach` (the WebSocket's GET is
  // checked as create); only administrators hold them here.
  const credential = c.get("credential");
  if (credential.role !== "admin") {
    const verb = kind === "log" ? "get" : "create";
    throw forbiddenFor(userName(credential), { verb, group: "", resource: "pods", subresource: kind, namespace, name });
  }
  const pod = await readPod(c, namespace, name);
  const node = pod.spec?.nodeName;
  if (!node) throw badRequest(`pod ${name} does not have a host assigned`);
  const query = new URL(c.req.url).searchParams;
  const container = streamContainer(pod, query.get("container"));
  const target = { namespace, name, uid: pod.metadata.uid ?? "", container };
  const tunnel = nodeTunnel(c.env, c.get("cluster"), node);
  if (kind === "log") {
    const request = logRequestFrom(query, target);
    return tunnel.fetch(
      new Request("https://tunnel.flotilla.internal/log", {
        headers: { "x-flotilla-stream": JSON.stringify(request) },
      }),
    );
  }
  const flag = (key: string) => query.get(key) === "true" || query.get(key) === "1";
  const exec: ExecRequest = {
    namespace,
    pod: name,
    uid: target.uid,
    container,
    command: query.getAll("command"),
    attach: kind === "attach",
    stdin: flag("stdin"),
    stdout: flag("stdout"),
    stderr: flag("stderr"),
    tty: flag("tty"),
  };
  if (kind === "exec" && exec.command.length === 0)
    throw badRequest("you must specify at least one command for the container");
  const headers = new Headers(c.req.raw.headers);
  headers.set("x-flotilla-stream", JSON.stringify(exec));
  return tunnel.fetch(new Request("https://tunnel.flotilla.internal/exec", { headers }));
}

/** The node daemon's tunnel connection (its own node only, or an administrator). */
export function connectNode(c: Context<WorkerEnv>, node: string): Promise<Response> {
  const credential = c.get("credential");
  if (credential.role !== "admin" && credential.subject !== node) {
    throw forbidden(
      `nodes "${node}" is forbidden: User "system:node:${credential.subject ?? ""}" cannot connect as another node`,
    );
  }
  return nodeTunnel(c.env, c.get("cluster"), node).fetch(
    new Request("https://tunnel.flotilla.internal/connect", c.req.raw),
  );
}
