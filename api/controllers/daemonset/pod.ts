// The Pod a DaemonSet creates for a node: generateName `<ds>-`, the template's labels plus the
// revision hash, annotations and finalizers, the DaemonSet as controlling owner, the default
// DaemonSet tolerations, and a required node affinity for that node alone.
import type { PodSpec } from "kubernetes-types/core/v1";
import { controllerRef } from "../common/controller-ref.ts";
import type { Pod } from "../common/types.ts";
import { POD_REVISION_LABEL } from "../history/types.ts";
import { withDaemonTolerations } from "./eligibility.ts";
import { withNodeNameAffinity } from "./node-affinity.ts";
import type { DaemonSet } from "./types.ts";

export function daemonPodFor(ds: DaemonSet, node: string, hash: string): Pod {
  const template = ds.spec.template ?? {};
  const meta = template.metadata ?? {};
  const metadata: Pod["metadata"] = {
    generateName: `${ds.metadata.name ?? ""}-`,
    labels: { ...(meta.labels ?? {}), [POD_REVISION_LABEL]: hash },
    ownerReferences: [controllerRef(ds, "apps/v1", "DaemonSet")],
  };
  if (meta.annotations && Object.keys(meta.annotations).length > 0) metadata.annotations = { ...meta.annotations };
  if (meta.finalizers && meta.finalizers.length > 0) metadata.finalizers = [...meta.finalizers];
  const spec: PodSpec = structuredClone(template.spec ?? { containers: [] });
  spec.tolerations = withDaemonTolerations(spec);
  spec.affinity = withNodeNameAffinity(spec.affinity, node);
  return { apiVersion: "v1", kind: "Pod", metadata, spec };
}
