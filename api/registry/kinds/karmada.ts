// Karmada's federation API, served as built-in kinds so Karmada users' manifests apply unchanged:
// cluster.karmada.io (member clusters), policy.karmada.io (propagation and override policies) and
// work.karmada.io (the bindings the federation controllers write). Karmada's short names and its
// `karmada-io` category are kept, so `kubectl get pp` and `kubectl get karmada-io` work.
import { CLUSTER_GROUP, POLICY_GROUP, WORK_GROUP } from "../../federation/types.ts";
import { memberClusterTable, propagationPolicyTable, resourceBindingTable, workTable } from "../../printers/karmada.ts";
import { validateResourceBinding, validateResourceBindingStatusUpdate } from "../../validation/karmada/binding.ts";
import { validateWork } from "../../validation/karmada/work.ts";
import { clusterName, validateCluster, validateClusterStatusUpdate } from "../../validation/karmada/cluster.ts";
import { validateClusterOverridePolicy, validateOverridePolicy } from "../../validation/karmada/override.ts";
import {
  validateClusterPropagationPolicy,
  validatePropagationPolicy,
  validatePropagationPolicyUpdate,
} from "../../validation/karmada/propagation.ts";
import {
  defaultCluster,
  defaultClusterPropagationPolicy,
  defaultOverridePolicy,
  defaultPropagationPolicy,
  defaultResourceBinding,
} from "../defaults/karmada.ts";
import { defineResource } from "../define.ts";
import type { ResourceDef } from "../types.ts";

const categories = ["karmada-io"];

const clusters = defineResource({
  group: CLUSTER_GROUP,
  version: "v1alpha1",
  resource: "clusters",
  kind: "Cluster",
  namespaced: false,
  subresources: ["status"],
  nameRule: clusterName,
  strategy: {
    prepareForCreate: defaultCluster,
    prepareForUpdate: defaultCluster,
    validate: validateCluster,
    validateStatusUpdate: validateClusterStatusUpdate,
  },
  table: memberClusterTable,
});

const policy = { group: POLICY_GROUP, version: "v1alpha1", categories };

const propagationpolicies = defineResource({
  ...policy,
  resource: "propagationpolicies",
  kind: "PropagationPolicy",
  shortNames: ["pp"],
  strategy: {
    prepareForCreate: defaultPropagationPolicy,
    prepareForUpdate: defaultPropagationPolicy,
    validate: validatePropagationPolicy,
    validateUpdate: validatePropagationPolicyUpdate,
  },
  table: propagationPolicyTable,
});

const clusterpropagationpolicies = defineResource({
  ...policy,
  resource: "clusterpropagationpolicies",
  kind: "ClusterPropagationPolicy",
  namespaced: false,
  shortNames: ["cpp"],
  strategy: {
    prepareForCreate: defaultClusterPropagationPolicy,
    prepareForUpdate: defaultClusterPropagationPolicy,
    validate: validateClusterPropagationPolicy,
    validateUpdate: validatePropagationPolicyUpdate,
  },
  table: propagationPolicyTable,
});

const overridepolicies = defineResource({
  ...policy,
  resource: "overridepolicies",
  kind: "OverridePolicy",
  shortNames: ["op"],
  strategy: {
    prepareForCreate: defaultOverridePolicy,
    prepareForUpdate: defaultOverridePolicy,
    validate: validateOverridePolicy,
  },
});

const clusteroverridepolicies = defineResource({
  ...policy,
  resource: "clusteroverridepolicies",
  kind: "ClusterOverridePolicy",
  namespaced: false,
  shortNames: ["cop"],
  strategy: { validate: validateClusterOverridePolicy },
});

const work = { group: WORK_GROUP, version: "v1alpha2", categories, subresources: ["status" as const] };
const bindingStrategy = {
  prepareForCreate: defaultResourceBinding,
  prepareForUpdate: defaultResourceBinding,
  validate: validateResourceBinding,
  validateStatusUpdate: validateResourceBindingStatusUpdate,
};

const resourcebindings = defineResource({
  ...work,
  resource: "resourcebindings",
  kind: "ResourceBinding",
  shortNames: ["rb"],
  strategy: bindingStrategy,
  table: resourceBindingTable,
});

const clusterresourcebindings = defineResource({
  ...work,
  resource: "clusterresourcebindings",
  kind: "ClusterResourceBinding",
  namespaced: false,
  shortNames: ["crb"],
  strategy: bindingStrategy,
  table: resourceBindingTable,
});

/** What one Pull-mode member is to run: its agent applies the manifests and reports their status. */
const works = defineResource({
  group: WORK_GROUP,
  version: "v1alpha1",
  categories,
  subresources: ["status" as const],
  resource: "works",
  kind: "Work",
  strategy: { validate: validateWork },
  table: workTable,
});

export const karmadaResources: ResourceDef[] = [
  clusters,
  propagationpolicies,
  clusterpropagationpolicies,
  overridepolicies,
  clusteroverridepolicies,
  resourcebindings,
  clusterresourcebindings,
  works,
];
