// PrepareForCreate as the generic registry runs it: decode checks, metadata defaults,
// the kind's strategy, then validation. Pure: no I/O, clock and uid are injected.
import { badRequest, invalid, type FieldError } from "../errors.ts";
import type { ResourceDef } from "../registry/types.ts";
import type { KubeObject } from "../types.ts";
import {
  formatTimestamp,
  generateNameSuffix,
  hasStatusSubresource,
  requireKindOf,
  tracksGeneration,
} from "./object-meta.ts";

export interface WriteContext {
  now: Date;
  newUid: () => string;
  random?: () => number;
}

export function prepareCreate(
  def: ResourceDef,
  body: unknown,
  namespace: string | undefined,
  ctx: WriteContext,
): KubeObject {
  const obj = requireKindOf(def, body);
  const meta = obj.metadata;
  if (def.namespaced) {
    if (meta.namespace !== undefined && meta.namespace !== "" && meta.namespace !== namespace) {
      throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
    }
    meta.namespace = namespace;
  } else {
    delete meta.namespace;
  }
  if (
    (meta.name === undefined || meta.name === "") &&
    typeof meta.generateName === "string" &&
    meta.generateName !== ""
  ) {
    // Kubernetes keeps generated names within 63 characters: at most 58 of prefix + 5 random.
    meta.name = meta.generateName.slice(0, 58) + generateNameSuffix(ctx.random);
  }
  if (typeof meta.name !== "string" || meta.name === "") {
    throw invalid(def.kind, def.group, "", [
      {
        field: "metadata.name",
        type: "FieldValueRequired",
        message: "Required value: name or generateName is required",
      },
    ]);
  }
  meta.uid = ctx.newUid();
  meta.creationTimestamp = formatTimestamp(ctx.now);
  if (tracksGeneration(def)) meta.generation = 1;
  else delete meta.generation;
  delete meta.resourceVersion;
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  delete meta.selfLink;
  if (hasStatusSubresource(def)) delete obj.status;
  def.strategy.prepareForCreate?.(obj);
  const errors: FieldError[] = [...(def.strategy.validate?.(obj) ?? []), ...(def.strategy.validateCreate?.(obj) ?? [])];
  if (errors.length > 0) throw invalid(def.kind, def.group, meta.name, errors);
  return obj;
}
