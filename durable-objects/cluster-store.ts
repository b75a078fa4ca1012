// ClusterStore: one per logical cluster. Holds cluster-scoped objects (Namespaces, Nodes, …),
// allocates the cluster's revisions, ingests every namespace's changes into one ordered log
// (so cluster-wide lists and watches are exact), and runs namespace termination.
import { DurableObject } from "cloudflare:workers";
import { methodNotAllowed, notFound } from "../api/errors.ts";
import { findResource } from "../api/registry/index.ts";
import type { KubeObject } from "../api/types.ts";
import { dispatch } from "./api-server/dispatch.ts";
import { errorResponse, json, jsonText } from "./api-server/respond.ts";
import { namespaceStore, historyLimit, watchTiming, type Env } from "./env.ts";
import {
  checkDeletable,
  markTerminating,
  phaseOf,
  SYSTEM_NAMESPACES,
  type NamespacePhase,
} from "./namespaces/lifecycle.ts";
import { clusterControllers } from "./controllers/cluster/index.ts";
import { federationHint } from "./federation-hint.ts";
import { POLICY_GROUP } from "../api/federation/types.ts";
import type { ClusterType } from "../api/tenancy/logical-cluster.ts";
import { ControllerManager } from "./controllers/manager.ts";
import { POD_GC_CONTROLLER, podGcSettings, TERMINATED, type PodGcSettings } from "./controllers/cluster/pod-gc.ts";
import { ObjectWriter } from "./controllers/object-writer.ts";
import { DirectRevisionRuntime } from "./runtime/direct-runtime.ts";
import { TurnGate } from "./runtime/turn-gate.ts";
import type { OutboxEvent } from "./runtime/outbox-runtime.ts";
import type { ObjectStore } from "./storage/object-store.ts";
import { openObjectStore } from "./storage/open.ts";
import { resolveResource } from "./store-fetch.ts";
import { checkPreconditions, parseDeleteOptions } from "../api/lifecycle/delete.ts";
import { readOptionalJson } from "./api-server/body.ts";
import { isDryRun } from "./api-server/verb-request.ts";
import { ServiceAddressAllocator } from "./services/allocator.ts";
import type { ServiceAddresses } from "../api/services/addresses.ts";
import { serveFeed } from "./scheduler/node-feed.ts";
import { catalogFor, type Catalog } from "../api/crd/catalog.ts";
import { CRD_KEY } from "../api/crd/resource-defs.ts";
import { STORE_HEADERS } from "./env.ts";
import { prepareCreate } from "../api/lifecycle/create.ts";
import { localPathStorageClass, STORAGE_CLASSES } from "../api/volumes/storage-class.ts";
import type { FederationDnsView } from "../api/federation/dns-view.ts";
import { DnsViewCache } from "./federation-dns-view.ts";

const NAMESPACES = "namespaces";
/** Meta key: the cluster's default StorageClass was created. */
const STORAGE_BOOTSTRAPPED = "storage-bootstrapped";
const CLUSTER_TYPE = "cluster-type";

export class ClusterStore extends DurableObject<Env> {
  private objects!: ObjectStore;
  private rt!: DirectRevisionRuntime;
  private controllers: ControllerManager | undefined;
  private localCatalog: Catalog | undefined;
  private alarmAt: number | undefined;
  /** Added to the wall clock; only tests move it (advanceClock). */
  private clockOffset = 0;
  /** Kept here rather than by the controller: tests change them (setTerminatedPodThreshold). */
  private podGc: PodGcSettings | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      this.objects = await openObjectStore(ctx.storage);
      this.rt = this.freshRuntime();
    });
  }

  private freshRuntime(): DirectRevisionRuntime {
    return new DirectRevisionRuntime(this.objects, {
      clock: () => new Date(Date.now() + this.clockOffset),
      historyEvents: historyLimit(this.env, 50_000),
      watchTiming: watchTiming(this.env),
    });
  }

  /** The cluster this object serves (kept in memory: it is asked on every ingest). */
  private clusterName: string | undefined;

  private get cluster(): string {
    this.clusterName ??= this.rt.objects.getMeta("cluster");
    return this.clusterName ?? "";
  }

  private remember(cluster: string | null): void {
    if (cluster && this.cluster !== cluster) {
      this.rt.objects.setMeta("cluster", cluster);
      this.clusterName = cluster;
    }
    this.ensureControllers();
  }

  async fetch(request: Request): Promise<Response> {
    try {
      this.remember(request.headers.get(STORE_HEADERS.cluster));
      const { path, def } = await resolveResource(request, async (g, v, r) => this.catalog().find(g, v, r));
      if (def.namespaced && request.method !== "GET") {
        throw methodNotAllowed("writes to namespaced resources must name a namespace");
      }
      if (def.group === "" && def.resource === NAMESPACES && request.method === "DELETE" && path.name) {
        return await this.deleteNamespace(path.name, request);
      }
      // The per-node pod feed (nodeName index) and watches over WebSocket.
      const fed = await serveFeed(this.rt, request, def, path);
      if (fed) return fed;
      const response = await dispatch(this.rt, request, def, path);
      return def.group === POLICY_GROUP ? federationHint(request, response, await this.clusterType()) : response;
    } catch (err) {
      return errorResponse(err);
    }
  }

  // ---- RPC from NamespaceStores ----

  /**
   * Orders a namespace's outbox into the cluster log; idempotent for re-sent entries. Entries
   * below `acknowledgedBelow` (default: the batch's first) have their revisions stored by the
   * namespace, so their ingest-log rows may go.
   */
  async ingest(
    namespace: string,
    events: OutboxEvent[],
    acknowledgedBelow?: number,
  ): Promise<{ revisions: number[]; head: number }> {
    // Ingests of several namespaces waiting at once run in one turn: one SQLite transaction.
    await this.ingestTurn.next();
    return this.ingestNow(namespace, events, acknowledgedBelow);
  }

  private readonly ingestTurn = new TurnGate();

  private ingestNow(
    namespace: string,
    events: OutboxEvent[],
    acknowledgedBelow?: number,
  ): { revisions: number[]; head: number } {
    this.ensureControllers();
    const acknowledged = acknowledgedBelow ?? Math.min(...events.map((e) => e.seq));
    if (events.length > 0 && Number.isFinite(acknowledged))
      this.rt.objects.forgetIngestedBefore(namespace, acknowledged);
    const revisions = events.map((event) => {
      const known = this.rt.objects.ingestedRevision(namespace, event.seq);
      if (known !== undefined) return known;
      if (event.resource === "services" && event.type === "DELETED") {
        new ServiceAddressAllocator(this.rt.objects).release(`${namespace}/${event.name}`);
      }
      const object = JSON.parse(event.value) as KubeObject;
      const committed = this.rt.commit({
        type: event.type,
        resource: event.resource,
        namespace,
        name: event.name,
        object,
        prevNodeName: event.prevNodeName,
        origin: { namespace, seq: event.seq },
        serialized: event.value,
        ...(event.prevValue !== undefined ? { prevValue: event.prevValue } : {}),
      });
      const rv = committed.rv ?? 0;
      this.rt.objects.recordIngested(namespace, event.seq, rv);
      return rv;
    });
    return { revisions, head: this.rt.listRevision() };
  }

  /** A Service's ClusterIP and node ports (idempotent per namespace/name). */
  async allocateServiceAddresses(
    service: string,
    wantsIP: boolean,
    requested: number[],
    missing: number,
  ): Promise<ServiceAddresses> {
    return new ServiceAddressAllocator(this.rt.objects).allocate(service, wantsIP, requested, missing);
  }

  async head(): Promise<number> {
    return this.rt.listRevision();
  }

  /** Cluster-scoped objects of one resource (e.g. "nodes"), for namespaced controllers. */
  async listClusterObjects(resource: string): Promise<KubeObject[]> {
    return this.rt.objects.list(resource, "").map((row) => JSON.parse(row.value) as KubeObject);
  }

  async getClusterObject(resource: string, name: string): Promise<KubeObject | undefined> {
    const row = this.rt.objects.get(resource, "", name);
    return row ? (JSON.parse(row.value) as KubeObject) : undefined;
  }

  /** A namespaced object as the cluster-wide log last saw it. */
  async getMirroredObject(resource: string, namespace: string, name: string): Promise<KubeObject | undefined> {
    const row = this.rt.objects.get(resource, namespace, name);
    return row ? (JSON.parse(row.value) as KubeObject) : undefined;
  }

  /** Standard, or Federation (set when the cluster was created). */
  async clusterType(): Promise<ClusterType> {
    return (this.rt.objects.getMeta(CLUSTER_TYPE) as ClusterType | undefined) ?? "Standard";
  }

  private readonly dnsViews = new DnsViewCache();

  /** What a federation's DNS answers from (api/federation/dns-view.ts); null for other cluster types. */
  async federationDnsView(): Promise<FederationDnsView | null> {
    if ((await this.clusterType()) !== "Federation") return null;
    return this.dnsViews.get(this.rt.objects, this.cluster, this.rt.listRevision());
  }

  /** Null when the namespace does not exist. */
  async namespacePhase(namespace: string): Promise<NamespacePhase | null> {
    const row = this.rt.objects.get(NAMESPACES, "", namespace);
    return row ? phaseOf(JSON.parse(row.value) as KubeObject) : null;
  }

  // ---- RPC for tests ----

  /**
   * Test-only: moves this store's clock forward by `ms` (node lifecycle deadlines, evictions) and
   * runs whatever became due. Not reachable from the Worker; nothing in production calls it.
   */
  async advanceClock(ms: number): Promise<string> {
    this.clockOffset += ms;
    this.alarmAt = undefined;
    const next = this.ensureControllers()?.nextDue();
    if (next !== undefined) this.wakeAt(next);
    return this.rt.now().toISOString();
  }

  /** Test-only: the pod GC's --terminated-pod-gc-threshold for this store; it trims at once. */
  async setTerminatedPodThreshold(threshold: number): Promise<void> {
    this.podGc ??= podGcSettings(this.env);
    this.podGc.terminatedThreshold = threshold;
    this.ensureControllers()?.enqueue(POD_GC_CONTROLLER, TERMINATED);
  }

  // ---- RPC from the RootStore ----

  /** Creates the namespaces every cluster starts with, and its default StorageClass. Idempotent. */
  async bootstrap(cluster: string, type: ClusterType = "Standard"): Promise<void> {
    // The type decides which controllers run: known before they start.
    if (this.rt.objects.getMeta(CLUSTER_TYPE) !== type) {
      this.rt.objects.setMeta(CLUSTER_TYPE, type);
      this.controllers = undefined;
    }
    this.remember(cluster);
    const def = findResource("", "v1", NAMESPACES);
    if (!def) throw new Error("namespaces are not registered");
    for (const name of SYSTEM_NAMESPACES) {
      if (this.rt.objects.get(NAMESPACES, "", name)) continue;
      const namespace = prepareCreate(def, { apiVersion: "v1", kind: "Namespace", metadata: { name } }, undefined, {
        now: this.rt.now(),
        newUid: () => this.rt.newUid(),
      });
      this.rt.commit({ type: "ADDED", resource: NAMESPACES, namespace: "", name, object: namespace });
    }
    // Created once: users may delete or replace it, and a repeated bootstrap must not bring it back.
    if (this.rt.objects.getMeta(STORAGE_BOOTSTRAPPED) === undefined) {
      new ObjectWriter(this.rt, "", (key) => this.catalog().byKey(key)).create(
        STORAGE_CLASSES,
        localPathStorageClass(),
      );
      this.rt.objects.setMeta(STORAGE_BOOTSTRAPPED, "1");
    }
  }

  /** Wipes the cluster: every namespace's store, then this one. */
  async destroy(): Promise<void> {
    const cluster = this.cluster;
    for (const row of this.rt.objects.list(NAMESPACES, "")) {
      await namespaceStore(this.env, cluster, row.name).destroy();
    }
    this.rt.hub.closeAll();
    await this.ctx.storage.deleteAlarm();
    // Revisions never go backwards, even for a cluster re-created under the same name: a client
    // holding an old resourceVersion must get 410, never a silently different history.
    const revision = this.rt.listRevision();
    this.rt.objects.clear();
    this.clusterName = undefined;
    this.rt.objects.setMeta("revision", String(revision));
    this.rt = this.freshRuntime();
    this.controllers = undefined;
    this.alarmAt = undefined;
    this.localCatalog = undefined;
  }

  // ---- namespace deletion and the cluster's controllers ----

  /** DELETE of a Namespace: it turns Terminating; the namespace controller empties and removes it. */
  private async deleteNamespace(name: string, request: Request): Promise<Response> {
    checkDeletable(name);
    const query = new URL(request.url).searchParams;
    const dryRun = isDryRun(query);
    const options = parseDeleteOptions(await readOptionalJson(request), query);
    const row = this.rt.objects.get(NAMESPACES, "", name);
    if (!row) throw notFound({ group: "", resource: NAMESPACES, name });
    const current = JSON.parse(row.value) as KubeObject;
    const def = this.catalog().byKey(NAMESPACES);
    if (def) checkPreconditions(def, current, options);
    if (phaseOf(current) === "Terminating") return jsonText(row.value);
    const terminating = markTerminating(current, this.rt.now());
    if (dryRun) return json(terminating);
    // The namespace's store stops admitting creates before the client hears "deleted".
    await namespaceStore(this.env, this.cluster, name).namespaceTerminating(this.cluster, name);
    const latest = this.rt.objects.get(NAMESPACES, "", name);
    if (!latest || latest.uid !== row.uid) throw notFound({ group: "", resource: NAMESPACES, name });
    const object = markTerminating(JSON.parse(latest.value) as KubeObject, this.rt.now());
    const event = this.rt.commit({ type: "MODIFIED", resource: NAMESPACES, namespace: "", name, object });
    return jsonText(this.rt.objects.eventBySeq(event.seq)?.value ?? row.value);
  }

  /** Built-in kinds plus this cluster's CRDs (rebuilt when a CRD changes). */
  private catalog(): Catalog {
    this.localCatalog ??= catalogFor(
      this.rt.objects.list(CRD_KEY, "").map((row) => JSON.parse(row.value) as KubeObject),
    );
    return this.localCatalog;
  }

  /** Deletes every object of a custom resource, here and in each namespace holding some. */
  private async deleteCustomObjects(resource: string): Promise<number> {
    const cluster = this.cluster;
    const namespaces = new Set(this.rt.objects.list(resource, undefined).map((row) => row.namespace));
    let remaining = 0;
    for (const namespace of namespaces) {
      if (namespace === "") {
        const writer = new ObjectWriter(this.rt, "", (key) => this.catalog().byKey(key));
        for (const row of this.rt.objects.list(resource, ""))
          writer.delete(resource, row.name, { gracePeriodSeconds: 0 });
        remaining += this.rt.objects.list(resource, "").length;
      } else {
        remaining += await namespaceStore(this.env, cluster, namespace).deleteAllOf(cluster, namespace, resource);
      }
    }
    return remaining;
  }

  /** The controller manager starts once the object knows which cluster it serves. */
  private ensureControllers(): ControllerManager | undefined {
    const cluster = this.cluster;
    if (this.controllers || cluster === "") return this.controllers;
    const env = this.env;
    const manager = new ControllerManager({
      cluster,
      namespace: "",
      controllers: clusterControllers({
        type: (this.rt.objects.getMeta(CLUSTER_TYPE) as ClusterType | undefined) ?? "Standard",
        terminateNamespace: (namespace) => namespaceStore(env, cluster, namespace).terminate(cluster, namespace),
        deleteCustomObjects: (resource) => this.deleteCustomObjects(resource),
        env,
        cluster,
        store: this.objects,
        enqueue: (controller, key) => this.controllers?.enqueue(controller, key),
        clock: () => this.rt.now(),
        podGc: (this.podGc ??= podGcSettings(env)),
        // The local catalog is current: it is rebuilt on every CRD change.
        kinds: { current: () => this.catalog(), refresh: async () => {} },
      }),
      objects: new ObjectWriter(this.rt, "", (key) => this.catalog().byKey(key)),
      clusterReader: {
        listNodes: async () => this.listClusterObjects("nodes"),
        getClusterObject: async (resource, name) => this.getClusterObject(resource, name),
        listClusterObjects: async (resource) => this.listClusterObjects(resource),
        getNamespacedObject: async (resource, namespace, name) => this.getMirroredObject(resource, namespace, name),
      },
      db: this.objects.db,
      clock: () => this.rt.now(),
      wake: (at) => this.wakeAt(at),
    });
    this.rt.onCommit = (change) => {
      if (change.resource === CRD_KEY) this.localCatalog = undefined;
      manager.notice(change);
    };
    this.controllers = manager;
    manager.resyncAll();
    return manager;
  }

  private wakeAt(at: number): void {
    if (this.alarmAt !== undefined && this.alarmAt <= at) return;
    this.alarmAt = at;
    // `at` is on this store's clock; the alarm runs on the wall clock.
    void this.ctx.storage.setAlarm(at - this.clockOffset);
  }

  async alarm(): Promise<void> {
    this.alarmAt = undefined;
    const manager = this.ensureControllers();
    if (!manager) return;
    try {
      await manager.run();
    } finally {
      const next = manager.nextDue();
      if (next !== undefined) this.wakeAt(next);
    }
  }
}
