// Tables for core (v1) kinds other than pods, events and volumes.
import type {
  ComponentStatus,
  ConfigMap,
  Endpoints,
  Namespace,
  Node,
  PodTemplate,
  ReplicationController,
  ResourceQuota,
  Secret,
  Service,
  ServiceAccount,
} from "kubernetes-types/core/v1";
import type { TableConvertor } from "../registry/types.ts";
import {
  ageColumn,
  ageOf,
  col,
  containerCells,
  createdAtColumn,
  createdAtOf,
  formatLabels,
  joinHostPort,
  loadBalancerAddresses,
  nameColumn,
  num,
  view,
} from "./format.ts";
import { canonicalQuantity } from "./quantity.ts";

export const namespaceTable: TableConvertor = {
  columns: [nameColumn, col("Status", "string", "The namespace's lifecycle phase."), ageColumn],
  cells: (obj, now) => [obj.metadata.name, view<Namespace>(obj).status?.phase ?? "", ageOf(obj, now)],
};

/** Roles from node-role.kubernetes.io/<role> label keys and the kubernetes.io/role label value, sorted. */
export function nodeRoles(labels: Record<string, string> | undefined): string[] {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(labels ?? {})) {
    if (key.startsWith("node-role.kubernetes.io/")) {
      const role = key.slice("node-role.kubernetes.io/".length);
      if (role) roles.add(role);
    } else if (key === "kubernetes.io/role" && value) roles.add(value);
  }
  return [...roles].sort();
}

function nodeStatus(node: Node): string {
  const ready = node.status?.conditions?.find((c) => c.type === "Ready");
  const parts = [ready ? (ready.status === "True" ? "Ready" : "NotReady") : "Unknown"];
  if (node.spec?.unschedulable) parts.push("SchedulingDisabled");
  return parts.join(",");
}

const nodeAddress = (node: Node, type: string) =>
  node.status?.addresses?.find((a) => a.type === type)?.address ?? "<none>";

export const nodeTable: TableConvertor = {
  columns: [
    nameColumn,
    col("Status", "string", "Readiness of the node, and whether scheduling is disabled."),
    col("Roles", "string", "Roles taken from the node's role labels."),
    ageColumn,
    col("Version", "string", "Kubelet version reported by the node."),
    col("Internal-IP", "string", "First internal address of the node.", 1),
    col("External-IP", "string", "First external address of the node.", 1),
    col("OS-Image", "string", "Operating system image reported by the node.", 1),
    col("Kernel-Version", "string", "Kernel version reported by the node.", 1),
    col("Container-Runtime", "string", "Container runtime name and version.", 1),
  ],
  cells(obj, now) {
    const node = view<Node>(obj);
    const info = node.status?.nodeInfo;
    return [
      obj.metadata.name,
      nodeStatus(node),
      nodeRoles(obj.metadata.labels).join(",") || "<none>",
      ageOf(obj, now),
      info?.kubeletVersion ?? "",
      nodeAddress(node, "InternalIP"),
      nodeAddress(node, "ExternalIP"),
      info?.osImage || "<unknown>",
      info?.kernelVersion || "<unknown>",
      info?.containerRuntimeVersion || "<unknown>",
    ];
  },
};

/** "80/TCP,443:30443/TCP". */
export function servicePorts(svc: Service): string {
  const pieces = (svc.spec?.ports ?? []).map((p) => {
    const protocol = p.protocol ?? "TCP";
    return p.nodePort ? `${p.port}:${p.nodePort}/${protocol}` : `${p.port}/${protocol}`;
  });
  return pieces.join(",") || "<none>";
}

function serviceExternalIP(svc: Service): string {
  const external = svc.spec?.externalIPs ?? [];
  switch (svc.spec?.type ?? "ClusterIP") {
    case "ClusterIP":
    case "NodePort":
      return external.length > 0 ? external.join(",") : "<none>";
    case "LoadBalancer": {
      const ingress = loadBalancerAddresses(svc.status?.loadBalancer?.ingress);
      const all = [...(ingress ? ingress.split(",") : []), ...external];
      return all.length > 0 ? all.join(",") : "<pending>";
    }
    case "ExternalName":
      return svc.spec?.externalName ?? "";
    default:
      return "<unknown>";
  }
}

export const serviceTable: TableConvertor = {
  columns: [
    nameColumn,
    col("Type", "string", "How the service is exposed."),
    col("Cluster-IP", "string", "The virtual IP inside the cluster."),
    col("External-IP", "string", "Addresses reachable from outside the cluster."),
    col("Port(s)", "string", "Service ports, with node ports when allocated."),
    ageColumn,
    col("Selector", "string", "Labels of the pods the service routes to.", 1),
  ],
  cells(obj, now) {
    const svc = view<Service>(obj);
    return [
      obj.metadata.name,
      svc.spec?.type ?? "ClusterIP",
      svc.spec?.clusterIPs?.[0] || svc.spec?.clusterIP || "<none>",
      serviceExternalIP(svc),
      servicePorts(svc),
      ageOf(obj, now),
      formatLabels(svc.spec?.selector),
    ];
  },
};

/** Up to three "ip:port" endpoints, then " + N more...". */
export function formatEndpoints(ep: Endpoints): string {
  const subsets = ep.subsets ?? [];
  if (subsets.length === 0) return "<none>";
  const max = 3;
  const list: string[] = [];
  let count = 0;
  const add = (text: string) => {
    if (list.length < max) list.push(text);
  };
  for (const subset of subsets) {
    const addresses = subset.addresses ?? [];
    if (!subset.ports || subset.ports.length === 0) {
      count += addresses.length;
      for (const a of addresses) add(a.ip);
      continue;
    }
    for (const port of subset.ports) {
      count += addresses.length;
      for (const a of addresses) add(joinHostPort(a.ip, port.port));
    }
  }
  const joined = list.join(",");
  return count > max ? `${joined} + ${count - max} more...` : joined;
}

export const endpointsTable: TableConvertor = {
  columns: [nameColumn, col("Endpoints", "string", "Ready endpoint addresses."), ageColumn],
  cells: (obj, now) => [obj.metadata.name, formatEndpoints(view<Endpoints>(obj)), ageOf(obj, now)],
};

const keyCount = (m: object | undefined) => Object.keys(m ?? {}).length;

export const configMapTable: TableConvertor = {
  columns: [nameColumn, col("Data", "string", "Number of data and binary data keys."), ageColumn],
  cells(obj, now) {
    const cm = view<ConfigMap>(obj);
    return [obj.metadata.name, keyCount(cm.data) + keyCount(cm.binaryData), ageOf(obj, now)];
  },
};

export const secretTable: TableConvertor = {
  columns: [
    nameColumn,
    col("Type", "string", "The secret's type."),
    col("Data", "string", "Number of data keys."),
    ageColumn,
  ],
  cells(obj, now) {
    const secret = view<Secret>(obj);
    return [obj.metadata.name, secret.type ?? "Opaque", keyCount(secret.data), ageOf(obj, now)];
  },
};

export const serviceAccountTable: TableConvertor = {
  columns: [nameColumn, col("Secrets", "string", "Number of referenced secrets."), ageColumn],
  cells: (obj, now) => [obj.metadata.name, (view<ServiceAccount>(obj).secrets ?? []).length, ageOf(obj, now)],
};

/** "cpu: 100m/1, pods: 2/10" split into the requests side and the limits.* side. */
export function quotaUsage(rq: ResourceQuota): [string, string] {
  const hard = rq.status?.hard ?? {};
  const used = rq.status?.used ?? {};
  const requests: string[] = [];
  const limits: string[] = [];
  for (const name of Object.keys(hard).sort()) {
    const text = `${name}: ${canonicalQuantity(used[name])}/${canonicalQuantity(hard[name])}`;
    (name.split(".")[0] === "limits" && name.includes(".") ? limits : requests).push(text);
  }
  return [requests.join(", "), limits.join(", ")];
}

export const resourceQuotaTable: TableConvertor = {
  columns: [
    nameColumn,
    ageColumn,
    col("Request", "string", "Used and hard amounts of request-type resources."),
    col("Limit", "string", "Used and hard amounts of limits.* resources."),
  ],
  cells(obj, now) {
    const [request, limit] = quotaUsage(view<ResourceQuota>(obj));
    return [obj.metadata.name, ageOf(obj, now), request, limit];
  },
};

/** NAME and CREATED AT: the table for kinds without a dedicated printer. */
export const defaultTable: TableConvertor = {
  columns: [nameColumn, createdAtColumn],
  cells: (obj) => [obj.metadata.name, createdAtOf(obj)],
};

export const replicationControllerTable: TableConvertor = {
  columns: [
    nameColumn,
    col("Desired", "integer", "Number of desired pods."),
    col("Current", "integer", "Number of pods that exist."),
    col("Ready", "integer", "Number of ready pods."),
    ageColumn,
    col("Containers", "string", "Container names in the pod template.", 1),
    col("Images", "string", "Container images in the pod template.", 1),
    col("Selector", "string", "Labels selecting the managed pods.", 1),
  ],
  cells(obj, now) {
    const rc = view<ReplicationController>(obj);
    const [names, images] = containerCells(rc.spec?.template?.spec?.containers);
    return [
      obj.metadata.name,
      rc.spec?.replicas ?? 1,
      num(rc.status?.replicas),
      num(rc.status?.readyReplicas),
      ageOf(obj, now),
      names,
      images,
      formatLabels(rc.spec?.selector),
    ];
  },
};

export const podTemplateTable: TableConvertor = {
  columns: [
    nameColumn,
    col("Containers", "string", "Container names in the template."),
    col("Images", "string", "Container images in the template."),
    col("Pod Labels", "string", "Labels set on pods made from the template."),
  ],
  cells(obj) {
    const template = view<PodTemplate>(obj).template;
    const [names, images] = containerCells(template?.spec?.containers);
    return [obj.metadata.name, names, images, formatLabels(template?.metadata?.labels)];
  },
};

export const componentStatusTable: TableConvertor = {
  columns: [
    nameColumn,
    col("Status", "string", "Whether the component is healthy."),
    col("Message", "string", "Message from the health check."),
    col("Error", "string", "Error from the health check."),
  ],
  cells(obj) {
    const healthy = view<ComponentStatus>(obj).conditions?.find((c) => c.type === "Healthy");
    const status = healthy ? (healthy.status === "True" ? "Healthy" : "Unhealthy") : "Unknown";
    return [obj.metadata.name, status, healthy?.message ?? "", healthy?.error ?? ""];
  },
};
