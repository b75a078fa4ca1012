// v1 ComponentStatus (`kubectl get componentstatuses`, deprecated since Kubernetes 1.19 and still
// served there): the health of what kube-controller-manager, kube-scheduler and etcd do, which
// here is one ClusterStore per cluster. Computed on each request, never stored.
import { componentStatusTable } from "../printers/core.ts";
import { defineResource } from "../registry/define.ts";
import type { ResourceDef } from "../registry/types.ts";
import type { KubeObject } from "../types.ts";

/** kube-apiserver's deprecation warning for the kind (a `Warning: 299` header). */
export const COMPONENT_STATUS_WARNING = '299 - "v1 ComponentStatus is deprecated in v1.19+"';

export const componentStatusResource: ResourceDef = defineResource({
  group: "",
  version: "v1",
  resource: "componentstatuses",
  kind: "ComponentStatus",
  namespaced: false,
  shortNames: ["cs"],
  verbs: ["get", "list"],
  table: componentStatusTable,
});

/** The components kube-apiserver reports, in its order. */
export const COMPONENTS = ["scheduler", "controller-manager", "etcd-0"] as const;

/** One component's status: healthy when the cluster's store answered, else the error it gave. */
export function componentStatus(name: string, error: string | undefined): KubeObject {
  return {
    kind: "ComponentStatus",
    apiVersion: "v1",
    metadata: { name },
    conditions: [
      error === undefined
        ? { type: "Healthy", status: "True", message: "ok" }
        : { type: "Healthy", status: "False", error },
    ],
  } as KubeObject;
}
