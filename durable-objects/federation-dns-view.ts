// Reads what a federation's DNS needs out of its ClusterStore: member Clusters and
// ClusterOverridePolicies are its own, and the store mirrors every namespace's Services,
// ResourceBindings and OverridePolicies. The view only changes with the store's revision, so one
// is kept per revision: a burst of queries parses the objects once.
import { buildDnsView, type FederationDnsView } from "../api/federation/dns-view.ts";
import {
  CLUSTER_OVERRIDE_POLICIES,
  MEMBER_CLUSTERS,
  OVERRIDE_POLICIES,
  RESOURCE_BINDINGS,
  type MemberCluster,
  type OverridePolicy,
  type ResourceBinding,
} from "../api/federation/types.ts";
import type { KubeObject } from "../api/types.ts";
import type { ObjectStore } from "./storage/object-store.ts";

export class DnsViewCache {
  private view: FederationDnsView | undefined;

  /** `revision` is the store's current one; every namespace's objects are read when it moved. */
  get(objects: ObjectStore, federation: string, revision: number): FederationDnsView {
    if (this.view?.serial === revision) return this.view;
    // `undefined`: every namespace; "": the cluster-scoped ones.
    const list = <T extends KubeObject>(resource: string, namespace: string | undefined) =>
      objects.list(resource, namespace).map((row) => JSON.parse(row.value) as T);
    this.view = buildDnsView({
      federation,
      serial: revision,
      clusters: list<MemberCluster>(MEMBER_CLUSTERS, ""),
      services: list("services", undefined),
      bindings: list<ResourceBinding>(RESOURCE_BINDINGS, undefined),
      overridePolicies: list<OverridePolicy>(OVERRIDE_POLICIES, undefined),
      clusterOverridePolicies: list<OverridePolicy>(CLUSTER_OVERRIDE_POLICIES, ""),
    });
    return this.view;
  }
}
