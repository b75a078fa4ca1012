// One manifest of a Work in the member: applied (creating its namespace first), or deleted —
// and in both cases never a same-named object that the federation did not make, which is told
// apart by the managed-by annotation the federation puts on every manifest.
import { MANAGED_BY_ANNOTATION } from "../api/federation/types.ts";
import type { KubeObject } from "../api/types.ts";
import { ApiError } from "../node-daemon/api/errors.ts";
import type { MemberClient } from "./member-client.ts";
import type { ManifestOutcome } from "./work-status.ts";

/** A manifest the agent will not apply as it stands: reported on the Work, not retried sooner. */
export class ManifestError extends Error {}

const managedByOf = (object: KubeObject | undefined) => object?.metadata?.annotations?.[MANAGED_BY_ANNOTATION];

function checkShape(manifest: unknown): asserts manifest is KubeObject {
  const m = manifest as Partial<KubeObject> | null;
  if (typeof m !== "object" || m === null || !m.apiVersion || !m.kind || !m.metadata?.name)
    throw new ManifestError("a manifest needs apiVersion, kind and metadata.name");
  if (!managedByOf(m as KubeObject))
    throw new ManifestError(`the manifest carries no ${MANAGED_BY_ANNOTATION} annotation`);
}

export interface ApplyMemory {
  /** What was last applied at this slot (a fingerprint), so an unchanged manifest is only read. */
  get(): string | undefined;
  set(fingerprint: string | undefined): void;
}

/**
 * Applies `manifest` unless the member already holds exactly what was last applied; answers the
 * member's copy, or the reason it could not be applied. Only failures to reach the member are
 * thrown (the caller backs off and retries); everything the member or the agent refuses is an
 * outcome, so a bad manifest never stops the agent.
 */
export async function applyManifest(
  member: MemberClient,
  manifest: unknown,
  memory: ApplyMemory,
): Promise<ManifestOutcome> {
  const asObject = (manifest ?? {}) as KubeObject;
  try {
    checkShape(manifest);
    const located = await member.locate(manifest);
    if (typeof located === "string") throw new ManifestError(located);
    const { path, resource } = located;
    const existing = await member.get(path);
    if (existing && managedByOf(existing) !== managedByOf(manifest)) {
      throw new ManifestError(
        `${manifest.kind} ${manifest.metadata.name} already exists in the member and is not managed by this federation`,
      );
    }
    const fingerprint = JSON.stringify(manifest);
    if (existing && memory.get() === fingerprint) return { manifest, object: existing };
    if (!existing && resource.namespaced) await member.ensureNamespace(manifest.metadata.namespace ?? "");
    const object = await member.apply(path, manifest);
    memory.set(fingerprint);
    return { manifest, object };
  } catch (err) {
    if (err instanceof ManifestError || err instanceof ApiError) {
      memory.set(undefined);
      return { manifest: asObject, error: err.message };
    }
    throw err;
  }
}

/** Deletes the member's copy if it is the federation's; unknown kinds and foreign objects are left. */
export async function deleteManifest(member: MemberClient, manifest: unknown): Promise<void> {
  try {
    checkShape(manifest);
    const located = await member.locate(manifest);
    if (typeof located === "string") return;
    const existing = await member.get(located.path);
    if (existing && managedByOf(existing) === managedByOf(manifest)) await member.delete(located.path);
  } catch (err) {
    // Nothing of ours can exist for a manifest the agent never could apply.
    if (err instanceof ManifestError) return;
    throw err;
  }
}
