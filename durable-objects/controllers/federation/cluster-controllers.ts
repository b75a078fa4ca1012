// What a federation's ClusterStore runs besides namespace lifecycle: member health, and the
// notices that make namespaces reschedule when members or cluster-scoped policies change.
import {
  CLUSTER_RESOURCE_BINDINGS,
  MEMBER_CLUSTERS,
  RESOURCE_BINDINGS,
  type MemberCluster,
  type ResourceBinding,
} from "../../../api/federation/types.ts";
import { membersOf } from "./binding-status.ts";
import type { KubeObject } from "../../../api/types.ts";
import { namespaceStore } from "../../env.ts";
import type { ClusterControllerDeps } from "../cluster/index.ts";
import type { Controller } from "../framework.ts";
import { FederationNotifier } from "./federation-notifier.ts";
import { MemberClusterController } from "./member-cluster-controller.ts";
import { ALL, PropagationController, PROPAGATION_CONTROLLER } from "./propagation-controller.ts";
import { clusterScope } from "./propagation-scope.ts";

export function federationClusterControllers(deps: ClusterControllerDeps): Controller[] {
  const { store, env, cluster } = deps;
  const readSecret = async (namespace: string, name: string) => {
    const row = store.get("secrets", namespace, name);
    return row ? (JSON.parse(row.value) as KubeObject) : undefined;
  };
  const clustersUsingSecret = (namespace: string, name: string) =>
    store
      .listParsed(MEMBER_CLUSTERS, "")
      .filter((c) => {
        const ref = (c as MemberCluster).spec?.secretRef;
        return ref?.namespace === namespace && ref.name === name;
      })
      .map((c) => c.metadata.name ?? "");
  const enqueue = (key: string) => deps.enqueue(PROPAGATION_CONTROLLER, key);
  return [
    new MemberClusterController(env, readSecret, clustersUsingSecret, (member) =>
      [RESOURCE_BINDINGS, CLUSTER_RESOURCE_BINDINGS].some((resource) =>
        // Every namespace's bindings (the store's mirror) and the cluster-scoped ones.
        store
          .list(resource, resource === RESOURCE_BINDINGS ? undefined : "")
          .some((row) => membersOf(JSON.parse(row.value) as ResourceBinding).has(member)),
      ),
    ),
    new PropagationController(env, cluster, clusterScope(deps.kinds), enqueue),
    new FederationNotifier(store, async (namespace) => {
      // "" is the cluster scope: this store's own cluster-scoped templates.
      if (namespace === "") enqueue(ALL);
      else await namespaceStore(env, cluster, namespace).federationChanged(cluster, namespace);
    }),
  ];
}
