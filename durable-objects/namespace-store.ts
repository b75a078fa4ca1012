// NamespaceStore: one per (cluster, namespace). The consistent store and API server for the
// namespace's objects; its changes reach the cluster-wide log through an outbox.
import { DurableObject } from "cloudflare:workers";
import { forbidden, notFound } from "../api/errors.ts";
import { decideDelete } from "../api/lifecycle/delete.ts";
import type { KubeObject } from "../api/types.ts";
import { dispatch } from "./api-server/dispatch.ts";
import { errorResponse } from "./api-server/respond.ts";
import { federationHint } from "./federation-hint.ts";
import { POLICY_GROUP } from "../api/federation/types.ts";
import { clusterStore, historyLimit, STORE_HEADERS, watchTiming, type Env } from "./env.ts";
import {
  tallyRemaining,
  terminatingMessage,
  type NamespacePhase,
  type RemainingContent,
} from "./namespaces/lifecycle.ts";
import { OutboxRuntime, type RevisionSource } from "./runtime/outbox-runtime.ts";
import { nodeNameOf, type ObjectStore } from "./storage/object-store.ts";
import { openObjectStore } from "./storage/open.ts";
import { resolveResource } from "./store-fetch.ts";
import { CRD_KEY } from "../api/crd/resource-defs.ts";
import type { ResourceDef } from "../api/registry/types.ts";
import { RemoteCatalog } from "./resources/remote-catalog.ts";
import { applyAddresses, needsClusterIP, nodePortNeeds } from "../api/services/addresses.ts";
import { ControllerManager } from "./controllers/manager.ts";
import { namespacedControllers } from "./controllers/namespaced/index.ts";
import { federationNamespacedControllers } from "./controllers/federation/namespaced-controllers.ts";
import { ALL as ALL_TEMPLATES, PROPAGATION_CONTROLLER } from "./controllers/federation/propagation-controller.ts";
import type { ClusterType } from "../api/tenancy/logical-cluster.ts";
import { ObjectWriter } from "./controllers/object-writer.ts";
import { guardNodeRequest } from "./scheduler/node-guard.ts";
import { applyPodOps, type PodOp, type PodOpResult } from "./scheduler/pod-ops.ts";
import { installAdmission } from "./admission/namespace-admission.ts";
import { fetchNodeMetrics, withHistoryMemory } from "./controllers/namespaced/hpa.ts";
import { applyDefaultStorageClass, wantsDefaultClass } from "../api/admission/default-storage-class.ts";
import { STORAGE_CLASSES } from "../api/volumes/storage-class.ts";
import { DAEMONSETS } from "../api/controllers/daemonset/types.ts";
import { DAEMONSET_CONTROLLER } from "./controllers/namespaced/daemonset.ts";

/** How long a namespace's phase, read from the ClusterStore, is trusted. */
const PHASE_CACHE_MS = 5000;
const FLUSH_RETRY_MS = 1000;
const CLUSTER_TYPE = "cluster-type";

export class NamespaceStore extends DurableObject<Env> {
  private objects!: ObjectStore;
  private runtime: OutboxRuntime | undefined;
  private controllers: ControllerManager | undefined;
  private remoteCatalog: RemoteCatalog | undefined;
  private phase: { value: NamespacePhase | null; at: number } | undefined;
  /** The alarm time this object last asked for (one alarm serves flush retries and controllers). */
  private alarmAt: number | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      this.objects = await openObjectStore(ctx.storage);
    });
  }

  /** The runtime needs to know which cluster and namespace this object serves (learned from the first call). */
  private runtimeFor(cluster: string | null, namespace: string | null): OutboxRuntime {
    if (this.runtime) return this.runtime;
    if (cluster && namespace && this.objects.getMeta("cluster") === undefined) {
      this.objects.setMeta("cluster", cluster);
      this.objects.setMeta("namespace", namespace);
    }
    if (this.runtime) return this.runtime;
    const clusterName = this.objects.getMeta("cluster");
    const namespaceName = this.objects.getMeta("namespace");
    if (clusterName === undefined || namespaceName === undefined)
      throw new Error("namespace store used before it was told its identity");
    const env = this.env;
    const source: RevisionSource = {
      ingest: (ns, events, acknowledgedBelow) => clusterStore(env, clusterName).ingest(ns, events, acknowledgedBelow),
      head: () => clusterStore(env, clusterName).head(),
    };
    const runtime = new OutboxRuntime(this.objects, namespaceName, source, {
      clock: () => new Date(),
      historyEvents: historyLimit(env, 10_000),
      watchTiming: watchTiming(env),
    });
    runtime.admitCreate = async (def, _namespace, name) => {
      const phase = await this.namespacePhase(clusterName, namespaceName);
      if (phase === null) throw notFound({ group: "", resource: "namespaces", name: namespaceName });
      if (phase === "Terminating") {
        const target = { group: def.group, resource: def.resource, name };
        const resource = def.group ? `${def.resource}.${def.group}` : def.resource;
        throw forbidden(`${resource} "${name}" is forbidden: ${terminatingMessage(namespaceName)}`, target);
      }
    };

    runtime.admitFromCluster = async (def, object) => {
      if (def.group !== "" || def.resource !== "persistentvolumeclaims" || !wantsDefaultClass(object)) return;
      applyDefaultStorageClass(object, await clusterStore(env, clusterName).listClusterObjects(STORAGE_CLASSES));
    };

    runtime.assignAddresses = async (def, object) => {
      if (def.group !== "" || def.resource !== "services") return;
      const wantsIP = needsClusterIP(object);
      const ports = nodePortNeeds(object);
      if (!wantsIP && ports.requested.length === 0 && ports.missing === 0) return;
      const addresses = await clusterStore(env, clusterName).allocateServiceAddresses(
        `${namespaceName}/${object.metadata.name ?? ""}`,
        wantsIP,
        ports.requested,
        ports.missing,
      );
      applyAddresses(object, addresses);
    };
    this.runtime = runtime;
    this.startControllersOnceTyped(runtime, clusterName, namespaceName);
    installAdmission(runtime, namespaceName);
    return runtime;
  }

  /**
   * Which controllers run depends on the cluster's type, asked of the ClusterStore once and kept.
   * Until then events wait (blockConcurrencyWhile); the manager's resync at start covers the commits
   * the current call makes meanwhile.
   */
  private startControllersOnceTyped(runtime: OutboxRuntime, cluster: string, namespace: string): void {
    const known = this.objects.getMeta(CLUSTER_TYPE) as ClusterType | undefined;
    if (known) {
      this.controllers = this.startControllers(runtime, cluster, namespace, known);
      return;
    }
    void this.ctx.blockConcurrencyWhile(async () => {
      const type = await clusterStore(this.env, cluster).clusterType();
      this.objects.setMeta(CLUSTER_TYPE, type);
      this.controllers ??= this.startControllers(runtime, cluster, namespace, type);
    });
  }

  private startControllers(
    runtime: OutboxRuntime,
    cluster: string,
    namespace: string,
    type: ClusterType,
  ): ControllerManager {
    const env = this.env;
    const manager = new ControllerManager({
      cluster,
      namespace,
      controllers: withHistoryMemory(
        type === "Federation"
          ? federationNamespacedControllers(env, cluster, this.kindSource(), (controller, key) =>
              this.controllers?.enqueue(controller, key),
            )
          : namespacedControllers(),
        this.objects,
      ),
      // Controllers see custom resources too (the catalog as last fetched).
      objects: new ObjectWriter(runtime, namespace, (key) => this.catalog().current().byKey(key)),
      clusterReader: {
        listNodes: () => clusterStore(env, cluster).listClusterObjects("nodes"),
        getClusterObject: (resource, name) => clusterStore(env, cluster).getClusterObject(resource, name),
        listClusterObjects: (resource) => clusterStore(env, cluster).listClusterObjects(resource),
        getNamespacedObject: (resource, ns, name) => clusterStore(env, cluster).getMirroredObject(resource, ns, name),
        nodeMetrics: (node) => fetchNodeMetrics(env, cluster, node),
      },
      db: this.objects.db,
      clock: () => runtime.now(),
      wake: (at) => this.wakeAt(at),
    });
    // Chained, not replaced: admission's quota ledger may already be listening (the type, and so
    // the controllers, can come after it).
    const earlier = runtime.onCommit;
    runtime.onCommit = (change) => {
      earlier(change);
      manager.notice(change);
    };
    manager.resyncAll();
    return manager;
  }

  private wakeAt(at: number): void {
    if (this.alarmAt !== undefined && this.alarmAt <= at) return;
    this.alarmAt = at;
    void this.ctx.storage.setAlarm(at);
  }

  /** Only "Active" is cached: a missing or terminating namespace may come (back) at any moment. */
  private async namespacePhase(cluster: string, namespace: string): Promise<NamespacePhase | null> {
    const now = Date.now();
    if (this.phase?.value === "Active" && now - this.phase.at < PHASE_CACHE_MS) return this.phase.value;
    const value = await clusterStore(this.env, cluster).namespacePhase(namespace);
    this.phase = { value, at: now };
    return value;
  }

  async fetch(request: Request): Promise<Response> {
    try {
      const runtime = this.runtimeFor(
        request.headers.get(STORE_HEADERS.cluster),
        request.headers.get(STORE_HEADERS.namespace),
      );
      const catalog = this.catalog();
      const { path, def } = await resolveResource(request, (g, v, r) => catalog.find(g, v, r));
      await guardNodeRequest(runtime, request, def, path);
      const posting = request.method === "POST";
      if (posting) runtime.postsInFlight++;
      try {
        const response = await dispatch(runtime, request, def, path);
        if (runtime.hasPending) this.wakeAt(Date.now() + FLUSH_RETRY_MS);
        if (def.group !== POLICY_GROUP) return response;
        return federationHint(request, response, this.objects.getMeta(CLUSTER_TYPE));
      } finally {
        if (posting) runtime.postsInFlight--;
      }
    } catch (err) {
      return errorResponse(err);
    }
  }

  /** One alarm for everything timed: outbox flush retries and the controllers' work. */
  async alarm(): Promise<void> {
    this.alarmAt = undefined;
    if (this.objects.getMeta("cluster") === undefined) return; // never used, or destroyed
    const runtime = this.runtimeFor(null, null);
    try {
      await runtime.settle();
      await this.controllers?.run();
      await runtime.settle();
    } finally {
      const next = this.controllers?.nextDue();
      if (next !== undefined) this.wakeAt(next);
      if (runtime.hasPending) this.wakeAt(Date.now() + FLUSH_RETRY_MS);
    }
  }

  // ---- RPC from the ClusterStore ----

  /** The scheduler's and node lifecycle controller's pod writes (bind, status, evict, events), in order. */
  async podOps(cluster: string, namespace: string, ops: PodOp[]): Promise<PodOpResult[]> {
    const runtime = this.runtimeFor(cluster, namespace);
    await runtime.settle();
    const results = applyPodOps(runtime, namespace, ops);
    await runtime.settle();
    return results;
  }

  /** The cluster's nodes changed in a way DaemonSets care about: reconcile every DaemonSet now. */
  async nodesChanged(cluster: string, namespace: string): Promise<void> {
    this.runtimeFor(cluster, namespace);
    for (const ds of this.objects.list(DAEMONSETS, namespace)) this.controllers?.enqueue(DAEMONSET_CONTROLLER, ds.name);
  }

  /** A federation's members or cluster-scoped policies changed: re-place every template now. */
  async federationChanged(cluster: string, namespace: string): Promise<void> {
    this.runtimeFor(cluster, namespace);
    this.controllers?.enqueue(PROPAGATION_CONTROLLER, ALL_TEMPLATES);
  }

  /** The namespace is being deleted: stop trusting the cached "Active" (no more creates). */
  async namespaceTerminating(cluster: string, namespace: string): Promise<void> {
    this.runtimeFor(cluster, namespace);
    this.phase = undefined;
  }

  /** Starts this namespace's controllers (called when the namespace is created). */
  async activate(cluster: string, namespace: string): Promise<void> {
    this.runtimeFor(cluster, namespace);
  }

  /**
   * Deletes everything in the namespace (finalizers honoured); answers what remains, by resource
   * and by finalizer (the namespace's conditions say it).
   * As Kubernetes' namespace controller does, with default options: a pod bound to a node
   * terminates gracefully (its node stops the containers, then finishes the deletion), so the
   * namespace goes only once its pods' processes have stopped.
   */
  async terminate(cluster: string, namespace: string): Promise<RemainingContent> {
    const runtime = this.runtimeFor(cluster, namespace);
    this.phase = undefined;
    await this.deleteWhere(runtime, () => true);
    return tallyRemaining(
      this.objects
        .listAll()
        .filter((row) => row.namespace === namespace)
        .map((row) => ({ resource: row.resource, object: JSON.parse(row.value) as KubeObject })),
    );
  }

  /** Deletes every object of one resource (its CRD is being deleted); answers how many remain. */
  async deleteAllOf(cluster: string, namespace: string, resource: string): Promise<number> {
    const runtime = this.runtimeFor(cluster, namespace);
    await this.deleteWhere(runtime, (key) => key === resource);
    return this.objects.list(resource, namespace).length;
  }

  private async deleteWhere(runtime: OutboxRuntime, selected: (resource: string) => boolean): Promise<void> {
    await runtime.settle();
    const catalog = this.catalog();
    const keys = [...new Set(this.objects.listAll().map((row) => row.resource))].filter(selected);
    const defs = new Map<string, ResourceDef>();
    for (const key of keys) {
      const def = await catalog.byKey(key);
      if (def) defs.set(key, def);
    }
    // From here on no await: read and delete in one step.
    const now = runtime.now();
    for (const row of this.objects.listAll()) {
      const def = defs.get(row.resource);
      if (!def) continue;
      const current = JSON.parse(row.value) as KubeObject;
      // The namespace deleter's options in Kubernetes: Background, no grace override (a pod bound to a
      // node keeps its own grace period; everything else without finalizers goes at once).
      const decision = decideDelete(def, current, { propagationPolicy: "Background" }, now);
      const base = { resource: row.resource, namespace: row.namespace, name: row.name };
      if (decision.action === "delete") runtime.commit({ ...base, type: "DELETED", object: current });
      else if (decision.action === "update") {
        runtime.commit({
          ...base,
          type: "MODIFIED",
          object: decision.object,
          prevNodeName: nodeNameOf(row.resource, current),
        });
      }
    }
    await runtime.settle();
  }

  /** The catalog as controllers read it: what is known now, refreshed on request. */
  private kindSource() {
    return {
      current: () => this.catalog().current(),
      refresh: async () => {
        this.catalog().invalidate();
        await this.catalog().get();
      },
    };
  }

  /** The kinds this namespace serves: built-in plus the cluster's CRDs (cached briefly). */
  private catalog(): RemoteCatalog {
    if (!this.remoteCatalog) {
      const cluster = this.objects.getMeta("cluster") ?? "";
      const env = this.env;
      this.remoteCatalog = new RemoteCatalog(() => clusterStore(env, cluster).listClusterObjects(CRD_KEY));
    }
    return this.remoteCatalog;
  }

  /** Removes every trace of this namespace (its cluster is being deleted). */
  async destroy(): Promise<void> {
    this.runtime?.hub.closeAll();
    this.runtime = undefined;
    this.controllers = undefined;
    this.remoteCatalog = undefined;
    this.alarmAt = undefined;
    await this.ctx.storage.deleteAlarm();
    this.objects.clear();
  }
}
