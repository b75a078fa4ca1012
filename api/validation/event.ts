// Events: core/v1 (the legacy shape kubectl describe reads) and events.k8s.io/v1.
import type { FieldError } from "../errors.ts";
import type { KubeObject } from "../types.ts";
import { invalidValue, notSupported, required, tooLong } from "./field.ts";
import { asString, byteLength, isRecord } from "./shape.ts";

const EVENT_TYPES = ["Normal", "Warning"];
const NOTE_MAX = 1024;
const REASON_MAX = 128;

/** The involved object lives in the event's namespace, or is cluster-scoped. */
export function validateCoreEvent(event: KubeObject): FieldError[] {
  const involved = isRecord(event.involvedObject) ? event.involvedObject : {};
  const errors: FieldError[] = [];
  const namespace = asString(involved.namespace);
  if (namespace !== "" && namespace !== asString(event.metadata.namespace)) {
    errors.push(invalidValue("involvedObject.namespace", namespace, "does not match event.namespace"));
  }
  const type = asString(event.type);
  // Old-style events (no reporting component) predate the Normal/Warning rule and are let through.
  if (type !== "" && !EVENT_TYPES.includes(type) && asString(event.reportingComponent) !== "") {
    errors.push(notSupported("type", type, EVENT_TYPES));
  }
  return errors;
}

/** events.k8s.io events must say who reported what, when, and keep their text short. */
export function validateEventsV1Event(event: KubeObject): FieldError[] {
  const errors: FieldError[] = [];
  for (const field of ["eventTime", "reportingController", "reportingInstance", "action", "reason"] as const) {
    if (asString(event[field]) === "") errors.push(required(field));
  }
  const type = asString(event.type);
  if (!EVENT_TYPES.includes(type)) errors.push(notSupported("type", type, EVENT_TYPES));
  if (byteLength(asString(event.note)) > NOTE_MAX) errors.push(tooLong("note", NOTE_MAX));
  for (const field of ["reason", "action"] as const) {
    if (asString(event[field]).length > REASON_MAX) errors.push(tooLong(field, REASON_MAX));
  }
  const regarding = isRecord(event.regarding) ? event.regarding : {};
  const namespace = asString(regarding.namespace);
  if (namespace !== "" && namespace !== asString(event.metadata.namespace)) {
    errors.push(invalidValue("regarding.namespace", namespace, "does not match event.namespace"));
  }
  return errors;
}
