// The one error model of Flotilla: every failure becomes a Kubernetes `Status`.
// Code anywhere throws `StatusError`; the Worker's onError (and each Durable
// Object's fetch) turns it into the JSON body kubectl and client-node expect.

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: "Status";
  apiVersion: "v1";
  /** ListMeta: only an expired continue token's Status carries one (the token to go on with). */
  metadata: { continue?: string };
  status: "Failure" | "Success";
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

export class StatusError extends Error {
  readonly code: number;
  readonly reason: string;
  readonly details?: StatusDetails;
  readonly continueToken?: string;

  constructor(code: number, reason: string, message: string, details?: StatusDetails, continueToken?: string) {
    super(message);
    this.name = "StatusError";
    this.code = code;
    this.reason = reason;
    this.details = details;
    this.continueToken = continueToken;
  }

  toStatus(): Status {
    const status: Status = {
      kind: "Status",
      apiVersion: "v1",
      metadata: this.continueToken === undefined ? {} : { continue: this.continueToken },
      status: "Failure",
      message: this.message,
      reason: this.reason,
      code: this.code,
    };
    if (this.details) status.details = this.details;
    return status;
  }

  static fromStatus(status: Status): StatusError {
    return new StatusError(
      status.code,
      status.reason ?? "Unknown",
      status.message ?? "",
      status.details,
      status.metadata?.continue,
    );
  }
}

/** Identifies the object an error is about, as Kubernetes puts it in `details`. */
export interface ErrorTarget {
  group: string;
  resource: string; // plural, e.g. "deployments"
  name?: string;
}

function qualified(target: ErrorTarget): string {
  return target.group ? `${target.resource}.${target.group}` : target.resource;
}

function detailsOf(target: ErrorTarget, causes?: StatusCause[]): StatusDetails {
  const details: StatusDetails = { group: target.group, kind: target.resource };
  if (target.name !== undefined) details.name = target.name;
  if (causes) details.causes = causes;
  return details;
}

export const badRequest = (message: string, causes?: StatusCause[]) =>
  new StatusError(400, "BadRequest", message, causes ? { causes } : undefined);

export const unauthorized = (message = "Unauthorized") => new StatusError(401, "Unauthorized", message);

export const forbidden = (message: string, target?: ErrorTarget) =>
  new StatusError(403, "Forbidden", message, target ? detailsOf(target) : undefined);

export const notFound = (target: ErrorTarget) =>
  new StatusError(404, "NotFound", `${qualified(target)} "${target.name ?? ""}" not found`, detailsOf(target));

/** 404 for a path that names no resource at all. */
export const pathNotFound = (message = "the server could not find the requested resource") =>
  new StatusError(404, "NotFound", message, {});

export const methodNotAllowed = (message: string) => new StatusError(405, "MethodNotAllowed", message);

export const notAcceptable = (message: string) => new StatusError(406, "NotAcceptable", message);

export const alreadyExists = (target: ErrorTarget) =>
  new StatusError(409, "AlreadyExists", `${qualified(target)} "${target.name}" already exists`, detailsOf(target));

export const conflict = (target: ErrorTarget, why: string) =>
  new StatusError(
    409,
    "Conflict",
    `Operation cannot be fulfilled on ${qualified(target)} "${target.name}": ${why}`,
    detailsOf(target),
  );

export const staleResourceVersion = (target: ErrorTarget) =>
  conflict(target, "the object has been modified; please apply your changes to the latest version and try again");

export const gone = (message: string) => new StatusError(410, "Expired", message);

/**
 * A continue token whose snapshot the store can no longer reconstruct; `inconsistent` goes on from
 * the current state instead (kube's wording and behaviour).
 */
export const expiredContinue = (inconsistent: string) =>
  new StatusError(
    410,
    "Expired",
    "The provided continue parameter is too old to display a consistent list result. You can start a new list " +
      "without the continue parameter, or use the continue token in this response to retrieve the remainder of the " +
      "results. Continuing with the provided token results in an inconsistent list - objects that were created, " +
      "modified, or deleted between the time the first chunk was returned and now may show up in the list.",
    undefined,
    inconsistent,
  );

export const tooOldResourceVersion = (requested: string | number, oldest: string | number) =>
  gone(`too old resource version: ${requested} (${oldest})`);

export const requestEntityTooLarge = (message = "Request entity too large: limit is 3145728") =>
  new StatusError(413, "RequestEntityTooLarge", message);

export const unsupportedMediaType = (contentType: string) =>
  new StatusError(
    415,
    "UnsupportedMediaType",
    `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf, application/merge-patch+json, application/json-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml (got "${contentType}")`,
  );

/** A field-level validation failure, rendered by kubectl as `* field: message`. */
export interface FieldError {
  field: string;
  type:
    | "FieldValueRequired"
    | "FieldValueInvalid"
    | "FieldValueNotSupported"
    | "FieldValueForbidden"
    | "FieldValueDuplicate"
    | "FieldValueTooLong"
    | "FieldValueTooMany"
    | "FieldValueNotFound"
    | "FieldValueTypeInvalid";
  message: string; // full text, e.g. `Invalid value: "Foo": a lowercase RFC 1123 ...`
}

/** Kubernetes' aggregate message: one error bare, several in brackets. */
const aggregate = (errors: FieldError[]) => {
  const parts = errors.map((e) => `${e.field}: ${e.message}`);
  return parts.length === 1 ? parts[0] : `[${parts.join(", ")}]`;
};

export const invalid = (kind: string, group: string, name: string, errors: FieldError[]) =>
  new StatusError(422, "Invalid", `${kind}${group ? "." + group : ""} "${name}" is invalid: ${aggregate(errors)}`, {
    name,
    group,
    kind,
    causes: errors.map((e) => ({ reason: e.type, message: e.message, field: e.field })),
  });

export const unprocessable = (message: string) => new StatusError(422, "Invalid", message);

export const tooManyRequests = (message: string, retryAfterSeconds?: number) =>
  new StatusError(429, "TooManyRequests", message, retryAfterSeconds ? { retryAfterSeconds } : undefined);

export const internalError = (message: string) => new StatusError(500, "InternalError", message);

export const serviceUnavailable = (message: string) => new StatusError(503, "ServiceUnavailable", message);

/** Render anything thrown as a Status; unknown errors become 500 InternalError. */
export function toStatusError(err: unknown): StatusError {
  if (err instanceof StatusError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return internalError(message);
}
