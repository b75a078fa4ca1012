// Karmada's detector, scheduler, binding and status controllers for a federation, as one
// level-triggered loop per template (in a namespace, or at cluster scope):
//   template + PropagationPolicy → ResourceBinding (which members, how many replicas each)
//   → the template, overridden per member, server-side applied in each member
//   → each member's status in the binding's aggregatedStatus → the template's own .status.
// With `propagateDeps`, the ConfigMaps, Secrets, claims and ServiceAccount a workload uses get
// bindings of their own that follow it (`spec.requiredBy`). A binding carries a finalizer, so a
// deleted template (or binding) removes its member copies first. Members are polled for status;
// member and cluster-policy changes arrive as notices from the ClusterStore (federationChanged).
import { aggregateTemplateStatus } from "../../../api/federation/aggregate-status.ts";
import { dependenciesOf } from "../../../api/federation/dependencies.ts";
import { managedByValue, memberManifest, replicasOf } from "../../../api/federation/member-manifest.ts";
import { applyOverrides } from "../../../api/federation/overrides.ts";
import { matchingOverridePolicies, pickPropagationPolicy } from "../../../api/federation/policy-match.ts";
import { schedule } from "../../../api/federation/schedule.ts";
import { bindingName, isPropagatable, splitTemplateKey, templateKeyOf } from "../../../api/federation/templates.ts";
import {
  CLUSTER_PROPAGATION_POLICY_LABEL,
  PROPAGATION_POLICY_NAME_LABEL,
  PROPAGATION_POLICY_NAMESPACE_LABEL,
  type AggregatedStatusItem,
  type BindingSnapshot,
  type Condition,
  type MemberCluster,
  type OverridePolicy,
  type PropagationPolicy,
  type ResourceBinding,
  type ResourceBindingSpec,
  type TargetCluster,
  WORKS,
} from "../../../api/federation/types.ts";
import { setCondition } from "../../../api/controllers/common/conditions.ts";
import { resourceKey } from "../../../api/registry/define.ts";
import { apiVersionOf, type ResourceDef } from "../../../api/registry/types.ts";
import type { KubeObject } from "../../../api/types.ts";
import type { Env } from "../../env.ts";
import type { ChangeNotice, Controller, ControllerContext } from "../framework.ts";
import type { ObjectWriter } from "../object-writer.ts";
import { isPullMember, MemberSync, readMemberClusters, type MemberClusters } from "./member-sync.ts";
import { applyByWork, WORK_TEMPLATE_ANNOTATION } from "./pull-works.ts";
import { scheduledTrue, stale, writeBindingStatus } from "./binding-status.ts";
import { recordScheduling, recordSync } from "./propagation-events.ts";
import type { PropagationScope } from "./propagation-scope.ts";

export const PROPAGATION_CONTROLLER = "federation-propagation";
/** Re-evaluate every template (a policy or a member changed). */
export const ALL = "*";
/** The placement the binding was scheduled for, as its policy wrote it (Karmada's annotation). */
const APPLIED_PLACEMENT = "policy.karmada.io/applied-placement";
const CLEANUP_FINALIZER = "federation.flotilla.dev/member-cleanup";
/** Status polls: quick while a change rolls out, slower once settled (or stuck). */
const POLL_BUSY_MS = 2000;
const POLL_IDLE_MS = 10_000;
const BUSY_WINDOW_MS = 60_000;

export class PropagationController implements Controller {
  readonly name = PROPAGATION_CONTROLLER;
  /** When each binding last changed what its members run (per binding uid). */
  private readonly lastChange = new Map<string, number>();
  private readonly members: MemberSync;
  private readonly federation: string;
  private readonly scope: PropagationScope;
  private readonly enqueue: (key: string) => void;
  private kindsSeen: readonly ResourceDef[] | undefined;
  private kindsByKey = new Map<string, ResourceDef>();

  constructor(env: Env, federation: string, scope: PropagationScope, enqueue: (key: string) => void) {
    this.federation = federation;
    this.scope = scope;
    this.enqueue = enqueue;
    this.members = new MemberSync(env, scope);
  }

  /** Template kinds by resourceKey (rebuilt when the scope's kinds change: a CRD came or went). */
  private get defsByKey(): Map<string, ResourceDef> {
    const defs = this.scope.templateDefs();
    if (defs !== this.kindsSeen) {
      this.kindsSeen = defs;
      this.kindsByKey = new Map(defs.map((def) => [resourceKey(def), def]));
    }
    return this.kindsByKey;
  }

  keysFor(change: ChangeNotice): string[] {
    if (this.scope.policyResources.includes(change.resource)) return [ALL];
    if (change.resource === this.scope.bindingResource) {
      // Only what others do to a binding (delete it) needs a pass; its own writes must not loop.
      if (change.type !== "DELETED" && !change.object.metadata.deletionTimestamp) return [];
      const resource = (change.object as ResourceBinding).spec?.resource;
      const def = resource && this.defOfReference(resource.apiVersion, resource.kind);
      return def ? [templateKeyOf(def, resource.name)] : [];
    }
    if (change.resource === WORKS) {
      // An agent reported on (or finished removing) a Pull member's copy.
      const template = change.object.metadata.annotations?.[WORK_TEMPLATE_ANNOTATION];
      return template ? [template] : [];
    }
    const def = this.defsByKey.get(change.resource);
    if (!def || (!this.scope.namespaced && change.object.metadata.namespace)) return [];
    return isPropagatable(def, change.object) ? [templateKeyOf(def, change.name)] : [];
  }

  initialKeys(): string[] {
    return [ALL];
  }

  async reconcile(key: string, ctx: ControllerContext): Promise<void> {
    if (key === ALL) {
      await this.scope.refreshKinds();
      return this.enqueueAll(ctx.objects);
    }
    const parsed = splitTemplateKey(key);
    const def = parsed && this.defsByKey.get(parsed.resource);
    if (!parsed || !def) return;
    const template = ctx.objects.get(parsed.resource, parsed.name);
    const binding = this.binding(ctx, bindingName(parsed.name, def.kind));
    if (binding?.metadata.deletionTimestamp || (binding && !template))
      return this.removeEverywhere(def, binding, await readMemberClusters(ctx), ctx);
    if (!template || template.metadata.deletionTimestamp || !isPropagatable(def, template)) return;
    const members = await readMemberClusters(ctx);

    const policy = await this.policyFor(template, ctx);
    let scheduled: ResourceBinding | undefined;
    if (policy) {
      const labelled = this.labelTemplate(parsed.resource, template, policy, ctx);
      scheduled = this.scheduleBinding(def, labelled, policy, members, ctx);
    } else if (binding?.spec.requiredBy) {
      scheduled = this.followRequirers(binding, ctx);
    } else {
      // Without a policy (it was deleted) the copies stay where they are, as in Karmada.
      scheduled = binding;
    }
    if (!scheduled) return;
    await this.sync(def, parsed.resource, scheduled, members, ctx);
    if (this.scope.namespaced) this.attachDependencies(def, template, scheduled, policy, ctx);
  }

  private binding(ctx: ControllerContext, name: string): ResourceBinding | undefined {
    return ctx.objects.get(this.scope.bindingResource, name) as ResourceBinding | undefined;
  }

  private enqueueAll(objects: ObjectWriter): void {
    for (const [key, def] of this.defsByKey) {
      for (const object of objects.list(key)) {
        if (isPropagatable(def, object)) this.enqueue(templateKeyOf(def, object.metadata.name ?? ""));
      }
    }
  }

  private defOfReference(apiVersion: string, kind: string): ResourceDef | undefined {
    const group = apiVersion.includes("/") ? apiVersion.split("/")[0] : "";
    return this.scope.templateDefs().find((def) => def.group === group && def.kind === kind);
  }

  private async policyFor(template: KubeObject, ctx: ControllerContext): Promise<PropagationPolicy | undefined> {
    const policies = await this.scope.propagationPolicies(ctx);
    return pickPropagationPolicy(template, policies.namespaced, policies.cluster)?.policy;
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
    const cleaned = Object.fromEntries(Object.entries(labels).filter(([k]) => !POLICY_LABELS.includes(k)));
    return ctx.objects.update(resource, {
      ...template,
      metadata: { ...template.metadata, labels: { ...cleaned, ...wanted } },
    });
  }

  /** Creates or updates the binding with the scheduler's choice of members. */
  private scheduleBinding(
    def: ResourceDef,
    template: KubeObject,
    policy: PropagationPolicy,
    members: MemberClusters,
    ctx: ControllerContext,
  ): ResourceBinding | undefined {
    const name = bindingName(template.metadata.name ?? "", def.kind);
    const before = this.binding(ctx, name);
    // A member being unjoined takes no more work.
    const clusters = [...members.values()].filter((cluster) => !leaving(cluster));
    const registered = new Set(clusters.map((c) => c.metadata.name));
    const placement = policy.spec.placement ?? {};
    const replicas = replicasOf(def, template);
    const previous = before?.spec.clusters;
    // The scheduler keeps what it chose when nothing it depends on changed (same members, same
    // total): a status poll never reshuffles a healthy placement, while a new matching member or
    // one that stopped being Ready is taken into account.
    const result = schedule({ clusters, placement, replicas, previous });
    const scheduledCondition: Condition = result.ok
      ? scheduledTrue(ctx)
      : {
          type: "Scheduled",
          status: "False",
          reason: result.reason,
          message: result.message,
          lastTransitionTime: ctx.now().toISOString(),
        };
    const spec: ResourceBindingSpec = {
      resource: referenceTo(def, template),
      replicas,
      placement,
      // Nowhere to go: stay where it is, except on members that are gone or leaving.
      clusters: result.ok ? result.clusters : (previous ?? []).filter((t) => registered.has(t.name)),
      conflictResolution: policy.spec.conflictResolution ?? "Abort",
      schedulerName: "default-scheduler",
    };
    const moved = JSON.stringify(spec.clusters) !== JSON.stringify(previous ?? []);
    if (this.scope.namespaced)
      recordScheduling(
        ctx,
        template,
        before,
        result.ok ? undefined : result.message,
        moved ? spec.clusters : undefined,
      );
    return this.upsertBinding(def, template, spec, { [APPLIED_PLACEMENT]: JSON.stringify(placement) }, ctx, {
      condition: scheduledCondition,
      rescheduled: moved,
    });
  }

  /** Writes the binding's spec (creating it with its finalizer and owner) and its Scheduled condition. */
  private upsertBinding(
    def: ResourceDef,
    template: KubeObject,
    spec: ResourceBindingSpec,
    annotations: Record<string, string>,
    ctx: ControllerContext,
    scheduling: { condition: Condition; rescheduled: boolean },
  ): ResourceBinding | undefined {
    const name = bindingName(template.metadata.name ?? "", def.kind);
    const current = this.binding(ctx, name);
    let written: ResourceBinding | undefined;
    if (!current) {
      written = ctx.objects.create(this.scope.bindingResource, {
        apiVersion: "work.karmada.io/v1alpha2",
        kind: this.scope.bindingKind,
        metadata: {
          name,
          labels: policyLabelsOf(template),
          annotations,
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
      if (!written) return undefined;
    } else {
      written = ctx.objects.update(this.scope.bindingResource, {
        ...current,
        metadata: { ...current.metadata, annotations: { ...(current.metadata.annotations ?? {}), ...annotations } },
        spec: { ...current.spec, ...spec },
      }) as ResourceBinding;
    }
    return ctx.objects.updateStatus(this.scope.bindingResource, {
      ...written,
      status: {
        ...(written.status ?? {}),
        conditions: setCondition(written.status?.conditions, scheduling.condition),
        schedulerObservedGeneration: written.metadata.generation,
        ...(scheduling.rescheduled || !current ? { lastScheduledTime: ctx.now().toISOString() } : {}),
      },
    }) as ResourceBinding;
  }

  /** Applies the template to each chosen member, removes it from the others, collects status. */
  private async sync(
    def: ResourceDef,
    resource: string,
    binding: ResourceBinding,
    members: MemberClusters,
    ctx: ControllerContext,
  ) {
    const template = ctx.objects.get(resource, binding.spec.resource.name);
    if (!template) return;
    const targets = binding.spec.clusters ?? [];
    const overrides = await this.scope.overridePolicies(ctx);
    const applicable = matchingOverridePolicies(template, overrides.namespaced, overrides.cluster);
    const managedBy = this.managedBy(def, template.metadata.name ?? "", ctx);
    const before = this.members.appliedState(
      binding,
      targets.map((t) => t.name),
    );
    // Members are independent: talk to them all at once.
    const items = await Promise.all(
      targets.map(async (target): Promise<AggregatedStatusItem> => {
        const { member, client } = await this.members.clientFor(ctx, members, target.name);
        if (member && isPullMember(member))
          return this.pullApply(def, template, binding, member, target, applicable, ctx);
        if (!member || typeof client === "string")
          return { clusterName: target.name, applied: false, appliedMessage: String(client), health: "Unknown" };
        const manifest = memberManifest(def, template, { replicas: target.replicas, managedBy });
        const overridden = applyOverrides(manifest, member, applicable);
        if (!overridden.ok)
          return { clusterName: target.name, applied: false, appliedMessage: overridden.message, health: "Unknown" };
        return this.members.apply(client, def, overridden.object, binding, target.name);
      }),
    );
    if (this.scope.namespaced) recordSync(ctx, template, binding, items);
    const changed =
      before !==
      this.members.appliedState(
        binding,
        targets.map((t) => t.name),
      );
    // Graceful eviction: a copy that is no longer wanted stays until its replacements are healthy.
    const replaced = items.length > 0 && items.every((i) => i.health === "Healthy");
    const leftovers = stale(binding, targets);
    // A member being unjoined gives its copies back at once; its Cluster waits for that.
    const unjoining = new Set([...members.values()].filter(leaving).map((c) => c.metadata.name ?? ""));
    const draining = leftovers.filter((name) => unjoining.has(name));
    const evicted = leftovers.filter((name) => !unjoining.has(name));
    const pending = [
      ...(await this.removeFrom(draining, def, binding, managedBy, members, ctx)),
      ...(replaced
        ? await this.removeFrom(evicted, def, binding, managedBy, members, ctx, { keepOnUnready: true })
        : evicted),
    ];

    // Re-read after the members' awaits.
    const latest = this.binding(ctx, binding.metadata.name ?? "");
    if (!latest || latest.metadata.deletionTimestamp) return;
    writeBindingStatus(ctx, this.scope.bindingResource, latest, items, pending);
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

  /** A Pull member's copy goes through a Work its agent applies. */
  private pullApply(
    def: ResourceDef,
    template: KubeObject,
    binding: ResourceBinding,
    member: MemberCluster,
    target: TargetCluster,
    overrides: OverridePolicy[],
    ctx: ControllerContext,
  ): AggregatedStatusItem {
    const clusterName = target.name;
    if (!this.scope.namespaced) {
      const message = "Pull-mode members take namespaced resources only";
      return { clusterName, applied: false, appliedMessage: message, health: "Unknown" };
    }
    const managedBy = this.managedBy(def, template.metadata.name ?? "", ctx);
    const manifest = memberManifest(def, template, { replicas: target.replicas, managedBy });
    const overridden = applyOverrides(manifest, member, overrides);
    if (!overridden.ok) return { clusterName, applied: false, appliedMessage: overridden.message, health: "Unknown" };
    return applyByWork(ctx, binding, clusterName, overridden.object, templateKeyOf(def, template.metadata.name ?? ""));
  }

  /** Deletes the copies in `clusters`; answers the members that could not be reached. */
  private async removeFrom(
    clusters: string[],
    def: ResourceDef,
    binding: ResourceBinding,
    managedBy: string,
    members: MemberClusters,
    ctx: ControllerContext,
    options: { keepOnUnready?: boolean } = {},
  ): Promise<string[]> {
    const pending: string[] = [];
    for (const name of clusters) {
      if (!(await this.members.remove(ctx, members, name, def, binding, managedBy, options))) pending.push(name);
    }
    return pending;
  }

  /** The template is gone (or its binding is being deleted): remove every member copy, then the finalizer. */
  private async removeEverywhere(
    def: ResourceDef,
    binding: ResourceBinding,
    members: MemberClusters,
    ctx: ControllerContext,
  ): Promise<void> {
    if (!binding.metadata.deletionTimestamp) {
      ctx.objects.delete(this.scope.bindingResource, binding.metadata.name ?? "");
      return;
    }
    const everywhere = [
      ...new Set([...stale(binding, []), ...(binding.spec.clusters ?? []).map((c) => c.name)]),
    ].sort();
    const managedBy = this.managedBy(def, binding.spec.resource.name, ctx);
    const pending = await this.removeFrom(everywhere, def, binding, managedBy, members, ctx);
    const latest = this.binding(ctx, binding.metadata.name ?? "");
    if (!latest) return;
    if (pending.length > 0) {
      // An unreachable member keeps its copy until it answers again.
      ctx.requeueAfter(POLL_IDLE_MS);
      return;
    }
    if (this.scope.namespaced) this.detachDependencies(latest.metadata.name ?? "", new Set(), ctx);
    ctx.objects.update(this.scope.bindingResource, {
      ...latest,
      metadata: {
        ...latest.metadata,
        finalizers: (latest.metadata.finalizers ?? []).filter((f) => f !== CLEANUP_FINALIZER),
      },
    });
  }

  private managedBy(def: ResourceDef, name: string, ctx: ControllerContext): string {
    return managedByValue(this.federation, this.scope.namespaced ? ctx.namespace : "", def, name);
  }

  // ---- propagateDeps

  /**
   * Gives each dependency of a workload (propagateDeps) a binding that names the workload in
   * `requiredBy`, with the workload's members; releases the ones it no longer uses.
   */
  private attachDependencies(
    def: ResourceDef,
    template: KubeObject,
    binding: ResourceBinding,
    policy: PropagationPolicy | undefined,
    ctx: ControllerContext,
  ): void {
    const parent: BindingSnapshot = {
      namespace: ctx.namespace,
      name: binding.metadata.name ?? "",
      clusters: (binding.spec.clusters ?? []).map((c) => ({ name: c.name })),
    };
    const wanted = new Set<string>();
    for (const dep of policy?.spec.propagateDeps ? dependenciesOf(def.kind, template) : []) {
      const depDef = this.defsByKey.get(dep.resource);
      const depTemplate = depDef && ctx.objects.get(dep.resource, dep.name);
      if (!depDef || !depTemplate || !isPropagatable(depDef, depTemplate)) continue;
      const name = bindingName(dep.name, dep.kind);
      const existing = this.binding(ctx, name);
      // A dependency some policy propagates on its own keeps that placement.
      if (existing && !existing.spec.requiredBy) continue;
      wanted.add(name);
      const requiredBy = [...(existing?.spec.requiredBy ?? []).filter((r) => r.name !== parent.name), parent].sort(
        (a, b) => a.name.localeCompare(b.name),
      );
      if (existing && JSON.stringify(existing.spec.requiredBy) === JSON.stringify(requiredBy)) continue;
      const spec: ResourceBindingSpec = {
        resource: referenceTo(depDef, depTemplate),
        replicas: 0,
        clusters: unionOf(requiredBy),
        conflictResolution: binding.spec.conflictResolution ?? "Abort",
        requiredBy,
      };
      this.upsertBinding(depDef, depTemplate, spec, {}, ctx, { condition: scheduledTrue(ctx), rescheduled: true });
      this.enqueue(templateKeyOf(depDef, dep.name));
    }
    this.detachDependencies(parent.name, wanted, ctx);
  }

  /** Takes `parent` out of the requiredBy of every dependency binding not in `keep`. */
  private detachDependencies(parent: string, keep: Set<string>, ctx: ControllerContext): void {
    for (const object of ctx.objects.list(this.scope.bindingResource)) {
      const dependency = object as ResourceBinding;
      const requiredBy = dependency.spec?.requiredBy;
      const name = dependency.metadata.name ?? "";
      if (!requiredBy || keep.has(name) || !requiredBy.some((r) => r.name === parent)) continue;
      ctx.objects.update(this.scope.bindingResource, {
        ...dependency,
        spec: { ...dependency.spec, requiredBy: requiredBy.filter((r) => r.name !== parent) },
      });
      const def = this.defOfReference(dependency.spec.resource.apiVersion, dependency.spec.resource.kind);
      if (def) this.enqueue(templateKeyOf(def, dependency.spec.resource.name));
    }
  }

  /** A dependency's binding goes wherever the workloads that need it go; with none left, it goes. */
  private followRequirers(binding: ResourceBinding, ctx: ControllerContext): ResourceBinding | undefined {
    const requiredBy = binding.spec.requiredBy ?? [];
    if (requiredBy.length === 0) {
      ctx.objects.delete(this.scope.bindingResource, binding.metadata.name ?? "");
      return undefined;
    }
    const clusters = unionOf(requiredBy);
    if (JSON.stringify(clusters) === JSON.stringify(binding.spec.clusters ?? [])) return binding;
    return ctx.objects.update(this.scope.bindingResource, {
      ...binding,
      spec: { ...binding.spec, clusters },
    }) as ResourceBinding;
  }
}

const POLICY_LABELS = [
  PROPAGATION_POLICY_NAME_LABEL,
  PROPAGATION_POLICY_NAMESPACE_LABEL,
  CLUSTER_PROPAGATION_POLICY_LABEL,
];

function policyLabelsOf(template: KubeObject): Record<string, string> {
  const labels = template.metadata.labels ?? {};
  return Object.fromEntries(POLICY_LABELS.filter((k) => labels[k] !== undefined).map((k) => [k, labels[k]]));
}

function referenceTo(def: ResourceDef, template: KubeObject) {
  return {
    apiVersion: apiVersionOf(def),
    kind: def.kind,
    ...(def.namespaced ? { namespace: template.metadata.namespace } : {}),
    name: template.metadata.name ?? "",
    uid: template.metadata.uid,
    resourceVersion: template.metadata.resourceVersion,
  };
}

/** Every member any requirer went to, by name. */
function unionOf(requiredBy: BindingSnapshot[]): TargetCluster[] {
  const names = new Set(requiredBy.flatMap((r) => (r.clusters ?? []).map((c) => c.name)));
  return [...names].sort().map((name) => ({ name }));
}

/** A member being unjoined (its Cluster is deleted, held by the unjoin finalizer). */
const leaving = (cluster: MemberCluster) => cluster.metadata.deletionTimestamp !== undefined;
