// The StatefulSet controller in a NamespaceStore: keys are StatefulSet names. A pod wakes its
// controlling StatefulSet (an orphan named as a member: every StatefulSet selecting it); a
// revision wakes its owner; a claim wakes the StatefulSets selecting its labels (a pod may be
// waiting for a stale claim to go).
import { selectorOf } from "../../../api/controllers/common/selector.ts";
import type { Pod } from "../../../api/controllers/common/types.ts";
import { REVISIONS, CLAIMS, PODS } from "../../../api/controllers/history/world.ts";
import { isMemberOf } from "../../../api/controllers/statefulset/identity.ts";
import { syncStatefulSet } from "../../../api/controllers/statefulset/sync.ts";
import { STATEFULSETS, type StatefulSet } from "../../../api/controllers/statefulset/types.ts";
import { matchesLabels } from "../../../api/selectors/labels.ts";
import { controllerOf, type ChangeNotice, type Controller, type ControllerContext } from "../framework.ts";
import type { ObjectWriter } from "../object-writer.ts";

const ownerStatefulSet = (change: ChangeNotice): string | undefined => {
  const ref = controllerOf(change.object);
  return ref?.kind === "StatefulSet" && ref.apiVersion.startsWith("apps/") ? ref.name : undefined;
};

export class StatefulSetController implements Controller {
  readonly name = "statefulset-controller";
  /** The store's objects, known from initialKeys (called when the store starts, before any change). */
  private objects: ObjectWriter | undefined;

  initialKeys(objects: ObjectWriter): string[] {
    this.objects = objects;
    return objects.list(STATEFULSETS).map((s) => s.metadata.name ?? "");
  }

  keysFor(change: ChangeNotice): string[] {
    switch (change.resource) {
      case STATEFULSETS:
        return [change.name];
      case REVISIONS:
        return [ownerStatefulSet(change)].filter((n): n is string => n !== undefined);
      case PODS:
        return this.keysForPod(change);
      case CLAIMS:
        return this.selecting(change, () => true);
      default:
        return [];
    }
  }

  private keysForPod(change: ChangeNotice): string[] {
    if (controllerOf(change.object)) {
      const owner = ownerStatefulSet(change);
      return owner ? [owner] : [];
    }
    if (change.type === "DELETED") return [];
    return this.selecting(change, (set) => isMemberOf(set, change.object as Pod));
  }

  private selecting(change: ChangeNotice, also: (set: StatefulSet) => boolean): string[] {
    if (!this.objects) return [];
    return (this.objects.list(STATEFULSETS) as StatefulSet[])
      .filter((set) => also(set) && matchesLabels(selectorOf(set.spec.selector), change.object.metadata.labels))
      .map((set) => set.metadata.name ?? "");
  }

  reconcile(key: string, ctx: ControllerContext): void {
    syncStatefulSet(key, ctx);
  }
}
