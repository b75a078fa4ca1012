// The request options of field management: who the manager is (the `fieldManager` parameter, or
// the program name at the start of the User-Agent), apply's required manager and `force`, and
// their validation as kube-apiserver reports it (422 on the options kind).
import { badRequest, invalid, type FieldError } from "../errors.ts";

export type OptionsKind = "CreateOptions" | "UpdateOptions" | "PatchOptions";

/** Kubernetes' limit on a field manager's length, in bytes. */
export const FIELD_MANAGER_MAX_BYTES = 128;

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;
const utf8Length = (text: string) => new TextEncoder().encode(text).length;

function fieldManagerErrors(manager: string): FieldError[] {
  const errors: FieldError[] = [];
  if (utf8Length(manager) > FIELD_MANAGER_MAX_BYTES) {
    errors.push({
      field: "fieldManager",
      type: "FieldValueTooLong",
      message: `Too long: may not be more than ${FIELD_MANAGER_MAX_BYTES} bytes`,
    });
  }
  let position = 0;
  for (const char of manager) {
    if (!PRINTABLE.test(char)) {
      const code = char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
      errors.push({
        field: "fieldManager",
        type: "FieldValueInvalid",
        message: `Invalid value: ${JSON.stringify(manager)}: invalid character U+${code} (at position ${position})`,
      });
    }
    position += utf8Length(char);
  }
  return errors;
}

const optionsInvalid = (kind: OptionsKind, errors: FieldError[]) => invalid(kind, "meta.k8s.io", "", errors);

/** The part of a User-Agent before the first `/`, printable characters only, at most 128 bytes. */
export function managerFromUserAgent(userAgent: string | null): string {
  let out = "";
  for (const char of (userAgent ?? "").split("/")[0]) {
    if (!PRINTABLE.test(char)) continue;
    if (utf8Length(out + char) > FIELD_MANAGER_MAX_BYTES) break;
    out += char;
  }
  return out;
}

/** The manager of a create, update or non-apply patch. */
export function writeManager(query: URLSearchParams, userAgent: string | null, kind: OptionsKind): string {
  const given = query.get("fieldManager") ?? "";
  const errors = fieldManagerErrors(given);
  if (kind === "PatchOptions" && query.has("force")) {
    errors.unshift({
      field: "force",
      type: "FieldValueForbidden",
      message: "Forbidden: may not be specified for non-apply patch",
    });
  }
  if (errors.length > 0) throw optionsInvalid(kind, errors);
  return given !== "" ? given : managerFromUserAgent(userAgent);
}

/** Go's strconv.ParseBool, as query parameters are decoded. */
function parseBool(name: string, value: string): boolean {
  if (["1", "t", "T", "TRUE", "true", "True"].includes(value)) return true;
  if (["0", "f", "F", "FALSE", "false", "False"].includes(value)) return false;
  throw badRequest(`invalid value for ${name}: ${JSON.stringify(value)}: must be a boolean`);
}

export interface ApplyOptions {
  manager: string;
  force: boolean;
}

/** An apply must name its manager; `force=true` takes over conflicting fields. */
export function applyOptions(query: URLSearchParams): ApplyOptions {
  const manager = query.get("fieldManager") ?? "";
  const errors = fieldManagerErrors(manager);
  if (manager === "") {
    errors.unshift({
      field: "fieldManager",
      type: "FieldValueRequired",
      message: "Required value: is required for apply patch",
    });
  }
  if (errors.length > 0) throw optionsInvalid("PatchOptions", errors);
  const force = query.get("force");
  return { manager, force: force !== null && force !== "" && parseBool("force", force) };
}
