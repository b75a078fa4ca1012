// The pod-template-hash: a short, stable name for a pod template (Deployment → ReplicaSet
// names and the `pod-template-hash` label), and template equality that ignores that label.
// Like Kubernetes: a 32-bit FNV-1a over the template (plus the collision count when set),
// its decimal digits spelled in the "safe" alphabet (no vowels, no look-alike characters).
import { isObject } from "../../types.ts";
import { POD_TEMPLATE_HASH_LABEL } from "./types.ts";

const SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
/** Fields that are maps in Go: an empty map equals an absent one. */
const MAP_FIELDS = new Set(["labels", "annotations", "nodeSelector"]);

/**
 * A canonical form for comparing and hashing: sorted keys, no nulls, no empty lists, no
 * empty label/annotation maps (Kubernetes' semantic equality treats nil and empty alike).
 */
export function canonical(value: unknown, key = ""): unknown {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) {
    if (value.length === 0) return undefined;
    return value.map((item) => canonical(item) ?? null);
  }
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value).sort()) {
    const v = canonical(value[k], k);
    if (v !== undefined) out[k] = v;
  }
  if (MAP_FIELDS.has(key) && Object.keys(out).length === 0) return undefined;
  return out;
}

/** A template with its pod-template-hash label removed (the caller's object is untouched). */
export function withoutHashLabel(template: unknown): unknown {
  if (!isObject(template) || !isObject(template.metadata)) return template;
  const labels = template.metadata.labels;
  if (!isObject(labels) || !(POD_TEMPLATE_HASH_LABEL in labels)) return template;
  const { [POD_TEMPLATE_HASH_LABEL]: _hash, ...rest } = labels;
  return { ...template, metadata: { ...template.metadata, labels: rest } };
}

/** Equal as pod templates, ignoring the pod-template-hash label. */
export function templatesEqualIgnoringHash(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(withoutHashLabel(a))) === JSON.stringify(canonical(withoutHashLabel(b)));
}

function fnv1a32(bytes: Uint8Array, seed = 0x811c9dc5): number {
  let hash = seed;
  for (const byte of bytes) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** Each character mapped into the safe alphabet, as Kubernetes' SafeEncodeString. */
export function safeEncode(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) out += SAFE_ALPHABET[text.charCodeAt(i) % SAFE_ALPHABET.length];
  return out;
}

/** The pod-template-hash of a template; a collision count gives the next candidate name. */
export function computePodTemplateHash(template: unknown, collisionCount?: number): string {
  const text = JSON.stringify(canonical(withoutHashLabel(template)) ?? {});
  let hash = fnv1a32(new TextEncoder().encode(text));
  if (collisionCount !== undefined && collisionCount !== null) {
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setUint32(0, collisionCount >>> 0, true);
    hash = fnv1a32(bytes, hash);
  }
  return safeEncode(String(hash));
}
