// TaintToleration: NoSchedule and NoExecute taints the pod does not tolerate rule the node
// out; PreferNoSchedule taints it does not tolerate lower the node's score.
import { defaultNormalizeScore, type FilterPlugin, type ScorePlugin } from "../framework.ts";
import { unresolvable } from "../status.ts";
import { firstUntolerated, formatTaint, toleratedBy } from "../taints.ts";
import type { Taint } from "../types.ts";

export const NAME = "TaintToleration";
export const untoleratedTaint = (taint: Taint) => `node(s) had untolerated taint ${formatTaint(taint)}`;

const FILTER_EFFECTS = new Set(["NoSchedule", "NoExecute"]);

export const taintToleration: FilterPlugin & ScorePlugin = {
  name: NAME,
  weight: 3,
  filter(ctx, node) {
    const taints = node.node?.taints;
    if (!taints || taints.length === 0) return null;
    const taint = firstUntolerated(taints, ctx.pod.tolerations ?? [], FILTER_EFFECTS);
    return taint ? unresolvable(untoleratedTaint(taint)) : null;
  },
  score(ctx, node) {
    // Only tolerations that apply to PreferNoSchedule (or to every effect) count here.
    const tolerations = (ctx.pod.tolerations ?? []).filter((t) => !t.effect || t.effect === "PreferNoSchedule");
    let count = 0;
    for (const taint of node.node?.taints ?? []) {
      if (taint.effect === "PreferNoSchedule" && !toleratedBy(tolerations, taint)) count++;
    }
    return count;
  },
  normalizeScore: (_ctx, scores) => defaultNormalizeScore(scores, true),
};
