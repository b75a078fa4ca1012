// The ReplicaSet controller in a NamespaceStore: keys are ReplicaSet names; a pod change
// wakes its controlling ReplicaSet, and an orphan pod every ReplicaSet that selects it.
import { selectorOf } from "../../../api/controllers/common/selector.ts";
import { isPodActive } from "../../../api/controllers/common/pods.ts";
import type { Pod, ReplicaSet } from "../../../api/controllers/common/types.ts";
import { syncReplicaSet, type ReplicaSetWorld } from "../../../api/controllers/replicaset/sync.ts";
import { matchesLabels } from "../../../api/selectors/labels.ts";
import { controllerOf, type ChangeNotice, type Controller, type ControllerContext } from "../framework.ts";
import type { ObjectWriter } from "../object-writer.ts";

const REPLICASETS = "replicasets.apps";
const PODS = "pods";
/** Attempts at a free generated pod name before giving up. */
const NAME_ATTEMPTS = 8;

export class ReplicaSetController implements Controller {
  readonly name = "replicaset-controller";
  /** The store's objects, known from initialKeys (called when the store starts, before any change). */
  private objects: ObjectWriter | undefined;

  initialKeys(objects: ObjectWriter): string[] {
    this.objects = objects;
    return objects.list(REPLICASETS).map((rs) => rs.metadata.name ?? "");
  }

  keysFor(change: ChangeNotice): string[] {
    if (change.resource === REPLICASETS) return [change.name];
    if (change.resource !== PODS) return [];
    const ref = controllerOf(change.object);
    if (ref) return ref.kind === "ReplicaSet" && ref.apiVersion.startsWith("apps/") ? [ref.name] : [];
    // An orphan: any ReplicaSet selecting it may adopt it.
    if (change.type === "DELETED" || !this.objects || !isPodActive(change.object as Pod)) return [];
    return (this.objects.list(REPLICASETS) as ReplicaSet[])
      .filter((rs) => matchesLabels(selectorOf(rs.spec.selector), change.object.metadata.labels))
      .map((rs) => rs.metadata.name ?? "");
  }

  reconcile(key: string, ctx: ControllerContext): void {
    syncReplicaSet(key, replicaSetWorld(ctx));
  }
}

export function replicaSetWorld(ctx: ControllerContext): ReplicaSetWorld {
  const objects = ctx.objects;
  return {
    now: () => ctx.now(),
    getReplicaSet: (name) => objects.get(REPLICASETS, name) as ReplicaSet | undefined,
    listReplicaSets: () => objects.list(REPLICASETS) as ReplicaSet[],
    listPods: () => objects.list(PODS) as Pod[],
    createPod: (pod) => {
      for (let attempt = 0; attempt < NAME_ATTEMPTS; attempt++) {
        const created = objects.create(PODS, pod);
        if (created) return created as Pod;
      }
      throw new Error(`no free name for a pod of ${pod.metadata.generateName ?? ""} after ${NAME_ATTEMPTS} attempts`);
    },
    deletePod: (name) => {
      objects.delete(PODS, name);
    },
    updatePod: (pod) => objects.update(PODS, pod) as Pod,
    updateReplicaSetStatus: (rs) => objects.updateStatus(REPLICASETS, rs) as ReplicaSet,
    recordEvent: (regarding, type, reason, message) => ctx.recordEvent(regarding, type, reason, message),
    requeueAfter: (ms) => ctx.requeueAfter(ms),
  };
}
