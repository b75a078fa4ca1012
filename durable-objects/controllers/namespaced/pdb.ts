// The disruption controller: keeps each PodDisruptionBudget's status (healthy pods, how many
// may be disrupted) current as its Pods and their controllers' scale change.
import { budgetSelects, computeBudgetStatus, type ScaleLookup } from "../../../api/controllers/pdb/budget.ts";
import { SelectorIndex } from "../../../api/controllers/endpoints/selector-index.ts";
import { controllerRefOf, groupOf } from "../../../api/controllers/gc/owner-refs.ts";
import type { KubeObject, OwnerReference } from "../../../api/types.ts";
import type { ChangeNotice, Controller, ControllerContext } from "../framework.ts";
import type { ObjectWriter } from "../object-writer.ts";

const PDBS = "poddisruptionbudgets.policy";
const PODS = "pods";
/** Workloads whose spec.replicas is the expected number of pods. */
const SCALED: Record<string, string> = {
  ReplicaSet: "replicasets.apps",
  Deployment: "deployments.apps",
  StatefulSet: "statefulsets.apps",
};
const SCALED_RESOURCES = new Set(Object.values(SCALED));

const replicasOf = (object: KubeObject): number => {
  const replicas = (object.spec as { replicas?: number } | undefined)?.replicas;
  return typeof replicas === "number" ? replicas : 1;
};

function scaleLookup(objects: ObjectWriter): ScaleLookup {
  const find = (ref: OwnerReference): KubeObject | undefined => {
    const resource = groupOf(ref.apiVersion) === "apps" ? SCALED[ref.kind] : undefined;
    const object = resource ? objects.get(resource, ref.name) : undefined;
    return object && object.metadata.uid === ref.uid ? object : undefined;
  };
  return (ref) => {
    const controller = find(ref);
    if (!controller) return undefined;
    // A Deployment's ReplicaSets all count towards the Deployment's replicas.
    const parentRef = ref.kind === "ReplicaSet" ? controllerRefOf(controller) : undefined;
    const parent = parentRef?.kind === "Deployment" ? find(parentRef) : undefined;
    const owner = parent ?? controller;
    return { uid: owner.metadata.uid ?? "", replicas: replicasOf(owner) };
  };
}

export class DisruptionController implements Controller {
  readonly name = "disruption-controller";
  private readonly index = new SelectorIndex();
  private readonly scales = new Map<string, number>();

  keysFor(change: ChangeNotice): string[] {
    if (change.resource === PDBS) {
      const pdb = change.object;
      this.index.setSelector(change.name, change.type === "DELETED" ? undefined : (pod) => budgetSelects(pdb, pod));
      return [change.name];
    }
    if (change.resource === PODS) {
      return this.index.podChanged(change.name, change.type === "DELETED" ? undefined : change.object);
    }
    if (SCALED_RESOURCES.has(change.resource)) {
      // Only a change of scale matters (their status changes often).
      const key = `${change.resource}/${change.name}`;
      const replicas = change.type === "DELETED" ? undefined : replicasOf(change.object);
      if (this.scales.get(key) === replicas) return [];
      if (replicas === undefined) this.scales.delete(key);
      else this.scales.set(key, replicas);
      return this.index.names();
    }
    return [];
  }

  initialKeys(objects: ObjectWriter): string[] {
    const names = objects.list(PDBS).map((pdb) => {
      this.index.setSelector(pdb.metadata.name ?? "", (pod) => budgetSelects(pdb, pod));
      return pdb.metadata.name ?? "";
    });
    for (const pod of objects.list(PODS)) this.index.podChanged(pod.metadata.name ?? "", pod);
    for (const resource of SCALED_RESOURCES) {
      for (const object of objects.list(resource))
        this.scales.set(`${resource}/${object.metadata.name}`, replicasOf(object));
    }
    return names;
  }

  reconcile(name: string, ctx: ControllerContext): void {
    const objects = ctx.objects;
    const pdb = objects.get(PDBS, name);
    if (!pdb) return;
    const result = computeBudgetStatus(pdb, objects.list(PODS), scaleLookup(objects), ctx.now());
    objects.updateStatus(PDBS, { ...pdb, status: result.status });
    if (result.requeueAfterMs !== undefined) ctx.requeueAfter(result.requeueAfterMs);
  }
}
