// The controllers every ClusterStore runs: namespace lifecycle, the PersistentVolume controller,
// and (with nodes) the scheduler, the node lifecycle controller and the pod garbage collector.
import { namespaceStore, type Env } from "../../env.ts";
import type { ObjectStore } from "../../storage/object-store.ts";
import type { PodOp } from "../../scheduler/pod-ops.ts";
import type { Controller } from "../framework.ts";
import { CrdController, type DeleteCustomObjects } from "./crd-controller.ts";
import { DaemonSetNodeNotifier } from "./daemonset-nodes.ts";
import { NamespaceActivator } from "./namespace-activator.ts";
import { NamespaceController, type TerminateNamespace } from "./namespace-controller.ts";
import { NodeLifecycleController, NODE_LIFECYCLE_CONTROLLER, nodeLifecycleSettings } from "./node-lifecycle.ts";
import { PodGcController, type PodGcSettings } from "./pod-gc.ts";
import { SchedulerController, SCHEDULER_CONTROLLER, CYCLE } from "./scheduler.ts";
import { VolumeController } from "./volume-controller.ts";
import type { ClusterType } from "../../../api/tenancy/logical-cluster.ts";
import { federationClusterControllers } from "../federation/cluster-controllers.ts";
import type { KindSource } from "../federation/propagation-scope.ts";

export interface ClusterControllerDeps {
  /** A Federation cluster has no nodes: no scheduler or node loops, and it watches member clusters. */
  type: ClusterType;
  env: Env;
  cluster: string;
  terminateNamespace: TerminateNamespace;
  deleteCustomObjects: DeleteCustomObjects;
  /** The ClusterStore's objects (cluster-scoped, plus its mirror of every namespace's). */
  store: ObjectStore;
  /** Enqueues a controller's key from outside a reconcile (asynchronous results). */
  enqueue: (controller: string, key: string) => void;
  clock: () => Date;
  /** The kinds the cluster serves, built-in and from its CRDs (the federation propagates custom resources). */
  kinds: KindSource;
  /** The pod GC's settings (the store keeps them, so tests can change them on a running store). */
  podGc: PodGcSettings;
}

export function clusterControllers(deps: ClusterControllerDeps): Controller[] {
  const common = [
    new NamespaceController(deps.terminateNamespace, async (namespace) => {
      await namespaceStore(deps.env, deps.cluster, namespace).destroy();
      // A re-created namespace numbers its outbox from 1 again: forget the old numbering.
      deps.store.forgetIngestedBefore(namespace, Number.MAX_SAFE_INTEGER);
    }),
    new NamespaceActivator((namespace) =>
      namespaceStore(deps.env, deps.cluster, namespace).activate(deps.cluster, namespace),
    ),
    new CrdController(deps.deleteCustomObjects),
  ];
  if (deps.type === "Federation") return [...common, ...federationClusterControllers(deps)];
  const send = (namespace: string, ops: PodOp[]) =>
    namespaceStore(deps.env, deps.cluster, namespace).podOps(deps.cluster, namespace, ops);
  return [
    ...common,
    // Before the scheduler: a claim's default class is assigned before its pod's cycle runs.
    new VolumeController({ store: deps.store, send }),
    new SchedulerController({
      store: deps.store,
      send,
      kick: () => deps.enqueue(SCHEDULER_CONTROLLER, CYCLE),
      clock: deps.clock,
    }),
    new NodeLifecycleController({
      store: deps.store,
      send,
      enqueue: (key) => deps.enqueue(NODE_LIFECYCLE_CONTROLLER, key),
      settings: nodeLifecycleSettings(deps.env),
      clock: deps.clock,
    }),
    new PodGcController({ store: deps.store, send, settings: deps.podGc }),
    new DaemonSetNodeNotifier({
      store: deps.store,
      notify: (namespace) => namespaceStore(deps.env, deps.cluster, namespace).nodesChanged(deps.cluster, namespace),
    }),
  ];
}
