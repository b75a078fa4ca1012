// Status across member clusters, as Karmada's default resource interpreter computes it: how
// healthy each member's copy is, what of its status is reflected into the binding's
// aggregatedStatus, and the template's own `.status` summed from those items — so that
// `kubectl rollout status`, `kubectl wait` and GitOps tools work on the federated object.
import { isObject, type KubeObject } from "../types.ts";
import type { AggregatedStatusItem, Condition } from "./types.ts";

export type MemberHealth = "Healthy" | "Unhealthy" | "Unknown";

/**
 * Stamped on each member object by whatever applies it: the template generation that copy was
 * made from. Karmada uses the same annotation; without it a member that has caught up with an
 * old template would look as if it had caught up with the new one.
 */
export const TEMPLATE_GENERATION_ANNOTATION = "resourcetemplate.karmada.io/generation";

type Status = Record<string, unknown>;

const num = (value: unknown): number => (typeof value === "number" && Number.isFinite(value) ? value : 0);
const optionalNum = (value: unknown): number | undefined => (typeof value === "number" ? value : undefined);
const statusOf = (object: KubeObject): Status => (isObject(object.status) ? object.status : {});
const specOf = (object: KubeObject): Status => (isObject(object.spec) ? object.spec : {});
/** spec.replicas defaults to 1 for every workload kind. */
const desiredReplicas = (object: KubeObject): number => optionalNum(specOf(object).replicas) ?? 1;

const conditionsOf = (status: Status): Condition[] =>
  Array.isArray(status.conditions) ? (status.conditions.filter(isObject) as unknown as Condition[]) : [];
const hasCondition = (status: Status, type: string): boolean =>
  conditionsOf(status).some((c) => c.type === type && c.status === "True");

/** The member's controller has seen its latest spec (a missing observedGeneration has not). */
function observedLatest(object: KubeObject): boolean {
  const observed = optionalNum(statusOf(object).observedGeneration);
  return observed !== undefined && observed >= (object.metadata.generation ?? 0);
}

// ---------------------------------------------------------------------------
// Health of one member's copy.

type HealthCheck = (object: KubeObject) => boolean;

const HEALTH_CHECKS: Record<string, HealthCheck> = {
  // Fully rolled out: every replica runs the new template and is available, none of the old remain.
  Deployment: (d) => {
    const s = statusOf(d);
    const want = desiredReplicas(d);
    return (
      observedLatest(d) &&
      num(s.updatedReplicas) === want &&
      num(s.replicas) === want &&
      num(s.availableReplicas) === want
    );
  },
  StatefulSet: (sts) => {
    const s = statusOf(sts);
    const want = desiredReplicas(sts);
    // availableReplicas is newer than readyReplicas; older members only report the latter.
    const available = optionalNum(s.availableReplicas) ?? num(s.readyReplicas);
    return observedLatest(sts) && num(s.updatedReplicas) === want && num(s.replicas) === want && available === want;
  },
  ReplicaSet: (rs) => {
    const s = statusOf(rs);
    const want = desiredReplicas(rs);
    return observedLatest(rs) && num(s.replicas) === want && num(s.availableReplicas) === want;
  },
  DaemonSet: (ds) => {
    const s = statusOf(ds);
    const desired = num(s.desiredNumberScheduled);
    return observedLatest(ds) && num(s.updatedNumberScheduled) >= desired && num(s.numberAvailable) >= desired;
  },
  // A Job is healthy while it runs and once it has completed; a failed one is not.
  Job: (job) => {
    const s = statusOf(job);
    if (hasCondition(s, "Failed")) return false;
    return hasCondition(s, "Complete") || num(s.active) > 0;
  },
  Service: (svc) => {
    if (specOf(svc).type !== "LoadBalancer") return true;
    return loadBalancerIngress(statusOf(svc)).some((ingress) => ingress.ip || ingress.hostname);
  },
  // A running Pod that reports itself not Ready is not serving; one without conditions yet is given the benefit.
  Pod: (pod) => {
    const s = statusOf(pod);
    if (s.phase === "Succeeded") return true;
    if (s.phase !== "Running") return false;
    return !conditionsOf(s).some((c) => c.type === "Ready" && c.status === "False");
  },
  PersistentVolumeClaim: (pvc) => statusOf(pvc).phase === "Bound",
};

/** How a member's copy is doing. Kinds without a rule (ConfigMap, Secret, …) are healthy once they exist. */
export function memberHealth(kind: string, memberObject: KubeObject | undefined | null): MemberHealth {
  if (!memberObject) return "Unknown";
  const check = Object.hasOwn(HEALTH_CHECKS, kind) ? HEALTH_CHECKS[kind] : undefined;
  if (!check) return "Healthy";
  return check(memberObject) ? "Healthy" : "Unhealthy";
}

// ---------------------------------------------------------------------------
// What of a member's status goes into aggregatedStatus[].status.

/** Kinds whose template observedGeneration depends on the members' generations. */
const GENERATION_TRACKED = new Set(["Deployment", "StatefulSet", "ReplicaSet", "DaemonSet"]);

const DEPLOYMENT_REFLECTED = [
  "replicas",
  "updatedReplicas",
  "readyReplicas",
  "availableReplicas",
  "unavailableReplicas",
];

function templateGenerationOf(memberObject: KubeObject): number | undefined {
  const text = memberObject.metadata.annotations?.[TEMPLATE_GENERATION_ANNOTATION];
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  return Number(text);
}

/** Drops undefined members so the stored JSON has only what was reported. */
function compact(status: Status): Status {
  return Object.fromEntries(Object.entries(status).filter(([, value]) => value !== undefined));
}

/**
 * The member status kept on the binding. Deployments keep Karmada's subset; workloads also
 * record the member's `generation` and the template generation it was made from
 * (`resourceTemplateGeneration`), which aggregateTemplateStatus needs for observedGeneration.
 * Other kinds keep their whole status. Undefined when the member reports no status yet.
 */
export function reflectStatus(kind: string, memberObject: KubeObject): Status | undefined {
  if (!isObject(memberObject.status)) return undefined;
  const status = memberObject.status;
  if (!GENERATION_TRACKED.has(kind)) return structuredClone(status);
  const base =
    kind === "Deployment"
      ? Object.fromEntries(DEPLOYMENT_REFLECTED.map((field) => [field, status[field]]))
      : structuredClone(status);
  return compact({
    ...base,
    generation: memberObject.metadata.generation,
    observedGeneration: status.observedGeneration,
    resourceTemplateGeneration: templateGenerationOf(memberObject),
  });
}

// ---------------------------------------------------------------------------
// The template's status, from every member's.

/** Items that can carry the caller's own verdict on whether the member runs the latest template. */
export type StatusItem = AggregatedStatusItem & { templateGenerationApplied?: boolean };

const reported = (items: readonly StatusItem[]): Status[] =>
  items.flatMap((item) => (isObject(item.status) ? [item.status] : []));

function sums(statuses: readonly Status[], fields: readonly string[]): Status {
  const total: Record<string, number> = {};
  for (const field of fields) total[field] = statuses.reduce((sum, s) => sum + num(s[field]), 0);
  return total;
}

/**
 * A member counts as caught up when its controller observed its own latest generation and that
 * copy was made from the template's current generation. The latter, most trusted first:
 * `templateGenerationApplied` when the caller sets it; the `resourceTemplateGeneration`
 * reflectStatus recorded from TEMPLATE_GENERATION_ANNOTATION; failing both, `applied` — the
 * caller applied (or found in place) the manifest made from the template it passes in.
 */
function caughtUp(item: StatusItem, templateGeneration: number | undefined): boolean {
  if (!isObject(item.status)) return false;
  const { generation, observedGeneration, resourceTemplateGeneration } = item.status;
  if (typeof generation !== "number" || typeof observedGeneration !== "number") return false;
  if (observedGeneration < generation) return false;
  if (item.templateGenerationApplied !== undefined) return item.templateGenerationApplied;
  if (typeof resourceTemplateGeneration === "number") return resourceTemplateGeneration === templateGeneration;
  return item.applied === true;
}

/**
 * The template's generation once every member has caught up with it; until then the value the
 * template already had, so rollout watchers keep waiting instead of seeing a stale "done".
 */
function aggregateObservedGeneration(template: KubeObject, items: readonly StatusItem[]): number | undefined {
  const generation = template.metadata.generation;
  if (items.every((item) => caughtUp(item, generation))) return generation;
  return optionalNum(statusOf(template).observedGeneration);
}

function workloadStatus(template: KubeObject, items: readonly StatusItem[], fields: readonly string[]): Status {
  return compact({
    ...sums(reported(items), fields),
    observedGeneration: aggregateObservedGeneration(template, items),
  });
}

const timeOf = (value: unknown): number | undefined => {
  const ms = typeof value === "string" ? Date.parse(value) : NaN;
  return Number.isNaN(ms) ? undefined : ms;
};

/** The earliest (or latest) timestamp among `values`, as written by the member. */
function extremeTime(values: readonly unknown[], pick: "earliest" | "latest"): string | undefined {
  let chosen: string | undefined;
  for (const value of values) {
    const ms = timeOf(value);
    if (ms === undefined) continue;
    const current = timeOf(chosen);
    if (current === undefined || (pick === "earliest" ? ms < current : ms > current)) chosen = value as string;
  }
  return chosen;
}

/**
 * A condition for the template. Its transition time is kept from the template's own condition
 * when the status has not changed, else taken from the members' conditions — no clock needed.
 */
function templateCondition(
  template: KubeObject,
  memberConditions: readonly Condition[],
  condition: Omit<Condition, "lastTransitionTime">,
): Condition {
  const previous = conditionsOf(statusOf(template)).find((c) => c.type === condition.type);
  const lastTransitionTime =
    previous && previous.status === condition.status && previous.lastTransitionTime
      ? previous.lastTransitionTime
      : extremeTime(
          memberConditions.map((c) => c.lastTransitionTime),
          "latest",
        );
  return compact({ ...condition, lastProbeTime: lastTransitionTime, lastTransitionTime }) as unknown as Condition;
}

function jobStatus(template: KubeObject, items: readonly StatusItem[]): Status {
  const statuses = reported(items);
  const conditionOf = (s: Status, type: string) => conditionsOf(s).find((c) => c.type === type && c.status === "True");
  const complete = statuses.map((s) => conditionOf(s, "Complete"));
  const allComplete = items.length > 0 && statuses.length === items.length && complete.every((c) => c !== undefined);
  const failedClusters = items.filter((item) => isObject(item.status) && conditionOf(item.status, "Failed"));
  const conditions: Condition[] = [];
  if (allComplete) {
    conditions.push(
      templateCondition(template, complete as Condition[], {
        type: "Complete",
        status: "True",
        reason: "Completed",
        message: "Job completed in every member cluster",
      }),
    );
  }
  if (failedClusters.length > 0) {
    conditions.push(
      templateCondition(
        template,
        failedClusters.map((item) => conditionOf(item.status!, "Failed")!),
        {
          type: "Failed",
          status: "True",
          reason: "JobFailed",
          message: `Job failed in member cluster(s) ${failedClusters.map((item) => item.clusterName).join(", ")}`,
        },
      ),
    );
  }
  return compact({
    ...sums(statuses, ["active", "succeeded", "failed", "ready"]),
    startTime: extremeTime(
      statuses.map((s) => s.startTime),
      "earliest",
    ),
    // A Job has a completionTime only once it has completed, here: everywhere.
    completionTime: allComplete
      ? extremeTime(
          statuses.map((s) => s.completionTime),
          "latest",
        )
      : undefined,
    conditions: conditions.length > 0 ? conditions : undefined,
  });
}

interface LoadBalancerIngress {
  ip?: string;
  hostname?: string;
  [field: string]: unknown;
}

function loadBalancerIngress(status: Status): LoadBalancerIngress[] {
  const loadBalancer = isObject(status.loadBalancer) ? status.loadBalancer : {};
  return Array.isArray(loadBalancer.ingress) ? (loadBalancer.ingress.filter(isObject) as LoadBalancerIngress[]) : [];
}

/** Every member's load-balancer address, each once, in member order. */
function serviceStatus(template: KubeObject, items: readonly StatusItem[]): Status | undefined {
  if (specOf(template).type !== "LoadBalancer") return undefined;
  const seen = new Set<string>();
  const ingress: LoadBalancerIngress[] = [];
  for (const entry of reported(items).flatMap(loadBalancerIngress)) {
    const key = JSON.stringify(entry);
    if (seen.has(key)) continue;
    seen.add(key);
    ingress.push(structuredClone(entry));
  }
  return { loadBalancer: ingress.length > 0 ? { ingress } : {} };
}

/** Karmada's precedence: any Failed, else any Pending, else any Running, else Succeeded. */
const POD_PHASE_ORDER = ["Failed", "Pending", "Running", "Succeeded"];

function podStatus(items: readonly StatusItem[]): Status {
  const phases = new Set(reported(items).map((s) => s.phase));
  return { phase: POD_PHASE_ORDER.find((phase) => phases.has(phase)) ?? "Pending" };
}

function claimStatus(items: readonly StatusItem[]): Status {
  const phases = reported(items).map((s) => s.phase);
  if (phases.includes("Lost")) return { phase: "Lost" };
  const allBound = phases.length > 0 && phases.length === items.length && phases.every((p) => p === "Bound");
  return { phase: allBound ? "Bound" : "Pending" };
}

type Aggregator = (template: KubeObject, items: readonly StatusItem[]) => Status | undefined;

const AGGREGATORS: Record<string, Aggregator> = {
  Deployment: (t, items) => workloadStatus(t, items, DEPLOYMENT_REFLECTED),
  StatefulSet: (t, items) =>
    workloadStatus(t, items, ["replicas", "readyReplicas", "currentReplicas", "updatedReplicas", "availableReplicas"]),
  ReplicaSet: (t, items) =>
    workloadStatus(t, items, ["replicas", "fullyLabeledReplicas", "readyReplicas", "availableReplicas"]),
  DaemonSet: (t, items) =>
    workloadStatus(t, items, [
      "currentNumberScheduled",
      "numberMisscheduled",
      "desiredNumberScheduled",
      "numberReady",
      "updatedNumberScheduled",
      "numberAvailable",
      "numberUnavailable",
    ]),
  Job: jobStatus,
  Service: serviceStatus,
  Pod: (_t, items) => podStatus(items),
  PersistentVolumeClaim: (_t, items) => claimStatus(items),
};

/**
 * The template's new `.status` from the binding's aggregatedStatus items, or undefined for kinds
 * Flotilla has no rule for (their template status is left as it is). Items without a status
 * (members not yet applied or unreachable) add nothing to the sums and hold observedGeneration back.
 */
export function aggregateTemplateStatus(
  kind: string,
  template: KubeObject,
  items: readonly StatusItem[],
): Status | undefined {
  const aggregate = Object.hasOwn(AGGREGATORS, kind) ? AGGREGATORS[kind] : undefined;
  return aggregate?.(template, items);
}
