// One template's copy in one member: apply it (server-side apply, and only when it changed),
// read back its status and health, or delete it — never touching a same-named object that the
// federation did not make.
import { memberHealth, reflectStatus } from "../../../api/federation/aggregate-status.ts";
import { isClusterReady } from "../../../api/federation/cluster-filter.ts";
import { objectPath } from "../../../api/federation/templates.ts";
import {
  MANAGED_BY_ANNOTATION,
  MEMBER_CLUSTERS,
  type AggregatedStatusItem,
  type MemberCluster,
  type ResourceBinding,
} from "../../../api/federation/types.ts";
import type { ResourceDef } from "../../../api/registry/types.ts";
import type { KubeObject } from "../../../api/types.ts";
import type { Env } from "../../env.ts";
import type { ControllerContext } from "../framework.ts";
import { memberClientFor, statusMessage, type MemberClient } from "./member-client.ts";
import type { PropagationScope } from "./propagation-scope.ts";
import { removeByWork } from "./pull-works.ts";

/** A member whose agent pulls its Works (the federation does not call it). */
export const isPullMember = (member: MemberCluster) => member.spec?.syncMode === "Pull";

/** The federation's Cluster objects by name, read once per pass. */
export type MemberClusters = ReadonlyMap<string, MemberCluster>;

export async function readMemberClusters(ctx: ControllerContext): Promise<MemberClusters> {
  const clusters = ((await ctx.clusterReader.listClusterObjects?.(MEMBER_CLUSTERS)) ?? []) as MemberCluster[];
  return new Map(clusters.map((cluster) => [cluster.metadata.name ?? "", cluster]));
}

export class MemberSync {
  /** What was last applied to each member, by binding uid and member (a restart re-applies once). */
  private readonly applied = new Map<string, string>();
  private readonly env: Env;
  private readonly scope: PropagationScope;

  constructor(env: Env, scope: PropagationScope) {
    this.env = env;
    this.scope = scope;
  }

  /** A client for a registered member (`members`: this pass's Cluster objects), or why there is none. */
  async clientFor(
    ctx: ControllerContext,
    members: MemberClusters,
    clusterName: string,
  ): Promise<{ member?: MemberCluster; client: MemberClient | string }> {
    const member = members.get(clusterName);
    if (!member) return { client: `cluster ${clusterName} is not registered` };
    const client = await memberClientFor(this.env, member, (ns, name) => this.scope.readSecret(ctx, ns, name));
    return { member, client };
  }

  /** Fingerprints of what each member was last given, to tell whether a pass changed anything. */
  appliedState(binding: ResourceBinding, clusters: string[]): string {
    return JSON.stringify(clusters.map((name) => this.applied.get(`${binding.metadata.uid}/${name}`)));
  }

  async apply(
    client: MemberClient,
    def: ResourceDef,
    manifest: KubeObject,
    binding: ResourceBinding,
    clusterName: string,
  ): Promise<AggregatedStatusItem> {
    const path = objectPath(def, manifest.metadata.namespace, manifest.metadata.name ?? "");
    const managedBy = manifest.metadata.annotations?.[MANAGED_BY_ANNOTATION];
    const appliedKey = `${binding.metadata.uid}/${clusterName}`;
    const notApplied = (appliedMessage: string): AggregatedStatusItem => ({
      clusterName,
      applied: false,
      appliedMessage,
      health: "Unknown",
    });
    try {
      const fingerprint = JSON.stringify(manifest);
      let member: KubeObject;
      if (this.applied.get(appliedKey) !== fingerprint) {
        const existing = await client.get(path);
        const owner = (existing.body as KubeObject | undefined)?.metadata?.annotations?.[MANAGED_BY_ANNOTATION];
        if (existing.status === 200 && owner !== managedBy && binding.spec.conflictResolution !== "Overwrite") {
          return notApplied(
            `${def.kind} ${manifest.metadata.name} already exists in the member and is not managed by this federation (conflictResolution is Abort)`,
          );
        }
        if (def.namespaced && existing.status === 404) await ensureNamespace(client, manifest.metadata.namespace ?? "");
        const result = await client.apply(path, manifest);
        if (result.status >= 300) return notApplied(statusMessage(result));
        this.applied.set(appliedKey, fingerprint);
        member = result.body as KubeObject;
      } else {
        const result = await client.get(path);
        if (result.status === 404) {
          // Deleted in the member behind the federation's back: applied again on the next pass.
          this.applied.delete(appliedKey);
          return notApplied("not found in the member; re-applying");
        }
        if (result.status !== 200)
          return { clusterName, applied: true, health: "Unknown", appliedMessage: statusMessage(result) };
        member = result.body as KubeObject;
      }
      let health = memberHealth(def.kind, member);
      if (health === "Healthy" && (await servesNothing(client, def, member))) health = "Unhealthy";
      return { clusterName, applied: true, status: reflectStatus(def.kind, member), health };
    } catch (err) {
      return notApplied((err as Error).message);
    }
  }

  /**
   * True when the member no longer has the federation's copy (or is no longer registered). With
   * keepOnUnready, a member that is not Ready keeps its copy for now: a flaky readiness probe or
   * a partition must not cost a cluster its workloads (they go once it is Ready again).
   */
  async remove(
    ctx: ControllerContext,
    members: MemberClusters,
    clusterName: string,
    def: ResourceDef,
    binding: ResourceBinding,
    managedBy: string,
    options: { keepOnUnready?: boolean } = {},
  ) {
    const { member, client } = await this.clientFor(ctx, members, clusterName);
    if (!member) return true;
    if (options.keepOnUnready && !isClusterReady(member)) return false;
    if (isPullMember(member)) return this.scope.namespaced ? removeByWork(ctx, binding, clusterName) : true;
    if (typeof client === "string") return false;
    const path = objectPath(def, binding.spec.resource.namespace, binding.spec.resource.name);
    try {
      const existing = await client.get(path);
      if (existing.status === 404) return true;
      // Never delete what someone else made under the same name.
      if ((existing.body as KubeObject | undefined)?.metadata?.annotations?.[MANAGED_BY_ANNOTATION] !== managedBy)
        return true;
      const result = await client.delete(path);
      this.applied.delete(`${binding.metadata.uid}/${clusterName}`);
      return result.status < 300 || result.status === 404;
    } catch {
      return false;
    }
  }
}

async function ensureNamespace(client: MemberClient, namespace: string): Promise<void> {
  const result = await client.request("POST", "/api/v1/namespaces", {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name: namespace },
  });
  if (result.status >= 300 && result.status !== 409)
    throw new Error(`creating namespace ${namespace}: ${statusMessage(result)}`);
}

/**
 * A Service copy with a selector but no ready endpoint in its member serves nobody: DNS load
 * balancing must not send clients there.
 */
async function servesNothing(client: MemberClient, def: ResourceDef, service: KubeObject): Promise<boolean> {
  if (def.group !== "" || def.kind !== "Service") return false;
  if (!(service.spec as { selector?: object } | undefined)?.selector) return false;
  const endpoints = await client.get(
    `/api/v1/namespaces/${encodeURIComponent(service.metadata.namespace ?? "")}/endpoints/${encodeURIComponent(service.metadata.name ?? "")}`,
  );
  const subsets = (endpoints.body as { subsets?: Array<{ addresses?: unknown[] }> } | undefined)?.subsets ?? [];
  return endpoints.status !== 200 || !subsets.some((subset) => (subset.addresses ?? []).length > 0);
}
