// kube's pvc-protection controller: a deleted claim keeps its kubernetes.io/pvc-protection
// finalizer (added on create, api/controllers/volumes/protection.ts) while a scheduled, unfinished
// pod of the namespace uses it, and loses it once none does, so the deletion completes.
import {
  claimAwaitsRelease,
  claimReleasable,
  PVC_PROTECTION_FINALIZER,
} from "../../../api/controllers/volumes/protection.ts";
import { withoutFinalizer } from "../../../api/lifecycle/object-meta.ts";
import { CLAIMS, podClaimNames, specOf } from "../../../api/volumes/claims.ts";
import type { ChangeNotice, Controller, ControllerContext } from "../framework.ts";
import type { ObjectWriter } from "../object-writer.ts";

export class PvcProtectionController implements Controller {
  readonly name = "pvc-protection-controller";

  keysFor(change: ChangeNotice): string[] {
    if (change.resource === CLAIMS) return claimAwaitsRelease(change.object) ? [change.name] : [];
    // A pod that finished or went may release the claims it named.
    if (change.resource === "pods") return podClaimNames(change.object.metadata.name ?? "", specOf(change.object));
    return [];
  }

  initialKeys(objects: ObjectWriter): string[] {
    return objects
      .list(CLAIMS)
      .filter(claimAwaitsRelease)
      .map((claim) => claim.metadata.name ?? "");
  }

  reconcile(name: string, ctx: ControllerContext): void {
    const claim = ctx.objects.get(CLAIMS, name);
    // Most keys come from pod changes of claims nobody deletes: no need to list the pods then.
    if (!claim || !claimAwaitsRelease(claim) || !claimReleasable(claim, ctx.objects.list("pods"))) return;
    ctx.objects.update(CLAIMS, withoutFinalizer(claim, PVC_PROTECTION_FINALIZER));
  }
}
