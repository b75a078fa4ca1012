// What a workload needs in its namespace to start in a member: the ConfigMaps, Secrets,
// PersistentVolumeClaims and ServiceAccount its pod template refers to. With a policy's
// `propagateDeps`, Karmada sends these along to wherever the workload goes.
import type { KubeObject } from "../types.ts";

export interface Dependency {
  /** resourceKey, as stores record resources. */
  resource: "configmaps" | "secrets" | "persistentvolumeclaims" | "serviceaccounts";
  kind: "ConfigMap" | "Secret" | "PersistentVolumeClaim" | "ServiceAccount";
  name: string;
}

type Json = Record<string, unknown>;
const asRecord = (value: unknown): Json => (value && typeof value === "object" ? (value as Json) : {});
const asList = (value: unknown): Json[] => (Array.isArray(value) ? value.map(asRecord) : []);
const text = (value: unknown): string | undefined => (typeof value === "string" && value ? value : undefined);

/** The pod spec inside a workload (or the Pod's own). */
export function podSpecOf(kind: string, object: KubeObject): Json | undefined {
  const spec = asRecord(object.spec);
  switch (kind) {
    case "Pod":
      return spec;
    case "Deployment":
    case "StatefulSet":
    case "DaemonSet":
    case "ReplicaSet":
    case "Job":
      return asRecord(asRecord(spec.template).spec);
    case "CronJob":
      return asRecord(asRecord(asRecord(asRecord(spec.jobTemplate).spec).template).spec);
    default:
      return undefined;
  }
}

export function dependenciesOf(kind: string, object: KubeObject): Dependency[] {
  const pod = podSpecOf(kind, object);
  if (!pod) return [];
  const found = new Map<string, Dependency>();
  const add = (resource: Dependency["resource"], kindName: Dependency["kind"], name: string | undefined) => {
    if (name) found.set(`${resource}/${name}`, { resource, kind: kindName, name });
  };
  const configMap = (name: unknown) => add("configmaps", "ConfigMap", text(name));
  const secret = (name: unknown) => add("secrets", "Secret", text(name));

  for (const volume of asList(pod.volumes)) {
    configMap(asRecord(volume.configMap).name);
    secret(asRecord(volume.secret).secretName);
    add("persistentvolumeclaims", "PersistentVolumeClaim", text(asRecord(volume.persistentVolumeClaim).claimName));
    for (const source of asList(asRecord(volume.projected).sources)) {
      configMap(asRecord(source.configMap).name);
      secret(asRecord(source.secret).name);
    }
  }
  const containers = [...asList(pod.containers), ...asList(pod.initContainers), ...asList(pod.ephemeralContainers)];
  for (const container of containers) {
    for (const env of asList(container.env)) {
      const from = asRecord(env.valueFrom);
      configMap(asRecord(from.configMapKeyRef).name);
      secret(asRecord(from.secretKeyRef).name);
    }
    for (const from of asList(container.envFrom)) {
      configMap(asRecord(from.configMapRef).name);
      secret(asRecord(from.secretRef).name);
    }
  }
  for (const pull of asList(pod.imagePullSecrets)) secret(pull.name);
  const serviceAccount = text(pod.serviceAccountName) ?? text(pod.serviceAccount);
  // Every namespace has its own "default".
  if (serviceAccount !== "default") add("serviceaccounts", "ServiceAccount", serviceAccount);
  return [...found.values()].sort((a, b) => `${a.resource}/${a.name}`.localeCompare(`${b.resource}/${b.name}`));
}
