// spec.podFailurePolicy: the first rule matching a failed Pod decides what its failure means.
// FailJob ends the Job, Ignore does not count against backoffLimit, Count counts it.
// (FailIndex needs backoffLimitPerIndex, which Flotilla does not implement: it counts.)
import type { PodFailurePolicy, PodFailurePolicyRule } from "kubernetes-types/batch/v1";
import type { KubeObject } from "../../types.ts";
import { podView } from "./pods.ts";

export type FailureAction = "FailJob" | "Ignore" | "Count";

export interface PolicyMatch {
  action: FailureAction;
  message: string;
}

function exitCodeMatch(rule: PodFailurePolicyRule, pod: KubeObject): string | undefined {
  const requirement = rule.onExitCodes;
  if (!requirement) return undefined;
  const status = podView(pod).status;
  const statuses = [...(status?.initContainerStatuses ?? []), ...(status?.containerStatuses ?? [])];
  for (const cs of statuses) {
    if (requirement.containerName && requirement.containerName !== cs.name) continue;
    const code = cs.state?.terminated?.exitCode;
    // Containers that succeeded are not failures, whatever the operator.
    if (code === undefined || code === 0) continue;
    const listed = requirement.values.includes(code);
    if (requirement.operator === "In" ? listed : !listed)
      return `Container ${cs.name} for pod ${podKey(pod)} failed with exit code ${code}`;
  }
  return undefined;
}

function conditionMatch(rule: PodFailurePolicyRule, pod: KubeObject): string | undefined {
  const patterns = rule.onPodConditions;
  if (!patterns || patterns.length === 0) return undefined;
  for (const condition of podView(pod).status?.conditions ?? []) {
    const matched = patterns.some((p) => p.type === condition.type && (p.status ?? "True") === condition.status);
    if (matched) return `Pod ${podKey(pod)} has condition ${condition.type}`;
  }
  return undefined;
}

const podKey = (pod: KubeObject) => `${pod.metadata.namespace ?? ""}/${pod.metadata.name ?? ""}`;

/** The action for a failed Pod, or undefined when no rule matches (it then counts). */
export function matchPodFailurePolicy(policy: PodFailurePolicy | undefined, pod: KubeObject): PolicyMatch | undefined {
  if (!policy) return undefined;
  for (const [index, rule] of (policy.rules ?? []).entries()) {
    const found = exitCodeMatch(rule, pod) ?? conditionMatch(rule, pod);
    if (found === undefined) continue;
    const action: FailureAction = rule.action === "FailJob" || rule.action === "Ignore" ? rule.action : "Count";
    return { action, message: `${found} matching ${rule.action} rule at index ${index}` };
  }
  return undefined;
}
