// Karmada's events on a template (what `kubectl describe` shows): where it was scheduled, or why
// not; which members got their copy, or why not. Recorded when something changed, never per poll.
import type { AggregatedStatusItem, ResourceBinding, TargetCluster } from "../../../api/federation/types.ts";
import type { KubeObject } from "../../../api/types.ts";
import type { ControllerContext } from "../framework.ts";

export function recordScheduling(
  ctx: ControllerContext,
  template: KubeObject,
  before: ResourceBinding | undefined,
  failure: string | undefined,
  placed: TargetCluster[] | undefined,
): void {
  if (failure !== undefined) {
    const was = before?.status?.conditions?.find((c) => c.type === "Scheduled");
    if (was?.status !== "False" || was.message !== failure)
      ctx.recordEvent(template, "Warning", "ScheduleBindingFailed", failure);
    return;
  }
  if (!placed) return;
  const result = placed.map((c) => (c.replicas !== undefined ? `${c.name}:${c.replicas}` : c.name)).join(", ");
  ctx.recordEvent(
    template,
    "Normal",
    "ScheduleBindingSucceed",
    `Binding has been scheduled successfully. Result: {${result}}`,
  );
}

/** Members whose copy was applied, or failed, since the binding's last report. */
export function recordSync(
  ctx: ControllerContext,
  template: KubeObject,
  binding: ResourceBinding,
  items: AggregatedStatusItem[],
): void {
  const previous = new Map((binding.status?.aggregatedStatus ?? []).map((i) => [i.clusterName, i]));
  const what = `${template.kind}(${template.metadata.namespace}/${template.metadata.name})`;
  for (const item of items) {
    const was = previous.get(item.clusterName);
    if (item.applied && !was?.applied)
      ctx.recordEvent(
        template,
        "Normal",
        "SyncSucceed",
        `Successfully applied resource ${what} to cluster ${item.clusterName}`,
      );
    if (!item.applied && (was?.applied !== false || was.appliedMessage !== item.appliedMessage))
      ctx.recordEvent(
        template,
        "Warning",
        "SyncFailed",
        `Failed to apply resource ${what} to cluster ${item.clusterName}: ${item.appliedMessage ?? "unknown error"}`,
      );
  }
}
