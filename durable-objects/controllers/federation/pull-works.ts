// Pull-mode members: the federation cannot call them, so it writes what each is to run as a
// Work in the template's namespace; the member's agent applies it, reports status on the Work,
// and removes the copy (then the Work's finalizer) when the Work is deleted.
import {
  AGENT_CLEANUP_FINALIZER,
  WORK_BINDING_LABEL,
  WORK_CLUSTER_LABEL,
  WORKS,
  type AggregatedStatusItem,
  type ResourceBinding,
  type Work,
} from "../../../api/federation/types.ts";
import type { KubeObject } from "../../../api/types.ts";
import type { ControllerContext } from "../framework.ts";

export const workName = (binding: ResourceBinding, cluster: string) => `${binding.metadata.name ?? ""}.${cluster}`;

/** On a Work: the template key it was made from (its changes wake that template's pass). */
export const WORK_TEMPLATE_ANNOTATION = "federation.flotilla.dev/template";

/** Writes (or rewrites) the member's Work; answers the copy's state as its agent last reported it. */
export function applyByWork(
  ctx: ControllerContext,
  binding: ResourceBinding,
  clusterName: string,
  manifest: KubeObject,
  templateKey: string,
): AggregatedStatusItem {
  const name = workName(binding, clusterName);
  const spec = { workload: { manifests: [manifest] } };
  const current = ctx.objects.get(WORKS, name) as Work | undefined;
  if (current?.metadata.deletionTimestamp) {
    return { clusterName, applied: false, appliedMessage: "the previous Work is being removed", health: "Unknown" };
  }
  if (!current) {
    ctx.objects.create(WORKS, {
      apiVersion: "work.karmada.io/v1alpha1",
      kind: "Work",
      metadata: {
        name,
        labels: { [WORK_CLUSTER_LABEL]: clusterName, [WORK_BINDING_LABEL]: binding.metadata.name ?? "" },
        annotations: { [WORK_TEMPLATE_ANNOTATION]: templateKey },
        finalizers: [AGENT_CLEANUP_FINALIZER],
      },
      spec,
    });
    return waiting(clusterName);
  }
  if (JSON.stringify(current.spec) !== JSON.stringify(spec)) {
    // A new spec: the old report no longer says anything about it.
    const updated = ctx.objects.update(WORKS, { ...current, spec });
    ctx.objects.updateStatus(WORKS, { ...updated, status: {} });
    return waiting(clusterName);
  }
  const applied = current.status?.conditions?.find((c) => c.type === "Applied");
  if (!applied) return waiting(clusterName);
  const manifestStatus = current.status?.manifestStatuses?.[0];
  return {
    clusterName,
    applied: applied.status === "True",
    ...(applied.status === "True" ? {} : { appliedMessage: applied.message ?? "the agent could not apply it" }),
    ...(manifestStatus?.status ? { status: manifestStatus.status } : {}),
    health: manifestStatus?.health ?? "Unknown",
  };
}

/** Asks the agent to remove the copy; true once the Work (and so the copy) is gone. */
export function removeByWork(ctx: ControllerContext, binding: ResourceBinding, clusterName: string): boolean {
  const name = workName(binding, clusterName);
  if (!ctx.objects.get(WORKS, name)) return true;
  ctx.objects.delete(WORKS, name);
  return ctx.objects.get(WORKS, name) === undefined;
}

const waiting = (clusterName: string): AggregatedStatusItem => ({
  clusterName,
  applied: false,
  appliedMessage: "waiting for the member's agent",
  health: "Unknown",
});
