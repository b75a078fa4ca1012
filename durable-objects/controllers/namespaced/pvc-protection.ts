// kube's pvc-protection controller: a deleted claim keeps its kubernetes.io/pvc-protection
// finalizer (added on create, api/controllers/volumes/protection.ts) while a scheduled, unfinished
// pod of the namespace uses it, and loses it once none does, so the deletion completes.
import {
  claimReleasable,
  claimsOfPod,
  PVC_PROTECTION_FINALIZER,
  withoutFinalizer,
} from "../../../api/controllers/volumes/protection.ts";
import { CLAIMS } from "../../../api/volumes/claims.ts";
import type { KubeObject } from "../../../api/types.ts";
import type { ChangeNotice, Controller, ControllerContext } from "../framework.ts";
import type { ObjectWriter } from "../object-writer.ts";

const isDeletedClaim = (claim: KubeObject) =>
  claim.metadata.deletionTimestamp !== undefined && !!claim.metadata.finalizers?.includes(PVC_PROTECTION_FINALIZER);

export class PvcProtectionController implements Controller {
  readonly name = "pvc-protection-controller";

  keysFor(change: ChangeNotice): string[] {
    if (change.resource === CLAIMS) return isDeletedClaim(change.object) ? [change.name] : [];
    // A pod that finished or went may release the claims it named.
    if (change.resource === "pods") return claimsOfPod(change.object);
    return [];
  }

  initialKeys(objects: ObjectWriter): string[] {
    return objects
      .list(CLAIMS)
      .filter(isDeletedClaim)
      .map((claim) => claim.metadata.name ?? "");
  }

  reconcile(name: string, ctx: ControllerContext): void {
    const claim = ctx.objects.get(CLAIMS, name);
    if (!claim || !claimReleasable(claim, ctx.objects.list("pods"))) return;
    ctx.objects.update(CLAIMS, withoutFinalizer(claim, PVC_PROTECTION_FINALIZER));
  }
}
