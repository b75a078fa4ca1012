// Which nodes a DaemonSet runs on. A daemon pod gets the default DaemonSet tolerations (not-ready
// and unreachable NoExecute; disk-, memory- and pid-pressure and unschedulable NoSchedule;
// network-unavailable for hostNetwork pods), so cordoned and struggling nodes keep their daemons.
// A node should run the pod when the template's nodeName (if any), nodeSelector and required node
// affinity match it and every NoSchedule / NoExecute taint is tolerated; a pod already there may
// keep running while every NoExecute taint is tolerated.
import type { PodSpec, Toleration } from "kubernetes-types/core/v1";
import { anyTermMatches, nodeSelectorMatches, parseNodeSelectorTerms } from "../../scheduler/node-selector.ts";
import { firstUntolerated, parseTaints, parseTolerations } from "../../scheduler/taints.ts";
import type { DaemonSet, Node } from "./types.ts";

const NO_SCHEDULE_OR_EXECUTE: ReadonlySet<string> = new Set(["NoSchedule", "NoExecute"]);
const NO_EXECUTE: ReadonlySet<string> = new Set(["NoExecute"]);

const exists = (key: string, effect: "NoSchedule" | "NoExecute"): Toleration => ({ key, operator: "Exists", effect });

export const DAEMON_TOLERATIONS: readonly Toleration[] = [
  exists("node.kubernetes.io/not-ready", "NoExecute"),
  exists("node.kubernetes.io/unreachable", "NoExecute"),
  exists("node.kubernetes.io/disk-pressure", "NoSchedule"),
  exists("node.kubernetes.io/memory-pressure", "NoSchedule"),
  exists("node.kubernetes.io/pid-pressure", "NoSchedule"),
  exists("node.kubernetes.io/unschedulable", "NoSchedule"),
];
export const HOST_NETWORK_TOLERATION: Toleration = exists("node.kubernetes.io/network-unavailable", "NoSchedule");

const sameToleration = (a: Toleration, b: Toleration) =>
  (a.key ?? "") === (b.key ?? "") &&
  (a.operator ?? "Equal") === (b.operator ?? "Equal") &&
  (a.value ?? "") === (b.value ?? "") &&
  (a.effect ?? "") === (b.effect ?? "");

/** The pod spec's tolerations with the DaemonSet defaults added (those it has already are not repeated). */
export function withDaemonTolerations(spec: PodSpec): Toleration[] {
  const tolerations = [...(spec.tolerations ?? [])];
  const defaults = spec.hostNetwork ? [...DAEMON_TOLERATIONS, HOST_NETWORK_TOLERATION] : DAEMON_TOLERATIONS;
  for (const toleration of defaults) {
    if (!tolerations.some((t) => sameToleration(t, toleration))) tolerations.push({ ...toleration });
  }
  return tolerations;
}

export interface NodeDecision {
  /** A daemon pod should be created here if there is none. */
  shouldRun: boolean;
  /** A daemon pod already here may stay. */
  shouldContinueRunning: boolean;
}

export function nodeShouldRunDaemonPod(node: Node, ds: DaemonSet): NodeDecision {
  const name = node.metadata.name ?? "";
  const spec = (ds.spec.template?.spec ?? { containers: [] }) as PodSpec;
  const no = { shouldRun: false, shouldContinueRunning: false };
  if (spec.nodeName && spec.nodeName !== name) return no;
  const labels = node.metadata.labels ?? {};
  if (!nodeSelectorMatches(spec.nodeSelector, labels)) return no;
  const required = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (required && !anyTermMatches(parseNodeSelectorTerms(required.nodeSelectorTerms), labels, name)) return no;
  const taints = parseTaints(node.spec?.taints);
  const tolerations = parseTolerations(withDaemonTolerations(spec));
  if (firstUntolerated(taints, tolerations, NO_SCHEDULE_OR_EXECUTE) === undefined) {
    return { shouldRun: true, shouldContinueRunning: true };
  }
  return { shouldRun: false, shouldContinueRunning: firstUntolerated(taints, tolerations, NO_EXECUTE) === undefined };
}
