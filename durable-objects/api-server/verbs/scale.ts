// The scale subresource: an autoscaling/v1 Scale view of a workload's replicas.
import { badRequest, invalid } from "../../../api/errors.ts";
import type { ResourceDef } from "../../../api/registry/types.ts";
import { labelSelectorToString } from "../../../api/selectors/labels.ts";
import { isObject, type KubeObject } from "../../../api/types.ts";

const pathParts = (path: string) => path.split(".").filter((p) => p !== "");

function readPath(obj: unknown, path: string): unknown {
  let current: unknown = obj;
  for (const part of pathParts(path)) current = isObject(current) ? current[part] : undefined;
  return current;
}

function writePath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const parts = pathParts(path);
  let current = obj;
  for (const part of parts.slice(0, -1)) {
    if (!isObject(current[part])) current[part] = {};
    current = current[part] as Record<string, unknown>;
  }
  current[parts[parts.length - 1]] = value;
}

export interface Scale {
  apiVersion: "autoscaling/v1";
  kind: "Scale";
  metadata: Record<string, unknown>;
  spec: { replicas?: number };
  status: { replicas: number; selector?: string };
}

export function scaleOf(def: ResourceDef, obj: KubeObject): Scale {
  if (!def.scale) throw badRequest(`${def.resource} has no scale subresource`);
  const { name, namespace, uid, resourceVersion, creationTimestamp } = obj.metadata;
  const status: Scale["status"] = { replicas: Number(readPath(obj, def.scale.statusReplicasPath) ?? 0) };
  // Built-in workloads derive the selector from spec.selector; custom resources name a path.
  const specSelector = (obj.spec as { selector?: { matchLabels?: Record<string, string> } } | undefined)?.selector;
  const selector = def.customSchema
    ? def.scale.labelSelectorPath
      ? readPath(obj, def.scale.labelSelectorPath)
      : undefined
    : specSelector
      ? labelSelectorToString(specSelector)
      : undefined;
  if (typeof selector === "string" && selector !== "") status.selector = selector;
  const replicas = readPath(obj, def.scale.specReplicasPath);
  return {
    apiVersion: "autoscaling/v1",
    kind: "Scale",
    metadata: { name, namespace, uid, resourceVersion, creationTimestamp },
    spec: typeof replicas === "number" ? { replicas } : {},
    status,
  };
}

/** Applies a (possibly patched) Scale back onto its workload; returns the new workload body. */
export function applyScale(def: ResourceDef, obj: KubeObject, scale: unknown): KubeObject {
  if (!def.scale) throw badRequest(`${def.resource} has no scale subresource`);
  if (!isObject(scale) || !isObject(scale.spec)) throw badRequest("the body must be an autoscaling/v1 Scale");
  const replicas = scale.spec.replicas;
  const name = obj.metadata.name ?? "";
  if (typeof replicas !== "number" || !Number.isInteger(replicas) || replicas < 0) {
    throw invalid("Scale", "autoscaling", name, [
      {
        field: "spec.replicas",
        type: "FieldValueInvalid",
        message: `Invalid value: ${JSON.stringify(replicas ?? null)}: must be greater than or equal to 0`,
      },
    ]);
  }
  const updated = structuredClone(obj);
  const meta = isObject(scale.metadata) ? scale.metadata : {};
  if (typeof meta.resourceVersion === "string" && meta.resourceVersion !== "")
    updated.metadata.resourceVersion = meta.resourceVersion;
  writePath(updated, def.scale.specReplicasPath, replicas);
  return updated;
}
