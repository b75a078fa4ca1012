// VolumeBinding: a pod's PersistentVolumeClaims must exist and be usable on the node. A bound
// claim's volume node affinity restricts the nodes; a WaitForFirstConsumer claim fits wherever
// its class can provision (the scheduler provisions and binds it with the pod, see
// durable-objects/scheduler/volume-binder.ts); an unbound Immediate claim blocks the pod.
import type { FilterPlugin } from "../framework.ts";
import { anyTermMatches } from "../node-selector.ts";
import { unresolvable } from "../status.ts";
import {
  ERR_BIND_CONFLICT,
  ERR_NODE_CONFLICT,
  ERR_PV_NOT_EXIST,
  isStatus,
  resolvePodVolumes,
  type PodVolumes,
} from "../volumes.ts";

export const NAME = "VolumeBinding";

export const volumeBinding: FilterPlugin = {
  name: NAME,
  preFilter(ctx) {
    const claims = ctx.pod.claims;
    if (!claims || claims.length === 0) return "skip";
    const lister = ctx.snapshot.volumes;
    if (!lister) return unresolvable(`persistentvolumeclaim "${claims[0]}" not found`);
    const resolved = resolvePodVolumes(ctx.pod.namespace, claims, lister);
    if (isStatus(resolved)) return resolved;
    ctx.state.set(NAME, resolved);
    return null;
  },
  filter(ctx, node) {
    const volumes = ctx.state.get(NAME) as PodVolumes | undefined;
    const view = node.node;
    if (!volumes || !view) return null;
    const reasons: string[] = [];
    if (volumes.missingVolume) reasons.push(ERR_PV_NOT_EXIST);
    if (volumes.bound.some((b) => b.terms !== undefined && !anyTermMatches(b.terms, view.labels, view.name)))
      reasons.push(ERR_NODE_CONFLICT);
    if (
      volumes.provision.some(
        (p) =>
          !p.provisionable || (p.topologies !== undefined && !anyTermMatches(p.topologies, view.labels, view.name)),
      )
    )
      reasons.push(ERR_BIND_CONFLICT);
    return reasons.length > 0 ? unresolvable(...reasons) : null;
  },
};
