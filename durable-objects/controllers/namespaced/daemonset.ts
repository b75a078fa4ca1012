// The DaemonSet controller in a NamespaceStore: keys are DaemonSet names. A pod wakes its
// controlling DaemonSet (an orphan: every DaemonSet selecting it); a revision wakes its owner.
// Nodes live in the ClusterStore: each reconcile reads them (asynchronously, then re-reads
// everything local). The ClusterStore tells namespaces with DaemonSets when nodes join, leave or
// change (controllers/cluster/daemonset-nodes.ts); a resync every NODE_RESYNC_MS is the safety net.
import { FailedPodBackoff } from "../../../api/controllers/daemonset/backoff.ts";
import { syncDaemonSet } from "../../../api/controllers/daemonset/sync.ts";
import { DAEMONSETS, type DaemonSet, type Node } from "../../../api/controllers/daemonset/types.ts";
import { selectorOf } from "../../../api/controllers/common/selector.ts";
import type { Pod } from "../../../api/controllers/common/types.ts";
import { isPodActive } from "../../../api/controllers/common/pods.ts";
import { PODS, REVISIONS } from "../../../api/controllers/history/world.ts";
import { matchesLabels } from "../../../api/selectors/labels.ts";
import { controllerOf, type ChangeNotice, type Controller, type ControllerContext } from "../framework.ts";
import type { ObjectWriter } from "../object-writer.ts";

export const DAEMONSET_CONTROLLER = "daemonset-controller";

/** How often every DaemonSet looks at the nodes again, notified or not. */
export const NODE_RESYNC_MS = 30_000;

const ownerDaemonSet = (change: ChangeNotice): string | undefined => {
  const ref = controllerOf(change.object);
  return ref?.kind === "DaemonSet" && ref.apiVersion.startsWith("apps/") ? ref.name : undefined;
};

export class DaemonSetController implements Controller {
  readonly name = DAEMONSET_CONTROLLER;
  private objects: ObjectWriter | undefined;
  private readonly backoff = new FailedPodBackoff();

  initialKeys(objects: ObjectWriter): string[] {
    this.objects = objects;
    return objects.list(DAEMONSETS).map((d) => d.metadata.name ?? "");
  }

  keysFor(change: ChangeNotice): string[] {
    if (change.resource === DAEMONSETS) return [change.name];
    if (change.resource !== PODS && change.resource !== REVISIONS) return [];
    const owner = ownerDaemonSet(change);
    if (owner) return [owner];
    if (change.resource !== PODS || controllerOf(change.object) || change.type === "DELETED" || !this.objects)
      return [];
    if (!isPodActive(change.object as Pod)) return [];
    return (this.objects.list(DAEMONSETS) as DaemonSet[])
      .filter((ds) => matchesLabels(selectorOf(ds.spec.selector), change.object.metadata.labels))
      .map((ds) => ds.metadata.name ?? "");
  }

  async reconcile(key: string, ctx: ControllerContext): Promise<void> {
    if (!ctx.objects.get(DAEMONSETS, key)) return;
    ctx.requeueAfter(NODE_RESYNC_MS);
    const nodes = (await ctx.clusterReader.listNodes()) as Node[];
    // Everything local is read again inside the sync, after the await.
    syncDaemonSet(key, nodes, { ...worldOf(ctx), backoff: this.backoff });
  }
}

const worldOf = (ctx: ControllerContext) => ({
  now: () => ctx.now(),
  objects: ctx.objects,
  recordEvent: ctx.recordEvent,
  requeueAfter: ctx.requeueAfter,
});
