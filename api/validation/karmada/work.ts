// work.karmada.io/v1alpha1 Work: the federation writes them for Pull-mode members; their agents
// read the manifests. Each manifest must say what it is, or no agent could apply it.
import type { FieldError } from "../../errors.ts";
import type { KubeObject } from "../../types.ts";
import { invalidValue, required } from "../field.ts";
import { asArray, asString, isRecord } from "../shape.ts";

export function validateWork(work: KubeObject): FieldError[] {
  const spec = isRecord(work.spec) ? work.spec : undefined;
  const workload = spec && isRecord(spec.workload) ? spec.workload : undefined;
  if (!workload) return [required("spec.workload")];
  const errors: FieldError[] = [];
  for (const [i, manifest] of asArray(workload.manifests).entries()) {
    const at = `spec.workload.manifests[${i}]`;
    if (!isRecord(manifest)) {
      errors.push(invalidValue(at, manifest, "must be an object"));
      continue;
    }
    if (asString(manifest.apiVersion) === "") errors.push(required(`${at}.apiVersion`));
    if (asString(manifest.kind) === "") errors.push(required(`${at}.kind`));
    const metadata = isRecord(manifest.metadata) ? manifest.metadata : {};
    if (asString(metadata.name) === "") errors.push(required(`${at}.metadata.name`));
  }
  return errors;
}
