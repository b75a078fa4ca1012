// Query parameters of list and watch requests (metav1.ListOptions), decoded and
// checked in the order kube-apiserver does: unparsable parameters are 400,
// contradictory combinations are 422 `ListOptions.meta.k8s.io "" is invalid`,
// and the storage-level checks on resourceVersion and continue are 400 again.
import { badRequest, invalid } from "../errors.ts";
import type { FieldError } from "../errors.ts";
import { parseResourceVersion } from "../meta/resource-version.ts";
import { parseFieldSelector } from "../selectors/fields.ts";
import type { FieldRequirement } from "../selectors/fields.ts";
import { parseLabelSelector } from "../selectors/labels.ts";
import type { LabelSelector } from "../selectors/labels.ts";
import { decodeContinue } from "./continue-token.ts";
import type { ContinueToken } from "./continue-token.ts";

export type ResourceVersionMatch = "NotOlderThan" | "Exact";

export interface ListQuery {
  /** Absent when the selector is empty (matches everything). */
  labelSelector?: LabelSelector;
  fieldSelector?: FieldRequirement[];
  /** Absent for 0, which Kubernetes treats as "no limit". */
  limit?: number;
  /** Lists only; a watch ignores continue. */
  continue?: ContinueToken;
  /** Validated as a revision number, kept as the client's string ("0" means "any"). */
  resourceVersion?: string;
  resourceVersionMatch?: ResourceVersionMatch;
  watch: boolean;
  allowWatchBookmarks: boolean;
  /** Absent for 0, which Kubernetes treats as "use the server default". */
  timeoutSeconds?: number;
  sendInitialEvents?: boolean;
}

/**
 * Query booleans convert as Kubernetes' parameter codec does: "0" and "false"
 * (any case) are false, every other value — even "" as in `?watch` — is true.
 */
function boolParam(params: URLSearchParams, name: string): boolean | undefined {
  const value = params.get(name);
  if (value === null) return undefined;
  return !(value === "0" || value.toLowerCase() === "false");
}

function countParam(params: URLSearchParams, name: string): number | undefined {
  const value = params.get(name)?.trim();
  if (value === undefined || value === "") return undefined;
  if (!/^\d+$/.test(value)) throw badRequest(`${name} must be a non-negative integer, got ${JSON.stringify(value)}`);
  const n = Number(value);
  return n === 0 ? undefined : n;
}

const forbidden = (field: string, detail: string): FieldError => ({
  field,
  type: "FieldValueForbidden",
  message: `Forbidden: ${detail}`,
});

const notSupported = (field: string, value: string, supported: string[]): FieldError => ({
  field,
  type: "FieldValueNotSupported",
  message: `Unsupported value: ${JSON.stringify(value)}: supported values: ${supported.map((s) => JSON.stringify(s)).join(", ")}`,
});

interface RawOptions {
  watch: boolean;
  resourceVersion: string;
  match: string;
  continueText: string;
  sendInitialEvents: boolean | undefined;
}

/** The combination rules of ValidateListOptions; watches follow the watch-list (sendInitialEvents) rules. */
function validateCombination(o: RawOptions): FieldError[] {
  const errors: FieldError[] = [];
  const field = "resourceVersionMatch";
  if (o.watch) {
    if (o.sendInitialEvents !== undefined && o.match !== "NotOlderThan")
      errors.push(forbidden(field, "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"));
    if (o.match !== "") {
      if (o.sendInitialEvents === undefined)
        errors.push(
          forbidden(field, "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"),
        );
      if (o.match !== "NotOlderThan") errors.push(notSupported(field, o.match, ["NotOlderThan"]));
      if (o.continueText !== "")
        errors.push(forbidden(field, "resourceVersionMatch is forbidden when continue is provided"));
    }
    return errors;
  }
  if (o.match !== "") {
    if (o.resourceVersion === "")
      errors.push(forbidden(field, "resourceVersionMatch is forbidden unless resourceVersion is provided"));
    if (o.continueText !== "")
      errors.push(forbidden(field, "resourceVersionMatch is forbidden when continue is provided"));
    if (o.match !== "Exact" && o.match !== "NotOlderThan")
      errors.push(notSupported(field, o.match, ["Exact", "NotOlderThan", ""]));
    if (o.match === "Exact" && o.resourceVersion === "0")
      errors.push(forbidden(field, 'resourceVersionMatch "exact" is forbidden for resourceVersion "0"'));
  }
  if (o.sendInitialEvents !== undefined)
    errors.push(forbidden("sendInitialEvents", "sendInitialEvents is forbidden for list"));
  return errors;
}

/**
 * Decodes list/watch query parameters. `forceWatch` is for the legacy
 * `/watch/...` paths, which are watches whatever `?watch=` says.
 */
export function parseListQuery(params: URLSearchParams, options: { forceWatch?: boolean } = {}): ListQuery {
  // 1. Conversion: anything unparsable is a 400.
  const watch = options.forceWatch === true || boolParam(params, "watch") === true;
  const labelText = params.get("labelSelector") ?? "";
  const fieldText = params.get("fieldSelector") ?? "";
  const labelSelector = labelText === "" ? [] : parseLabelSelector(labelText);
  const fieldSelector = fieldText === "" ? [] : parseFieldSelector(fieldText);
  const limit = countParam(params, "limit");
  const timeoutSeconds = countParam(params, "timeoutSeconds");
  const sendInitialEvents = boolParam(params, "sendInitialEvents");
  const resourceVersion = params.get("resourceVersion") ?? "";
  const match = params.get("resourceVersionMatch") ?? "";
  const continueText = params.get("continue") ?? "";

  // 2. Validation of the combination: 422.
  const errors = validateCombination({ watch, resourceVersion, match, continueText, sendInitialEvents });
  if (errors.length > 0) throw invalid("ListOptions", "meta.k8s.io", "", errors);

  // 3. Storage-level checks: 400.
  parseResourceVersion(resourceVersion);
  let continueToken: ContinueToken | undefined;
  if (!watch && continueText !== "") {
    continueToken = decodeContinue(continueText);
    if (resourceVersion !== "" && resourceVersion !== "0")
      throw badRequest("specifying resource version is not allowed when using continue");
  }

  const query: ListQuery = { watch, allowWatchBookmarks: boolParam(params, "allowWatchBookmarks") === true };
  if (labelSelector.length > 0) query.labelSelector = labelSelector;
  if (fieldSelector.length > 0) query.fieldSelector = fieldSelector;
  if (limit !== undefined) query.limit = limit;
  if (continueToken) query.continue = continueToken;
  if (resourceVersion !== "") query.resourceVersion = resourceVersion;
  if (match !== "") query.resourceVersionMatch = match as ResourceVersionMatch;
  if (timeoutSeconds !== undefined) query.timeoutSeconds = timeoutSeconds;
  if (sendInitialEvents !== undefined) query.sendInitialEvents = sendInitialEvents;
  return query;
}
