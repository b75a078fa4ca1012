// The Node object a daemon registers and the status it reports (pure; unit-tested).
import type { Node, NodeCondition, NodeStatus, Taint } from "kubernetes-types/core/v1";
import { KUBE_GIT_VERSION } from "../../api/discovery/version.ts";
import { formatTime } from "../clock.ts";
import type { HostInfo, HostPressure } from "./host-info.ts";

export const KUBELET_VERSION = `${KUBE_GIT_VERSION}-flotilla`;
export const MAX_PODS = 110;

/** Kubelet's default hard eviction thresholds, kept back from allocatable. */
const EVICTION_MEMORY_BYTES = 100 * 1024 * 1024;
const EVICTION_DISK_FRACTION = 0.1;
const EVICTION_PID_FRACTION = 0.95;

export interface NodeIdentity {
  name: string;
  labels: Record<string, string>;
  taints: Taint[];
  podCIDR?: string;
  runtimeVersion: string;
}

export function nodeLabels(name: string, host: HostInfo, extra: Record<string, string>): Record<string, string> {
  return {
    "beta.kubernetes.io/arch": host.architecture,
    "beta.kubernetes.io/os": host.operatingSystem,
    "kubernetes.io/arch": host.architecture,
    "kubernetes.io/hostname": name,
    "kubernetes.io/os": host.operatingSystem,
    ...extra,
  };
}

const kibibytes = (bytes: number) => `${Math.floor(bytes / 1024)}Ki`;

export function capacityOf(host: HostInfo): Record<string, string> {
  return {
    cpu: String(host.cpus),
    "ephemeral-storage": kibibytes(host.ephemeralStorageBytes),
    memory: kibibytes(host.memoryBytes),
    pods: String(MAX_PODS),
  };
}

export function allocatableOf(host: HostInfo): Record<string, string> {
  return {
    cpu: String(host.cpus),
    "ephemeral-storage": String(Math.floor(host.ephemeralStorageBytes * (1 - EVICTION_DISK_FRACTION))),
    memory: kibibytes(Math.max(0, host.memoryBytes - EVICTION_MEMORY_BYTES)),
    pods: String(MAX_PODS),
  };
}

export interface ConditionInput {
  pressure: HostPressure;
  /** Why the node cannot run pods (the container runtime is down), or undefined when it can. */
  notReadyReason?: string;
}

type ConditionCore = Pick<NodeCondition, "type" | "status" | "reason" | "message">;

export function desiredConditions(input: ConditionInput): ConditionCore[] {
  const { pressure } = input;
  const memoryLow = pressure.memoryAvailableBytes < EVICTION_MEMORY_BYTES;
  const diskLow =
    pressure.diskTotalBytes > 0 && pressure.diskAvailableBytes < pressure.diskTotalBytes * EVICTION_DISK_FRACTION;
  const pidsLow = pressure.pids > pressure.pidMax * EVICTION_PID_FRACTION;
  return [
    memoryLow
      ? {
          type: "MemoryPressure",
          status: "True",
          reason: "KubeletHasInsufficientMemory",
          message: "kubelet has insufficient memory available",
        }
      : {
          type: "MemoryPressure",
          status: "False",
          reason: "KubeletHasSufficientMemory",
          message: "kubelet has sufficient memory available",
        },
    diskLow
      ? { type: "DiskPressure", status: "True", reason: "KubeletHasDiskPressure", message: "kubelet has disk pressure" }
      : {
          type: "DiskPressure",
          status: "False",
          reason: "KubeletHasNoDiskPressure",
          message: "kubelet has no disk pressure",
        },
    pidsLow
      ? {
          type: "PIDPressure",
          status: "True",
          reason: "KubeletHasInsufficientPID",
          message: "kubelet has insufficient PID available",
        }
      : {
          type: "PIDPressure",
          status: "False",
          reason: "KubeletHasSufficientPID",
          message: "kubelet has sufficient PID available",
        },
    input.notReadyReason
      ? { type: "Ready", status: "False", reason: "KubeletNotReady", message: input.notReadyReason }
      : { type: "Ready", status: "True", reason: "KubeletReady", message: "kubelet is posting ready status" },
  ];
}

/** Conditions with heartbeat and transition times; a transition time moves only when the status does. */
export function stampConditions(desired: ConditionCore[], previous: NodeCondition[] | undefined, now: number) {
  return desired.map((condition): NodeCondition => {
    const before = previous?.find((p) => p.type === condition.type);
    const transitioned = !before || before.status !== condition.status;
    return {
      ...condition,
      lastHeartbeatTime: formatTime(now),
      lastTransitionTime: transitioned ? formatTime(now) : (before.lastTransitionTime ?? formatTime(now)),
    };
  });
}

/** True when the server's conditions differ from ours in anything but timestamps. */
export function conditionsDiffer(desired: ConditionCore[], current: NodeCondition[] | undefined): boolean {
  return desired.some((condition) => {
    const found = current?.find((c) => c.type === condition.type);
    return (
      !found ||
      found.status !== condition.status ||
      found.reason !== condition.reason ||
      found.message !== condition.message
    );
  });
}

export function nodeStatus(host: HostInfo, identity: NodeIdentity, conditions: NodeCondition[]): NodeStatus {
  return {
    capacity: capacityOf(host),
    allocatable: allocatableOf(host),
    conditions,
    addresses: [
      { type: "InternalIP", address: host.internalIP },
      { type: "Hostname", address: host.hostname },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: 0 } },
    nodeInfo: {
      machineID: host.machineID,
      systemUUID: host.systemUUID,
      bootID: host.bootID,
      kernelVersion: host.kernelVersion,
      osImage: host.osImage,
      containerRuntimeVersion: identity.runtimeVersion,
      kubeletVersion: KUBELET_VERSION,
      kubeProxyVersion: "",
      operatingSystem: host.operatingSystem,
      architecture: host.architecture,
    },
  };
}

export function newNode(host: HostInfo, identity: NodeIdentity, conditions: NodeCondition[]): Node {
  const spec: Node["spec"] = {};
  if (identity.taints.length > 0) spec.taints = identity.taints;
  if (identity.podCIDR) {
    spec.podCIDR = identity.podCIDR;
    spec.podCIDRs = [identity.podCIDR];
  }
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name: identity.name,
      labels: identity.labels,
      annotations: { "node.alpha.kubernetes.io/ttl": "0" },
    },
    spec,
    status: nodeStatus(host, identity, conditions),
  };
}
