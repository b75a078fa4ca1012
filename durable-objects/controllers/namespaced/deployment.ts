// The Deployment controller in a NamespaceStore: keys are Deployment names; a ReplicaSet
// change wakes its controlling Deployment (an orphan: every Deployment selecting it), and a
// deleted pod wakes the Deployment of its ReplicaSet (Recreate waits for old pods to go).
import {
  POD_TEMPLATE_HASH_LABEL,
  type Deployment,
  type Pod,
  type ReplicaSet,
} from "../../../api/controllers/common/types.ts";
import { selectorOf } from "../../../api/controllers/common/selector.ts";
import { syncDeployment, type DeploymentWorld } from "../../../api/controllers/deployment/sync.ts";
import { matchesLabels } from "../../../api/selectors/labels.ts";
import { controllerOf, type ChangeNotice, type Controller, type ControllerContext } from "../framework.ts";
import type { ObjectWriter } from "../object-writer.ts";

const DEPLOYMENTS = "deployments.apps";
const REPLICASETS = "replicasets.apps";
const PODS = "pods";

const deploymentOwnerOf = (rs: { metadata: ReplicaSet["metadata"] }) => {
  const ref = controllerOf({ metadata: rs.metadata });
  return ref?.kind === "Deployment" && ref.apiVersion.startsWith("apps/") ? ref.name : undefined;
};

export class DeploymentController implements Controller {
  readonly name = "deployment-controller";
  /** The store's objects, known from initialKeys (called when the store starts, before any change). */
  private objects: ObjectWriter | undefined;

  initialKeys(objects: ObjectWriter): string[] {
    this.objects = objects;
    return objects.list(DEPLOYMENTS).map((d) => d.metadata.name ?? "");
  }

  keysFor(change: ChangeNotice): string[] {
    if (change.resource === DEPLOYMENTS) return [change.name];
    if (change.resource === REPLICASETS) return this.keysForReplicaSet(change);
    if (change.resource === PODS && change.type === "DELETED") return this.keysForPod(change.object as Pod);
    return [];
  }

  private keysForReplicaSet(change: ChangeNotice): string[] {
    const owner = deploymentOwnerOf(change.object);
    if (owner) return [owner];
    if (controllerOf(change.object) || change.type === "DELETED" || !this.objects) return [];
    return (this.objects.list(DEPLOYMENTS) as Deployment[])
      .filter((d) => matchesLabels(selectorOf(d.spec.selector), change.object.metadata.labels))
      .map((d) => d.metadata.name ?? "");
  }

  private keysForPod(pod: Pod): string[] {
    const ref = controllerOf(pod);
    if (ref?.kind !== "ReplicaSet") return [];
    const rs = this.objects?.get(REPLICASETS, ref.name);
    if (rs && rs.metadata.uid === ref.uid) {
      const owner = deploymentOwnerOf(rs);
      return owner ? [owner] : [];
    }
    // The ReplicaSet is gone too: a Deployment's ReplicaSets are named `<deployment>-<hash>`.
    const hash = pod.metadata.labels?.[POD_TEMPLATE_HASH_LABEL];
    return hash && ref.name.endsWith(`-${hash}`) ? [ref.name.slice(0, -hash.length - 1)] : [];
  }

  reconcile(key: string, ctx: ControllerContext): void {
    syncDeployment(key, deploymentWorld(ctx));
  }
}

export function deploymentWorld(ctx: ControllerContext): DeploymentWorld {
  const objects = ctx.objects;
  return {
    now: () => ctx.now(),
    getDeployment: (name) => objects.get(DEPLOYMENTS, name) as Deployment | undefined,
    listReplicaSets: () => objects.list(REPLICASETS) as ReplicaSet[],
    getReplicaSet: (name) => objects.get(REPLICASETS, name) as ReplicaSet | undefined,
    listPods: () => objects.list(PODS) as Pod[],
    createReplicaSet: (rs) => objects.create(REPLICASETS, rs) as ReplicaSet | undefined,
    updateReplicaSet: (rs) => objects.update(REPLICASETS, rs) as ReplicaSet,
    deleteReplicaSet: (name) => {
      objects.delete(REPLICASETS, name);
    },
    updateDeployment: (d) => objects.update(DEPLOYMENTS, d) as Deployment,
    updateDeploymentStatus: (d) => objects.updateStatus(DEPLOYMENTS, d) as Deployment,
    recordEvent: (regarding, type, reason, message) => ctx.recordEvent(regarding, type, reason, message),
    requeueAfter: (ms) => ctx.requeueAfter(ms),
  };
}
