// NodePorts: a pod's hostPorts must be free on the node (same protocol and port, and
// overlapping addresses: 0.0.0.0 overlaps everything).
import type { FilterPlugin } from "../framework.ts";
import { unschedulable } from "../status.ts";
import type { HostPort } from "../types.ts";

export const NAME = "NodePorts";
export const ERR_REASON = "node(s) didn't have free ports for the requested pod ports";

const WILDCARD = "0.0.0.0";

export function portsConflict(a: HostPort, b: HostPort): boolean {
  if (a.port !== b.port || a.protocol !== b.protocol) return false;
  return a.ip === WILDCARD || b.ip === WILDCARD || a.ip === b.ip;
}

export const nodePorts: FilterPlugin = {
  name: NAME,
  preFilter: (ctx) => (ctx.pod.hostPorts.length > 0 ? null : "skip"),
  filter(ctx, node) {
    for (const wanted of ctx.pod.hostPorts) {
      for (const used of node.usedPorts) if (portsConflict(wanted, used)) return unschedulable(ERR_REASON);
    }
    return null;
  },
};
