// The in-tree plugins by name, and the default profile (kube-scheduler's default plugin set,
// order and score weights; of the volume plugins only VolumeBinding).
import type { FilterPlugin, Profile, ScorePlugin } from "./framework.ts";
import { DEFAULT_SCHEDULER } from "./pod-info.ts";
import { balancedAllocation, NAME as BALANCED_ALLOCATION } from "./plugins/balanced-allocation.ts";
import { NAME as DEFAULT_PREEMPTION } from "./plugins/default-preemption.ts";
import { interPodAffinity, NAME as INTER_POD_AFFINITY } from "./plugins/inter-pod-affinity.ts";
import { nodeAffinity, NAME as NODE_AFFINITY } from "./plugins/node-affinity.ts";
import { nodeName, NAME as NODE_NAME } from "./plugins/node-name.ts";
import { nodePorts, NAME as NODE_PORTS } from "./plugins/node-ports.ts";
import { nodeResourcesFit, NAME as NODE_RESOURCES_FIT } from "./plugins/node-resources-fit.ts";
import { nodeUnschedulable, NAME as NODE_UNSCHEDULABLE } from "./plugins/node-unschedulable.ts";
import { podTopologySpread, NAME as POD_TOPOLOGY_SPREAD } from "./plugins/pod-topology-spread.ts";
import { NAME as PRIORITY_SORT } from "./plugins/priority-sort.ts";
import { taintToleration, NAME as TAINT_TOLERATION } from "./plugins/taint-toleration.ts";
import { volumeBinding, NAME as VOLUME_BINDING } from "./plugins/volume-binding.ts";

export type Plugin = Partial<FilterPlugin & ScorePlugin> & { name: string };

/** Every plugin by name. PrioritySort and DefaultPreemption are the queue's and the PostFilter's. */
export const registry: ReadonlyMap<string, Plugin> = new Map<string, Plugin>([
  [NODE_UNSCHEDULABLE, nodeUnschedulable],
  [NODE_NAME, nodeName],
  [TAINT_TOLERATION, taintToleration],
  [NODE_AFFINITY, nodeAffinity],
  [NODE_PORTS, nodePorts],
  [NODE_RESOURCES_FIT, nodeResourcesFit],
  [POD_TOPOLOGY_SPREAD, podTopologySpread],
  [INTER_POD_AFFINITY, interPodAffinity],
  [VOLUME_BINDING, volumeBinding],
  [BALANCED_ALLOCATION, balancedAllocation],
  [PRIORITY_SORT, { name: PRIORITY_SORT }],
  [DEFAULT_PREEMPTION, { name: DEFAULT_PREEMPTION }],
]);

/** Filter order of kube's default profile: cheap, unresolvable checks first. */
export const DEFAULT_FILTERS = [
  NODE_UNSCHEDULABLE,
  NODE_NAME,
  TAINT_TOLERATION,
  NODE_AFFINITY,
  NODE_PORTS,
  NODE_RESOURCES_FIT,
  VOLUME_BINDING,
  POD_TOPOLOGY_SPREAD,
  INTER_POD_AFFINITY,
];

/** Score plugins with kube's default weights. */
export const DEFAULT_SCORES: Array<[string, number]> = [
  [TAINT_TOLERATION, 3],
  [NODE_AFFINITY, 2],
  [NODE_RESOURCES_FIT, 1],
  [BALANCED_ALLOCATION, 1],
  [POD_TOPOLOGY_SPREAD, 2],
  [INTER_POD_AFFINITY, 2],
];

function lookup(name: string): Plugin {
  const plugin = registry.get(name);
  if (!plugin) throw new Error(`unknown scheduler plugin ${name}`);
  return plugin;
}

export function buildProfile(
  filters: string[] = DEFAULT_FILTERS,
  scores: Array<[string, number]> = DEFAULT_SCORES,
  schedulerName = DEFAULT_SCHEDULER,
  percentageOfNodesToScore = 0,
): Profile {
  return {
    schedulerName,
    filters: filters.map((name) => {
      const plugin = lookup(name);
      if (!plugin.filter) throw new Error(`${name} has no Filter`);
      return plugin as FilterPlugin;
    }),
    scores: scores.map(([name, weight]) => {
      const plugin = lookup(name);
      if (!plugin.score) throw new Error(`${name} has no Score`);
      return { ...(plugin as ScorePlugin), weight };
    }),
    percentageOfNodesToScore,
  };
}

export const defaultProfile = () => buildProfile();
