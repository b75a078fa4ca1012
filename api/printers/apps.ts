// Tables for apps/v1 kinds.
import type { ControllerRevision, DaemonSet, Deployment, ReplicaSet, StatefulSet } from "kubernetes-types/apps/v1";
import type { TableConvertor } from "../registry/types.ts";
import {
  ageColumn,
  ageOf,
  col,
  containerCells,
  formatLabelSelector,
  formatLabels,
  nameColumn,
  num,
  resourceName,
  selectorString,
  view,
} from "./format.ts";

const containersColumn = col("Containers", "string", "Container names in the pod template.", 1);
const imagesColumn = col("Images", "string", "Container images in the pod template.", 1);
const selectorColumn = col("Selector", "string", "Label selector for the managed pods.", 1);

export const deploymentTable: TableConvertor = {
  columns: [
    nameColumn,
    col("Ready", "string", "Ready pods out of desired pods."),
    col("Up-to-date", "string", "Pods running the latest template."),
    col("Available", "string", "Pods available to serve."),
    ageColumn,
    containersColumn,
    imagesColumn,
    selectorColumn,
  ],
  cells(obj, now) {
    const d = view<Deployment>(obj);
    const [names, images] = containerCells(d.spec?.template?.spec?.containers);
    return [
      obj.metadata.name,
      `${num(d.status?.readyReplicas)}/${d.spec?.replicas ?? 1}`,
      num(d.status?.updatedReplicas),
      num(d.status?.availableReplicas),
      ageOf(obj, now),
      names,
      images,
      selectorString(d.spec?.selector),
    ];
  },
};

export const replicaSetTable: TableConvertor = {
  columns: [
    nameColumn,
    col("Desired", "integer", "Number of desired pods."),
    col("Current", "integer", "Number of pods that exist."),
    col("Ready", "integer", "Number of ready pods."),
    ageColumn,
    containersColumn,
    imagesColumn,
    selectorColumn,
  ],
  cells(obj, now) {
    const rs = view<ReplicaSet>(obj);
    const [names, images] = containerCells(rs.spec?.template?.spec?.containers);
    return [
      obj.metadata.name,
      rs.spec?.replicas ?? 1,
      num(rs.status?.replicas),
      num(rs.status?.readyReplicas),
      ageOf(obj, now),
      names,
      images,
      formatLabelSelector(rs.spec?.selector),
    ];
  },
};

export const statefulSetTable: TableConvertor = {
  columns: [
    nameColumn,
    col("Ready", "string", "Ready pods out of desired pods."),
    ageColumn,
    containersColumn,
    imagesColumn,
  ],
  cells(obj, now) {
    const ss = view<StatefulSet>(obj);
    const [names, images] = containerCells(ss.spec?.template?.spec?.containers);
    return [
      obj.metadata.name,
      `${num(ss.status?.readyReplicas)}/${ss.spec?.replicas ?? 1}`,
      ageOf(obj, now),
      names,
      images,
    ];
  },
};

export const daemonSetTable: TableConvertor = {
  columns: [
    nameColumn,
    col("Desired", "integer", "Nodes that should run the daemon pod."),
    col("Current", "integer", "Nodes running at least one daemon pod."),
    col("Ready", "integer", "Nodes whose daemon pod is ready."),
    col("Up-to-date", "integer", "Nodes running the latest template."),
    col("Available", "integer", "Nodes whose daemon pod is available."),
    col("Node Selector", "string", "Node labels the pods are restricted to."),
    ageColumn,
    containersColumn,
    imagesColumn,
    selectorColumn,
  ],
  cells(obj, now) {
    const ds = view<DaemonSet>(obj);
    const status = ds.status;
    const [names, images] = containerCells(ds.spec?.template?.spec?.containers);
    return [
      obj.metadata.name,
      num(status?.desiredNumberScheduled),
      num(status?.currentNumberScheduled),
      num(status?.numberReady),
      num(status?.updatedNumberScheduled),
      num(status?.numberAvailable),
      formatLabels(ds.spec?.template?.spec?.nodeSelector),
      ageOf(obj, now),
      names,
      images,
      formatLabelSelector(ds.spec?.selector),
    ];
  },
};

export const controllerRevisionTable: TableConvertor = {
  columns: [
    nameColumn,
    col("Controller", "string", "The controller that owns the revision."),
    col("Revision", "string", "Revision number."),
    ageColumn,
  ],
  cells(obj, now) {
    const owner = obj.metadata.ownerReferences?.find((ref) => ref.controller);
    return [
      obj.metadata.name,
      owner ? resourceName(owner.apiVersion, owner.kind, owner.name) : "<none>",
      num(view<ControllerRevision>(obj).revision),
      ageOf(obj, now),
    ];
  },
};
