// NodeAffinity: spec.nodeSelector and requiredDuringScheduling node affinity filter nodes;
// preferredDuringScheduling terms add their weights to the score.
import { defaultNormalizeScore, type FilterPlugin, type ScorePlugin } from "../framework.ts";
import type { NodeView } from "../node-info.ts";
import { anyTermMatches, nodeSelectorMatches, termMatches } from "../node-selector.ts";
import { unresolvable } from "../status.ts";
import type { PodInfo } from "../types.ts";

export const NAME = "NodeAffinity";
export const ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector";

/** The pod's required node constraints hold on this node. */
export function requiredNodeAffinityMatches(pod: PodInfo, node: NodeView): boolean {
  if (!nodeSelectorMatches(pod.nodeSelector, node.labels)) return false;
  const terms = pod.requiredNodeAffinity;
  return terms === undefined || anyTermMatches(terms, node.labels, node.name);
}

export const nodeAffinity: FilterPlugin & ScorePlugin = {
  name: NAME,
  weight: 2,
  preFilter: (ctx) => (ctx.pod.nodeSelector || ctx.pod.requiredNodeAffinity ? null : "skip"),
  filter(ctx, node) {
    if (!node.node) return unresolvable(ERR_REASON_POD);
    return requiredNodeAffinityMatches(ctx.pod, node.node) ? null : unresolvable(ERR_REASON_POD);
  },
  preScore: (ctx) => (ctx.pod.preferredNodeAffinity?.length ?? 0) > 0,
  score(ctx, node) {
    const view = node.node;
    if (!view) return 0;
    let total = 0;
    for (const preferred of ctx.pod.preferredNodeAffinity ?? []) {
      if (preferred.weight !== 0 && termMatches(preferred.term, view.labels, view.name)) total += preferred.weight;
    }
    return total;
  },
  normalizeScore: (_ctx, scores) => defaultNormalizeScore(scores, false),
};
