// JSON responses with the headers every Kubernetes client expects.
import { toStatusError } from "../../api/errors.ts";

const JSON_HEADERS = { "content-type": "application/json" };

export const jsonText = (text: string, status = 200, headers: Record<string, string> = {}) =>
  new Response(text, { status, headers: { ...JSON_HEADERS, ...headers } });

export const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  jsonText(JSON.stringify(body), status, headers);

export function errorResponse(err: unknown): Response {
  const error = toStatusError(err);
  if (error.code >= 500) console.error("internal error", err);
  return json(error.toStatus(), error.code);
}

export const successStatus = (details?: Record<string, unknown>) => ({
  kind: "Status",
  apiVersion: "v1",
  metadata: {},
  status: "Success",
  ...(details ? { details } : {}),
});

/** Adds `Warning` headers (e.g. unknown fields under fieldValidation=Warn). */
export function withWarnings(response: Response, warnings: string[]): Response {
  for (const text of warnings) response.headers.append("Warning", `299 - ${JSON.stringify(text)}`);
  return response;
}
