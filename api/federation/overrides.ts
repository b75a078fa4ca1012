// Karmada's OverridePolicy overriders: how the template is changed for one member cluster before
// it is applied there. Pure: a new object comes back, and a rule that cannot apply (a missing
// path, a malformed pointer) is an error result the controller reports on the binding, never a
// throw that would take the reconcile loop down.
import { StatusError } from "../errors.ts";
import { applyJsonPatch } from "../patch/json-patch.ts";
import { lookup, parsePointer, setOwn } from "../patch/pointer.ts";
import { isObject, type KubeObject } from "../types.ts";
import { matchesAffinity } from "./affinity-match.ts";
import type {
  CommandArgsOverrider,
  ImageOverrider,
  LabelAnnotationOverrider,
  MemberCluster,
  OverridePolicy,
  Overriders,
  PlaintextOverrider,
} from "./types.ts";

export type OverrideResult = { ok: true; object: KubeObject; applied: string[] } | { ok: false; message: string };

/** Raised inside this module only; applyOverrides turns it into an error result. */
class OverrideError extends Error {}

// ---------------------------------------------------------------------------
// Image references.

export interface ImageReference {
  registry: string;
  repository: string;
  tag: string;
  digest: string;
}

/**
 * Splits `registry/repository:tag@digest`. The first path component is a registry only when it
 * looks like a host (has a '.' or ':' or is "localhost"), so `library/nginx` stays a repository.
 */
export function parseImage(image: string): ImageReference {
  const at = image.indexOf("@");
  const digest = at >= 0 ? image.slice(at + 1) : "";
  const named = at >= 0 ? image.slice(0, at) : image;
  const slash = named.indexOf("/");
  const first = slash >= 0 ? named.slice(0, slash) : "";
  const hasRegistry = slash >= 0 && (/[.:]/.test(first) || first === "localhost");
  const registry = hasRegistry ? first : "";
  const rest = hasRegistry ? named.slice(slash + 1) : named;
  // With the registry (and its port) gone, a ':' can only start the tag.
  const colon = rest.lastIndexOf(":");
  const repository = colon >= 0 ? rest.slice(0, colon) : rest;
  const tag = colon >= 0 ? rest.slice(colon + 1) : "";
  return { registry, repository, tag, digest };
}

export function formatImage(ref: ImageReference): string {
  let image = ref.registry ? `${ref.registry}/${ref.repository}` : ref.repository;
  if (ref.tag) image += `:${ref.tag}`;
  if (ref.digest) image += `@${ref.digest}`;
  return image;
}

const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[0-9a-fA-F]{32,}$/;

/** One image overrider applied to one image string. */
export function overrideImage(image: string, overrider: ImageOverrider): string {
  const ref = parseImage(image);
  const value = overrider.value ?? "";
  switch (overrider.component) {
    case "Registry":
      // "add" appends to the registry (e.g. a mirror suffix), as Karmada does.
      ref.registry =
        overrider.operator === "add" ? ref.registry + value : overrider.operator === "replace" ? value : "";
      break;
    case "Repository":
      ref.repository =
        overrider.operator === "add" ? ref.repository + value : overrider.operator === "replace" ? value : "";
      if (ref.repository === "")
        throw new OverrideError(`removing the Repository of ${JSON.stringify(image)} leaves no image`);
      break;
    case "Tag":
      // A tag and a digest both pin a version; setting one drops the other so they cannot disagree.
      if (overrider.operator === "remove") {
        ref.tag = "";
        ref.digest = "";
      } else if (DIGEST.test(value)) {
        ref.tag = "";
        ref.digest = value;
      } else {
        ref.tag = value;
        ref.digest = "";
      }
      break;
    default:
      throw new OverrideError(`unknown image component ${JSON.stringify(overrider.component)}`);
  }
  return formatImage(ref);
}

// ---------------------------------------------------------------------------
// Pod templates.

const TEMPLATE_SPEC = ["spec", "template", "spec"];

/** Where each workload kind keeps its PodSpec. */
const POD_SPEC_PATHS: Record<string, string[]> = {
  Pod: ["spec"],
  Deployment: TEMPLATE_SPEC,
  StatefulSet: TEMPLATE_SPEC,
  DaemonSet: TEMPLATE_SPEC,
  ReplicaSet: TEMPLATE_SPEC,
  Job: TEMPLATE_SPEC,
  CronJob: ["spec", "jobTemplate", "spec", "template", "spec"],
};

/** The containers of the object's PodSpec (regular and init), or none for other kinds. */
function podContainers(object: KubeObject): Record<string, unknown>[] {
  const path = Object.hasOwn(POD_SPEC_PATHS, object.kind ?? "") ? POD_SPEC_PATHS[object.kind!]! : undefined;
  if (!path) return [];
  const spec = lookup(object, path);
  if (!spec.found || !isObject(spec.value)) return [];
  const podSpec = spec.value;
  return ["initContainers", "containers"].flatMap((field) => {
    const list = podSpec[field];
    return Array.isArray(list) ? list.filter(isObject) : [];
  });
}

function applyImageOverrider(object: KubeObject, overrider: ImageOverrider): void {
  if (overrider.predicate) {
    const path = overrider.predicate.path;
    const tokens = parsePointer(path);
    const parent = lookup(object, tokens.slice(0, -1));
    const found = lookup(object, tokens);
    if (!found.found || typeof found.value !== "string" || tokens.length === 0 || !parent.found)
      throw new OverrideError(`predicate path ${JSON.stringify(path)} is not an image string in the object`);
    const container = parent.value as Record<string, unknown> | unknown[];
    const key = tokens.at(-1)!;
    const next = overrideImage(found.value, overrider);
    if (Array.isArray(container)) container[Number(key)] = next;
    else setOwn(container, key, next);
    return;
  }
  for (const container of podContainers(object)) {
    if (typeof container.image === "string") container.image = overrideImage(container.image, overrider);
  }
}

/** commandOverrider / argsOverrider: "add" appends, "remove" drops every listed value. */
function applyCommandArgsOverrider(object: KubeObject, field: "command" | "args", overrider: CommandArgsOverrider) {
  const values = overrider.value ?? [];
  for (const container of podContainers(object)) {
    if (container.name !== overrider.containerName) continue;
    const current = Array.isArray(container[field]) ? (container[field] as unknown[]) : undefined;
    if (overrider.operator === "add") {
      container[field] = [...(current ?? []), ...values];
    } else if (overrider.operator === "remove") {
      if (current) container[field] = current.filter((item) => !values.includes(item as string));
    } else {
      throw new OverrideError(`unknown operator ${JSON.stringify(overrider.operator)}`);
    }
  }
}

/**
 * labelsOverrider / annotationsOverrider on the object's own metadata: "add" sets each key,
 * "replace" changes only keys already there, "remove" deletes the listed keys (values ignored).
 */
function applyMapOverrider(object: KubeObject, field: "labels" | "annotations", overrider: LabelAnnotationOverrider) {
  const existing = object.metadata[field];
  const map: Record<string, string> = isObject(existing) ? { ...(existing as Record<string, string>) } : {};
  for (const [key, value] of Object.entries(overrider.value ?? {})) {
    const present = Object.hasOwn(map, key);
    if (overrider.operator === "add" || (overrider.operator === "replace" && present)) setOwn(map, key, value);
    else if (overrider.operator === "remove" && present) delete map[key];
    else if (overrider.operator !== "replace" && overrider.operator !== "remove")
      throw new OverrideError(`unknown operator ${JSON.stringify(overrider.operator)}`);
  }
  if (existing !== undefined || Object.keys(map).length > 0) object.metadata[field] = map;
}

/** plaintext: one RFC 6902 operation, with the JSON patch implementation's own errors. */
function applyPlaintext(object: KubeObject, overrider: PlaintextOverrider): KubeObject {
  const { path, operator } = overrider;
  if (operator !== "add" && operator !== "replace" && operator !== "remove")
    throw new OverrideError(`unknown operator ${JSON.stringify(operator)}`);
  if (operator !== "remove" && overrider.value === undefined)
    throw new OverrideError(`${operator} of ${JSON.stringify(path)} needs a value`);
  const op = operator === "remove" ? { op: operator, path } : { op: operator, path, value: overrider.value };
  const patched = applyJsonPatch(object, [op]);
  if (!isObject(patched) || !isObject(patched.metadata))
    throw new OverrideError(`${operator} of ${JSON.stringify(path)} leaves an object without metadata`);
  return patched as KubeObject;
}

/** Runs `fn` for each overrider, naming the failing one (e.g. "plaintext[1]") in any error. */
function each<T>(list: readonly T[] | undefined, name: string, fn: (item: T) => void): void {
  for (const [i, item] of (list ?? []).entries()) {
    try {
      fn(item);
    } catch (err) {
      throw new OverrideError(`${name}[${i}]: ${messageOf(err)}`);
    }
  }
}

/** Overriders in Karmada's order; plaintext last, so it can fix up anything before it. */
function applyOverriders(object: KubeObject, overriders: Overriders): KubeObject {
  each(overriders.imageOverrider, "imageOverrider", (o) => applyImageOverrider(object, o));
  each(overriders.commandOverrider, "commandOverrider", (o) => applyCommandArgsOverrider(object, "command", o));
  each(overriders.argsOverrider, "argsOverrider", (o) => applyCommandArgsOverrider(object, "args", o));
  each(overriders.labelsOverrider, "labelsOverrider", (o) => applyMapOverrider(object, "labels", o));
  each(overriders.annotationsOverrider, "annotationsOverrider", (o) => applyMapOverrider(object, "annotations", o));
  let result = object;
  each(overriders.plaintext, "plaintext", (o) => (result = applyPlaintext(result, o)));
  return result;
}

const messageOf = (err: unknown): string =>
  err instanceof StatusError || err instanceof Error ? err.message : String(err);

/** How `applied` names a policy: cluster-scoped ones by name, namespaced ones as namespace/name. */
const policyKey = (policy: OverridePolicy): string =>
  policy.metadata.namespace ? `${policy.metadata.namespace}/${policy.metadata.name}` : (policy.metadata.name ?? "");

/**
 * The template as it should be applied to `cluster`. `policies` are applied in the order given —
 * pass matchingOverridePolicies' result, which puts them in Karmada's order. `applied` names the
 * policies that had at least one rule for this cluster, in order.
 */
export function applyOverrides(
  object: KubeObject,
  cluster: MemberCluster,
  policies: readonly OverridePolicy[],
): OverrideResult {
  let result = structuredClone(object);
  const applied: string[] = [];
  for (const policy of policies) {
    let matched = false;
    for (const [i, rule] of (policy.spec?.overrideRules ?? []).entries()) {
      if (rule.targetCluster && !matchesAffinity(cluster, rule.targetCluster)) continue;
      matched = true;
      try {
        result = applyOverriders(result, rule.overriders ?? {});
      } catch (err) {
        const where = `${policy.kind ?? "OverridePolicy"} ${policyKey(policy)}: overrideRules[${i}]`;
        return { ok: false, message: `${where}: ${messageOf(err)}` };
      }
    }
    if (matched) applied.push(policyKey(policy));
  }
  return { ok: true, object: result, applied };
}
