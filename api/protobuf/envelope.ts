// Kubernetes' protobuf encoding of a whole object: the magic prefix "k8s\0", then a runtime.Unknown
// {1: TypeMeta {1: apiVersion, 2: kind}, 2: raw (the object's message), 3: contentEncoding, 4: contentType}.
import { badRequest } from "../errors.ts";
import { decodeMessage } from "./decode.ts";
import { rootMessage } from "./schema.ts";
import { decodeString } from "./special.ts";
import { chunksOf, malformed, readFields, type WireValue } from "./wire.ts";

export const PROTOBUF_MEDIA_TYPE = "application/vnd.kubernetes.protobuf";

const MAGIC = [0x6b, 0x38, 0x73, 0x00];

export interface DecodedBody {
  apiVersion: string;
  kind: string;
  object: Record<string, unknown>;
}

export const hasProtobufMagic = (body: Uint8Array): boolean =>
  body.length >= MAGIC.length && MAGIC.every((byte, i) => body[i] === byte);

function lastChunk(values: WireValue[] | undefined): Uint8Array | undefined {
  return values === undefined ? undefined : chunksOf(values).at(-1);
}

const text = (values: WireValue[] | undefined): string => {
  const bytes = lastChunk(values);
  return bytes === undefined ? "" : decodeString(bytes);
};

export function decodeKubernetesProtobuf(body: Uint8Array): DecodedBody {
  if (!hasProtobufMagic(body)) throw malformed('it does not start with "k8s\\0"');
  const envelope = readFields(body.subarray(MAGIC.length));
  const typeMeta = readFields(lastChunk(envelope.get(1)) ?? new Uint8Array());
  const apiVersion = text(typeMeta.get(1));
  const kind = text(typeMeta.get(2));
  const encoding = text(envelope.get(3));
  if (encoding !== "") throw badRequest(`unsupported protobuf content encoding "${encoding}"`);
  const contentType = text(envelope.get(4));
  if (contentType !== "" && contentType !== PROTOBUF_MEDIA_TYPE) {
    throw badRequest(`unsupported content type "${contentType}" inside a protobuf envelope`);
  }
  const message = rootMessage(apiVersion, kind);
  if (message === undefined) throw badRequest(`no protobuf decoder for ${apiVersion}/${kind}`);
  const raw = lastChunk(envelope.get(2)) ?? new Uint8Array();
  return { apiVersion, kind, object: { apiVersion, kind, ...decodeMessage(message, raw) } };
}
