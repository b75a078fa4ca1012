// `kubectl port-forward` (pods/portforward): checks who asks and for which pod, picks the
// client's protocol, and hands the WebSocket to the pod's node tunnel. The bytes are relayed
// unread; the node daemon speaks the protocol and dials the pod.
import type { Context } from "hono";
import { badRequest, StatusError } from "../../api/errors.ts";
import { forbiddenFor } from "../../api/nodes/authorizer.ts";
import { choosePortForwardProtocol } from "../../api/tunnel/port-forward.ts";
import type { PortForwardRequest } from "../../api/tunnel/protocol.ts";
import { nodeTunnel } from "../../durable-objects/env.ts";
import { userName } from "../authz.ts";
import type { WorkerEnv } from "../context.ts";
import { readPod } from "./pod-streams.ts";

export async function portForward(c: Context<WorkerEnv>, namespace: string, name: string): Promise<Response> {
  // Kubernetes authorizes `create pods/portforward` (the WebSocket's GET included); only
  // administrators hold it here.
  const credential = c.get("credential");
  if (credential.role !== "admin") {
    throw forbiddenFor(userName(credential), {
      verb: "create",
      group: "",
      resource: "pods",
      subresource: "portforward",
      namespace,
      name,
    });
  }
  const pod = await readPod(c, namespace, name);
  const node = pod.spec?.nodeName;
  if (!node) throw badRequest(`pod ${name} does not have a host assigned`);
  const choice = choosePortForwardProtocol(c.req.raw.headers, new URL(c.req.url).searchParams);
  if (choice instanceof StatusError) throw choice;
  const request: PortForwardRequest = {
    namespace,
    pod: name,
    uid: pod.metadata.uid ?? "",
    podIP: (pod as { status?: { podIP?: string } }).status?.podIP ?? "",
    protocol: choice.protocol,
    ports: choice.ports,
  };
  const headers = new Headers(c.req.raw.headers);
  headers.set("x-flotilla-stream", JSON.stringify(request));
  if (choice.subprotocol) headers.set("x-flotilla-subprotocol", choice.subprotocol);
  return nodeTunnel(c.env, c.get("cluster"), node).fetch(
    new Request("https://tunnel.flotilla.internal/portforward", { headers }),
  );
}
