// NodeUnschedulable: cordoned nodes (spec.unschedulable) take no new pods, unless the pod
// tolerates the node.kubernetes.io/unschedulable:NoSchedule taint.
import type { FilterPlugin } from "../framework.ts";
import { unresolvable } from "../status.ts";
import { toleratedBy } from "../taints.ts";

export const NAME = "NodeUnschedulable";
export const ERR_REASON_UNSCHEDULABLE = "node(s) were unschedulable";
export const ERR_REASON_UNKNOWN_NODE = "node(s) had unknown conditions";
export const UNSCHEDULABLE_TAINT = { key: "node.kubernetes.io/unschedulable", value: "", effect: "NoSchedule" };

export const nodeUnschedulable: FilterPlugin = {
  name: NAME,
  filter(ctx, node) {
    if (!node.node) return unresolvable(ERR_REASON_UNKNOWN_NODE);
    if (!node.node.unschedulable) return null;
    return toleratedBy(ctx.pod.tolerations ?? [], UNSCHEDULABLE_TAINT) ? null : unresolvable(ERR_REASON_UNSCHEDULABLE);
  },
};
