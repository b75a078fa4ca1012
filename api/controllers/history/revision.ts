// Revision data and identity. `data` is the parent's template as a strategic merge patch that
// replaces it ({"spec":{"template":{…,"$patch":"replace"}}}): `kubectl rollout undo` sends it
// back to the parent as is, and `kubectl rollout history --revision` applies it client-side.
// Names are `<parent>-<hash>`; equal data means the same revision.
import { canonical, computePodTemplateHash } from "../common/template-hash.ts";
import { isObject } from "../../types.ts";
import type { ControllerRevision } from "./types.ts";

export interface TemplatePatch {
  spec: { template: Record<string, unknown> };
}

/** The revision data for a pod template. */
export function templatePatch(template: unknown): TemplatePatch {
  const copy = isObject(template) ? structuredClone(template) : {};
  return { spec: { template: { ...copy, $patch: "replace" } } };
}

/** The pod template a revision records (undefined for data this controller did not write). */
export function templateOfRevision(revision: ControllerRevision): Record<string, unknown> | undefined {
  const data = revision.data;
  if (!isObject(data) || !isObject(data.spec) || !isObject(data.spec.template)) return undefined;
  const { $patch: _directive, ...template } = data.spec.template;
  return structuredClone(template);
}

/** Same revision content (key order, nulls and empty lists do not count). */
export const sameData = (a: unknown, b: unknown): boolean =>
  JSON.stringify(canonical(a) ?? null) === JSON.stringify(canonical(b) ?? null);

/**
 * A short hash of revision data (or of a template), with a collision count for the next
 * candidate name: FNV-1a 32 spelled in the safe alphabet, as pod-template-hash.
 */
export const revisionHash = (data: unknown, collisionCount?: number): string =>
  computePodTemplateHash(data, collisionCount);

/** `<parent>-<hash>`, the parent name cut so the result stays a valid name. */
export const revisionName = (parent: string, hash: string): string => `${parent.slice(0, 223)}-${hash}`;

const createdAt = (r: ControllerRevision) => Date.parse(r.metadata.creationTimestamp ?? "") || 0;

/** Lowest revision first; ties oldest first, then by name. */
export function byRevision(a: ControllerRevision, b: ControllerRevision): number {
  const diff = (a.revision ?? 0) - (b.revision ?? 0) || createdAt(a) - createdAt(b);
  if (diff !== 0) return diff;
  const [na, nb] = [a.metadata.name ?? "", b.metadata.name ?? ""];
  return na < nb ? -1 : na > nb ? 1 : 0;
}

export const nextRevisionNumber = (revisions: readonly ControllerRevision[]): number =>
  Math.max(0, ...revisions.map((r) => r.revision ?? 0)) + 1;
