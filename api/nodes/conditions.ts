// Node conditions as the node lifecycle controller reads and writes them.
import { formatTimestamp } from "../lifecycle/object-meta.ts";
import type { KubeObject } from "../types.ts";
import { asArray, isRecord } from "../validation/shape.ts";

export interface NodeCondition {
  type: string;
  status: "True" | "False" | "Unknown" | string;
  reason?: string;
  message?: string;
  lastHeartbeatTime?: string;
  lastTransitionTime?: string;
}

export const READY = "Ready";
/** The conditions a kubelet reports; all of them go Unknown when it falls silent. */
export const KUBELET_CONDITIONS = ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"];
export const REASON_STATUS_UNKNOWN = "NodeStatusUnknown";
export const MESSAGE_STATUS_UNKNOWN = "Kubelet stopped posting node status.";
export const REASON_NEVER_UPDATED = "NodeStatusNeverUpdated";
export const MESSAGE_NEVER_UPDATED = "Kubelet never posted node status.";

export function conditionsOf(node: KubeObject): NodeCondition[] {
  const status = isRecord(node.status) ? node.status : {};
  return asArray(status.conditions).filter(isRecord) as unknown as NodeCondition[];
}

export const conditionOf = (node: KubeObject, type: string) => conditionsOf(node).find((c) => c.type === type);

/** "True", "False", "Unknown", or undefined when the kubelet never reported Ready. */
export const readyStatus = (node: KubeObject): string | undefined => conditionOf(node, READY)?.status;

/** The latest heartbeat the kubelet wrote into its Ready condition (a change counts as a sign of life). */
export const readyHeartbeat = (node: KubeObject): string => conditionOf(node, READY)?.lastHeartbeatTime ?? "";

/**
 * The node's status with every kubelet condition set to Unknown (the controller's verdict when
 * the kubelet stops renewing). Undefined when nothing changes.
 */
export function withConditionsUnknown(node: KubeObject, now: Date): KubeObject | undefined {
  const time = formatTimestamp(now);
  const existing = conditionsOf(node);
  let changed = false;
  const conditions: NodeCondition[] = existing.map((c) => {
    if (!KUBELET_CONDITIONS.includes(c.type) || c.status === "Unknown") return c;
    changed = true;
    return {
      ...c,
      status: "Unknown",
      reason: REASON_STATUS_UNKNOWN,
      message: MESSAGE_STATUS_UNKNOWN,
      lastTransitionTime: time,
    };
  });
  for (const type of KUBELET_CONDITIONS) {
    if (existing.some((c) => c.type === type)) continue;
    changed = true;
    conditions.push({
      type,
      status: "Unknown",
      reason: REASON_NEVER_UPDATED,
      message: MESSAGE_NEVER_UPDATED,
      lastHeartbeatTime: time,
      lastTransitionTime: time,
    });
  }
  if (!changed) return undefined;
  const status = isRecord(node.status) ? node.status : {};
  return { ...node, status: { ...status, conditions } };
}
