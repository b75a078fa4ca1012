// Moving from client-side to server-side apply with kubectl's own manager name ("kubectl"): the
// fields recorded in the last-applied-configuration annotation may be taken over without a
// conflict (as long as the live object still has the values recorded there), and an apply by
// "kubectl" keeps that annotation up to date, so going back to client-side apply works too.
import { isObject, type KubeObject } from "../types.ts";
import { compare } from "./compare.ts";
import { fieldSetOf } from "./field-set-of.ts";
import { emptySet, intersection, isEmpty, union, type FieldSet } from "./fieldset.ts";
import type { FieldShape } from "./schema.ts";
import { lenient } from "./values.ts";

export const LAST_APPLIED_ANNOTATION = "kubectl.kubernetes.io/last-applied-configuration";
/** The manager name whose applies take part in the client-side/server-side handover. */
export const KUBECTL_MANAGER = "kubectl";

function lastAppliedOf(obj: KubeObject | undefined): Record<string, unknown> | undefined {
  const text = obj?.metadata.annotations?.[LAST_APPLIED_ANNOTATION];
  if (typeof text !== "string" || text === "") return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Fields of the last-applied configuration, when every one of them still has that value live. */
export function fieldsFromLastApplied(live: KubeObject | undefined, shape: FieldShape): FieldSet {
  const lastApplied = lastAppliedOf(live);
  if (!lastApplied || !live) return emptySet();
  const fields = fieldSetOf(lastApplied, shape, lenient);
  const diff = compare(lastApplied, live, shape);
  if (!isEmpty(intersection(fields, union(diff.modified, diff.removed)))) return emptySet();
  return fields;
}

/** Sorted-key JSON with a trailing newline: how the annotation is written. */
function canonicalJson(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (!isObject(v)) return v;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(v).sort()) out[key] = sort(v[key]);
    return out;
  };
  return JSON.stringify(sort(value)) + "\n";
}

/** After an apply by "kubectl": an existing annotation is rewritten to the applied configuration. */
export function syncLastApplied(
  object: KubeObject,
  live: KubeObject | undefined,
  config: Record<string, unknown>,
): void {
  if (!lastAppliedOf(live)) return;
  const recorded = structuredClone(config);
  const meta = recorded.metadata;
  if (isObject(meta) && isObject(meta.annotations)) delete meta.annotations[LAST_APPLIED_ANNOTATION];
  object.metadata.annotations = { ...object.metadata.annotations, [LAST_APPLIED_ANNOTATION]: canonicalJson(recorded) };
}
