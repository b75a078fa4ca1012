// Server-side Table printing: one TableConvertor per built-in resource, keyed "resource" for the
// core group and "resource.group" otherwise, as `kubectl get` shows them.
import type { TableConvertor } from "../registry/types.ts";
import {
  validatingAdmissionPolicyBindingTable,
  validatingAdmissionPolicyTable,
  webhookConfigurationTable,
  flowSchemaTable,
  priorityLevelConfigurationTable,
} from "./admission.ts";
import { controllerRevisionTable, daemonSetTable, deploymentTable, replicaSetTable, statefulSetTable } from "./apps.ts";
import { horizontalPodAutoscalerTable } from "./autoscaling.ts";
import { cronJobTable, jobTable } from "./batch.ts";
import {
  componentStatusTable,
  configMapTable,
  defaultTable,
  endpointsTable,
  namespaceTable,
  nodeTable,
  podTemplateTable,
  replicationControllerTable,
  resourceQuotaTable,
  secretTable,
  serviceAccountTable,
  serviceTable,
} from "./core.ts";
import { eventTable, eventsV1Table } from "./events.ts";
import {
  endpointSliceTable,
  ingressClassTable,
  ingressTable,
  ipAddressTable,
  networkPolicyTable,
  serviceCIDRTable,
} from "./networking.ts";
import {
  apiServiceTable,
  certificateSigningRequestTable,
  leaseTable,
  podDisruptionBudgetTable,
  priorityClassTable,
  roleBindingTable,
  runtimeClassTable,
} from "./other.ts";
import { podTable } from "./pod.ts";
import {
  csiDriverTable,
  csiNodeTable,
  csiStorageCapacityTable,
  persistentVolumeClaimTable,
  persistentVolumeTable,
  storageClassTable,
  volumeAttachmentTable,
  volumeAttributesClassTable,
} from "./storage.ts";

export { formatAge, formatDuration, formatShortDuration } from "./age.ts";
export { customColumnsTable, type CustomColumn } from "./custom.ts";
export { defaultTable } from "./core.ts";
export { canonicalQuantity } from "./quantity.ts";

export const printers: Record<string, TableConvertor> = {
  // core
  pods: podTable,
  namespaces: namespaceTable,
  nodes: nodeTable,
  services: serviceTable,
  endpoints: endpointsTable,
  configmaps: configMapTable,
  secrets: secretTable,
  serviceaccounts: serviceAccountTable,
  events: eventTable,
  persistentvolumes: persistentVolumeTable,
  persistentvolumeclaims: persistentVolumeClaimTable,
  resourcequotas: resourceQuotaTable,
  limitranges: defaultTable,
  replicationcontrollers: replicationControllerTable,
  podtemplates: podTemplateTable,
  componentstatuses: componentStatusTable,
  // apps
  "deployments.apps": deploymentTable,
  "replicasets.apps": replicaSetTable,
  "statefulsets.apps": statefulSetTable,
  "daemonsets.apps": daemonSetTable,
  "controllerrevisions.apps": controllerRevisionTable,
  // batch
  "jobs.batch": jobTable,
  "cronjobs.batch": cronJobTable,
  // coordination, discovery, events
  "leases.coordination.k8s.io": leaseTable,
  "endpointslices.discovery.k8s.io": endpointSliceTable,
  "events.events.k8s.io": eventsV1Table,
  // rbac
  "roles.rbac.authorization.k8s.io": defaultTable,
  "clusterroles.rbac.authorization.k8s.io": defaultTable,
  "rolebindings.rbac.authorization.k8s.io": roleBindingTable,
  "clusterrolebindings.rbac.authorization.k8s.io": roleBindingTable,
  // policy, autoscaling, scheduling, node
  "poddisruptionbudgets.policy": podDisruptionBudgetTable,
  "horizontalpodautoscalers.autoscaling": horizontalPodAutoscalerTable,
  "priorityclasses.scheduling.k8s.io": priorityClassTable,
  "runtimeclasses.node.k8s.io": runtimeClassTable,
  // storage
  "storageclasses.storage.k8s.io": storageClassTable,
  "volumeattachments.storage.k8s.io": volumeAttachmentTable,
  "csidrivers.storage.k8s.io": csiDriverTable,
  "csinodes.storage.k8s.io": csiNodeTable,
  "csistoragecapacities.storage.k8s.io": csiStorageCapacityTable,
  "volumeattributesclasses.storage.k8s.io": volumeAttributesClassTable,
  // networking
  "ingresses.networking.k8s.io": ingressTable,
  "ingressclasses.networking.k8s.io": ingressClassTable,
  "networkpolicies.networking.k8s.io": networkPolicyTable,
  "servicecidrs.networking.k8s.io": serviceCIDRTable,
  "ipaddresses.networking.k8s.io": ipAddressTable,
  // certificates, admission, flow control, aggregation, CRDs
  "certificatesigningrequests.certificates.k8s.io": certificateSigningRequestTable,
  "mutatingwebhookconfigurations.admissionregistration.k8s.io": webhookConfigurationTable,
  "validatingwebhookconfigurations.admissionregistration.k8s.io": webhookConfigurationTable,
  "validatingadmissionpolicies.admissionregistration.k8s.io": validatingAdmissionPolicyTable,
  "validatingadmissionpolicybindings.admissionregistration.k8s.io": validatingAdmissionPolicyBindingTable,
  "flowschemas.flowcontrol.apiserver.k8s.io": flowSchemaTable,
  "prioritylevelconfigurations.flowcontrol.apiserver.k8s.io": priorityLevelConfigurationTable,
  "apiservices.apiregistration.k8s.io": apiServiceTable,
  "customresourcedefinitions.apiextensions.k8s.io": defaultTable,
};

/** The printer for a resource, falling back to NAME / CREATED AT. */
export const printerFor = (group: string, resource: string): TableConvertor =>
  printers[group ? `${resource}.${group}` : resource] ?? defaultTable;
