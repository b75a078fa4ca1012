// What a DELETE does to one object: remove it now, or mark it terminating
// (finalizers, graceful pod termination), as the generic registry decides.
import { badRequest, conflict } from "../errors.ts";
import type { ResourceDef } from "../registry/types.ts";
import { isObject, type KubeObject } from "../types.ts";
import { formatTimestamp } from "./object-meta.ts";

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: "Background" | "Foreground" | "Orphan";
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: string[];
  orphanDependents?: boolean;
}

export type DeleteDecision =
  | { action: "delete" } // remove the object now
  | { action: "update"; object: KubeObject } // keep it, terminating
  | { action: "none" }; // already terminating; nothing changes

export const FOREGROUND_FINALIZER = "foregroundDeletion";
export const ORPHAN_FINALIZER = "orphan";

/** DeleteOptions from the body (JSON) merged with the query (`gracePeriodSeconds`, `propagationPolicy`). */
export function parseDeleteOptions(body: unknown, query: URLSearchParams): DeleteOptions {
  const options: DeleteOptions = {};
  if (body !== undefined && body !== null) {
    if (!isObject(body)) throw badRequest("DeleteOptions must be an object");
    Object.assign(options, body);
  }
  const grace = query.get("gracePeriodSeconds");
  if (grace !== null) options.gracePeriodSeconds = Number(grace);
  const policy = query.get("propagationPolicy");
  if (policy !== null) options.propagationPolicy = policy as DeleteOptions["propagationPolicy"];
  if (isObject(body) && body.orphanDependents === true && options.propagationPolicy === undefined) {
    options.propagationPolicy = "Orphan";
  }
  if (query.get("orphanDependents") === "true" && options.propagationPolicy === undefined)
    options.propagationPolicy = "Orphan";
  if (
    options.gracePeriodSeconds !== undefined &&
    (!Number.isInteger(options.gracePeriodSeconds) || options.gracePeriodSeconds < 0)
  ) {
    throw badRequest(`invalid gracePeriodSeconds: ${String(options.gracePeriodSeconds)}`);
  }
  if (
    options.propagationPolicy !== undefined &&
    !["Background", "Foreground", "Orphan"].includes(options.propagationPolicy)
  ) {
    throw badRequest(
      `propagationPolicy: Unsupported value: "${String(options.propagationPolicy)}": supported values: "Foreground", "Background", "Orphan"`,
    );
  }
  return options;
}

/**
 * The propagation a DELETE request that names none gets. batch/v1 Jobs keep their default from
 * before the garbage collector, for compatibility: their pods are orphaned, as in Kubernetes
 * (kubectl always sends Background; an API client that sends nothing leaves the pods running).
 */
export function withDefaultPropagation(def: ResourceDef, options: DeleteOptions): DeleteOptions {
  if (options.propagationPolicy !== undefined || options.orphanDependents !== undefined) return options;
  const orphansByDefault = def.group === "batch" && def.version === "v1" && def.resource === "jobs";
  return orphansByDefault ? { ...options, propagationPolicy: "Orphan" } : options;
}

export function checkPreconditions(def: ResourceDef, current: KubeObject, options: DeleteOptions): void {
  const pre = options.preconditions;
  const who = { group: def.group, resource: def.resource, name: current.metadata.name };
  if (pre?.uid && pre.uid !== current.metadata.uid) {
    throw conflict(
      who,
      `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata.uid}`,
    );
  }
  if (pre?.resourceVersion && pre.resourceVersion !== current.metadata.resourceVersion) {
    throw conflict(
      who,
      `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion}`,
    );
  }
}

/** Pods bound to a node terminate gracefully: the node's daemon finishes the deletion. */
function podGracePeriod(def: ResourceDef, current: KubeObject, options: DeleteOptions): number {
  if (def.group !== "" || def.resource !== "pods") return 0;
  const spec = current.spec as { nodeName?: string; terminationGracePeriodSeconds?: number } | undefined;
  const phase = (current.status as { phase?: string } | undefined)?.phase;
  if (!spec?.nodeName || phase === "Succeeded" || phase === "Failed") return 0;
  return options.gracePeriodSeconds ?? spec.terminationGracePeriodSeconds ?? 30;
}

export function decideDelete(def: ResourceDef, current: KubeObject, options: DeleteOptions, now: Date): DeleteDecision {
  checkPreconditions(def, current, options);
  const meta = current.metadata;
  const finalizers = new Set(meta.finalizers ?? []);
  if (options.propagationPolicy === "Foreground") finalizers.add(FOREGROUND_FINALIZER);
  if (options.propagationPolicy === "Orphan") finalizers.add(ORPHAN_FINALIZER);
  const grace = podGracePeriod(def, current, options);

  if (meta.deletionTimestamp !== undefined) {
    // Already terminating: a shorter grace period (e.g. --force, 0) may finish it now.
    if (grace === 0 && finalizers.size === 0) return { action: "delete" };
    return { action: "none" };
  }
  if (finalizers.size === 0 && grace === 0) return { action: "delete" };

  const object = structuredClone(current);
  object.metadata.finalizers = [...finalizers];
  if (object.metadata.finalizers.length === 0) delete object.metadata.finalizers;
  object.metadata.deletionTimestamp = formatTimestamp(new Date(now.getTime() + grace * 1000));
  object.metadata.deletionGracePeriodSeconds = grace;
  // Kubernetes bumps generation when graceful deletion starts (for kinds that track it).
  if (meta.generation !== undefined) object.metadata.generation = meta.generation + 1;
  return { action: "update", object };
}

/** After an update, a terminating object with no finalizers left (and no grace to wait for) goes away. */
export function shouldFinishDeletion(object: KubeObject): boolean {
  const meta = object.metadata;
  // A Namespace also waits for its spec.finalizers (the namespace controller's "kubernetes").
  const spec = object.spec as { finalizers?: string[] } | undefined;
  const specFinalizers = object.kind === "Namespace" ? (spec?.finalizers ?? []) : [];
  return (
    meta.deletionTimestamp !== undefined &&
    (meta.finalizers ?? []).length === 0 &&
    specFinalizers.length === 0 &&
    !meta.deletionGracePeriodSeconds
  );
}
