// Writes to PersistentVolumeClaims made from the ClusterStore (the scheduler's volume binding
// and the PersistentVolume controller), executed by the claims' NamespaceStore inside a pod-op
// batch: binding a claim to its volume (before the pod that uses it is bound, in the same
// synchronous step), the retroactive default class, and a claim that lost its volume.
import { conflict, notFound } from "../../api/errors.ts";
import type { KubeObject } from "../../api/types.ts";
import { isRecord } from "../../api/validation/shape.ts";
import { boundVolumeName, CLAIMS, claimClassUnset, specOf } from "../../api/volumes/claims.ts";
import { boundClaim, boundClaimStatus, type ClaimBinding } from "../../api/volumes/provision.ts";
import { ObjectWriter } from "../controllers/object-writer.ts";
import type { StoreRuntime } from "../api-server/runtime.ts";

const target = (name: string) => ({ group: "", resource: CLAIMS, name });

function currentClaim(writer: ObjectWriter, name: string, uid: string): KubeObject {
  const claim = writer.get(CLAIMS, name);
  if (!claim) throw notFound(target(name));
  if (uid !== "" && claim.metadata.uid !== uid) {
    throw conflict(
      target(name),
      `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${claim.metadata.uid}`,
    );
  }
  return claim;
}

/** Binds each claim to its volume (idempotent: a claim already bound to it only gets its status). */
export function bindClaims(rt: StoreRuntime, namespace: string, bindings: ClaimBinding[]): void {
  const writer = new ObjectWriter(rt, namespace);
  // Check every claim first: either all are bound, or none.
  const claims = bindings.map((binding) => {
    const claim = currentClaim(writer, binding.name, binding.uid);
    const bound = boundVolumeName(claim);
    if (bound !== "" && bound !== binding.volumeName)
      throw conflict(target(binding.name), `claim ${binding.name} is bound to volume "${bound}"`);
    if (claim.metadata.deletionTimestamp !== undefined)
      throw conflict(target(binding.name), `persistentvolumeclaim "${binding.name}" is being deleted`);
    return claim;
  });
  bindings.forEach((binding, i) => {
    let claim = claims[i]!;
    if (boundVolumeName(claim) === "") claim = writer.update(CLAIMS, boundClaim(claim, binding));
    const status = isRecord(claim.status) ? claim.status : {};
    if (status.phase !== "Bound")
      writer.updateStatus(CLAIMS, { ...claim, status: { ...status, ...boundClaimStatus(binding) } });
  });
}

/** Kubernetes' retroactive default class: an unbound claim created without a class gets the default. */
export function setClaimClass(rt: StoreRuntime, namespace: string, name: string, uid: string, className: string): void {
  const writer = new ObjectWriter(rt, namespace);
  const claim = currentClaim(writer, name, uid);
  if (!claimClassUnset(claim) || boundVolumeName(claim) !== "") return;
  writer.update(CLAIMS, { ...claim, spec: { ...specOf(claim), storageClassName: className } });
}

/** A bound claim whose volume is gone: phase Lost (its data went with the volume). Answers whether it changed. */
export function markClaimLost(rt: StoreRuntime, namespace: string, name: string, uid: string): KubeObject | undefined {
  const writer = new ObjectWriter(rt, namespace);
  const claim = currentClaim(writer, name, uid);
  const status = isRecord(claim.status) ? claim.status : {};
  if (boundVolumeName(claim) === "" || status.phase === "Lost") return undefined;
  return writer.updateStatus(CLAIMS, { ...claim, status: { ...status, phase: "Lost" } });
}
