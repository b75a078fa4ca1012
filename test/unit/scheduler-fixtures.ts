// Nodes and pods for the scheduler's unit tests, built the way the cache builds them.
import { NodeInfo, nodeViewFrom } from "../../api/scheduler/node-info.ts";
import { podInfoFrom } from "../../api/scheduler/pod-info.ts";
import type { PodInfo } from "../../api/scheduler/types.ts";
import type { KubeObject } from "../../api/types.ts";

export interface NodeOptions {
  cpu?: string;
  memory?: string;
  pods?: number;
  labels?: Record<string, string>;
  taints?: Array<{ key: string; value?: string; effect: string }>;
  unschedulable?: boolean;
  extra?: Record<string, string>;
}

export function nodeInfo(name: string, options: NodeOptions = {}, pods: PodInfo[] = []): NodeInfo {
  const capacity = {
    cpu: options.cpu ?? "4",
    memory: options.memory ?? "8Gi",
    pods: String(options.pods ?? 110),
    ...options.extra,
  };
  const node: KubeObject = {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name, labels: { "kubernetes.io/hostname": name, ...(options.labels ?? {}) } },
    spec: { taints: options.taints, unschedulable: options.unschedulable },
    status: { allocatable: capacity, capacity },
  };
  const info = new NodeInfo(name, nodeViewFrom(node));
  for (const pod of pods) info.addPod({ ...pod, nodeName: name });
  return info;
}

export interface PodOptions {
  namespace?: string;
  labels?: Record<string, string>;
  cpu?: string;
  memory?: string;
  priority?: number;
  spec?: Record<string, unknown>;
  created?: string;
  deleting?: boolean;
}

let uid = 0;

export function pod(name: string, options: PodOptions = {}): PodInfo {
  const requests: Record<string, string> = {};
  if (options.cpu) requests.cpu = options.cpu;
  if (options.memory) requests.memory = options.memory;
  const object: KubeObject = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      namespace: options.namespace ?? "default",
      uid: `uid-${++uid}`,
      labels: options.labels,
      creationTimestamp: options.created ?? "2026-01-01T00:00:00Z",
      ...(options.deleting ? { deletionTimestamp: "2026-01-01T00:01:00Z" } : {}),
    },
    spec: {
      containers: [{ name: "c", image: "x", resources: Object.keys(requests).length > 0 ? { requests } : {} }],
      priority: options.priority ?? 0,
      ...(options.spec ?? {}),
    },
  };
  return podInfoFrom(object);
}
