// Taints and tolerations: which toleration tolerates which taint (core/v1 semantics).
import { asArray, asString, isRecord } from "../validation/shape.ts";
import type { Taint, Toleration } from "./types.ts";

/** An empty effect tolerates every effect; an empty key with Exists tolerates every key. */
export function tolerates(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  const operator = toleration.operator || "Equal";
  if (!toleration.key) return operator === "Exists";
  if (toleration.key !== taint.key) return false;
  if (operator === "Exists") return true;
  return operator === "Equal" && (toleration.value ?? "") === taint.value;
}

export const toleratedBy = (tolerations: readonly Toleration[], taint: Taint) =>
  tolerations.some((t) => tolerates(t, taint));

/** The first taint with one of `effects` that no toleration tolerates. */
export function firstUntolerated(
  taints: readonly Taint[],
  tolerations: readonly Toleration[],
  effects: ReadonlySet<string>,
): Taint | undefined {
  for (const taint of taints) {
    if (effects.has(taint.effect) && !toleratedBy(tolerations, taint)) return taint;
  }
  return undefined;
}

export function parseTaints(value: unknown): Taint[] {
  const taints: Taint[] = [];
  for (const raw of asArray(value)) {
    if (!isRecord(raw)) continue;
    const taint: Taint = { key: asString(raw.key), value: asString(raw.value), effect: asString(raw.effect) };
    if (typeof raw.timeAdded === "string") taint.timeAdded = raw.timeAdded;
    taints.push(taint);
  }
  return taints;
}

export function parseTolerations(value: unknown): Toleration[] {
  const out: Toleration[] = [];
  for (const raw of asArray(value)) {
    if (!isRecord(raw)) continue;
    const t: Toleration = {};
    if (typeof raw.key === "string" && raw.key !== "") t.key = raw.key;
    if (typeof raw.operator === "string" && raw.operator !== "") t.operator = raw.operator;
    if (typeof raw.value === "string") t.value = raw.value;
    if (typeof raw.effect === "string" && raw.effect !== "") t.effect = raw.effect;
    if (typeof raw.tolerationSeconds === "number") t.tolerationSeconds = raw.tolerationSeconds;
    out.push(t);
  }
  return out;
}

/** kube's rendering of a taint in messages: `{key: value}`. */
export const formatTaint = (taint: Taint) => `{${taint.key}: ${taint.value}}`;
