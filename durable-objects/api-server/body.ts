// Request bodies: size limit, media types, JSON or YAML decoding.
import { parse as parseYaml } from "yaml";
import { badRequest, requestEntityTooLarge, unsupportedMediaType } from "../../api/errors.ts";

/** kube-apiserver's limit for a single request body. */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export type BodyKind = "json" | "yaml" | "json-patch" | "merge-patch" | "strategic-merge-patch" | "apply-patch";

const MEDIA_TYPES: Record<string, BodyKind> = {
  "application/json": "json",
  "application/yaml": "yaml",
  "application/json-patch+json": "json-patch",
  "application/merge-patch+json": "merge-patch",
  "application/strategic-merge-patch+json": "strategic-merge-patch",
  "application/apply-patch+yaml": "apply-patch",
};

export function bodyKind(request: Request, allowed: BodyKind[]): BodyKind {
  const header = request.headers.get("content-type") ?? "application/json";
  const mediaType = header.split(";")[0].trim().toLowerCase() || "application/json";
  const kind = MEDIA_TYPES[mediaType];
  if (kind === undefined || !allowed.includes(kind)) throw unsupportedMediaType(header);
  return kind;
}

export async function readText(request: Request): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw requestEntityTooLarge();
  const buffer = await request.arrayBuffer();
  if (buffer.byteLength > MAX_BODY_BYTES) throw requestEntityTooLarge();
  return new TextDecoder().decode(buffer);
}

/** Decodes JSON (or YAML, a superset) into a value; malformed input is a 400. */
export function decode(text: string, kind: BodyKind): unknown {
  if (text.trim() === "") throw badRequest("the request body is empty");
  try {
    if (kind === "yaml" || kind === "apply-patch") return parseYaml(text);
    return JSON.parse(text);
  } catch (err) {
    throw badRequest(
      `the body of the request could not be decoded: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

export async function readBody(request: Request, allowed: BodyKind[]): Promise<{ kind: BodyKind; value: unknown }> {
  const kind = bodyKind(request, allowed);
  return { kind, value: decode(await readText(request), kind) };
}

/** DELETE may come with or without a DeleteOptions body. */
export async function readOptionalJson(request: Request): Promise<unknown> {
  const text = await readText(request);
  if (text.trim() === "") return undefined;
  return decode(text, "json");
}
