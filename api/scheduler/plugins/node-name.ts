// NodeName: a pod that names its node (spec.nodeName) fits only there.
import type { FilterPlugin } from "../framework.ts";
import { unresolvable } from "../status.ts";

export const NAME = "NodeName";
export const ERR_REASON = "node(s) didn't match the requested node name";

export const nodeName: FilterPlugin = {
  name: NAME,
  preFilter: (ctx) => (ctx.pod.specNodeName ? null : "skip"),
  filter(ctx, node) {
    const wanted = ctx.pod.specNodeName;
    return !wanted || wanted === node.name ? null : unresolvable(ERR_REASON);
  },
};
