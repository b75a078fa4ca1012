// Karmada's detector, scheduler, binding and status controllers for one namespace of a federation,
// as one level-triggered loop per template:
//   template + PropagationPolicy → ResourceBinding (which members, how many replicas each)
//   → the template, overridden per member, server-side applied in each member
//   → each member's status in the binding's aggregatedStatus → the template's own .status.
// A binding carries a finalizer, so a deleted template (or binding) removes its member copies
// first. Members are polled for status; member and cluster-policy changes arrive as notices
// from the ClusterStore (federationChanged).
import {
  CLUSTER_OVERRIDE_POLICIES,
  CLUSTER_PROPAGATION_POLICIES,
  MEMBER_CLUSTERS,
  OVERRIDE_POLICIES,
  PROPAGATION_POLICIES,
  PROPAGATION_POLICY_NAME_LABEL,
  PROPAGATION_POLICY_NAMESPACE_LABEL,
  CLUSTER_PROPAGATION_POLICY_LABEL,
  RESOURCE_BINDINGS,
  MANAGED_BY_ANNOTATION,
  type AggregatedStatusItem,
  type Condition,
  type MemberCluster,
  type OverridePolicy,
  type PropagationPolicy,
  type ResourceBinding,
  type TargetCluster,
} from "../../../api/federation/types.ts";
import { managedByValue, memberManifest, replicasOf } from "../../../api/federation/member-manifest.ts";
import {
  isPropagatable,
  bindingName,
  objectPath,
  templateKeyOf,
  splitTemplateKey,
} from "../../../api/federation/templates.ts";
import { pickPropagationPolicy, matchingOverridePolicies } from "../../../api/federation/policy-match.ts";
import { applyOverrides } from "../../../api/federation/overrides.ts";
import { schedule } from "../../../api/federation/schedule.ts";
import { aggregateTemplateStatus, memberHealth, reflectStatus } from "../../../api/federation/aggregate-status.ts";
import { builtinResources, findByKey } from "../../../api/registry/index.ts";
import { apiVersionOf, type ResourceDef } from "../../../api/registry/types.ts";
import type { KubeObject } from "../../../api/types.ts";
import type { Env } from "../../env.ts";
import type { ChangeNotice, Controller, ControllerContext } from "../framework.ts";
import type { ObjectWriter } from "../object-writer.ts";
import { memberClientFor, statusMessage, type MemberClient } from "./member-client.ts";

export const PROPAGATION_CONTROLLER = "federation-propagation";
/** Re-evaluate every template (a policy or a member changed). */
export const ALL = "*";
/** The placement the binding was scheduled for, as its policy wrote it (Karmada's annotation). */
const APPLIED_PLACEMENT = "policy.karmada.io/applied-placement";
const CLEANUP_FINALIZER = "federation.flotilla.dev/member-cleanup";
/** Members not yet cleaned (unreachable when their copy had to go); retried until they answer. */
const PENDING_REMOVAL = "federation.flotilla.dev/pending-removal";
/** Status polls: quick while a rollout is under way, slower once every member is healthy. */
const POLL_BUSY_MS = 2000;
const POLL_IDLE_MS = 10_000;
const BUSY_WINDOW_MS = 60_000;

export class PropagationController implements Controller {
  readonly name = PROPAGATION_CONTROLLER;
  /** What was last applied to each member, per binding uid (a restart re-applies once). */
  private readonly applied = new Map<string, string>();
  /** When each binding last changed what its members run (per binding uid). */
  private readonly lastChange = new Map<string, number>();

  private readonly env: Env;
  private readonly federation: string;
  private readonly enqueue: (key: string) => void;

  constructor(env: Env, federation: string, enqueue: (key: string) => void) {
    this.env = env;
    this.federation = federation;
    this.enqueue = enqueue;
  }

  keysFor(change: ChangeNotice): string[] {
    if (change.resource === PROPAGATION_POLICIES || change.resource === OVERRIDE_POLICIES) return [ALL];
    if (change.resource === RESOURCE_BINDINGS) {
      // Only what others do to a binding (delete it) needs a pass; its own writes must not loop.
      if (change.type !== "DELETED" && !change.object.metadata.deletionTimestamp) return [];
      const resource = (change.object as ResourceBinding).spec?.resource;
      const def = resource ? defOfReference(resource.apiVersion, resource.kind) : undefined;
      return def ? [templateKeyOf(def, resource.name)] : [];
    }
    const def = findByKey(change.resource);
    return def && isPropagatable(def, change.object) ? [templateKeyOf(def, change.name)] : [];
  }

  initialKeys(): string[] {
    return [ALL];
  }

  async reconcile(key: string, ctx: ControllerContext): Promise<void> {
    if (key === ALL) return this.enqueueAll(ctx.objects);
    const parsed = splitTemplateKey(key);
    const def = parsed && findByKey(parsed.resource);
    if (!parsed || !def) return;
    const template = ctx.objects.get(parsed.resource, parsed.name);
    const bindingKey = bindingName(parsed.name, def.kind);
    const binding = ctx.objects.get(RESOURCE_BINDINGS, bindingKey) as ResourceBinding | undefined;
    if (binding?.metadata.deletionTimestamp || (binding && !template)) return this.removeEverywhere(binding, ctx);
    if (!template || template.metadata.deletionTimestamp || !isPropagatable(def, template)) return;

    const policy = await this.policyFor(template, ctx);
    if (!policy && !binding) return;
    const labelled = policy ? this.labelTemplate(parsed.resource, template, policy, ctx) : template;
    const scheduled = policy ? await this.scheduleBinding(def, labelled, binding, policy, ctx) : binding;
    if (!scheduled) return;
    await this.sync(def, parsed.resource, scheduled, ctx);
  }

  private enqueueAll(objects: ObjectWriter): void {
    for (const def of propagatableDefs()) {
      for (const object of objects.list(def.group ? `${def.resource}.${def.group}` : def.resource)) {
        if (isPropagatable(def, object)) this.enqueue(templateKeyOf(def, object.metadata.name ?? ""));
      }
    }
  }

  private async policyFor(template: KubeObject, ctx: ControllerContext): Promise<PropagationPolicy | undefined> {
    const namespaced = ctx.objects.list(PROPAGATION_POLICIES) as PropagationPolicy[];
    const clusterWide = ((await ctx.clusterReader.listClusterObjects?.(CLUSTER_PROPAGATION_POLICIES)) ??
      []) as PropagationPolicy[];
    return pickPropagationPolicy(template, namespaced, clusterWide)?.policy;
  }

  /** Karmada marks a template with the policy that claimed it. */
  private labelTemplate(resource: string, template: KubeObject, policy: PropagationPolicy, ctx: ControllerContext) {
    const wanted: Record<string, string> = policy.metadata.namespace
      ? {
          [PROPAGATION_POLICY_NAMESPACE_LABEL]: policy.metadata.namespace,
          [PROPAGATION_POLICY_NAME_LABEL]: policy.metadata.name ?? "",
        }
      : { [CLUSTER_PROPAGATION_POLICY_LABEL]: policy.metadata.name ?? "" };
    const labels = template.metadata.labels ?? {};
    if (Object.entries(wanted).every(([k, v]) => labels[k] === v)) return template;
    const cleaned = Object.fromEntries(
      Object.entries(labels).filter(
        ([k]) =>
          k !== PROPAGATION_POLICY_NAME_LABEL &&
          k !== PROPAGATION_POLICY_NAMESPACE_LABEL &&
          k !== CLUSTER_PROPAGATION_POLICY_LABEL,
      ),
    );
    return ctx.objects.update(resource, {
      ...template,
      metadata: { ...template.metadata, labels: { ...cleaned, ...wanted } },
    });
  }

  /**
   * Creates or updates the binding. Members are chosen again only when something placement
   * depends on changed: the placement, the replicas, or a chosen member stopped being usable
   * (failover). A healthy placement is never reshuffled by a status poll.
   */
  private async scheduleBinding(
    def: ResourceDef,
    template: KubeObject,
    binding: ResourceBinding | undefined,
    policy: PropagationPolicy,
    ctx: ControllerContext,
  ): Promise<ResourceBinding | undefined> {
    const clusters = ((await ctx.clusterReader.listClusterObjects?.(MEMBER_CLUSTERS)) ?? []) as MemberCluster[];
    const placement = policy.spec.placement ?? {};
    const replicas = replicasOf(def, template);
    const previous = binding?.spec.clusters;
    const usable = new Set(clusters.filter(isReady).map((c) => c.metadata.name));
    // Compared as the policy wrote it: the binding's copy is defaulted by the API.
    const appliedPlacement = JSON.stringify(placement);
    const unchanged =
      binding !== undefined &&
      binding.metadata.annotations?.[APPLIED_PLACEMENT] === appliedPlacement &&
      (binding.spec.replicas ?? 0) === replicas &&
      (previous ?? []).length > 0 &&
      (previous ?? []).every((target) => usable.has(target.name));
    const result = unchanged ? undefined : schedule({ clusters, placement, replicas, previous });
    const scheduledCondition: Condition = !result
      ? (binding?.status?.conditions?.find((c) => c.type === "Scheduled") ?? scheduledTrue(ctx))
      : result.ok
        ? scheduledTrue(ctx)
        : {
            type: "Scheduled",
            status: "False",
            reason: result.reason,
            message: result.message,
            lastTransitionTime: ctx.now().toISOString(),
          };
    const targets: TargetCluster[] = result?.ok ? result.clusters : (previous ?? []);

    // Re-read after the awaits above.
    const current = ctx.objects.get(RESOURCE_BINDINGS, bindingName(template.metadata.name ?? "", def.kind)) as
      ResourceBinding | undefined;
    const spec = {
      ...(current?.spec ?? {}),
      resource: {
        apiVersion: apiVersionOf(def),
        kind: def.kind,
        namespace: template.metadata.namespace,
        name: template.metadata.name ?? "",
        uid: template.metadata.uid,
        resourceVersion: template.metadata.resourceVersion,
      },
      replicas,
      placement,
      clusters: targets,
      conflictResolution: policy.spec.conflictResolution ?? "Abort",
      schedulerName: "default-scheduler",
    };
    const conditions = mergeCondition(current?.status?.conditions, scheduledCondition);
    if (!current) {
      const created = ctx.objects.create(RESOURCE_BINDINGS, {
        apiVersion: "work.karmada.io/v1alpha2",
        kind: "ResourceBinding",
        metadata: {
          name: bindingName(template.metadata.name ?? "", def.kind),
          labels: { ...policyLabels(template) },
          annotations: { [APPLIED_PLACEMENT]: appliedPlacement },
          finalizers: [CLEANUP_FINALIZER],
          ownerReferences: [
            {
              apiVersion: apiVersionOf(def),
              kind: def.kind,
              name: template.metadata.name ?? "",
              uid: template.metadata.uid ?? "",
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        },
        spec,
      }) as ResourceBinding | undefined;
      if (!created) return undefined;
      return ctx.objects.updateStatus(RESOURCE_BINDINGS, {
        ...created,
        status: {
          conditions,
          schedulerObservedGeneration: created.metadata.generation,
          lastScheduledTime: ctx.now().toISOString(),
        },
      }) as ResourceBinding;
    }
    const updated = ctx.objects.update(RESOURCE_BINDINGS, {
      ...current,
      metadata: {
        ...current.metadata,
        annotations: { ...(current.metadata.annotations ?? {}), [APPLIED_PLACEMENT]: appliedPlacement },
      },
      spec,
    }) as ResourceBinding;
    return ctx.objects.updateStatus(RESOURCE_BINDINGS, {
      ...updated,
      status: {
        ...(updated.status ?? {}),
        conditions,
        schedulerObservedGeneration: updated.metadata.generation,
        ...(result ? { lastScheduledTime: ctx.now().toISOString() } : {}),
      },
    }) as ResourceBinding;
  }

  /** Applies the template to each chosen member, removes it from the others, collects status. */
  private async sync(
    def: ResourceDef,
    resource: string,
    binding: ResourceBinding,
    ctx: ControllerContext,
  ): Promise<void> {
    const template = ctx.objects.get(resource, binding.spec.resource.name);
    if (!template) return;
    const targets = binding.spec.clusters ?? [];
    const overrides = await this.overridePolicies(template, ctx);
    const items: AggregatedStatusItem[] = [];
    const appliedBefore = JSON.stringify(targets.map((t) => this.applied.get(`${binding.metadata.uid}/${t.name}`)));
    const managedBy = managedByValue(this.federation, ctx.namespace, def, template.metadata.name ?? "");
    const clients = new Map<string, MemberClient | string>();
    for (const target of targets) {
      const member = (await ctx.clusterReader.getClusterObject(MEMBER_CLUSTERS, target.name)) as
        MemberCluster | undefined;
      const client = member
        ? await memberClientFor(this.env, member, this.secretReader(ctx))
        : `cluster ${target.name} is not registered`;
      clients.set(target.name, client);
      if (typeof client === "string") {
        items.push({ clusterName: target.name, applied: false, appliedMessage: client, health: "Unknown" });
        continue;
      }
      const overridden = member
        ? applyOverrides(memberManifest(def, template, { replicas: target.replicas, managedBy }), member, overrides)
        : undefined;
      if (!overridden || !overridden.ok) {
        items.push({
          clusterName: target.name,
          applied: false,
          appliedMessage: overridden?.message ?? "",
          health: "Unknown",
        });
        continue;
      }
      items.push(await this.applyTo(client, def, overridden.object, binding, target.name, managedBy));
    }
    // Graceful eviction: a copy that is no longer wanted stays until its replacements are healthy.
    const replaced = items.length > 0 && items.every((i) => i.health === "Healthy");
    const pending = replaced ? await this.removeFromOthers(def, binding, targets, ctx) : stale(binding, targets);

    const changed =
      appliedBefore !== JSON.stringify(targets.map((t) => this.applied.get(`${binding.metadata.uid}/${t.name}`)));

    // Re-read after the members' awaits.
    const latest = ctx.objects.get(RESOURCE_BINDINGS, binding.metadata.name ?? "") as ResourceBinding | undefined;
    if (!latest || latest.metadata.deletionTimestamp) return;
    const annotations = { ...(latest.metadata.annotations ?? {}) };
    if (pending.length > 0) annotations[PENDING_REMOVAL] = pending.join(",");
    else delete annotations[PENDING_REMOVAL];
    const withAnnotations = ctx.objects.update(RESOURCE_BINDINGS, {
      ...latest,
      metadata: { ...latest.metadata, annotations },
    }) as ResourceBinding;
    const fullyApplied = items.length > 0 && items.every((i) => i.applied);
    const conditions = mergeCondition(withAnnotations.status?.conditions, {
      type: "FullyApplied",
      status: fullyApplied ? "True" : "False",
      reason: fullyApplied ? "FullyAppliedSuccess" : "FullyAppliedFailed",
      message: fullyApplied
        ? "All works have been successfully applied"
        : items
            .filter((i) => !i.applied)
            .map((i) => `${i.clusterName}: ${i.appliedMessage ?? "not applied"}`)
            .join("; ") || "no member cluster is scheduled",
      lastTransitionTime: ctx.now().toISOString(),
    });
    ctx.objects.updateStatus(RESOURCE_BINDINGS, {
      ...withAnnotations,
      status: { ...(withAnnotations.status ?? {}), conditions, aggregatedStatus: items },
    });

    const currentTemplate = ctx.objects.get(resource, template.metadata.name ?? "");
    if (currentTemplate && def.subresources.includes("status")) {
      const status = aggregateTemplateStatus(def.kind, currentTemplate, items);
      if (status !== undefined) ctx.objects.updateStatus(resource, { ...currentTemplate, status });
    }
    // Quick polls while a change rolls out; a member that stays unhealthy is watched at the idle pace.
    const uid = latest.metadata.uid ?? "";
    if (!this.lastChange.has(uid) || changed) this.lastChange.set(uid, ctx.now().getTime());
    const busy = !replaced && ctx.now().getTime() - (this.lastChange.get(uid) ?? 0) < BUSY_WINDOW_MS;
    ctx.requeueAfter(busy ? POLL_BUSY_MS : POLL_IDLE_MS);
  }

  private async applyTo(
    client: MemberClient,
    def: ResourceDef,
    manifest: KubeObject,
    binding: ResourceBinding,
    clusterName: string,
    managedBy: string,
  ): Promise<AggregatedStatusItem> {
    const path = objectPath(def, manifest.metadata.namespace, manifest.metadata.name ?? "");
    try {
      const fingerprint = JSON.stringify(manifest);
      const appliedKey = `${binding.metadata.uid}/${clusterName}`;
      let member: KubeObject | undefined;
      if (this.applied.get(appliedKey) !== fingerprint) {
        const existing = await client.get(path);
        const owner = (existing.body as KubeObject | undefined)?.metadata?.annotations?.[MANAGED_BY_ANNOTATION];
        if (existing.status === 200 && owner !== managedBy && binding.spec.conflictResolution !== "Overwrite") {
          return {
            clusterName,
            applied: false,
            appliedMessage: `${def.kind} ${manifest.metadata.name} already exists in the member and is not managed by this federation (conflictResolution is Abort)`,
            health: "Unknown",
          };
        }
        if (def.namespaced && existing.status === 404)
          await this.ensureNamespace(client, manifest.metadata.namespace ?? "");
        const result = await client.apply(path, manifest);
        if (result.status >= 300) {
          return { clusterName, applied: false, appliedMessage: statusMessage(result), health: "Unknown" };
        }
        this.applied.set(appliedKey, fingerprint);
        member = result.body as KubeObject;
      } else {
        const result = await client.get(path);
        if (result.status === 404) {
          // Deleted in the member behind the federation's back: apply again on the next pass.
          this.applied.delete(appliedKey);
          return {
            clusterName,
            applied: false,
            appliedMessage: "not found in the member; re-applying",
            health: "Unknown",
          };
        }
        if (result.status !== 200)
          return { clusterName, applied: true, health: "Unknown", appliedMessage: statusMessage(result) };
        member = result.body as KubeObject;
      }
      let health = memberHealth(def.kind, member);
      if (health === "Healthy" && (await servesNothing(client, def, member))) health = "Unhealthy";
      return { clusterName, applied: true, status: reflectStatus(def.kind, member), health };
    } catch (err) {
      return { clusterName, applied: false, appliedMessage: (err as Error).message, health: "Unknown" };
    }
  }

  private async ensureNamespace(client: MemberClient, namespace: string): Promise<void> {
    const result = await client.request("POST", "/api/v1/namespaces", {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: namespace },
    });
    if (result.status >= 300 && result.status !== 409)
      throw new Error(`creating namespace ${namespace}: ${statusMessage(result)}`);
  }

  /** Deletes member copies no longer wanted; answers the members that could not be reached. */
  private async removeFromOthers(
    def: ResourceDef,
    binding: ResourceBinding,
    targets: TargetCluster[],
    ctx: ControllerContext,
  ): Promise<string[]> {
    const wanted = new Set(targets.map((t) => t.name));
    const candidates = new Set([
      ...(binding.status?.aggregatedStatus ?? []).map((i) => i.clusterName),
      ...(binding.metadata.annotations?.[PENDING_REMOVAL]?.split(",").filter(Boolean) ?? []),
    ]);
    const pending: string[] = [];
    for (const name of [...candidates].filter((c) => !wanted.has(c)).sort()) {
      if (!(await this.removeFrom(name, def, binding, ctx))) pending.push(name);
    }
    return pending;
  }

  /** True when the member no longer has the copy (or is no longer registered). */
  private async removeFrom(clusterName: string, def: ResourceDef, binding: ResourceBinding, ctx: ControllerContext) {
    const member = (await ctx.clusterReader.getClusterObject(MEMBER_CLUSTERS, clusterName)) as
      MemberCluster | undefined;
    if (!member) return true;
    const client = await memberClientFor(this.env, member, this.secretReader(ctx));
    if (typeof client === "string") return false;
    const path = objectPath(def, binding.spec.resource.namespace, binding.spec.resource.name);
    try {
      const existing = await client.get(path);
      if (existing.status === 404) return true;
      const managedBy = managedByValue(this.federation, ctx.namespace, def, binding.spec.resource.name);
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

  /** The template is gone (or its binding is being deleted): remove every member copy, then the finalizer. */
  private async removeEverywhere(binding: ResourceBinding, ctx: ControllerContext): Promise<void> {
    const def = defOfReference(binding.spec.resource.apiVersion, binding.spec.resource.kind);
    if (!binding.metadata.deletionTimestamp) {
      ctx.objects.delete(RESOURCE_BINDINGS, binding.metadata.name ?? "");
      return;
    }
    const pending = def
      ? await this.removeFromOthers(
          def,
          {
            ...binding,
            status: {
              ...binding.status,
              aggregatedStatus: [
                ...(binding.status?.aggregatedStatus ?? []),
                ...(binding.spec.clusters ?? []).map((c) => ({ clusterName: c.name })),
              ],
            },
          },
          [],
          ctx,
        )
      : [];
    const latest = ctx.objects.get(RESOURCE_BINDINGS, binding.metadata.name ?? "") as ResourceBinding | undefined;
    if (!latest) return;
    if (pending.length > 0) {
      // An unreachable member keeps its copy until it answers again.
      ctx.requeueAfter(POLL_IDLE_MS);
      return;
    }
    ctx.objects.update(RESOURCE_BINDINGS, {
      ...latest,
      metadata: {
        ...latest.metadata,
        finalizers: (latest.metadata.finalizers ?? []).filter((f) => f !== CLEANUP_FINALIZER),
      },
    });
  }

  private async overridePolicies(template: KubeObject, ctx: ControllerContext): Promise<OverridePolicy[]> {
    const namespaced = ctx.objects.list(OVERRIDE_POLICIES) as OverridePolicy[];
    const clusterWide = ((await ctx.clusterReader.listClusterObjects?.(CLUSTER_OVERRIDE_POLICIES)) ??
      []) as OverridePolicy[];
    return matchingOverridePolicies(template, namespaced, clusterWide);
  }

  private secretReader(ctx: ControllerContext) {
    return async (namespace: string, name: string) =>
      namespace === ctx.namespace
        ? ctx.objects.get("secrets", name)
        : ctx.clusterReader.getNamespacedObject?.("secrets", namespace, name);
  }
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

/** Members that hold a copy they should not (kept for now, removed once replacements are healthy). */
function stale(binding: ResourceBinding, targets: TargetCluster[]): string[] {
  const wanted = new Set(targets.map((t) => t.name));
  const held = [
    ...(binding.status?.aggregatedStatus ?? []).map((i) => i.clusterName),
    ...(binding.metadata.annotations?.[PENDING_REMOVAL]?.split(",").filter(Boolean) ?? []),
  ];
  return [...new Set(held)].filter((name) => !wanted.has(name)).sort();
}

const isReady = (cluster: MemberCluster) =>
  cluster.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") === true &&
  !cluster.metadata.deletionTimestamp;

function scheduledTrue(ctx: ControllerContext): Condition {
  return {
    type: "Scheduled",
    status: "True",
    reason: "Success",
    message: "Binding has been scheduled successfully.",
    lastTransitionTime: ctx.now().toISOString(),
  };
}

/** Replaces a condition, keeping its lastTransitionTime when its status did not change. */
function mergeCondition(conditions: Condition[] | undefined, next: Condition): Condition[] {
  const previous = conditions?.find((c) => c.type === next.type);
  const merged =
    previous && previous.status === next.status ? { ...next, lastTransitionTime: previous.lastTransitionTime } : next;
  return [...(conditions ?? []).filter((c) => c.type !== next.type), merged];
}

function policyLabels(template: KubeObject): Record<string, string> {
  const labels = template.metadata.labels ?? {};
  return Object.fromEntries(
    [PROPAGATION_POLICY_NAMESPACE_LABEL, PROPAGATION_POLICY_NAME_LABEL, CLUSTER_PROPAGATION_POLICY_LABEL]
      .filter((k) => labels[k] !== undefined)
      .map((k) => [k, labels[k]]),
  );
}

function defOfReference(apiVersion: string, kind: string): ResourceDef | undefined {
  const group = apiVersion.includes("/") ? apiVersion.split("/")[0] : "";
  return propagatableDefs().find((def) => def.group === group && def.kind === kind);
}

let cachedDefs: ResourceDef[] | undefined;
function propagatableDefs(): ResourceDef[] {
  return (cachedDefs ??= builtinResources.filter((def) => def.namespaced && isPropagatable(def)));
}
