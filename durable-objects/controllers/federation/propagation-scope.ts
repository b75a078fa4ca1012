// The two places templates live: a namespace (ResourceBindings, in its NamespaceStore) and the
// cluster scope (ClusterResourceBindings, in the federation's ClusterStore). The propagation loop
// is the same; where it finds policies and bindings differs.
import {
  CLUSTER_OVERRIDE_POLICIES,
  CLUSTER_PROPAGATION_POLICIES,
  CLUSTER_RESOURCE_BINDINGS,
  OVERRIDE_POLICIES,
  PROPAGATION_POLICIES,
  RESOURCE_BINDINGS,
  type OverridePolicy,
  type PropagationPolicy,
} from "../../../api/federation/types.ts";
import { isPropagatable } from "../../../api/federation/templates.ts";
import { builtinResources } from "../../../api/registry/index.ts";
import type { ResourceDef } from "../../../api/registry/types.ts";
import type { KubeObject } from "../../../api/types.ts";
import type { ControllerContext } from "../framework.ts";

export interface Policies<T> {
  namespaced: T[];
  cluster: T[];
}

export interface PropagationScope {
  readonly namespaced: boolean;
  readonly bindingResource: string;
  readonly bindingKind: "ResourceBinding" | "ClusterResourceBinding";
  /** Changes to these re-place every template. */
  readonly policyResources: readonly string[];
  readonly templateDefs: readonly ResourceDef[];
  propagationPolicies(ctx: ControllerContext): Promise<Policies<PropagationPolicy>>;
  overridePolicies(ctx: ControllerContext): Promise<Policies<OverridePolicy>>;
  readSecret(ctx: ControllerContext, namespace: string, name: string): Promise<KubeObject | undefined>;
}

const defsFor = (namespaced: boolean) =>
  builtinResources.filter((def) => def.namespaced === namespaced && isPropagatable(def));

const clusterList = async <T>(ctx: ControllerContext, resource: string): Promise<T[]> =>
  ((await ctx.clusterReader.listClusterObjects?.(resource)) ?? []) as T[];

/** A NamespaceStore: its own policies, plus the cluster-wide ones from the ClusterStore. */
export const namespaceScope: PropagationScope = {
  namespaced: true,
  bindingResource: RESOURCE_BINDINGS,
  bindingKind: "ResourceBinding",
  policyResources: [PROPAGATION_POLICIES, OVERRIDE_POLICIES],
  templateDefs: defsFor(true),
  propagationPolicies: async (ctx) => ({
    namespaced: ctx.objects.list(PROPAGATION_POLICIES) as PropagationPolicy[],
    cluster: await clusterList<PropagationPolicy>(ctx, CLUSTER_PROPAGATION_POLICIES),
  }),
  overridePolicies: async (ctx) => ({
    namespaced: ctx.objects.list(OVERRIDE_POLICIES) as OverridePolicy[],
    cluster: await clusterList<OverridePolicy>(ctx, CLUSTER_OVERRIDE_POLICIES),
  }),
  readSecret: async (ctx, namespace, name) =>
    namespace === ctx.namespace
      ? ctx.objects.get("secrets", name)
      : ctx.clusterReader.getNamespacedObject?.("secrets", namespace, name),
};

/** The federation's ClusterStore: cluster-scoped templates, only cluster-scoped policies apply. */
export const clusterScope: PropagationScope = {
  namespaced: false,
  bindingResource: CLUSTER_RESOURCE_BINDINGS,
  bindingKind: "ClusterResourceBinding",
  policyResources: [CLUSTER_PROPAGATION_POLICIES, CLUSTER_OVERRIDE_POLICIES],
  templateDefs: defsFor(false),
  propagationPolicies: async (ctx) => ({
    namespaced: [],
    cluster: ctx.objects.list(CLUSTER_PROPAGATION_POLICIES) as PropagationPolicy[],
  }),
  overridePolicies: async (ctx) => ({
    namespaced: [],
    cluster: ctx.objects.list(CLUSTER_OVERRIDE_POLICIES) as OverridePolicy[],
  }),
  readSecret: async (ctx, namespace, name) => ctx.clusterReader.getNamespacedObject?.("secrets", namespace, name),
};
