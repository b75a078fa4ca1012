// How a daemon pod is tied to its node: a required node affinity term matching the node's
// name (metadata.name In [node]), so the scheduler binds it there and honours everything else
// it checks; and the node a pod is meant for, bound or not.
import type { Affinity, NodeSelectorTerm } from "kubernetes-types/core/v1";
import type { Pod } from "../common/types.ts";

const nameTerm = (node: string): NodeSelectorTerm => ({
  matchFields: [{ key: "metadata.name", operator: "In", values: [node] }],
});

/** The affinity with its required node selector replaced by one term for `node` (preferred terms kept). */
export function withNodeNameAffinity(affinity: Affinity | undefined, node: string): Affinity {
  const copy: Affinity = structuredClone(affinity ?? {});
  const nodeAffinity = { ...(copy.nodeAffinity ?? {}) };
  nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = { nodeSelectorTerms: [nameTerm(node)] };
  copy.nodeAffinity = nodeAffinity;
  return copy;
}

/** spec.nodeName, or else the single node a required matchFields term names; undefined when neither. */
export function targetNodeName(pod: Pod): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  for (const term of terms ?? []) {
    for (const field of term.matchFields ?? []) {
      if (field.key === "metadata.name" && field.operator === "In" && field.values?.length === 1) {
        return field.values[0];
      }
    }
  }
  return undefined;
}
