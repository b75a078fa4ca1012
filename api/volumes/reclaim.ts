// The PersistentVolume controller's decisions (kube's persistentvolume-binder, for what Flotilla
// provisions): a volume whose claim is gone is deleted (reclaimPolicy Delete) or Released
// (Retain, Recycle); a volume nobody claims is Available, one whose claim holds it is Bound.
import type { KubeObject } from "../types.ts";
import { asString } from "../validation/shape.ts";
import { boundVolumeName, claimRefOf, specOf, statusOf } from "./claims.ts";

export type VolumeAction =
  { action: "none" } | { action: "delete" } | { action: "phase"; phase: "Available" | "Bound" | "Released" };

/** What to do with `pv`, given the claim its claimRef names as the mirror has it (undefined: none). */
export function reclaimDecision(pv: KubeObject, claim: KubeObject | undefined): VolumeAction {
  if (pv.metadata.deletionTimestamp !== undefined) return { action: "none" };
  const phase = asString(statusOf(pv).phase);
  const want = (next: "Available" | "Bound" | "Released"): VolumeAction =>
    phase === next ? { action: "none" } : { action: "phase", phase: next };
  const ref = claimRefOf(pv);
  if (!ref) return phase === "Released" || phase === "Failed" ? { action: "none" } : want("Available");
  // A claimRef without a uid is a user's pre-binding to a claim that may not exist yet.
  if (ref.uid === "") return claim && boundVolumeName(claim) === pv.metadata.name ? want("Bound") : want("Available");
  if (!claim || claim.metadata.uid !== ref.uid) {
    if (phase === "Released" || phase === "Failed") return { action: "none" };
    return asString(specOf(pv).persistentVolumeReclaimPolicy) === "Delete" ? { action: "delete" } : want("Released");
  }
  // The claim exists; the PV is Bound (provisioned ones are born Bound; pre-bound ones once the claim names them).
  return boundVolumeName(claim) === pv.metadata.name ? want("Bound") : { action: "none" };
}
