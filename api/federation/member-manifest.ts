// What a federation applies to a member: the template without what belongs to the federation's
// own copy (identity, status, values the federation's API server assigned), with the member's
// share of the replicas. Karmada's "retain" rules are served by server-side apply: fields the
// member sets itself (a Service's clusterIP, a Job's selector) are not in this manifest, so the
// member keeps its own.
import { apiVersionOf, type ResourceDef } from "../registry/types.ts";
import type { KubeObject } from "../types.ts";
import { TEMPLATE_GENERATION_ANNOTATION } from "./aggregate-status.ts";
import { MANAGED_BY_ANNOTATION } from "./types.ts";

/** The annotation's value on member objects: which federation object they come from. */
export const managedByValue = (federation: string, namespace: string, def: ResourceDef, name: string) =>
  `${federation}/${namespace}/${def.group ? `${def.resource}.${def.group}` : def.resource}/${name}`;

const DROPPED_ANNOTATIONS = ["kubectl.kubernetes.io/last-applied-configuration", "deployment.kubernetes.io/revision"];
/** Labels a federation's Job admission adds, tied to the federation's own Job uid. */
const JOB_LABELS = ["controller-uid", "batch.kubernetes.io/controller-uid", "job-name", "batch.kubernetes.io/job-name"];

/** The kinds whose replicas a Divided placement splits, and where each keeps them. */
export function replicasOf(def: ResourceDef, template: KubeObject): number {
  const spec = (template.spec ?? {}) as { replicas?: number; parallelism?: number };
  if (def.group === "apps" && (def.kind === "Deployment" || def.kind === "StatefulSet" || def.kind === "ReplicaSet"))
    return spec.replicas ?? 1;
  if (def.group === "batch" && def.kind === "Job") return spec.parallelism ?? 1;
  return 0;
}

function setReplicas(def: ResourceDef, spec: Record<string, unknown>, replicas: number): void {
  if (def.group === "batch" && def.kind === "Job") spec.parallelism = replicas;
  else spec.replicas = replicas;
}

export interface ManifestOptions {
  /** The member's share; undefined keeps the template's own (Duplicated, or kinds without replicas). */
  replicas?: number;
  managedBy: string;
}

export function memberManifest(def: ResourceDef, template: KubeObject, options: ManifestOptions): KubeObject {
  const { metadata, status: _status, apiVersion: _apiVersion, kind: _kind, ...content } = structuredClone(template);
  const annotations = { ...(metadata.annotations ?? {}) };
  for (const key of DROPPED_ANNOTATIONS) delete annotations[key];
  annotations[MANAGED_BY_ANNOTATION] = options.managedBy;
  // Which template generation the copy was made from: the template's observedGeneration waits for it.
  if (metadata.generation !== undefined) annotations[TEMPLATE_GENERATION_ANNOTATION] = String(metadata.generation);
  const manifest: KubeObject = {
    apiVersion: apiVersionOf(def),
    kind: def.kind,
    metadata: {
      name: metadata.name,
      ...(def.namespaced ? { namespace: metadata.namespace } : {}),
      ...(metadata.labels && Object.keys(metadata.labels).length > 0 ? { labels: { ...metadata.labels } } : {}),
      annotations,
    },
    ...content,
  };
  const spec = manifest.spec as Record<string, unknown> | undefined;
  if (spec && options.replicas !== undefined && replicasOf(def, template) > 0) setReplicas(def, spec, options.replicas);
  if (spec) dropAssigned(def, spec, manifest);
  return manifest;
}

/** Values the federation's own API server assigned, which each member assigns for itself. */
function dropAssigned(def: ResourceDef, spec: Record<string, unknown>, manifest: KubeObject): void {
  if (def.group === "" && def.kind === "Service") {
    if (spec.clusterIP !== "None") {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    }
    delete spec.healthCheckNodePort;
    if (Array.isArray(spec.ports)) {
      spec.ports = (spec.ports as Array<Record<string, unknown>>).map(({ nodePort: _nodePort, ...port }) => port);
    }
  }
  if (def.group === "batch" && def.kind === "Job" && !spec.manualSelector) {
    delete spec.selector;
    const template = spec.template as { metadata?: { labels?: Record<string, string> } } | undefined;
    for (const labels of [template?.metadata?.labels, manifest.metadata.labels]) {
      for (const key of JOB_LABELS) if (labels) delete labels[key];
    }
  }
  if (def.group === "" && def.kind === "PersistentVolumeClaim") delete spec.volumeName;
}
