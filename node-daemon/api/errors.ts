// A failed API call, carrying the Kubernetes Status the server answered with.
export class ApiError extends Error {
  readonly status: number;
  readonly reason: string;
  readonly body: unknown;

  constructor(status: number, message: string, reason = "", body: unknown = undefined) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.reason = reason;
    this.body = body;
  }

  static from(what: string, status: number, body: unknown): ApiError {
    const status_ = typeof body === "object" && body !== null ? (body as { message?: string; reason?: string }) : {};
    const detail = status_.message ?? (typeof body === "string" && body ? body.slice(0, 200) : `HTTP ${status}`);
    return new ApiError(status, `${what}: ${detail}`, status_.reason ?? "", body);
  }
}

export const isNotFound = (err: unknown) => err instanceof ApiError && err.status === 404;
export const isConflict = (err: unknown) => err instanceof ApiError && err.status === 409;
export const isGone = (err: unknown) => err instanceof ApiError && err.status === 410;
export const isForbidden = (err: unknown) => err instanceof ApiError && (err.status === 403 || err.status === 401);
