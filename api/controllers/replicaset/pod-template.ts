// The Pod a ReplicaSet creates from its template: generateName `<rs>-`, the template's
// labels, annotations and finalizers, the ReplicaSet as controlling owner, the template's spec.
import { controllerRef } from "../common/controller-ref.ts";
import type { Pod, ReplicaSet } from "../common/types.ts";

export function podFromTemplate(rs: ReplicaSet): Pod {
  const template = rs.spec.template ?? {};
  const meta = template.metadata ?? {};
  const metadata: Pod["metadata"] = {
    generateName: `${rs.metadata.name}-`,
    labels: { ...(meta.labels ?? {}) },
    ownerReferences: [controllerRef(rs, "apps/v1", "ReplicaSet")],
  };
  if (meta.annotations && Object.keys(meta.annotations).length > 0) metadata.annotations = { ...meta.annotations };
  if (meta.finalizers && meta.finalizers.length > 0) metadata.finalizers = [...meta.finalizers];
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata,
    spec: structuredClone(template.spec ?? { containers: [] }),
  };
}
