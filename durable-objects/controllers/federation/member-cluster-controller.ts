// Karmada's cluster status controller, in a federation's ClusterStore: probes every registered
// member every 10 s (readyz, version, nodes, pods) and keeps its Ready condition, its summaries
// and its not-ready / unreachable taints current.
import {
  clusterHealth,
  FAILURE_GRACE_MS,
  PROBE_INTERVAL_MS,
  type HealthResult,
  type Probe,
} from "../../../api/federation/cluster-health.ts";
import {
  AGENT_HEARTBEAT_ANNOTATION,
  MEMBER_CLUSTERS,
  TAINT_NOT_READY,
  TAINT_UNREACHABLE,
  type MemberCluster,
} from "../../../api/federation/types.ts";
import type { KubeObject } from "../../../api/types.ts";
import { isClusterReady } from "../../../api/federation/cluster-filter.ts";
import type { Env } from "../../env.ts";
import type { ChangeNotice, Controller, ControllerContext } from "../framework.ts";
import type { ObjectWriter } from "../object-writer.ts";
import { memberClientFor, statusMessage, type MemberClient, type SecretReader } from "./member-client.ts";

export const MEMBER_CLUSTER_CONTROLLER = "member-cluster-status";
/** Karmada's finalizer on Cluster objects: an unjoined member is drained before it goes. */
export const UNJOIN_FINALIZER = "karmada.io/cluster-controller";
const UNJOIN_TIMEOUT_MS = 5 * 60_000;

export class MemberClusterController implements Controller {
  readonly name = MEMBER_CLUSTER_CONTROLLER;
  /** When each member's probes started failing (in memory: a restart only restarts the grace). */
  private readonly failingSince = new Map<string, number>();

  private readonly env: Env;
  private readonly readSecret: SecretReader;
  private readonly clustersUsingSecret: (namespace: string, name: string) => string[];

  /** Whether any binding still places, reports or cleans a copy on the member. */
  private readonly holdsCopies: (member: string) => boolean;

  constructor(
    env: Env,
    readSecret: SecretReader,
    clustersUsingSecret: (namespace: string, name: string) => string[],
    holdsCopies: (member: string) => boolean,
  ) {
    this.env = env;
    this.readSecret = readSecret;
    this.clustersUsingSecret = clustersUsingSecret;
    this.holdsCopies = holdsCopies;
  }

  keysFor(change: ChangeNotice): string[] {
    if (change.resource === MEMBER_CLUSTERS) return [change.name];
    if (change.resource === "secrets")
      return this.clustersUsingSecret(change.object.metadata.namespace ?? "", change.name);
    return [];
  }

  initialKeys(objects: ObjectWriter): string[] {
    return objects.list(MEMBER_CLUSTERS).map((c) => c.metadata.name ?? "");
  }

  /**
   * An unjoined member goes once the federation's copies are off it (the propagation loops drain
   * it at once), as Karmada's cluster controller does. A member that cannot be reached keeps its
   * copies; so does one that does not drain within UNJOIN_TIMEOUT_MS: unjoining never hangs.
   */
  private finishUnjoin(cluster: MemberCluster, ctx: ControllerContext): void {
    const name = cluster.metadata.name ?? "";
    if (!(cluster.metadata.finalizers ?? []).includes(UNJOIN_FINALIZER)) return;
    const since = Date.parse(cluster.metadata.deletionTimestamp ?? "");
    const overdue = !Number.isNaN(since) && ctx.now().getTime() - since >= UNJOIN_TIMEOUT_MS;
    if (this.holdsCopies(name) && isClusterReady(cluster) && !overdue) {
      ctx.requeueAfter(2000);
      return;
    }
    this.failingSince.delete(name);
    ctx.objects.update(MEMBER_CLUSTERS, {
      ...cluster,
      metadata: {
        ...cluster.metadata,
        finalizers: (cluster.metadata.finalizers ?? []).filter((f) => f !== UNJOIN_FINALIZER),
      },
    });
  }

  /**
   * No probes for Pull members: their agents report. One that has not reported within the grace
   * period is unreachable, as a Push member that stops answering would be.
   */
  private watchAgent(cluster: MemberCluster, ctx: ControllerContext): void {
    const now = ctx.now().getTime();
    const heartbeat = Date.parse(cluster.metadata.annotations?.[AGENT_HEARTBEAT_ANNOTATION] ?? "");
    const since = Number.isNaN(heartbeat) ? Date.parse(cluster.metadata.creationTimestamp ?? "") : heartbeat;
    const silentFor = now - (Number.isNaN(since) ? now : since);
    if (silentFor >= FAILURE_GRACE_MS) {
      const message = `the cluster's agent has not reported for ${Math.round(silentFor / 1000)}s`;
      const result = clusterHealth({
        status: cluster.status,
        taints: cluster.spec?.taints,
        probe: { outcome: "unreachable", message },
        failingSince: since,
        now,
      });
      this.writeHealth(cluster, result, ctx);
      ctx.requeueAfter(PROBE_INTERVAL_MS);
    } else {
      // Reporting again, and Ready: the taints the silence earned go.
      const ready = cluster.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True");
      const taints = cluster.spec?.taints ?? [];
      const kept = taints.filter((t) => t.key !== TAINT_NOT_READY && t.key !== TAINT_UNREACHABLE);
      if (ready && kept.length !== taints.length)
        ctx.objects.update(MEMBER_CLUSTERS, { ...cluster, spec: { ...cluster.spec, taints: kept } });
      ctx.requeueAfter(FAILURE_GRACE_MS - silentFor + 1000);
    }
  }

  async reconcile(name: string, ctx: ControllerContext): Promise<void> {
    const cluster = ctx.objects.get(MEMBER_CLUSTERS, name) as MemberCluster | undefined;
    if (!cluster) {
      this.failingSince.delete(name);
      return;
    }
    if (cluster.metadata.deletionTimestamp) return this.finishUnjoin(cluster, ctx);
    if (!(cluster.metadata.finalizers ?? []).includes(UNJOIN_FINALIZER)) {
      ctx.objects.update(MEMBER_CLUSTERS, {
        ...cluster,
        metadata: { ...cluster.metadata, finalizers: [...(cluster.metadata.finalizers ?? []), UNJOIN_FINALIZER] },
      });
      return ctx.requeueAfter(0);
    }
    if (cluster.spec?.syncMode === "Pull") return this.watchAgent(cluster, ctx);
    const client = await memberClientFor(this.env, cluster, this.readSecret);
    const probe: Probe =
      typeof client === "string" ? { outcome: "unreachable", message: client } : await probeMember(client);
    const now = ctx.now().getTime();
    if (probe.outcome === "ready") this.failingSince.delete(name);
    else if (!this.failingSince.has(name)) this.failingSince.set(name, now);

    // Re-read after the probe's awaits: the member may have been changed or deleted meanwhile.
    const current = ctx.objects.get(MEMBER_CLUSTERS, name) as MemberCluster | undefined;
    if (!current || current.metadata.deletionTimestamp) return;
    const result = clusterHealth({
      status: current.status,
      taints: current.spec?.taints,
      probe,
      failingSince: this.failingSince.get(name),
      now,
    });
    this.writeHealth(current, result, ctx);
    ctx.requeueAfter(PROBE_INTERVAL_MS);
  }

  private writeHealth(current: MemberCluster, result: HealthResult, ctx: ControllerContext): void {
    let latest: KubeObject = current;
    if (JSON.stringify(result.taints) !== JSON.stringify(current.spec?.taints ?? [])) {
      latest = ctx.objects.update(MEMBER_CLUSTERS, { ...current, spec: { ...current.spec, taints: result.taints } });
    }
    ctx.objects.updateStatus(MEMBER_CLUSTERS, { ...latest, status: result.status });
  }
}

async function probeMember(client: MemberClient): Promise<Probe> {
  try {
    let health = await client.request("GET", "/readyz", undefined, undefined, "text/plain");
    if (health.status === 404) health = await client.request("GET", "/healthz", undefined, undefined, "text/plain");
    if (health.status !== 200) {
      const why =
        health.status === 401 || health.status === 403 ? "refused the federation's credentials" : "is not ready";
      return { outcome: "not-ready", message: `cluster ${why}: ${statusMessage(health)}` };
    }
    const [version, nodes, pods] = await Promise.all([
      client.get("/version"),
      client.get("/api/v1/nodes"),
      client.get("/api/v1/pods"),
    ]);
    return {
      outcome: "ready",
      kubernetesVersion: (version.body as { gitVersion?: string } | undefined)?.gitVersion,
      nodes: itemsOf(nodes.body),
      pods: itemsOf(pods.body),
    };
  } catch (err) {
    return { outcome: "unreachable", message: `cluster is not reachable: ${(err as Error).message}` };
  }
}

const itemsOf = (body: unknown): KubeObject[] =>
  typeof body === "object" && body !== null && Array.isArray((body as { items?: unknown }).items)
    ? (body as { items: KubeObject[] }).items
    : [];
