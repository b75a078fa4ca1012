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
import type { Catalog } from "../../../api/crd/catalog.ts";
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
  /** The kinds templates can be: built-in ones, and custom resources the cluster's CRDs define. */
  templateDefs(): readonly ResourceDef[];
  /** Learns of CRDs created or changed since (before a pass over every template). */
  refreshKinds(): Promise<void>;
  propagationPolicies(ctx: ControllerContext): Promise<Policies<PropagationPolicy>>;
  overridePolicies(ctx: ControllerContext): Promise<Policies<OverridePolicy>>;
  readSecret(ctx: ControllerContext, namespace: string, name: string): Promise<KubeObject | undefined>;
}

/** Where a store learns the kinds it serves (its catalog: built-in plus CRDs). */
export interface KindSource {
  current(): Catalog;
  refresh(): Promise<void>;
}

/** The template kinds of one scope, recomputed only when the catalog changes. */
function templateKinds(kinds: KindSource, namespaced: boolean): () => readonly ResourceDef[] {
  let seen: Catalog | undefined;
  let defs: readonly ResourceDef[] = [];
  return () => {
    const catalog = kinds.current();
    if (catalog !== seen) {
      seen = catalog;
      defs = catalog.all.filter((def) => def.namespaced === namespaced && isPropagatable(def));
    }
    return defs;
  };
}

const clusterList = async <T>(ctx: ControllerContext, resource: string): Promise<T[]> =>
  ((await ctx.clusterReader.listClusterObjects?.(resource)) ?? []) as T[];

/** A NamespaceStore: its own policies, plus the cluster-wide ones from the ClusterStore. */
export const namespaceScope = (kinds: KindSource): PropagationScope => ({
  namespaced: true,
  bindingResource: RESOURCE_BINDINGS,
  bindingKind: "ResourceBinding",
  policyResources: [PROPAGATION_POLICIES, OVERRIDE_POLICIES],
  templateDefs: templateKinds(kinds, true),
  refreshKinds: () => kinds.refresh(),
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
});

/** The federation's ClusterStore: cluster-scoped templates, only cluster-scoped policies apply. */
export const clusterScope = (kinds: KindSource): PropagationScope => ({
  namespaced: false,
  bindingResource: CLUSTER_RESOURCE_BINDINGS,
  bindingKind: "ClusterResourceBinding",
  policyResources: [CLUSTER_PROPAGATION_POLICIES, CLUSTER_OVERRIDE_POLICIES],
  templateDefs: templateKinds(kinds, false),
  refreshKinds: () => kinds.refresh(),
  propagationPolicies: async (ctx) => ({
    namespaced: [],
    cluster: ctx.objects.list(CLUSTER_PROPAGATION_POLICIES) as PropagationPolicy[],
  }),
  overridePolicies: async (ctx) => ({
    namespaced: [],
    cluster: ctx.objects.list(CLUSTER_OVERRIDE_POLICIES) as OverridePolicy[],
  }),
  readSecret: async (ctx, namespace, name) => ctx.clusterReader.getNamespacedObject?.("secrets", namespace, name),
});
