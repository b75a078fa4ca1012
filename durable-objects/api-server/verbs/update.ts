// PUT and PATCH on the main resource, /status, /scale and pods/ephemeralcontainers. Both end in prepareUpdate,
// so a patch obeys exactly the rules of an update.
import { unsupportedMediaType } from "../../../api/errors.ts";
import { prepareUpdate, updateTargetOf } from "../../../api/lifecycle/update.ts";
import { applyJsonPatch } from "../../../api/patch/json-patch.ts";
import { applyMergePatch } from "../../../api/patch/merge-patch.ts";
import { applyStrategicMergePatch } from "../../../api/patch/strategic-merge-patch.ts";
import type { KubeObject } from "../../../api/types.ts";
import { readBody, type BodyKind } from "../body.ts";
import { fieldValidationOf, validateFields } from "../../../api/request/field-validation.ts";
import { json, jsonText, withWarnings } from "../respond.ts";
import { isDryRun, parseObject, type VerbRequest } from "../verb-request.ts";
import { commitUpdate, committedValue } from "./commit.ts";
import { readExisting } from "./get.ts";
import { applyScale, scaleOf } from "./scale.ts";
import { applyObject } from "./apply.ts";
import { recordWrite } from "./field-manager.ts";
import { deepEqual } from "../../../api/lifecycle/object-meta.ts";

const PATCH_KINDS: BodyKind[] = ["json-patch", "merge-patch", "strategic-merge-patch", "apply-patch"];

export function applyPatch(kind: BodyKind, target: unknown, patch: unknown): unknown {
  switch (kind) {
    case "json-patch":
      return applyJsonPatch(target, patch);
    case "merge-patch":
      return applyMergePatch(target, patch);
    case "strategic-merge-patch":
      return applyStrategicMergePatch(target, patch);
    default:
      // Server-side apply (the apply-patch media type) is served by applyObject, not as a patch.
      throw unsupportedMediaType("application/apply-patch+yaml");
  }
}

export async function updateObject(v: VerbRequest): Promise<Response> {
  const dryRun = isDryRun(v.query);
  const { value } = await readBody(v.request, ["json", "yaml", "protobuf"]);
  return writeNewVersion(v, dryRun, () => value);
}

export async function patchObject(v: VerbRequest): Promise<Response> {
  const dryRun = isDryRun(v.query);
  const { kind, value } = await readBody(v.request, PATCH_KINDS);
  if (kind === "apply-patch") return applyObject(v, dryRun, value);
  return writeNewVersion(v, dryRun, (current) => applyPatch(kind, current, value));
}

/** Reads the current object, derives the new body (`next`), and commits it under the update rules. */
async function writeNewVersion(
  v: VerbRequest,
  dryRun: boolean,
  next: (current: unknown) => unknown,
): Promise<Response> {
  const row = await readExisting(v);
  const old = parseObject(row.value);
  if (v.subresource === "scale") {
    const scale = next(scaleOf(v.def, old));
    const { object } = prepareUpdate(v.def, applyScale(v.def, old, scale), old, "main");
    recordWrite(v, old, object);
    if (deepEqual(object, old)) return json(scaleOf(v.def, old));
    if (dryRun) return json(scaleOf(v.def, object));
    const event = commitUpdate(v, object, old);
    return json(scaleOf(v.def, parseObject(await committedValue(v.rt, event))));
  }
  const body = next(structuredClone(old)) as KubeObject;
  const warnings = validateFields(v.def, body, fieldValidationOf(v.query));
  const { object } = prepareUpdate(v.def, body, old, updateTargetOf(v.subresource));
  if (v.subresource !== "status") v.rt.admit?.(v.def, object, old);
  recordWrite(v, old, object);
  if (deepEqual(object, old)) return withWarnings(jsonText(row.value), warnings);
  if (dryRun) return withWarnings(json(object), warnings);
  const event = commitUpdate(v, object, old);
  return withWarnings(jsonText(await committedValue(v.rt, event)), warnings);
}
