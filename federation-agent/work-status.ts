// A Work's status from what the agent found applying it, as Karmada's execution and work-status
// controllers write it: one `Applied` condition for the whole Work, and per manifest its
// identifier, the member copy's reflected status and health. Pure, so the sync loop can compare
// what it would write with what is there and write only changes.
import { memberHealth, reflectStatus } from "../api/federation/aggregate-status.ts";
import type { Condition, ManifestStatus, Work } from "../api/federation/types.ts";
import type { KubeObject } from "../api/types.ts";
import { formatTime } from "../node-daemon/clock.ts";
import { parseApiVersion } from "./resource-path.ts";

export type WorkStatus = NonNullable<Work["status"]>;

/** What became of one manifest: the member's copy as read back, or why there is none. */
export type ManifestOutcome = { manifest: KubeObject; object: KubeObject } | { manifest: KubeObject; error: string };

/** Karmada's condition type and reasons. */
export const APPLIED = "Applied";
const APPLIED_OK = "Manifest has been successfully applied";

export function manifestIdentifier(manifest: KubeObject, ordinal: number): ManifestStatus["identifier"] {
  const { group, version } = parseApiVersion(manifest.apiVersion ?? "");
  return {
    group,
    version,
    kind: manifest.kind ?? "",
    ...(manifest.metadata?.namespace ? { namespace: manifest.metadata.namespace } : {}),
    name: manifest.metadata?.name ?? "",
    ordinal,
  };
}

const describe = (manifest: KubeObject) =>
  `${manifest.kind ?? "object"} ${manifest.metadata?.namespace ? `${manifest.metadata.namespace}/` : ""}${manifest.metadata?.name ?? ""}`;

export function workStatus(
  previous: Work["status"],
  outcomes: readonly ManifestOutcome[],
  now: number,
  generation?: number,
): WorkStatus {
  const failures = outcomes.flatMap((o) => ("error" in o ? [`${describe(o.manifest)}: ${o.error}`] : []));
  const ok = failures.length === 0;
  const before = previous?.conditions?.find((c) => c.type === APPLIED);
  const status = ok ? "True" : "False";
  const applied: Condition = {
    type: APPLIED,
    status,
    reason: ok ? "AppliedSuccessful" : "AppliedFailed",
    message: ok
      ? APPLIED_OK
      : `Failed to apply all manifests (${failures.length}/${outcomes.length}): ${failures.join("; ")}`,
    // Kept while the status holds, so it says when the Work last started or stopped applying.
    lastTransitionTime:
      before?.status === status && before.lastTransitionTime ? before.lastTransitionTime : formatTime(now),
    ...(generation !== undefined ? { observedGeneration: generation } : {}),
  };
  const manifestStatuses = outcomes.map((outcome, ordinal): ManifestStatus => {
    const identifier = manifestIdentifier(outcome.manifest, ordinal);
    if ("error" in outcome) return { identifier, health: "Unknown" };
    const reflected = reflectStatus(identifier.kind, outcome.object);
    return {
      identifier,
      ...(reflected ? { status: reflected } : {}),
      health: memberHealth(identifier.kind, outcome.object),
    };
  });
  const others = (previous?.conditions ?? []).filter((c) => c.type !== APPLIED);
  return { conditions: [...others, applied], manifestStatuses };
}

/** Equal as JSON, whatever the order of object keys (the server may reorder them). */
export function sameStatus(a: unknown, b: unknown): boolean {
  return canonical(a ?? {}) === canonical(b ?? {});
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** When to read the member copies again: soon while something is not yet applied and healthy. */
export function recheckDelay(status: WorkStatus, periods: { settlingMs: number; steadyMs: number }): number {
  const applied = status.conditions?.find((c) => c.type === APPLIED)?.status === "True";
  const healthy = (status.manifestStatuses ?? []).every((m) => m.health === "Healthy");
  return applied && healthy ? periods.steadyMs : periods.settlingMs;
}
