// The Pod a StatefulSet creates for an ordinal, from the template of a given revision: the
// template's labels, annotations and finalizers, identity labels, the revision label, the set
// as controlling owner; hostname = pod name, subdomain = spec.serviceName; one volume per
// claim template that mounts the ordinal's claim (replacing a template volume of that name).
import type { PodTemplateSpec, Volume } from "kubernetes-types/core/v1";
import { controllerRef } from "../common/controller-ref.ts";
import type { Pod } from "../common/types.ts";
import { POD_REVISION_LABEL } from "../history/types.ts";
import { claimName, podName, POD_INDEX_LABEL, POD_NAME_LABEL } from "./identity.ts";
import type { StatefulSet } from "./types.ts";

export function newStatefulSetPod(
  set: StatefulSet,
  template: PodTemplateSpec,
  ordinal: number,
  revisionName: string,
): Pod {
  const meta = template.metadata ?? {};
  const name = podName(set, ordinal);
  const metadata: Pod["metadata"] = {
    name,
    labels: {
      ...(meta.labels ?? {}),
      [POD_NAME_LABEL]: name,
      [POD_INDEX_LABEL]: String(ordinal),
      [POD_REVISION_LABEL]: revisionName,
    },
    ownerReferences: [controllerRef(set, "apps/v1", "StatefulSet")],
  };
  if (meta.annotations && Object.keys(meta.annotations).length > 0) metadata.annotations = { ...meta.annotations };
  if (meta.finalizers && meta.finalizers.length > 0) metadata.finalizers = [...meta.finalizers];
  const spec = structuredClone(template.spec ?? { containers: [] });
  spec.hostname = name;
  if (set.spec.serviceName) spec.subdomain = set.spec.serviceName;
  const claims = (set.spec.volumeClaimTemplates ?? []).map((t) => t.metadata?.name ?? "");
  if (claims.length > 0) {
    const claimVolumes: Volume[] = claims.map((claim) => ({
      name: claim,
      persistentVolumeClaim: { claimName: claimName(claim, set, ordinal) },
    }));
    spec.volumes = [...claimVolumes, ...(spec.volumes ?? []).filter((v) => !claims.includes(v.name))];
  }
  return { apiVersion: "v1", kind: "Pod", metadata, spec };
}
