// Defaulting for the smaller core/v1 kinds.
import type { KubeObject } from "../../types.ts";
import { isRecord, type JsonObject } from "../../validation/shape.ts";
import { child, existing, objectsIn, setDefault, setDefaultString } from "./set.ts";

export const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

/** Every namespace carries its own name as a label, so selectors can pick namespaces by name. */
export function labelNamespace(ns: KubeObject): void {
  const labels = isRecord(ns.metadata.labels) ? ns.metadata.labels : {};
  if (typeof ns.metadata.name === "string") labels[NAMESPACE_NAME_LABEL] = ns.metadata.name;
  ns.metadata.labels = labels;
}

export function prepareNamespaceCreate(ns: KubeObject): void {
  labelNamespace(ns);
  const spec = isRecord(ns.spec) ? ns.spec : (ns.spec = {});
  // The "kubernetes" finalizer holds deletion until the namespace's contents are gone.
  spec.finalizers = ["kubernetes"];
  ns.status = { phase: "Active" };
}

/** Finalizers change only through the finalize step of namespace deletion. */
export function prepareNamespaceUpdate(ns: KubeObject, old: KubeObject): void {
  labelNamespace(ns);
  const oldSpec = isRecord(old.spec) ? old.spec : {};
  const spec = isRecord(ns.spec) ? ns.spec : (ns.spec = {});
  if (oldSpec.finalizers === undefined) delete spec.finalizers;
  else spec.finalizers = structuredClone(oldSpec.finalizers);
}

/** stringData is write-only convenience: fold it into base64 data. */
export function defaultSecret(secret: KubeObject): void {
  setDefaultString(secret, "type", "Opaque");
  if (!isRecord(secret.stringData)) {
    delete secret.stringData;
    return;
  }
  const data: JsonObject = isRecord(secret.data) ? secret.data : {};
  for (const [key, value] of Object.entries(secret.stringData)) {
    if (typeof value === "string") data[key] = encodeBase64(value);
  }
  secret.data = data;
  delete secret.stringData;
}

function encodeBase64(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

export function defaultClaimSpec(spec: JsonObject): void {
  setDefaultString(spec, "volumeMode", "Filesystem");
}

export function defaultPersistentVolumeClaim(pvc: KubeObject): void {
  const spec = isRecord(pvc.spec) ? pvc.spec : undefined;
  if (spec) defaultClaimSpec(spec);
}

export function initialClaimStatus(pvc: KubeObject): void {
  pvc.status = { phase: "Pending" };
}

export function defaultPersistentVolume(pv: KubeObject): void {
  const spec = isRecord(pv.spec) ? pv.spec : undefined;
  if (!spec) return;
  setDefaultString(spec, "persistentVolumeReclaimPolicy", "Retain");
  setDefaultString(spec, "volumeMode", "Filesystem");
}

export function initialVolumeStatus(pv: KubeObject): void {
  pv.status = { phase: "Pending" };
}

/** Container limit ranges: default = max, defaultRequest = default, else min. */
export function defaultLimitRange(range: KubeObject): void {
  const spec = isRecord(range.spec) ? range.spec : undefined;
  if (!spec) return;
  for (const item of objectsIn(spec, "limits")) {
    if (item.type !== "Container") continue;
    const defaults = child(item, "default");
    const defaultRequests = child(item, "defaultRequest");
    if (!defaults || !defaultRequests) continue;
    for (const [name, value] of Object.entries(existing(item, "max") ?? {})) setDefault(defaults, name, value);
    for (const [name, value] of Object.entries(defaults)) setDefault(defaultRequests, name, value);
    for (const [name, value] of Object.entries(existing(item, "min") ?? {})) setDefault(defaultRequests, name, value);
  }
}

export function defaultEndpoints(ep: KubeObject): void {
  for (const subset of Array.isArray(ep.subsets) ? ep.subsets : []) {
    if (isRecord(subset)) for (const port of objectsIn(subset, "ports")) setDefaultString(port, "protocol", "TCP");
  }
}
