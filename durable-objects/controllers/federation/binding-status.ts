// What a binding reports: its conditions (Scheduled, FullyApplied), each member's copy
// (aggregatedStatus), and the members still holding a copy they should not (an annotation, so it
// survives restarts until those members answer).
import { setCondition } from "../../../api/controllers/common/conditions.ts";
import type { AggregatedStatusItem, Condition, ResourceBinding, TargetCluster } from "../../../api/federation/types.ts";
import type { ControllerContext } from "../framework.ts";

/** Members not yet cleaned (unreachable when their copy had to go); retried until they answer. */
const PENDING_REMOVAL = "federation.flotilla.dev/pending-removal";

export function scheduledTrue(ctx: ControllerContext): Condition {
  return {
    type: "Scheduled",
    status: "True",
    reason: "Success",
    message: "Binding has been scheduled successfully.",
    lastTransitionTime: ctx.now().toISOString(),
  };
}

/** Members a binding has reported on or still has to clean. */
function heldBy(binding: ResourceBinding): string[] {
  return [
    ...(binding.status?.aggregatedStatus ?? []).map((i) => i.clusterName),
    ...(binding.metadata.annotations?.[PENDING_REMOVAL]?.split(",").filter(Boolean) ?? []),
  ];
}

/** Members that hold a copy they should not (kept for now, removed once replacements are healthy). */
export function stale(binding: ResourceBinding, targets: TargetCluster[]): string[] {
  const wanted = new Set(targets.map((t) => t.name));
  return [...new Set(heldBy(binding))].filter((name) => !wanted.has(name)).sort();
}

/** Every member a binding places its resource on, reports on, or still has to clean. */
export function membersOf(binding: ResourceBinding): Set<string> {
  return new Set([...(binding.spec?.clusters ?? []).map((c) => c.name), ...heldBy(binding)]);
}

/** Writes a sync's outcome: the pending removals, FullyApplied and the members' reports. */
export function writeBindingStatus(
  ctx: ControllerContext,
  resource: string,
  binding: ResourceBinding,
  items: AggregatedStatusItem[],
  pending: string[],
): void {
  const annotations = { ...(binding.metadata.annotations ?? {}) };
  if (pending.length > 0) annotations[PENDING_REMOVAL] = pending.join(",");
  else delete annotations[PENDING_REMOVAL];
  const annotated = ctx.objects.update(resource, {
    ...binding,
    metadata: { ...binding.metadata, annotations },
  }) as ResourceBinding;
  const fullyApplied = items.length > 0 && items.every((i) => i.applied);
  const failures = items.filter((i) => !i.applied).map((i) => `${i.clusterName}: ${i.appliedMessage ?? "not applied"}`);
  const conditions = setCondition(annotated.status?.conditions, {
    type: "FullyApplied",
    status: fullyApplied ? "True" : "False",
    reason: fullyApplied ? "FullyAppliedSuccess" : "FullyAppliedFailed",
    message: fullyApplied
      ? "All works have been successfully applied"
      : failures.join("; ") || "no member cluster is scheduled",
    lastTransitionTime: ctx.now().toISOString(),
  });
  ctx.objects.updateStatus(resource, {
    ...annotated,
    status: { ...(annotated.status ?? {}), conditions, aggregatedStatus: items },
  });
}
