// Nodes, pods and waits shared by the scheduler and node lifecycle suites (workerd).
import { env } from "cloudflare:workers";
import type { KubeObject } from "../../api/types.ts";
import { clusterStore } from "../../durable-objects/env.ts";
import { callJson, expectStatus, ROOT_TOKEN, TENANCY, type Client } from "./helpers.ts";

export interface NodeSpec {
  cpu?: string;
  memory?: string;
  pods?: number;
  labels?: Record<string, string>;
  taints?: Array<{ key: string; value?: string; effect: string }>;
  unschedulable?: boolean;
  ready?: "True" | "False";
}

export const nodeObject = (name: string, spec: NodeSpec = {}): KubeObject => {
  const capacity = { cpu: spec.cpu ?? "4", memory: spec.memory ?? "8Gi", pods: String(spec.pods ?? 110) };
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name, labels: { "kubernetes.io/hostname": name, ...(spec.labels ?? {}) } },
    spec: {
      ...(spec.taints ? { taints: spec.taints } : {}),
      ...(spec.unschedulable ? { unschedulable: true } : {}),
    },
    status: {
      capacity,
      allocatable: capacity,
      conditions: [
        {
          type: "Ready",
          status: spec.ready ?? "True",
          reason: "KubeletReady",
          message: "kubelet is posting ready status",
          lastHeartbeatTime: now,
          lastTransitionTime: now,
        },
      ],
    },
  };
};

export interface PodSpec {
  cpu?: string;
  memory?: string;
  labels?: Record<string, string>;
  nodeSelector?: Record<string, string>;
  tolerations?: unknown[];
  affinity?: unknown;
  topologySpreadConstraints?: unknown[];
  priorityClassName?: string;
  priority?: number;
  hostPort?: number;
  schedulerName?: string;
}

export const podObject = (name: string, spec: PodSpec = {}): KubeObject => {
  const requests: Record<string, string> = {};
  if (spec.cpu) requests.cpu = spec.cpu;
  if (spec.memory) requests.memory = spec.memory;
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, ...(spec.labels ? { labels: spec.labels } : {}) },
    spec: {
      containers: [
        {
          name: "app",
          image: "registry.example/app:1",
          resources: Object.keys(requests).length > 0 ? { requests } : {},
          ...(spec.hostPort ? { ports: [{ containerPort: 8080, hostPort: spec.hostPort }] } : {}),
        },
      ],
      ...(spec.nodeSelector ? { nodeSelector: spec.nodeSelector } : {}),
      ...(spec.tolerations ? { tolerations: spec.tolerations } : {}),
      ...(spec.affinity ? { affinity: spec.affinity } : {}),
      ...(spec.topologySpreadConstraints ? { topologySpreadConstraints: spec.topologySpreadConstraints } : {}),
      ...(spec.priorityClassName ? { priorityClassName: spec.priorityClassName } : {}),
      ...(spec.schedulerName ? { schedulerName: spec.schedulerName } : {}),
    },
  };
};

export const podsPath = (namespace: string, name?: string) =>
  `/api/v1/namespaces/${namespace}/pods${name === undefined ? "" : `/${name}`}`;

export interface Pod extends KubeObject {
  spec: { nodeName?: string; [key: string]: unknown };
  status?: {
    phase?: string;
    nominatedNodeName?: string;
    conditions?: Array<{ type: string; status: string; reason?: string; message?: string }>;
  };
}

export interface Node extends KubeObject {
  spec?: {
    unschedulable?: boolean;
    taints?: Array<{ key: string; value?: string; effect: string; timeAdded?: string }>;
  };
  status?: { conditions?: Array<{ type: string; status: string; reason?: string; message?: string }> };
}

export interface CoreEvent extends KubeObject {
  reason: string;
  message: string;
  type: string;
  count?: number;
  involvedObject: { name: string; kind: string; uid?: string };
  source?: { component?: string };
}

/** Polls `probe` until it answers something truthy; the waits are for the store's own alarm. */
export async function eventually<T>(
  probe: () => Promise<T | undefined | null | false>,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
      last = value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${String(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * Registers a node as a kubelet would. BUG (api/lifecycle/create.ts): a Node's status is dropped on
 * create (kube keeps it: kubelets register with their capacity), so it is written again through /status.
 */
export async function createNode(c: Client, name: string, spec?: NodeSpec): Promise<Node> {
  const node = nodeObject(name, spec);
  await c.mustCreate<Node>("/api/v1/nodes", node);
  // A merge patch: the node lifecycle controller may already have written the node (taints).
  return expectStatus(
    await c.patch<Node>(`/api/v1/nodes/${name}/status`, "merge", { status: node.status }),
    200,
    `status of node ${name}`,
  ) as Node;
}

export const createPod = (c: Client, namespace: string, name: string, spec?: PodSpec) =>
  c.mustCreate<Pod>(podsPath(namespace), podObject(name, spec));

export const getPod = (c: Client, namespace: string, name: string) => c.mustGet<Pod>(podsPath(namespace, name));

/** Waits until the pod is bound; answers its node. */
export const waitBound = (c: Client, namespace: string, name: string, timeoutMs = 10_000) =>
  eventually(
    async () => (await getPod(c, namespace, name)).spec.nodeName,
    `pod ${namespace}/${name} to be bound`,
    timeoutMs,
  );

export const podCondition = (pod: Pod, type: string) => pod.status?.conditions?.find((c) => c.type === type);

/** Waits until the scheduler has marked the pod unschedulable; answers the condition's message. */
export const waitUnschedulable = (c: Client, namespace: string, name: string, containing = "") =>
  eventually(
    async () => {
      const cond = podCondition(await getPod(c, namespace, name), "PodScheduled");
      return cond?.status === "False" && cond.reason === "Unschedulable" && (cond.message ?? "").includes(containing)
        ? cond.message
        : undefined;
    },
    `pod ${namespace}/${name} to be unschedulable${containing ? ` with "${containing}"` : ""}`,
  );

export async function eventsOf(c: Client, namespace: string, name: string): Promise<CoreEvent[]> {
  const list = await c.mustList<CoreEvent>(
    `/api/v1/namespaces/${namespace}/events`,
    `?fieldSelector=involvedObject.name%3D${encodeURIComponent(name)}`,
  );
  return list.items;
}

/** A node credential for `node` in the client's cluster. */
export async function nodeToken(c: Client, node: string): Promise<string> {
  const minted = expectStatus(
    await callJson<{ status?: { token?: string } }>(`${TENANCY}/${c.cluster}/token`, {
      method: "POST",
      token: ROOT_TOKEN,
      body: { spec: { role: "node", subject: node } },
    }),
    201,
    `mint a node token for ${node}`,
  );
  const token = minted.status?.token;
  if (!token) throw new Error("no token minted");
  return token;
}

/** Moves the cluster store's clock forward (node lifecycle deadlines) and runs what became due. */
export const advanceClock = (c: Client, ms: number) => clusterStore(env, c.cluster).advanceClock(ms);

/** Pretends to be the kubelet that finishes a graceful deletion. */
export async function finishDeletion(c: Client, namespace: string, name: string): Promise<void> {
  const result = await c.delete(podsPath(namespace, name), "?gracePeriodSeconds=0");
  if (result.status !== 200 && result.status !== 404)
    throw new Error(`finishing ${name}: ${JSON.stringify(result.body)}`);
}
