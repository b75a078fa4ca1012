// Request bodies: size limit, media types, JSON, YAML or Kubernetes protobuf decoding.
import { parse as parseYaml } from "yaml";
import { badRequest, requestEntityTooLarge, unsupportedMediaType } from "../../api/errors.ts";
import { decodeKubernetesProtobuf, PROTOBUF_MEDIA_TYPE } from "../../api/protobuf/envelope.ts";

/** kube-apiserver's limit for a single request body. */
export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export type BodyKind =
  "json" | "yaml" | "protobuf" | "json-patch" | "merge-patch" | "strategic-merge-patch" | "apply-patch";

const MEDIA_TYPES: Record<string, BodyKind> = {
  "application/json": "json",
  "application/yaml": "yaml",
  [PROTOBUF_MEDIA_TYPE]: "protobuf",
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

/** 413 for a body that declares more than MAX_BODY_BYTES, which is then never read. */
export async function refuseOversized(request: Request): Promise<void> {
  if (Number(request.headers.get("content-length") ?? "0") <= MAX_BODY_BYTES) return;
  await request.body?.cancel(); // never read: let the runtime drop it
  throw requestEntityTooLarge();
}

export async function readBytes(request: Request): Promise<Uint8Array> {
  return (await bufferedBody(request)) ?? new Uint8Array();
}

export async function readText(request: Request): Promise<string> {
  return new TextDecoder().decode(await readBytes(request));
}

/** A `k8s\0`-prefixed protobuf object (kubectl 1.32+ `create` subcommands) → its JSON form. */
function decodeProtobuf(bytes: Uint8Array): unknown {
  if (bytes.length === 0) throw badRequest("the request body is empty");
  return decodeKubernetesProtobuf(bytes).object;
}

const isProtobuf = (request: Request): boolean =>
  (request.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase() === PROTOBUF_MEDIA_TYPE;

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
  if (kind === "protobuf") return { kind, value: decodeProtobuf(await readBytes(request)) };
  return { kind, value: decode(await readText(request), kind) };
}

/** DELETE may come with or without a DeleteOptions body (JSON, or protobuf from client-go typed clients). */
export async function readOptionalJson(request: Request): Promise<unknown> {
  if (isProtobuf(request)) {
    const bytes = await readBytes(request);
    return bytes.length === 0 ? undefined : decodeProtobuf(bytes);
  }
  const text = await readText(request);
  if (text.trim() === "") return undefined;
  return decode(text, "json");
}

/**
 * The whole body of a request the Worker forwards to a store, or undefined when it has none. A
 * streamed body would keep streaming after a store that answers early (an error before reading
 * it) has responded, which workerd reports as an uncaught exception. At most MAX_BODY_BYTES are
 * read, chunked bodies included: more is a 413.
 */
export async function bufferedBody(request: Request): Promise<Uint8Array | undefined> {
  await refuseOversized(request);
  if (!request.body) return undefined;
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw requestEntityTooLarge();
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0];
  const body = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.byteLength;
  }
  return body;
}
