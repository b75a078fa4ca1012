// The PersistentVolume controller (kube's persistentvolume-binder, for what Flotilla provisions),
// as a ClusterStore controller. It reads volumes (this store's) against claims (its mirror of
// the namespaces'): a volume whose claim is gone is deleted (reclaimPolicy Delete; the node then
// removes its directory) or Released (Retain); volumes are Available or Bound. Claims created
// without a class get the default one (RetroactiveDefaultStorageClass: claims written by
// controllers skip the API's admission), and a Bound claim whose volume vanished turns Lost.
// Claim writes go to the claim's NamespaceStore.
import type { KubeObject } from "../../../api/types.ts";
import { isRecord } from "../../../api/validation/shape.ts";
import { boundVolumeName, CLAIMS, claimClassUnset, claimRefOf, VOLUMES } from "../../../api/volumes/claims.ts";
import { provisionedVolumeName } from "../../../api/volumes/provision.ts";
import { reclaimDecision } from "../../../api/volumes/reclaim.ts";
import { PV_PROTECTION_FINALIZER, volumeReleasable } from "../../../api/controllers/volumes/protection.ts";
import { withoutFinalizer } from "../../../api/lifecycle/object-meta.ts";
import { defaultClassName, isDefaultClass, STORAGE_CLASSES } from "../../../api/volumes/storage-class.ts";
import type { SendPodOps } from "../../scheduler/binder.ts";
import { scan } from "../../scheduler/cache.ts";
import type { PodOp } from "../../scheduler/pod-ops.ts";
import type { ObjectStore } from "../../storage/object-store.ts";
import type { ChangeNotice, Controller, ControllerContext } from "../framework.ts";

export const VOLUME_CONTROLLER = "persistentvolume-binder-controller";
const VOLUME_KEY = "pv:";
const CLAIM_KEY = "pvc:";

export interface VolumeControllerDeps {
  /** The ClusterStore's objects, every namespace's claims included. */
  store: ObjectStore;
  send: SendPodOps;
}

const claimKey = (namespace: string, name: string) => `${CLAIM_KEY}${namespace}/${name}`;
const volumeKey = (name: string) => `${VOLUME_KEY}${name}`;
const phaseOf = (obj: KubeObject) => (isRecord(obj.status) ? obj.status.phase : undefined);

export class VolumeController implements Controller {
  readonly name = VOLUME_CONTROLLER;
  private readonly deps: VolumeControllerDeps;

  constructor(deps: VolumeControllerDeps) {
    this.deps = deps;
  }

  keysFor(change: ChangeNotice): string[] {
    const object = change.object;
    switch (change.resource) {
      case VOLUMES: {
        const ref = claimRefOf(object);
        const keys = [volumeKey(change.name)];
        if (change.type === "DELETED" && ref) keys.push(claimKey(ref.namespace, ref.name));
        return keys;
      }
      case CLAIMS: {
        const keys = [claimKey(object.metadata.namespace ?? "", change.name)];
        const volume = boundVolumeName(object);
        if (volume !== "") keys.push(volumeKey(volume));
        // A volume provisioned for the claim that never got to be bound to it.
        if (change.type === "DELETED") keys.push(volumeKey(provisionedVolumeName(object)));
        return keys;
      }
      case STORAGE_CLASSES:
        return change.type !== "DELETED" && isDefaultClass(object) ? this.claimsWithoutClass() : [];
      default:
        return [];
    }
  }

  initialKeys(): string[] {
    const keys: string[] = [];
    for (const pv of scan(this.deps.store, VOLUMES, "")) keys.push(volumeKey(pv.metadata.name ?? ""));
    for (const claim of scan(this.deps.store, CLAIMS, undefined))
      keys.push(claimKey(claim.metadata.namespace ?? "", claim.metadata.name ?? ""));
    return keys;
  }

  private claimsWithoutClass(): string[] {
    const keys: string[] = [];
    for (const claim of scan(this.deps.store, CLAIMS, undefined)) {
      if (claimClassUnset(claim) && boundVolumeName(claim) === "")
        keys.push(claimKey(claim.metadata.namespace ?? "", claim.metadata.name ?? ""));
    }
    return keys;
  }

  async reconcile(key: string, ctx: ControllerContext): Promise<void> {
    if (key.startsWith(VOLUME_KEY)) return this.syncVolume(key.slice(VOLUME_KEY.length), ctx);
    if (key.startsWith(CLAIM_KEY)) {
      const [namespace = "", name = ""] = key.slice(CLAIM_KEY.length).split("/");
      return this.syncClaim(namespace, name);
    }
  }

  private read(resource: string, namespace: string, name: string): KubeObject | undefined {
    const row = this.deps.store.get(resource, namespace, name);
    return row ? (JSON.parse(row.value) as KubeObject) : undefined;
  }

  private syncVolume(name: string, ctx: ControllerContext): void {
    const pv = ctx.objects.get(VOLUMES, name);
    if (!pv) return;
    const ref = claimRefOf(pv);
    const claim = ref ? this.read(CLAIMS, ref.namespace, ref.name) : undefined;
    // pv-protection: a deleted volume goes once no claim holds it.
    if (volumeReleasable(pv, claim)) {
      ctx.objects.update(VOLUMES, withoutFinalizer(pv, PV_PROTECTION_FINALIZER));
      return;
    }
    const decision = reclaimDecision(pv, claim);
    if (decision.action === "delete") ctx.objects.delete(VOLUMES, name);
    else if (decision.action === "phase") {
      const status = isRecord(pv.status) ? pv.status : {};
      ctx.objects.updateStatus(VOLUMES, { ...pv, status: { ...status, phase: decision.phase } });
    }
  }

  private async syncClaim(namespace: string, name: string): Promise<void> {
    const claim = this.read(CLAIMS, namespace, name);
    if (!claim || claim.metadata.deletionTimestamp !== undefined) return;
    const uid = claim.metadata.uid ?? "";
    const volume = boundVolumeName(claim);
    let op: PodOp | undefined;
    if (volume === "" && claimClassUnset(claim)) {
      const className = defaultClassName(scan(this.deps.store, STORAGE_CLASSES, ""));
      if (className !== undefined) op = { op: "claimClass", name, uid, storageClassName: className };
    } else if (volume !== "" && phaseOf(claim) === "Bound" && !this.read(VOLUMES, "", volume)) {
      op = {
        op: "claimLost",
        name,
        uid,
        event: {
          type: "Warning",
          reason: "ClaimLost",
          message: "Bound claim has lost its PersistentVolume. Data on the volume is lost!",
          component: "persistentvolume-controller",
        },
      };
    }
    if (!op) return;
    const [result] = await this.deps.send(namespace, [op]);
    // 404/409: the claim went or changed meanwhile; its own change brings it back here.
    if (result && !result.ok && result.code !== 404 && result.code !== 409)
      throw new Error(`${op.op} for ${namespace}/${name}: ${result.message ?? result.code}`);
  }
}
